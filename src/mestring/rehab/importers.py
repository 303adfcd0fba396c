"""Rehabilitation episodes from a CSV file: the episode's own columns.

Columns: person_ref,programme,referral_date,referral_source,assessed_date,assessment,
start_date,end_date,outcome,visits.

`programme` is the programme's code or name. `assessment` is aktuell | ikke_aktuell (or
empty: not yet assessed); `outcome` fullfort | avbrutt | empty while running. The
status follows from the stages filled in. `visits` is the number of visits, created as
visit records spread evenly from start to end (no staff).

Rows are matched on (person, programme, referral_date): importing the same file twice
changes nothing; a changed row updates the episode and its imported visits.
An episode avbrutt while waiting has no start date; a fullført one must have one.

The file `mestring import episodes` reads also holds the measures at start and end.
Those belong to the outcomes app, which stands above rehab: its subclass
(outcomes.importers) adds their columns through the `*_more` hooks below, and is the
importer registered.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from typing import Any, ClassVar

from mestring.access.actor import Actor
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
    more: tuple[Any, ...] = ()  # what a subclass's further columns hold

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
        steps: list[str] = [EpisodeStatus.REFERRED]
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
    columns: ClassVar[tuple[str, ...]] = (
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
    )
    required = ("person_ref", "programme", "referral_date", "referral_source")

    def __init__(self, actor: Actor) -> None:
        super().__init__(actor)
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

    def parse(self, row: dict[str, str], line: int, errors: list[RowError]) -> EpisodeRow | None:
        if self.persons is None:
            self.prepare(None)
        assert self.persons is not None, "prepare() loads the persons"
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
        # A value not allowed becomes "" with its error, and the row is then refused.
        assessment = row["assessment"]
        if assessment:
            assessment = (
                self.choice(assessment, EpisodeAssessment.values, line, "assessment", errors) or ""
            )
        outcome = row["outcome"]
        if outcome:
            outcome = self.choice(outcome, EpisodeOutcome.values, line, "outcome", errors) or ""
        visits = self.integer(row["visits"], line, "visits", errors)
        if visits is not None and visits > 500:
            errors.append(RowError(line, "visits", "Høyst 500 besøk per forløp."))
        more = self.parse_more(row, line, errors)
        if errors:
            return None
        self._consistency(line, referral, assessed, assessment, start, end, outcome, visits, errors)
        self.check_more(line, start, end, more, errors)
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
            more,
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

    # Hooks for further columns about each episode (a subclass's); none here.

    def parse_more(self, row: dict[str, str], line: int, errors: list[RowError]) -> tuple[Any, ...]:
        """The further columns of one row, kept in EpisodeRow.more; errors as parse()."""
        return ()

    def check_more(
        self,
        line: int,
        start: datetime.date | None,
        end: datetime.date | None,
        more: tuple[Any, ...],
        errors: list[RowError],
    ) -> None:
        """The further columns against the episode's dates, once the row has no errors."""

    def load_more(self, matched: list[Episode]) -> None:
        """Before the rows are compared: what the further columns hold already for the
        episodes the file matches, in a number of queries that does not grow per row."""

    def compare_more(self, episode: Episode, row: EpisodeRow) -> bool:
        """Note what the row's further columns change for the episode (not saved yet when
        new); True when they change anything."""
        return False

    def write_more(self) -> None:
        """Write what compare_more noted, in bulk, once the episodes are saved."""

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
        # The imported visits (no staff) of the episodes matched, by episode, and what a
        # subclass's columns compare with.
        visits: dict[int, list[Visit]] = defaultdict(list)
        for visit in fetch_in(
            Visit.objects.filter(staff__isnull=True), "episode", [e.pk for e in matched]
        ):
            visits[visit.episode_id].append(visit)
        self.load_more(matched)

        new_episodes: list[Episode] = []
        changed_episodes: list[Episode] = []
        history: list[tuple[Episode, list[str], str]] = []
        stale_visits: list[int] = []
        new_visits: list[tuple[Episode, list[datetime.date]]] = []
        outcomes: list[tuple[AuditAction, Episode, Person]] = []
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
            if self.compare_more(episode, row):
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
        self.write_more()
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
