"""`mestring import episodes FILE.csv --municipality NNNN`: episodes with their measures.

Columns: person_ref,programme,referral_date,referral_source,assessed_date,assessment,
start_date,end_date,outcome,visits,sppb_start,sppb_end,copm_performance_start,
copm_performance_end.

The episode's own columns are rehab's (rehab.importers). `sppb_*` (0–12) and
`copm_performance_*` (1–10) become observations at time point start / end linked to the
episode, dated the start and end date, with the total only. A changed row updates the
episode, its imported visits and measures; importing the same file twice changes
nothing.
"""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from mestring.access.actor import Actor
from mestring.core.importing import CHUNK, RowError, fetch_in
from mestring.outcomes.models import DEFAULT_VERSIONS, Instrument, Observation, TimePoint
from mestring.rehab.importers import EpisodeImporter as EpisodeOnlyImporter
from mestring.rehab.importers import EpisodeRow
from mestring.rehab.models import Episode

# column, instrument, time point, lowest and highest score
MEASURES = (
    ("sppb_start", Instrument.SPPB, TimePoint.START, 0, 12),
    ("sppb_end", Instrument.SPPB, TimePoint.END, 0, 12),
    ("copm_performance_start", Instrument.COPM, TimePoint.START, 1, 10),
    ("copm_performance_end", Instrument.COPM, TimePoint.END, 1, 10),
)

# A measure of a row: (column, instrument, time point, total).
Measure = tuple[str, str, str, Decimal]


class EpisodeImporter(EpisodeOnlyImporter):
    columns = (*EpisodeOnlyImporter.columns, *(column for column, *_rest in MEASURES))

    def __init__(self, actor: Actor) -> None:
        super().__init__(actor)
        self.measures: dict[tuple[int, str, str], Observation] = {}
        self.new_measures: list[tuple[Episode, EpisodeRow, Measure, datetime.date]] = []
        self.changed_measures: list[Observation] = []

    @staticmethod
    def _score(
        value: str, line: int, column: str, low: int, high: int, errors: list[RowError]
    ) -> Decimal | None:
        if not value:
            return None
        try:
            number = Decimal(value.replace(",", "."))
        except InvalidOperation:
            errors.append(RowError(line, column, f"«{value}» er ikke et tall."))
            return None
        if not number.is_finite() or not low <= number <= high:
            errors.append(RowError(line, column, f"Skåren må være fra {low} til {high}."))
            return None
        if column.startswith("sppb") and number != number.to_integral_value():
            errors.append(RowError(line, column, "SPPB-skåren må være et helt tall."))
            return None
        exponent = number.as_tuple().exponent  # a number, as the value is finite
        if isinstance(exponent, int) and exponent < -2:
            errors.append(RowError(line, column, "Skåren kan ha høyst to desimaler."))
            return None
        return number

    def parse_more(self, row: dict[str, str], line: int, errors: list[RowError]) -> tuple[Any, ...]:
        measures = []
        for column, instrument, time_point, low, high in MEASURES:
            value = self._score(row[column], line, column, low, high, errors)
            if value is not None:
                measures.append((column, instrument, time_point, value))
        return tuple(measures)

    def check_more(
        self,
        line: int,
        start: datetime.date | None,
        end: datetime.date | None,
        more: tuple[Any, ...],
        errors: list[RowError],
    ) -> None:
        for column, _instrument, time_point, _value in more:
            if time_point == TimePoint.START and not start:
                errors.append(RowError(line, column, "Måling ved oppstart krever startdato."))
            if time_point == TimePoint.END and not end:
                errors.append(RowError(line, column, "Måling ved avslutning krever sluttdato."))

    def load_more(self, matched: list[Episode]) -> None:
        self.measures = {}
        self.new_measures = []
        self.changed_measures = []
        found = fetch_in(Observation.objects.order_by(), "episode", [e.pk for e in matched])
        for observation in sorted(found, key=lambda o: (o.observed_on, o.pk), reverse=True):
            # The first by the model's order wins, as .first() did.
            key = (observation.episode_id, observation.instrument, observation.time_point)
            self.measures[key] = observation

    def compare_more(self, episode: Episode, row: EpisodeRow) -> bool:
        changed = False
        for measure in row.more:
            _column, instrument, time_point, total = measure
            day = row.start_date if time_point == TimePoint.START else row.end_date
            assert day is not None  # check_more refused a measure without its date
            observation = self.measures.get((episode.pk, instrument, time_point))
            if observation is None:
                self.new_measures.append((episode, row, measure, day))
                changed = True
            elif observation.total != total or observation.observed_on != day:
                observation.total, observation.observed_on = total, day
                self.changed_measures.append(observation)
                changed = True
        return changed

    def write_more(self) -> None:
        Observation.objects.bulk_create(
            [
                Observation(
                    municipality=self.actor.municipality,
                    person=row.person,
                    episode=episode,
                    instrument=instrument,
                    version=DEFAULT_VERSIONS[instrument],
                    observed_on=day,
                    time_point=time_point,
                    total=total,
                    higher_is_better=True,
                    note="Importert",
                )
                for episode, row, (_column, instrument, time_point, total), day in (
                    self.new_measures
                )
            ],
            batch_size=CHUNK,
        )
        Observation.objects.bulk_update(
            self.changed_measures, ["total", "observed_on"], batch_size=CHUNK
        )
