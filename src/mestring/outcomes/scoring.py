"""Scores of the outcome instruments, as pure functions (no database).

SPPB uses the standard bands (Guralnik et al. 1994): timed results are rounded to
hundredths of a second and then placed in a band. COPM and PSFS scores are the means of
the person's activities, rounded half up to two decimals. The functional variables
(IPLOS) count down: the score is the mean over the variables scored 1–5, 9 (not
relevant) left out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import TypeGuard

from django.utils.translation import gettext as _

from mestring.kernel.errors import RuleBroken

HUNDREDTH = Decimal("0.01")
BALANCE_HOLD = Decimal("10")  # seconds a stand must be held for its points
TANDEM_PARTIAL = Decimal("3")
CHAIR_LIMIT = Decimal("60")
PART_MAX = 4
COPM_ACTIVITIES = (1, 5)
PSFS_ACTIVITIES = (3, 5)
FUNCTION_SCORES = (1, 2, 3, 4, 5, 9)
NOT_RELEVANT = 9

Number = Decimal | float | int | str


class ScoringError(RuleBroken):
    """Input the scoring rules cannot take; the message is for the user."""

    code = "scoring_rule"


def to_decimal(value: Number) -> Decimal:
    """A number as Decimal; a string may use a comma ("7,5")."""
    if isinstance(value, Decimal):
        number = value
    else:
        try:
            number = Decimal(str(value).strip().replace(",", "."))
        except InvalidOperation:
            raise ScoringError(_("«%(value)s» er ikke et tall.") % {"value": value}) from None
    if not number.is_finite():
        raise ScoringError(_("«%(value)s» er ikke et tall.") % {"value": value})
    return number


def _seconds(value: Number | None) -> Decimal | None:
    if value is None or value == "":
        return None
    seconds = to_decimal(value)
    if seconds < 0:
        raise ScoringError(_("Tiden kan ikke være negativ."))
    if seconds >= Decimal("999.995"):
        raise ScoringError(_("Tiden må være under 1000 sekunder."))
    return seconds.quantize(HUNDREDTH, rounding=ROUND_HALF_UP)


def mean(values: Iterable[Number]) -> Decimal | None:
    """The mean rounded half up to two decimals; None for no values."""
    numbers = [to_decimal(value) for value in values]
    if not numbers:
        return None
    return (sum(numbers, Decimal(0)) / len(numbers)).quantize(HUNDREDTH, rounding=ROUND_HALF_UP)


# --- SPPB


def balance_points(
    side_by_side: Number | None, semi_tandem: Number | None, tandem: Number | None
) -> int:
    """0–4 from the seconds each stand was held (None: not done or not able).

    Side by side held 10 s gives 1 point, otherwise 0 and the test stops; semi-tandem
    held 10 s gives 1 more, otherwise stop; tandem ≥ 10 s gives 2 more, 3–9.99 s 1 more.
    """
    side, semi, full = _seconds(side_by_side), _seconds(semi_tandem), _seconds(tandem)
    if side is None or side < BALANCE_HOLD:
        return 0
    if semi is None or semi < BALANCE_HOLD:
        return 1
    if full is None or full < TANDEM_PARTIAL:
        return 2
    if full < BALANCE_HOLD:
        return 3
    return 4


def gait_points(seconds: Number | None) -> int:
    """0–4 from the time of the 4 m walk (None: not able)."""
    time = _seconds(seconds)
    if time is None:
        return 0
    if time > Decimal("8.70"):
        return 1
    if time >= Decimal("6.21"):
        return 2
    if time >= Decimal("4.82"):
        return 3
    return 4


def chair_points(seconds: Number | None) -> int:
    """0–4 from the time of five chair stands (None: not able; over 60 s counts 0)."""
    time = _seconds(seconds)
    if time is None or time > CHAIR_LIMIT:
        return 0
    if time >= Decimal("16.70"):  # Guralnik 1994: 16.70 s or more is 1 point
        return 1
    if time >= Decimal("13.70"):
        return 2
    if time >= Decimal("11.20"):
        return 3
    return 4


def _points(value: Number, what: str) -> int:
    number = to_decimal(value)
    if number != number.to_integral_value() or not 0 <= number <= PART_MAX:
        raise ScoringError(
            _("Poeng for %(what)s må være et helt tall fra 0 til 4.") % {"what": what}
        )
    return int(number)


@dataclass(frozen=True)
class SppbResult:
    balance: int
    gait: int
    chair: int
    # The seconds behind the points, where times were entered.
    side_by_side_s: Decimal | None = None
    semi_tandem_s: Decimal | None = None
    tandem_s: Decimal | None = None
    gait_s: Decimal | None = None
    chair_s: Decimal | None = None

    @property
    def total(self) -> int:
        return self.balance + self.gait + self.chair


def _filled(value: Number | None) -> TypeGuard[Number]:
    return value is not None and value != ""


def _given(*values: Number | None) -> bool:
    return any(_filled(value) for value in values)


def sppb_score(
    *,
    side_by_side_s: Number | None = None,
    semi_tandem_s: Number | None = None,
    tandem_s: Number | None = None,
    gait_s: Number | None = None,
    chair_s: Number | None = None,
    balance: Number | None = None,
    gait: Number | None = None,
    chair: Number | None = None,
) -> SppbResult:
    """Each part from its points when given, otherwise from its times. A part with
    neither is an error: "not able" is entered as 0 points."""
    if _given(balance) and _given(side_by_side_s, semi_tandem_s, tandem_s):
        raise ScoringError(_("Skriv enten tider eller poeng for balanse, ikke begge."))
    if _given(gait) and _given(gait_s):
        raise ScoringError(_("Skriv enten tid eller poeng for ganghastighet, ikke begge."))
    if _given(chair) and _given(chair_s):
        raise ScoringError(_("Skriv enten tid eller poeng for reise seg fra stol, ikke begge."))
    if not _given(balance, side_by_side_s):
        raise ScoringError(
            _("Skriv tiden for stående med samlede føtter, eller poeng for balanse.")
        )
    if not _given(gait, gait_s):
        raise ScoringError(_("Skriv tiden for 4 meter gange, eller poeng for ganghastighet."))
    if not _given(chair, chair_s):
        raise ScoringError(_("Skriv tiden for fem reisninger, eller poeng for reise seg fra stol."))
    return SppbResult(
        balance=_points(balance, _("balanse"))
        if _filled(balance)
        else balance_points(side_by_side_s, semi_tandem_s, tandem_s),
        gait=_points(gait, _("ganghastighet")) if _filled(gait) else gait_points(gait_s),
        chair=_points(chair, _("reise seg fra stol")) if _filled(chair) else chair_points(chair_s),
        side_by_side_s=_seconds(side_by_side_s),
        semi_tandem_s=_seconds(semi_tandem_s),
        tandem_s=_seconds(tandem_s),
        gait_s=_seconds(gait_s),
        chair_s=_seconds(chair_s),
    )


# --- COPM and PSFS


@dataclass(frozen=True)
class Activity:
    label: str
    score: int  # COPM: performance; PSFS: the score
    satisfaction: int | None = None  # COPM only


def _whole(value: Number, low: int, high: int, message: str) -> int:
    number = to_decimal(value)
    if number != number.to_integral_value() or not low <= number <= high:
        raise ScoringError(message)
    return int(number)


def copm_activities(rows: Iterable[tuple[str, Number, Number]]) -> list[Activity]:
    """1–5 activities named by the person, performance and satisfaction 1–10 each."""
    activities = []
    for label, performance, satisfaction in rows:
        name = str(label).strip()
        if not name:
            raise ScoringError(_("Hver aktivitet må ha et navn."))
        message = _("Utførelse og tilfredshet for «%(name)s» må være hele tall fra 1 til 10.") % {
            "name": name
        }
        activities.append(
            Activity(
                name, _whole(performance, 1, 10, message), _whole(satisfaction, 1, 10, message)
            )
        )
    low, high = COPM_ACTIVITIES
    if not low <= len(activities) <= high:
        raise ScoringError(_("COPM må ha fra én til fem aktiviteter."))
    return activities


def copm_scores(activities: list[Activity]) -> tuple[Decimal | None, Decimal | None]:
    """(performance, satisfaction): the means over the activities (None for none).
    copm_activities gives every activity its satisfaction."""
    return (
        mean(activity.score for activity in activities),
        mean(activity.satisfaction for activity in activities if activity.satisfaction is not None),
    )


def psfs_activities(rows: Iterable[tuple[str, Number]]) -> list[Activity]:
    """3–5 activities, each scored 0 (cannot do it) to 10 (as before the problem)."""
    activities = []
    for label, score in rows:
        name = str(label).strip()
        if not name:
            raise ScoringError(_("Hver aktivitet må ha et navn."))
        message = _("Skåren for «%(name)s» må være et helt tall fra 0 til 10.") % {"name": name}
        activities.append(Activity(name, _whole(score, 0, 10, message)))
    low, high = PSFS_ACTIVITIES
    if not low <= len(activities) <= high:
        raise ScoringError(_("PSFS må ha fra tre til fem aktiviteter."))
    return activities


def psfs_score(activities: list[Activity]) -> Decimal | None:
    return mean(activity.score for activity in activities)


# --- Functional variables (IPLOS)


def function_score(scores: Mapping[str, Number]) -> Decimal | None:
    """Mean over the variables scored 1–5; 9 (not relevant) is left out. None when
    every variable is 9. Lower is better."""
    checked = {}
    for code, value in scores.items():
        number = to_decimal(value)
        if number not in FUNCTION_SCORES:
            raise ScoringError(
                _("Skåren må være 1, 2, 3, 4, 5 eller 9 (ikke relevant), ikke %(value)s.")
                % {"value": value}
            )
        checked[code] = int(number)
    if not checked:
        raise ScoringError(_("Gi minst én funksjonsvariabel en skår."))
    return mean(value for value in checked.values() if value != NOT_RELEVANT)
