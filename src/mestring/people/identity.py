"""Norwegian national identity numbers: fødselsnummer and D-nummer.

An identity number has 11 digits: DDMMYY, a 3-digit individual number, and two
control digits k1 and k2. Two rules for k1 are accepted side by side, as the
Folkeregister requires for numbers issued from 1 January 2032:

- k2 (unchanged): with weights 5 4 3 2 7 6 5 4 3 2 1 over all 11 digits the sum
  is 0 mod 11.
- k1: with weights 3 7 6 1 8 9 4 5 2 1 over the first 10 digits the sum mod 11 is
  0 (today's rule), or 1, 2 or 3 (the 2032 rule, which also accepts 0).

A control digit that would have to be 10 cannot be written, so such numbers are
never valid. D-numbers add 4 to the first digit of the day (41..71). Synthetic
test numbers (Tenor) add 80 to the month (81..92), and can also be D-numbers.

From 2032 the number no longer tells gender or century, and the date part of a
D-number was never reliable, so this module deliberately offers no way to read a
birth date or gender out of a number: take those from the Folkeregister instead.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Final, Literal

from django.utils.translation import gettext_lazy as _

__all__ = [
    "IdentityKind",
    "InvalidNationalId",
    "NationalId",
    "control_digits_valid",
    "make_national_id",
    "parse_national_id",
    "random_synthetic_national_id",
]

# Weights for k1 over digits 1..9 (the 10th weight, 1, applies to k1 itself).
K1_WEIGHTS: Final = (3, 7, 6, 1, 8, 9, 4, 5, 2)
# Weights for k2 over digits 1..10 (the 11th weight, 1, applies to k2 itself).
K2_WEIGHTS: Final = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
# Remainders of the k1 check that are valid: 0 today, 0..3 under the 2032 rule.
K1_REMAINDERS: Final = frozenset({0, 1, 2, 3})

D_NUMBER_DAY_OFFSET: Final = 40
SYNTHETIC_MONTH_OFFSET: Final = 80

# ASCII digits only: `str.isdigit` and `\d` would also accept e.g. Arabic-Indic digits.
_ELEVEN_DIGITS: Final = re.compile(r"[0-9]{11}")
# Days per month in a leap year: the century is unknown, so 29 February is allowed.
_DAYS_IN_MONTH: Final = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)

ErrorCode = Literal["length", "date", "control", "synthetic"]

_MESSAGES: Final = {
    "length": _("Fødselsnummeret må ha 11 siffer."),
    "date": _("De seks første sifrene i fødselsnummeret er ikke en gyldig dato."),
    "control": _("Kontrollsifrene stemmer ikke. Sjekk at nummeret er skrevet riktig."),
    "synthetic": _("Syntetiske testnumre er ikke tillatt i denne installasjonen."),
}


class IdentityKind(StrEnum):
    FODSELSNUMMER = "fnr"
    D_NUMMER = "dnr"


@dataclass(frozen=True)
class NationalId:
    """A checked identity number; `value` is the 11 digits without spaces."""

    # Kept out of repr() so that a logged object or traceback does not leak the number.
    value: str = field(repr=False)
    kind: IdentityKind
    synthetic: bool

    def __str__(self) -> str:
        return self.value


class InvalidNationalId(ValueError):
    """Why a number was refused: `code` for programs, `message` (lazy) for the user.

    The raw input is deliberately not kept on the exception, so it cannot end up in logs.
    """

    def __init__(self, code: ErrorCode) -> None:
        self.code: ErrorCode = code
        self.message = _MESSAGES[code]
        super().__init__(self.message)


def _weighted_sum(digits: str, weights: tuple[int, ...]) -> int:
    return sum(int(digit) * weight for digit, weight in zip(digits, weights, strict=True))


def _is_plausible_day(day: int, month: int) -> bool:
    return 1 <= month <= 12 and 1 <= day <= _DAYS_IN_MONTH[month - 1]


def control_digits_valid(digits: str) -> bool:
    """True if `digits` is 11 ASCII digits whose k1 (either rule) and k2 are right."""
    if not _ELEVEN_DIGITS.fullmatch(digits):
        return False
    k1_remainder = (_weighted_sum(digits[:9], K1_WEIGHTS) + int(digits[9])) % 11
    k2_remainder = (_weighted_sum(digits[:10], K2_WEIGHTS) + int(digits[10])) % 11
    return k1_remainder in K1_REMAINDERS and k2_remainder == 0


def parse_national_id(raw: str, *, allow_synthetic: bool) -> NationalId:
    """Check a fødselsnummer or D-nummer as typed by a user.

    Surrounding whitespace and spaces inside the number are ignored; anything else
    that is not a digit is refused. Raises InvalidNationalId.
    """
    digits = raw.strip().replace(" ", "")
    if not _ELEVEN_DIGITS.fullmatch(digits):
        raise InvalidNationalId("length")

    day, month = int(digits[0:2]), int(digits[2:4])
    kind = IdentityKind.FODSELSNUMMER
    if day > D_NUMBER_DAY_OFFSET:
        day -= D_NUMBER_DAY_OFFSET
        kind = IdentityKind.D_NUMMER
    synthetic = month > SYNTHETIC_MONTH_OFFSET
    if synthetic:
        month -= SYNTHETIC_MONTH_OFFSET
    if not _is_plausible_day(day, month):
        raise InvalidNationalId("date")

    if not control_digits_valid(digits):
        raise InvalidNationalId("control")
    # Checked last, so that this message is only shown for otherwise valid numbers.
    if synthetic and not allow_synthetic:
        raise InvalidNationalId("synthetic")
    return NationalId(value=digits, kind=kind, synthetic=synthetic)


def make_national_id(
    day: int,
    month: int,
    yy: int,
    individual: int,
    *,
    d_number: bool = False,
    synthetic: bool = False,
    rule_2032_remainder: int | None = None,
) -> str | None:
    """Build a valid number, or None if no control digit exists for this individual number.

    `rule_2032_remainder` 1, 2 or 3 builds a number that is valid only under the
    2032 rule; None (or 0) builds one valid under today's rule. Impossible dates and
    out-of-range arguments raise ValueError.
    """
    if not _is_plausible_day(day, month):
        raise ValueError(f"No such day: {day}.{month}.")
    if not 0 <= yy <= 99:
        raise ValueError("yy must be 0..99.")
    if not 0 <= individual <= 999:
        raise ValueError("individual must be 0..999.")
    remainder = 0 if rule_2032_remainder is None else rule_2032_remainder
    if remainder not in K1_REMAINDERS:
        raise ValueError("rule_2032_remainder must be None, 0, 1, 2 or 3.")

    day_field = day + D_NUMBER_DAY_OFFSET if d_number else day
    month_field = month + SYNTHETIC_MONTH_OFFSET if synthetic else month
    first9 = f"{day_field:02d}{month_field:02d}{yy:02d}{individual:03d}"

    # k1 such that (weighted sum + k1) % 11 == remainder; k2 such that the k2 sum is 0.
    k1 = (remainder - _weighted_sum(first9, K1_WEIGHTS)) % 11
    if k1 == 10:
        return None
    k2 = -_weighted_sum(f"{first9}{k1}", K2_WEIGHTS) % 11
    if k2 == 10:
        return None
    return f"{first9}{k1}{k2}"


def random_synthetic_national_id(
    rng: random.Random, birth_date: date, *, d_number: bool = False
) -> str:
    """A synthetic number (month + 80) for demo data and tests, valid under today's rule.

    Starts at a random individual number and tries the next ones (wrapping around)
    until one has valid control digits.
    """
    start = rng.randrange(1000)
    for offset in range(1000):
        number = make_national_id(
            birth_date.day,
            birth_date.month,
            birth_date.year % 100,
            (start + offset) % 1000,
            d_number=d_number,
            synthetic=True,
        )
        if number is not None:
            return number
    # Unreachable: every date has many individual numbers with valid control digits.
    raise AssertionError(f"No valid synthetic number for {birth_date}.")
