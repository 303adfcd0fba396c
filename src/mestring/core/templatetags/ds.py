"""Template helpers for Designsystemet markup: fields, icons, sortable headers."""

from __future__ import annotations

from functools import cache

from django import forms, template
from django.contrib.staticfiles import finders
from django.forms.boundfield import BoundField
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@cache
def _icon_svg(name: str) -> str:
    path = finders.find(f"vendor/aksel-icons/{name}.svg")
    if path is None:
        raise template.TemplateSyntaxError(f"Unknown icon {name!r}")
    with open(path, encoding="utf-8") as handle:
        svg = handle.read().strip()
    return svg.replace("<svg ", '<svg aria-hidden="true" focusable="false" class="icon" ', 1)


@register.simple_tag
def icon(name: str) -> SafeString:
    """An Aksel icon inlined, so that it takes the text colour; hidden from screen readers."""
    return mark_safe(_icon_svg(name))  # noqa: S308 - our own vendored SVG  # nosec B308, B703


def _describedby(field: BoundField) -> str:
    ids = []
    if field.errors:
        ids.append(f"{field.auto_id}_feil")
    if field.help_text:
        ids.append(f"{field.auto_id}_hjelp")
    return " ".join(ids)


@register.simple_tag
def ds_widget(field: BoundField) -> SafeString:
    """The field's input with the classes and ARIA links Designsystemet expects."""
    attrs: dict[str, str | bool] = {"class": "ds-input"}
    described = _describedby(field)
    if described:
        attrs["aria-describedby"] = described
    if field.errors:
        attrs["aria-invalid"] = "true"
    if isinstance(field.field.widget, forms.Select) and not isinstance(
        field.field.widget, forms.SelectMultiple
    ):
        attrs["data-width"] = "auto"
    return field.as_widget(attrs=attrs)


@register.filter
def field_kind(field: BoundField) -> str:
    widget = field.field.widget
    if isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
        return "choices"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    return "input"


@register.simple_tag(takes_context=True)
def sort_header(context: template.Context, label: str, key: str, param: str = "sort") -> SafeString:
    """A sortable column header for server-side sorting (a link, works without JS)."""
    request = context["request"]
    current = request.GET.get(param, "")
    query = request.GET.copy()
    query.pop("side", None)
    if current == key:
        state, query[param] = "ascending", f"-{key}"
    elif current == f"-{key}":
        state, query[param] = "descending", key
    else:
        state, query[param] = "none", key
    return format_html(
        '<th scope="col" aria-sort="{}"><a class="sort-link" href="?{}">{}</a></th>',
        state,
        query.urlencode(),
        label,
    )
