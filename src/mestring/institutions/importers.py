"""`mestring import units FILE.csv` and `mestring import stays FILE.csv`.

units: `unit,beds,valid_from`. A unit not known by name is created (kind intern);
each row is a capacity from a day, matched on (unit, valid_from).

stays: `person_ref,unit,stay_type,admitted,discharged`. The unit must have bed
capacity (import it with `units` first). Rows are matched on (person, unit, admitted);
a person's stays may not overlap, in the file or with stays already registered.
An open stay (no discharge) gives the unit a care relation to the person.

Both are all or nothing and importing the same file twice changes nothing.
"""

from __future__ import annotations

import datetime
import itertools
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils import timezone

from mestring.access.audit import EventSpec, record_events
from mestring.access.models import AuditPurpose, CareRelation, CareRelationKind
from mestring.core.importing import (
    CHUNK,
    CsvImporter,
    ImportResult,
    RowError,
    fetch_in,
)
from mestring.institutions.models import BedCapacity, Stay, StayType
from mestring.institutions.selectors import overlaps
from mestring.kernel.audit_words import AuditAction
from mestring.people.models import Person, Unit, UnitKind
from mestring.register.importers import persons_by_ref

if TYPE_CHECKING:
    from mestring.access.actor import Actor

MAX_BEDS = 1000
BED = "bed_capacity"
DUPLICATE = "Samme opphold står to ganger."


@dataclass(frozen=True)
class CapacityRow:
    line: int
    unit_name: str
    beds: int
    valid_from: datetime.date


class BedUnitImporter(CsvImporter):
    columns = ("unit", "beds", "valid_from")
    required = ("unit", "beds", "valid_from")

    def parse(self, row: dict[str, str], line: int, errors: list[RowError]) -> CapacityRow | None:
        if len(row["unit"]) > 150:
            errors.append(RowError(line, "unit", "Navnet er lengre enn 150 tegn."))
        beds = self.integer(row["beds"], line, "beds", errors)
        if beds is not None and beds > MAX_BEDS:
            errors.append(RowError(line, "beds", f"Tallet kan ikke være større enn {MAX_BEDS}."))
        valid_from = self.date(row["valid_from"], line, "valid_from", errors)
        if errors or not row["unit"] or beds is None or valid_from is None:
            return None
        return CapacityRow(line, row["unit"], beds, valid_from)

    def check_all(self, parsed: list[tuple[int, CapacityRow]], errors: list[RowError]) -> None:
        seen: dict[tuple[str, datetime.date], CapacityRow] = {}
        for _line, row in parsed:
            key = (row.unit_name.lower(), row.valid_from)
            if key in seen:
                errors.append(
                    RowError(row.line, "valid_from", "Enheten har to sengetall fra samme dag.")
                )
            seen[key] = row

    def write(self, parsed: list[CapacityRow], result: ImportResult) -> None:
        municipality = self.actor.municipality
        units = {u.name.lower(): u for u in Unit.objects.all()}
        existing = {(c.unit_id, c.valid_from): c for c in BedCapacity.objects.all()}
        new_units: dict[str, Unit] = {}
        for row in parsed:
            name = row.unit_name.lower()
            if name not in units and name not in new_units:
                new_units[name] = Unit(
                    municipality=municipality, name=row.unit_name, kind=UnitKind.INTERNAL
                )
        Unit.objects.bulk_create(list(new_units.values()), batch_size=CHUNK)
        units.update(new_units)
        # Decide per row in file order, then write in bulk and audit in the same order.
        to_create: list[BedCapacity] = []
        to_update: list[BedCapacity] = []
        # Per row: what was done to which capacity, or None when it was unchanged.
        outcomes: list[tuple[CapacityRow, tuple[AuditAction, BedCapacity] | None]] = []
        for row in parsed:
            unit = units[row.unit_name.lower()]
            capacity = existing.get((unit.pk, row.valid_from))
            if capacity is None:
                capacity = BedCapacity(
                    municipality=municipality, unit=unit, beds=row.beds, valid_from=row.valid_from
                )
                existing[(unit.pk, row.valid_from)] = capacity
                to_create.append(capacity)
                outcomes.append((row, (AuditAction.IMPORT_CREATE, capacity)))
                result.created += 1
            elif capacity.beds != row.beds:
                capacity.beds = row.beds
                to_update.append(capacity)
                outcomes.append((row, (AuditAction.IMPORT_UPDATE, capacity)))
                result.updated += 1
            else:
                outcomes.append((row, None))
                result.unchanged += 1
        BedCapacity.objects.bulk_create(to_create, batch_size=CHUNK)
        BedCapacity.objects.bulk_update(to_update, ["beds"], batch_size=CHUNK)
        events: list[EventSpec] = []
        admin = AuditPurpose.ADMINISTRATION
        for row, change in outcomes:
            created_unit = new_units.pop(row.unit_name.lower(), None)
            if created_unit is not None:
                events.append(
                    EventSpec(AuditAction.IMPORT_CREATE, "unit", created_unit.pk, purpose=admin)
                )
            if change is not None:
                action, capacity = change
                events.append(EventSpec(action, "bed_capacity", capacity.pk, purpose=admin))
        record_events(actor=self.actor, specs=events)


@dataclass(frozen=True)
class StayRow:
    line: int
    person: Person
    unit: Unit
    stay_type: str
    admitted: datetime.date
    discharged: datetime.date | None


class StayImporter(CsvImporter):
    columns = ("person_ref", "unit", "stay_type", "admitted", "discharged")
    required = ("person_ref", "unit", "stay_type", "admitted")

    def __init__(self, actor: Actor) -> None:
        super().__init__(actor)
        self.persons: dict[str, Person] | None = None
        self.units: dict[str, Unit] = {}
        self.stored: list[Stay] = []

    def prepare(self, rows: list[dict[str, str]] | None) -> None:
        # Once per file: the persons it names and the units with beds.
        self.persons = persons_by_ref(rows)
        institution_ids = BedCapacity.objects.values("unit")
        self.units = {u.name.lower(): u for u in Unit.objects.filter(pk__in=institution_ids)}

    def parse(self, row: dict[str, str], line: int, errors: list[RowError]) -> StayRow | None:
        if self.persons is None:
            self.prepare(None)
        assert self.persons is not None  # prepare() has loaded them
        person = self.persons.get(row["person_ref"])
        if row["person_ref"] and person is None:
            errors.append(RowError(line, "person_ref", "Fant ingen person med denne referansen."))
        unit = self.units.get(row["unit"].lower())
        if row["unit"] and unit is None:
            errors.append(
                RowError(
                    line,
                    "unit",
                    "Fant ingen institusjonsenhet med dette navnet. Enheten må ha sengetall "
                    "(importer den med «units» først).",
                )
            )
        stay_type = None
        if row["stay_type"]:
            stay_type = self.choice(row["stay_type"], StayType.values, line, "stay_type", errors)
        admitted = self.date(row["admitted"], line, "admitted", errors)
        discharged = self.date(row["discharged"], line, "discharged", errors)
        if admitted and discharged and discharged < admitted:
            errors.append(RowError(line, "discharged", "Utskrivningsdatoen er før innleggelsen."))
        if errors or person is None or unit is None or stay_type is None or admitted is None:
            return None
        return StayRow(line, person, unit, stay_type, admitted, discharged)

    def check_all(self, parsed: list[tuple[int, StayRow]], errors: list[RowError]) -> None:
        """A person is in one stay at a time, in the file and the database."""
        by_person: dict[int, list[StayRow]] = defaultdict(list)
        for _line, row in parsed:
            by_person[row.person.pk].append(row)
        existing = defaultdict(list)
        # Kept for write(), which matches the file's rows against the same stays.
        self.stored = fetch_in(Stay.objects.select_related("care_relation"), "person", by_person)
        for stay in self.stored:
            existing[stay.person_id].append(stay)
        for person_id, rows in by_person.items():
            ordered = sorted(rows, key=lambda r: (r.admitted, r.line))
            for first, second in itertools.pairwise(ordered):
                if (first.unit.pk, first.admitted) == (second.unit.pk, second.admitted):
                    errors.append(
                        RowError(second.line, "admitted", "Samme opphold står to ganger.")
                    )
                elif overlaps(first.admitted, first.discharged, second.admitted, second.discharged):
                    errors.append(
                        RowError(
                            second.line,
                            "admitted",
                            "Overlapper med et annet opphold for samme person i filen.",
                        )
                    )
            for row in rows:
                for stay in existing[person_id]:
                    if (stay.unit_id, stay.admitted_on) == (row.unit.pk, row.admitted):
                        continue  # the same stay: matched, not a clash
                    if overlaps(stay.admitted_on, stay.discharged_on, row.admitted, row.discharged):
                        errors.append(
                            RowError(row.line, "admitted", "Overlapper med et registrert opphold.")
                        )

    def write(self, parsed: list[StayRow], result: ImportResult) -> None:
        existing = {(s.person_id, s.unit_id, s.admitted_on): s for s in self.stored}
        municipality = self.actor.municipality
        now = timezone.now()
        outcomes: list[tuple[AuditAction, Stay, Person]] = []
        new_stays: list[Stay] = []
        new_relations: list[CareRelation] = []
        changed_stays: list[Stay] = []
        ended_relations: list[CareRelation] = []
        for row in parsed:
            stay = existing.get((row.person.pk, row.unit.pk, row.admitted))
            if stay is None:
                stay = Stay(
                    municipality=municipality,
                    person=row.person,
                    unit=row.unit,
                    stay_type=row.stay_type,
                    admitted_on=row.admitted,
                    discharged_on=row.discharged,
                )
                if row.discharged is None:
                    # An open stay gives the unit access to the person while it lasts.
                    stay.care_relation = CareRelation(
                        municipality=municipality,
                        person=row.person,
                        unit=row.unit,
                        kind=CareRelationKind.PROVIDER,
                        reason=f"Opphold på {row.unit.name} (importert)",
                        created_by=self.actor.user,
                    )
                    new_relations.append(stay.care_relation)
                new_stays.append(stay)
                result.created += 1
                outcomes.append((AuditAction.IMPORT_CREATE, stay, row.person))
            elif (stay.stay_type, stay.discharged_on) != (row.stay_type, row.discharged):
                stay.stay_type, stay.discharged_on = row.stay_type, row.discharged
                changed_stays.append(stay)
                relation = stay.care_relation
                if row.discharged is not None and relation and relation.valid_to is None:
                    relation.valid_to = max(now, relation.valid_from)
                    ended_relations.append(relation)
                result.updated += 1
                outcomes.append((AuditAction.IMPORT_UPDATE, stay, row.person))
            else:
                result.unchanged += 1
        # First the relations, so each new stay takes its relation's key when saved.
        CareRelation.objects.bulk_create(new_relations, batch_size=CHUNK)
        Stay.objects.bulk_create(new_stays, batch_size=CHUNK)
        Stay.objects.bulk_update(changed_stays, ["stay_type", "discharged_on"], batch_size=CHUNK)
        CareRelation.objects.bulk_update(ended_relations, ["valid_to"], batch_size=CHUNK)
        record_events(
            actor=self.actor,
            specs=[EventSpec(action, "stay", stay.pk, person) for action, stay, person in outcomes],
        )
