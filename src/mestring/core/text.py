"""One-line text (L12): names, titles and phone numbers are a single line. A line
break or another control character in them is refused at the form, and text bound for
one-line places (an e-mail subject, a header) is put on one line whatever was saved."""

from __future__ import annotations

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Unicode's control characters (Cc, which includes \r, \n, \t and NUL) and its own line
# and paragraph separators (Zl, Zp).
_NOT_ON_ONE_LINE = frozenset({"Cc", "Zl", "Zp"})


def has_control_characters(value: str) -> bool:
    return any(unicodedata.category(char) in _NOT_ON_ONE_LINE for char in value)


def single_line(value: str) -> None:
    """Validator for one-line fields."""
    if value and has_control_characters(value):
        raise ValidationError(
            _("Feltet kan ikke ha linjeskift eller kontrolltegn."), code="single_line"
        )


def one_line(value: str) -> str:
    """The text with every run of line breaks, control characters and spaces made one
    space, for a place that holds one line only."""
    cleaned = "".join(
        " " if unicodedata.category(char) in _NOT_ON_ONE_LINE else char for char in value
    )
    return " ".join(cleaned.split())
