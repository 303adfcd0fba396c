"""`mestring import episodes FILE.csv --municipality NNNN`.

Columns: person_ref,programme,referral_date,referral_source,assessed_date,assessment,
start_date,end_date,outcome,visits,sppb_start,sppb_end,copm_performance_start,
copm_performance_end.

`programme` is the programme's code or name. `assessment` is aktuell | ikke_aktuell (or
empty: not yet assessed); `outcome` fullfort | avbrutt | empty while running. The
status follows from the stages filled in. `visits` is the number of visits, created as
visit records spread evenly from start to end (no staff). `sppb_*` (0–12) and
`copm_performance_*` (1–10) become observations at time point start / end linked to the
episode, dated the start and end date, with the total only.

Rows are matched on (person, programme, referral_date): importing the same file twice
changes nothing; a changed row updates the episode, its imported visits and measures.
An episode avbrutt while waiting has no start date; a fullført one must have one.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from mestring.access.audit import EventSpec, record_events
from mestring.core.importing import (
    CHUNK,
    CsvImporter,
    ImportResult,
    RowError,
    chunks,
    fetch_in,
)
from mestring.kernel.audit_words import AuditAction
from mestring.outcomes.models import DEFAULT_VERSIONS, Instrument, Observation, TimePoint
from mestring.people.models import Person
from mestring.register.importers import persons_by_ref
from mestring.rehab.models import (
    Episode,
    EpisodeAssessment,
    EpisodeOutcome,
    EpisodeStatus,
    EpisodeStatusChange,
    Programme,
    ReferralSource,
    Visit,
)

MEASURES = (
    ("sppb_start", Instrument.SPPB, TimePoint.START, 0, 12),
    ("sppb_end", Instrument.SPPB, TimePoint.END, 0, 12),
    ("copm_performance_start", Instrument.COPM, TimePoint.START, 1, 10),
    ("copm_performance_end", Instrument.COPM, TimePoint.END, 1, 10),
)
EPISODE_FIELDS = (
    "referral_source",
    "assessed_on",
    "assessment",
    "start_date",
    "end_date",
    "outcome",
    "status",
)


@dataclass(frozen=True)
class EpisodeRow:
    line: int
    person: Person
    programme: Programme
    referral_date: datetime.date
    referral_source: str
    assessed_on: datetime.date | None
    assessment: str
    start_date: datetime.date | None
    end_date: datetime.date | None
    outcome: str
    visits: int | None
    measures: tuple[tuple[str, str, Decimal], ...]  # (instrument, time point, total)

    @property
    def status(self) -> str:
        if self.outcome:
            return self.outcome  # the outcome codes are also the final statuses
        if self.start_date:
            return EpisodeStatus.ACTIVE
        if self.assessment == EpisodeAssessment.NOT_RELEVANT:
            return EpisodeStatus.NOT_RELEVANT
        if self.assessment == EpisodeAssessment.RELEVANT:
            return EpisodeStatus.WAITING
        return EpisodeStatus.REFERRED

    def steps(self) -> list[str]:
        """The statuses the episode went through, in order."""
        if self.assessment == EpisodeAssessment.NOT_RELEVANT:
            return [EpisodeStatus.REFERRED, EpisodeStatus.NOT_RELEVANT]
        steps = [EpisodeStatus.REFERRED]
        if self.assessment:
            steps.append(EpisodeStatus.WAITING)
        if self.start_date:
            steps.append(EpisodeStatus.ACTIVE)
        if self.outcome:
            steps.append(self.outcome)
        return steps

    def visit_dates(self) -> list[datetime.date]:
        count = self.visits or 0
        if not count or self.start_date is None:
            return []
        last = self.end_date or self.start_date
        span = (last - self.start_date).days
        if count == 1:
            return [self.start_date]
        return [
            self.start_date + datetime.timedelta(days=span * i // (count - 1)) for i in range(count)
        ]


class EpisodeImporter(CsvImporter):
    columns = (
        "person_ref",
        "programme",
        "referral_date",
        "referral_source",
        "assessed_date",
        "assessment",
        "start_date",
        "end_date",
        "outcome",
        "visits",
        "sppb_start",
        "sppb_end",
        "copm_performance_start",
        "copm_performance_end",
    )
    required = ("person_ref", "programme", "referral_date", "referral_source")

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.persons: dict[str, Person] | None = None
        self.programmes: dict[str, Programme] = {}

    def prepare(self, rows: list[dict[str, str]] | None) -> None:
        # Once per file: the persons it names and the programmes.
        self.persons = persons_by_ref(rows)
        programmes = list(Programme.objects.all())
        for programme in programmes:
            self.programmes[programme.name.lower()] = programme
        for programme in programmes:
            self.programmes[programme.code.lower()] = programme

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
        if number.as_tuple().exponent < -2:
            errors.append(RowError(line, column, "Skåren kan ha høyst to desimaler."))
            return None
        return number

    def parse(self, row: dict[str, str], line: int, errors: list[RowError]) -> EpisodeRow | None:
        if self.persons is None:
            self.prepare(None)
        person = self.persons.get(row["person_ref"])
        if row["person_ref"] and person is None:
            errors.append(RowError(line, "person_ref", "Fant ingen person med denne referansen."))
        programme = self.programmes.get(row["programme"].lower())
        if row["programme"] and programme is None:
            errors.append(RowError(line, "programme", "Fant ikke programmet."))
        source = (
            self.choice(
                row["referral_source"], ReferralSource.values, line, "referral_source", errors
            )
            if row["referral_source"]
            else None
        )
        referral = self.date(row["referral_date"], line, "referral_date", errors)
        assessed = self.date(row["assessed_date"], line, "assessed_date", errors)
        start = self.date(row["start_date"], line, "start_date", errors)
        end = self.date(row["end_date"], line, "end_date", errors)
        assessment = row["assessment"]
        if assessment:
            assessment = self.choice(
                assessment, EpisodeAssessment.values, line, "assessment", errors
            )
        outcome = row["outcome"]
        if outcome:
            outcome = self.choice(outcome, EpisodeOutcome.values, line, "outcome", errors)
        visits = self.integer(row["visits"], line, "visits", errors)
        if visits is not None and visits > 500:
            errors.append(RowError(line, "visits", "Høyst 500 besøk per forløp."))
        measures = []
        for column, instrument, time_point, low, high in MEASURES:
            value = self._score(row[column], line, column, low, high, errors)
            if value is not None:
                measures.append((column, instrument, time_point, value))
        if errors:
            return None
        self._consistency(
            line, referral, assessed, assessment, start, end, outcome, visits, measures, errors
        )
        if errors or person is None or programme is None or referral is None or source is None:
            return None
        return EpisodeRow(
            line,
            person,
            programme,
            referral,
            source,
            assessed,
            assessment or "",
            start,
            end,
            outcome or "",
            visits,
            tuple((instrument, tp, value) for _c, instrument, tp, value in measures),
        )

    @staticmethod
    def _consistency(
        line: int,
        referral: datetime.date | None,
        assessed: datetime.date | None,
        assessment: str,
        start: datetime.date | None,
        end: datetime.date | None,
        outcome: str,
        visits: int | None,
        measures: list,
        errors: list[RowError],
    ) -> None:
        def error(column: str, message: str) -> None:
            errors.append(RowError(line, column, message))

        if assessed and not assessment:
            error("assessment", "Vurderingsdato uten vurdering: skriv aktuell eller ikke_aktuell.")
        if assessment and not assessed:
            error("assessed_date", "Vurderingen mangler dato.")
        if referral and assessed and assessed < referral:
            error("assessed_date", "Vurderingen er før henvisningsdatoen.")
        if start and assessment != EpisodeAssessment.RELEVANT:
            error("start_date", "Bare forløp vurdert som aktuelle kan starte.")
        if start and referral and start < referral:
            error("start_date", "Oppstarten er før henvisningsdatoen.")
        if start and assessed and start < assessed:
            error("start_date", "Oppstarten er før vurderingen.")
        if outcome and assessment != EpisodeAssessment.RELEVANT:
            error("outcome", "Bare forløp vurdert som aktuelle kan ha resultat.")
        if outcome == EpisodeOutcome.COMPLETED and not start:
            error("outcome", "Et fullført forløp må ha startdato.")
        if outcome and not end:
            error("end_date", "Et avsluttet forløp må ha sluttdato.")
        if end and not outcome:
            error("outcome", "Sluttdato uten resultat: skriv fullfort eller avbrutt.")
        earliest = start or assessed or referral
        if end and earliest and end < earliest:
            error("end_date", "Sluttdatoen er før oppstarten.")
        if visits and not start:
            error("visits", "Besøk krever startdato.")
        for column, _instrument, time_point, _value in measures:
            if time_point == TimePoint.START and not start:
                error(column, "Måling ved oppstart krever startdato.")
            if time_point == TimePoint.END and not end:
                error(column, "Måling ved avslutning krever sluttdato.")

    def check_all(self, parsed: list[tuple[int, EpisodeRow]], errors: list[RowError]) -> None:
        seen: dict[tuple[int, int, datetime.date], int] = {}
        for line, row in parsed:
            key = (row.person.pk, row.programme.pk, row.referral_date)
            if key in seen:
                errors.append(
                    RowError(line, "referral_date", f"Samme forløp står også på rad {seen[key]}.")
                )
            seen[key] = line

    def write(self, parsed: list[EpisodeRow], result: ImportResult) -> None:
        municipality = self.actor.municipality
        existing = {
            (e.person_id, e.programme_id, e.referral_date): e
            for e in fetch_in(Episode.objects, "person", [r.person.pk for r in parsed])
        }
        matched = [
            episode
            for row in parsed
            if (episode := existing.get((row.person.pk, row.programme.pk, row.referral_date)))
        ]
        # The imported visits (no staff) and the measures of the episodes matched, by episode.
        visits: dict[int, list[Visit]] = defaultdict(list)
        for visit in fetch_in(
            Visit.objects.filter(staff__isnull=True), "episode", [e.pk for e in matched]
        ):
            visits[visit.episode_id].append(visit)
        measures: dict[tuple[int, str, str], Observation] = {}
        found = fetch_in(Observation.objects.order_by(), "episode", [e.pk for e in matched])
        for observation in sorted(found, key=lambda o: (o.observed_on, o.pk), reverse=True):
            # The first by the model's order wins, as .first() did.
            key = (observation.episode_id, observation.instrument, observation.time_point)
            measures[key] = observation

        new_episodes: list[Episode] = []
        changed_episodes: list[Episode] = []
        history: list[tuple[Episode, list[str], str]] = []
        stale_visits: list[int] = []
        new_visits: list[tuple[Episode, list[datetime.date]]] = []
        new_measures: list[tuple[Episode, EpisodeRow, str, str, Decimal, datetime.date]] = []
        changed_measures: list[Observation] = []
        outcomes: list[tuple[str, Episode, Person]] = []
        for row in parsed:
            episode = existing.get((row.person.pk, row.programme.pk, row.referral_date))
            if episode is None:
                episode = Episode(
                    municipality=municipality,
                    person=row.person,
                    programme=row.programme,
                    referral_date=row.referral_date,
                    **{name: getattr(row, name) for name in EPISODE_FIELDS},
                )
                new_episodes.append(episode)
                history.append((episode, row.steps(), ""))
                changed = True
                action = AuditAction.IMPORT_CREATE
                result.created += 1
            else:
                changed = False
                if any(getattr(episode, name) != getattr(row, name) for name in EPISODE_FIELDS):
                    if episode.status != row.status:
                        history.append((episode, [row.status], episode.status))
                    for name in EPISODE_FIELDS:
                        setattr(episode, name, getattr(row, name))
                    changed_episodes.append(episode)
                    changed = True
                action = AuditAction.IMPORT_UPDATE
            # The imported visits are made to match the file's number.
            if row.visits is not None:
                wanted = row.visit_dates()
                imported = visits.get(episode.pk, []) if episode.pk else []
                if sorted(v.visited_on for v in imported) != wanted:
                    stale_visits.extend(v.pk for v in imported)
                    new_visits.append((episode, wanted))
                    changed = True
            for instrument, time_point, total in row.measures:
                day = row.start_date if time_point == TimePoint.START else row.end_date
                observation = measures.get((episode.pk, instrument, time_point))
                if observation is None:
                    new_measures.append((episode, row, instrument, time_point, total, day))
                    changed = True
                elif observation.total != total or observation.observed_on != day:
                    observation.total, observation.observed_on = total, day
                    changed_measures.append(observation)
                    changed = True
            if action == AuditAction.IMPORT_UPDATE:
                if changed:
                    result.updated += 1
                else:
                    result.unchanged += 1
            if changed:
                outcomes.append((action, episode, row.person))

        Episode.objects.bulk_create(new_episodes, batch_size=CHUNK)
        Episode.objects.bulk_update(changed_episodes, list(EPISODE_FIELDS), batch_size=CHUNK)
        EpisodeStatusChange.objects.bulk_create(
            [
                change
                for episode, steps, previous in history
                for change in self._history(episode, steps, previous)
            ],
            batch_size=CHUNK,
        )
        for part in chunks(stale_visits):
            Visit.objects.filter(pk__in=part).delete()
        Visit.objects.bulk_create(
            [
                Visit(municipality=municipality, episode=episode, visited_on=day)
                for episode, days in new_visits
                for day in days
            ],
            batch_size=CHUNK,
        )
        Observation.objects.bulk_create(
            [
                Observation(
                    municipality=municipality,
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
                for episode, row, instrument, time_point, total, day in new_measures
            ],
            batch_size=CHUNK,
        )
        Observation.objects.bulk_update(
            changed_measures, ["total", "observed_on"], batch_size=CHUNK
        )
        record_events(
            actor=self.actor,
            specs=[
                EventSpec(action, "episode", episode.pk, person)
                for action, episode, person in outcomes
            ],
        )

    def _history(
        self, episode: Episode, steps: list[str], previous: str
    ) -> list[EpisodeStatusChange]:
        changes = []
        for step in steps:
            changes.append(
                EpisodeStatusChange(
                    municipality_id=episode.municipality_id,
                    episode=episode,
                    from_status=previous,
                    to_status=step,
                    reason="Importert",
                    changed_by=self.actor.user,
                )
            )
            previous = step
        return changes
