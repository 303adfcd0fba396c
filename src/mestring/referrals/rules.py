"""Pure rules for messages of need: where the need should be met, and when a message is late.

No database access here, so the rules can be tested with a table and shown to the user.
"""

from __future__ import annotations

import datetime
from fractions import Fraction

from django.conf import settings

from mestring.referrals.choices import CarePlace, Urgency

# IS-1947's three factors are each scored 1 (clearly municipal) … 5 (clearly specialist).
FACTOR_MIN, FACTOR_MAX = 1, 5
FACTOR_NAMES = ("competence", "complexity", "intensity")
# The mean of the three scores splits the range 1–5 in thirds: up to 2⅓ is municipal,
# from 3⅔ specialist, in between joint. Exact fractions, so the borders (shown to the user
# as 2,33 and 3,67) are not at the mercy of floating point.
MUNICIPAL_UP_TO = Fraction(7, 3)
SPECIALIST_FROM = Fraction(11, 3)

DEFAULT_DAYS_NORMAL = 14
DEFAULT_DAYS_URGENT = 3


def factor_mean(competence: int, complexity: int, intensity: int) -> Fraction:
    return Fraction(competence + complexity + intensity, 3)


def suggest_place(competence: int, complexity: int, intensity: int) -> str:
    """kommune, felles or spesialist, from the three factor scores."""
    mean = factor_mean(competence, complexity, intensity)
    if competence == FACTOR_MAX or mean >= SPECIALIST_FROM:
        return CarePlace.SPECIALIST
    if mean <= MUNICIPAL_UP_TO:
        return CarePlace.MUNICIPALITY
    return CarePlace.JOINT


def response_days(urgency: str) -> int:
    """Days from receipt within which a message should be handled (configurable)."""
    if urgency == Urgency.URGENT:
        return int(getattr(settings, "MESTRING_REFERRAL_DAYS_URGENT", DEFAULT_DAYS_URGENT))
    return int(getattr(settings, "MESTRING_REFERRAL_DAYS_NORMAL", DEFAULT_DAYS_NORMAL))


def due_on(received_on: datetime.date, urgency: str) -> datetime.date:
    """The last day the message is on time; the day after, it is overdue."""
    return received_on + datetime.timedelta(days=response_days(urgency))
