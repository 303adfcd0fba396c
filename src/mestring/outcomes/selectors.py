"""Reads about outcome measures: thresholds and how a change is judged."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mestring.outcomes import charts
from mestring.outcomes.models import (
    DEFAULT_THRESHOLDS,
    Instrument,
    InstrumentThreshold,
    Observation,
)
from mestring.people.models import Person
from mestring.rehab.models import Episode


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


# --- A person's measures over time


# The scale of each instrument's score, for the chart's axis.
SCALES: dict[str, tuple[int, int]] = {
    Instrument.SPPB: (0, 12),
    Instrument.COPM: (1, 10),
    Instrument.PSFS: (0, 10),
    Instrument.FUNCTION: (1, 5),
}

JUDGEMENTS = {
    "improved": gettext_lazy("Meningsfull bedring"),
    "worsened": gettext_lazy("Meningsfull forverring"),
    "unchanged": gettext_lazy("Ingen meningsfull endring"),
}


@dataclass
class SeriesRow:
    observation: Observation
    change_previous: Decimal | None = None
    change_start: Decimal | None = None
    judgement: str = ""  # improved / worsened / unchanged, of the change from the first

    @property
    def judgement_text(self) -> str:
        return str(JUDGEMENTS.get(self.judgement, ""))


@dataclass
class Series:
    instrument: str
    label: str
    threshold: Decimal
    rows: list[SeriesRow] = field(default_factory=list)

    @property
    def higher_is_better(self) -> bool:
        return self.rows[-1].observation.higher_is_better if self.rows else True

    @property
    def has_secondary(self) -> bool:
        return self.instrument == Instrument.COPM

    @property
    def chart(self) -> SafeString:
        low, high = SCALES[self.instrument]
        scored = _scored(self.rows)
        lines = [
            charts.Line(
                str(_("Utførelse")) if self.has_secondary else str(_("Skår")),
                [(o.observed_on, total) for o, total in scored],
            )
        ]
        if self.has_secondary:
            lines.append(
                charts.Line(
                    str(_("Tilfredshet")),
                    [
                        (o.observed_on, o.total_secondary)
                        for o, _total in scored
                        if o.total_secondary
                    ],
                    dashed=True,
                )
            )
        direction = _("høyere er bedre") if self.higher_is_better else _("lavere er bedre")
        label = _(
            "Linjediagram over %(instrument)s, skala %(low)s til %(high)s, %(direction)s: "
            "%(count)s målinger. Tallene står i tabellen."
        ) % {
            "instrument": self.label,
            "low": low,
            "high": high,
            "direction": direction,
            "count": len(scored),
        }
        return charts.line_chart(lines, low=low, high=high, label=label)


def _scored(rows: list[SeriesRow]) -> list[tuple[Observation, Decimal]]:
    """The rows' observations that have a total, each with it."""
    return [
        (row.observation, total) for row in rows if (total := row.observation.total) is not None
    ]


def person_observations(person: Person) -> QuerySet[Observation]:
    return (
        Observation.objects.filter(person=person)
        .select_related("episode__programme")
        .order_by("observed_on", "pk")
    )


def series_of(observations: list[Observation], limits: dict[str, Decimal]) -> list[Series]:
    """One series per instrument (in the order of Instrument), each observation with its
    change from the previous and from the first, judged against the threshold."""
    by_instrument: dict[str, Series] = {}
    for instrument, label in Instrument.choices:
        by_instrument[instrument] = Series(instrument, str(label), limits[instrument])
    for observation in observations:
        series = by_instrument[observation.instrument]
        row = SeriesRow(observation)
        scored = _scored(series.rows)
        total = observation.total
        if total is not None and scored:
            first, previous = scored[0][1], scored[-1][1]
            row.change_previous = total - previous
            row.change_start = total - first
            row.judgement = classify_change(
                first,
                total,
                series.threshold,
                higher_is_better=observation.higher_is_better,
            )
        series.rows.append(row)
    return [series for series in by_instrument.values() if series.rows]


def person_series(person: Person) -> list[Series]:
    """The person's measures per instrument; two queries whatever their number."""
    return series_of(list(person_observations(person)), thresholds())


def observation_for_page(person: Person, observation_id: int) -> Observation | None:
    return (
        Observation.objects.filter(person=person, pk=observation_id)
        .select_related("episode__programme", "recorded_by")
        .prefetch_related("items")
        .first()
    )


def episode_observations(episode: Episode) -> list[Observation]:
    """An episode's measures, oldest first, for `outcomes/_episode_measures.html`."""
    return list(Observation.objects.filter(episode=episode).order_by("observed_on", "pk"))


def person_episodes(person: Person) -> QuerySet[Episode]:
    return Episode.objects.filter(person=person).select_related("programme")
