"""Reads about outcome measures: thresholds and how a change is judged."""

from __future__ import annotations

from decimal import Decimal

from mestring.outcomes.models import DEFAULT_THRESHOLDS, InstrumentThreshold


def thresholds() -> dict[str, Decimal]:
    """The active municipality's threshold per instrument, defaults filled in."""
    own = dict(InstrumentThreshold.objects.values_list("instrument", "meaningful_change"))
    return {
        instrument: own.get(instrument, default)
        for instrument, default in DEFAULT_THRESHOLDS.items()
    }


def threshold_for(instrument: str) -> Decimal:
    return thresholds()[instrument]


def classify_change(
    start: Decimal | float | int,
    end: Decimal | float | int,
    threshold: Decimal | float | int,
    *,
    higher_is_better: bool = True,
) -> str:
    """ "improved" when the change in the good direction is at least the threshold,
    "worsened" when it is at least the threshold the other way, else "unchanged"."""
    change = Decimal(str(end)) - Decimal(str(start))
    if not higher_is_better:
        change = -change
    limit = Decimal(str(threshold))
    if change >= limit:
        return "improved"
    if change <= -limit:
        return "worsened"
    return "unchanged"
