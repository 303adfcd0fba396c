"""Age groups as written in population files: "0-5", "67-79 år", "90+", "80 år og eldre",
"7" or "7 år" (one year). Each has a lower and an upper bound in whole years, both
included; the upper bound of an open group ("90+") is None."""

from __future__ import annotations

import re

_RANGE = re.compile(r"^(\d{1,3})\s*[-–]\s*(\d{1,3})$")
_OPEN = re.compile(r"^(\d{1,3})\s*(?:\+|(?:og|eller)\s+(?:eldre|over)|and\s+over|or\s+older)$")
_ONE = re.compile(r"^(\d{1,3})$")
_YEARS_WORD = re.compile(r"\s*\b(?:år|years?)\b\s*")


class AgeGroupError(ValueError):
    pass


def parse_age_group(text: str) -> tuple[int, int | None]:
    """(lower, upper) of a group; raises AgeGroupError with a Norwegian message."""
    cleaned = _YEARS_WORD.sub(" ", text.strip().lower()).strip()
    cleaned = re.sub(r"\s+", " ", cleaned)
    if match := _RANGE.match(cleaned):
        low, high = int(match[1]), int(match[2])
        if low > high:
            raise AgeGroupError(
                f"Aldersgruppen «{text}» begynner på en høyere alder enn den slutter på."
            )
        return low, high
    if match := _OPEN.match(cleaned):
        return int(match[1]), None
    if match := _ONE.match(cleaned):
        return int(match[1]), int(match[1])
    raise AgeGroupError(
        f"«{text}» er ikke en aldersgruppe. Skriv for eksempel 0-5, 67-79, 90+ eller 7."
    )


def overlaps(a: tuple[int, int | None], b: tuple[int, int | None]) -> bool:
    a_high = a[1] if a[1] is not None else 10**6
    b_high = b[1] if b[1] is not None else 10**6
    return a[0] <= b_high and b[0] <= a_high


def contains(bounds: tuple[int, int | None], age: int) -> bool:
    return bounds[0] <= age and (bounds[1] is None or age <= bounds[1])
