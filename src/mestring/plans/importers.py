"""`mestring import plans FILE.csv --municipality NNNN`.

Columns: person_ref,responsible_unit,coordinator_ref,consent_date,start_date,end_date.
A row makes (or finds) the consent, the plan and, with a coordinator, the coordinator
assignment. `responsible_unit` is a unit name, created if unknown; `coordinator_ref`
is the coordinator's user name (or HPR number) and may be empty, like `end_date`.
Rows are matched on (person, start_date), so importing the same file twice changes
nothing.
"""

from __future__ import annotations

import datetime
import itertools
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from mestring.access.audit import EventSpec, record_events
from mestring.access.models import CareRelation, CareRelationKind, Consent, ConsentKind
from mestring.core.importing import CsvImporter, ImportResult, RowError
from mestring.people.models import Person, Staff, Unit, UnitKind
from mestring.plans.models import (
    CoordinatorAssignment,
    CoordinatorProfile,
    IndividualPlan,
    PlanRevision,
    PlanStatus,
)


@dataclass(frozen=True)
class PlanRow:
    line: int
    person: Person
    unit_name: str
    coordinator: Staff | None
    consent_date: datetime.date
    start_date: datetime.date
    end_date: datetime.date | None


class PlanImporter(CsvImporter):
    columns = (
        "person_ref",
        "responsible_unit",
        "coordinator_ref",
        "consent_date",
        "start_date",
        "end_date",
    )
    required = ("person_ref", "responsible_unit", "consent_date", "start_date")

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.persons: dict[str, Person] | None = None
        self.staff: dict[str, Staff] | None = None

    def _lookups(self) -> None:
        # Loaded once, so parsing a large file costs two queries, not two per row.
        self.persons = {p.person_ref: p for p in Person.objects.exclude(person_ref="")}
        self.staff = {}
        for member in Staff.objects.select_related("user"):
            self.staff[member.user.username.lower()] = member
            if member.hpr_number:
                self.staff.setdefault(member.hpr_number, member)

    def parse(self, row: dict[str, str], line: int, errors: list[RowError]) -> PlanRow | None:
        if self.persons is None:
            self._lookups()
        person = self.persons.get(row["person_ref"])
        if row["person_ref"] and person is None:
            errors.append(RowError(line, "person_ref", "Fant ingen person med denne referansen."))
        coordinator = None
        if row["coordinator_ref"]:
            coordinator = self.staff.get(row["coordinator_ref"].lower())
            if coordinator is None:
                errors.append(
                    RowError(line, "coordinator_ref", "Fant ingen ansatt med dette brukernavnet.")
                )
        if len(row["responsible_unit"]) > 150:
            errors.append(RowError(line, "responsible_unit", "Navnet er lengre enn 150 tegn."))
        consent_date = self.date(row["consent_date"], line, "consent_date", errors)
        start = self.date(row["start_date"], line, "start_date", errors)
        end = self.date(row["end_date"], line, "end_date", errors)
        if start and end and end < start:
            errors.append(RowError(line, "end_date", "Sluttdatoen er før startdatoen."))
        if consent_date and start and consent_date > start:
            errors.append(
                RowError(line, "consent_date", "Samtykket må være gitt før planen starter.")
            )
        if errors or person is None or consent_date is None or start is None:
            return None
        return PlanRow(line, person, row["responsible_unit"], coordinator, consent_date, start, end)

    def check_all(self, parsed: list[tuple[int, PlanRow]], errors: list[RowError]) -> None:
        """A person has at most one plan in force at a time, in the file and the database."""
        rows = [row for _line, row in parsed]
        by_person: dict[int, list[PlanRow]] = defaultdict(list)
        for row in rows:
            by_person[row.person.pk].append(row)
        existing = defaultdict(list)
        for plan in IndividualPlan.objects.filter(person__in=list(by_person)):
            existing[plan.person_id].append((plan.start_date, plan.end_date))
        for person_id, person_rows in by_person.items():
            periods = sorted(person_rows, key=lambda r: r.start_date)
            for first, second in itertools.pairwise(periods):
                if first.start_date == second.start_date:
                    errors.append(RowError(second.line, "start_date", "Samme plan står to ganger."))
                elif first.end_date is None or first.end_date >= second.start_date:
                    errors.append(
                        RowError(second.line, "start_date", "Overlapper med en annen plan i filen.")
                    )
            for row in person_rows:
                for start, end in existing[person_id]:
                    if start == row.start_date:
                        continue  # the same plan: matched, not a clash
                    if start <= (row.end_date or datetime.date.max) and (
                        end is None or end >= row.start_date
                    ):
                        errors.append(
                            RowError(row.line, "start_date", "Overlapper med en registrert plan.")
                        )

    def write(self, parsed: list[PlanRow], result: ImportResult) -> None:
        today = timezone.localdate()
        units = {u.name.lower(): u for u in Unit.objects.all()}
        existing = {
            (p.person_id, p.start_date): p
            for p in IndividualPlan.objects.filter(person__in=[r.person for r in parsed])
        }
        events: list[EventSpec] = []
        for row in parsed:
            unit = units.get(row.unit_name.lower())
            if unit is None:
                unit = Unit.objects.create(name=row.unit_name, kind=UnitKind.INTERNAL)
                units[unit.name.lower()] = unit
            plan = existing.get((row.person.pk, row.start_date))
            closed = row.end_date is not None and row.end_date < today
            if plan is None:
                consent = Consent.objects.create(
                    person=row.person,
                    kind=ConsentKind.INDIVIDUAL_PLAN,
                    scope="Individuell plan (importert)",
                    given_by="personen",
                    given_on=row.consent_date,
                    recorded_by=self.actor.user,
                )
                plan = IndividualPlan.objects.create(
                    person=row.person,
                    consent=consent,
                    responsible_unit=unit,
                    start_date=row.start_date,
                    end_date=row.end_date,
                    status=PlanStatus.CLOSED if closed else PlanStatus.ACTIVE,
                    closed_on=row.end_date if closed else None,
                )
                PlanRevision.objects.create(
                    plan=plan, number=1, snapshot={"imported": True}, summary="Importert"
                )
                result.created += 1
                events.append(EventSpec("import_create", "individual_plan", plan.pk, row.person))
            elif plan.responsible_unit_id != unit.pk or plan.end_date != row.end_date:
                plan.responsible_unit, plan.end_date = unit, row.end_date
                plan.status = PlanStatus.CLOSED if closed else PlanStatus.ACTIVE
                plan.closed_on = row.end_date if closed else None
                plan.save(update_fields=["responsible_unit", "end_date", "status", "closed_on"])
                result.updated += 1
                events.append(EventSpec("import_update", "individual_plan", plan.pk, row.person))
            else:
                result.unchanged += 1
            if row.coordinator is not None:
                self._coordinator(row, events)
        record_events(actor=self.actor, specs=events)

    def _coordinator(self, row: PlanRow, events: list[EventSpec]) -> None:
        CoordinatorProfile.objects.get_or_create(staff=row.coordinator)
        assignment = CoordinatorAssignment.objects.filter(
            Q(started_on=row.start_date), person=row.person, coordinator=row.coordinator
        ).first()
        if assignment is not None:
            return
        today = timezone.localdate()
        ended = row.end_date if row.end_date is not None and row.end_date < today else None
        if ended is None:
            CoordinatorAssignment.objects.filter(person=row.person, ended_on__isnull=True).update(
                ended_on=row.start_date
            )
        assignment = CoordinatorAssignment.objects.create(
            person=row.person,
            coordinator=row.coordinator,
            started_on=row.start_date,
            ended_on=ended,
        )
        if ended is None:
            CareRelation.objects.create(
                person=row.person,
                staff=row.coordinator,
                kind=CareRelationKind.COORDINATOR,
                reason="Koordinator (importert)",
                created_by=self.actor.user,
            )
        events.append(
            EventSpec("import_create", "coordinator_assignment", assignment.pk, row.person)
        )
