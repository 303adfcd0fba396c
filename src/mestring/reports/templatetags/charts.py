"""Bar charts as inline SVG drawn on the server: no script, allowed by the strict CSP.
The numbers always stand beside the bars, and the table is the accessible version."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()


@register.simple_tag
def bar(value: int | float, largest: int | float) -> SafeString:
    width = 0.0 if not largest else max(0.0, min(100.0, 100.0 * float(value) / float(largest)))
    return format_html(
        '<svg class="bar" aria-hidden="true" focusable="false" viewBox="0 0 100 10" '
        'preserveAspectRatio="none"><rect width="{}" height="10"></rect></svg>',
        f"{width:.1f}",
    )


@register.filter
def largest(rows: list[dict], key: str) -> int | float:
    return max((row[key] for row in rows), default=0)
