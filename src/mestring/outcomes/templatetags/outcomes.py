"""Numbers of outcome measures as Norwegian readers write them: "7,5", "+2", "−1,25"."""

from __future__ import annotations

from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def score_text(value: Decimal | int | None) -> str:
    """A score without trailing zeros and with a decimal comma; "–" for none."""
    if value is None:
        return "–"
    number = Decimal(value)
    text = format(number.quantize(Decimal("0.01")).normalize(), "f")
    if text in ("-0", "0"):
        text = "0"
    return text.replace(".", ",")


@register.filter
def change_text(value: Decimal | int | None) -> str:
    """A change with its sign: "+2", "-1,5", "0"; "–" for none."""
    if value is None:
        return "–"
    text = score_text(value)
    return f"+{text}" if Decimal(value) > 0 else text
