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

from django.utils import timezone

from mestring.access.actor import Actor
from mestring.access.audit import EventSpec, record_events
from mestring.access.models import CareRelation, CareRelationKind, Consent, ConsentKind
from mestring.accounts.models import User
from mestring.core.importing import (
    CHUNK,
    CsvImporter,
    ImportResult,
    RowError,
    fetch_in,
)
from mestring.kernel.audit_words import AuditAction
from mestring.people.models import Person, Staff, Unit, UnitKind
from mestring.plans.models import (
    CoordinatorAssignment,
    CoordinatorProfile,
    IndividualPlan,
    PlanRevision,
    PlanStatus,
    PlanStatusChange,
)
from mestring.register.importers import persons_by_ref
from mestring.tenancy.models import Municipality


@dataclass(frozen=True)
class PlanRow:
    line: int
    person: Person
    unit_name: str
    coordinator: Staff | None
    consent_date: datetime.date
    start_date: datetime.date
    end_date: datetime.date | None


def _lookups(rows: list[dict[str, str]] | None) -> tuple[dict[str, Person], dict[str, Staff]]:
    """Once per file: the persons it names, and staff by user name and HPR number."""
    persons = persons_by_ref(rows)
    staff: dict[str, Staff] = {}
    for member in Staff.objects.select_related("user"):
        staff[member.user.username.lower()] = member
        if member.hpr_number:
            staff.setdefault(member.hpr_number, member)
    return persons, staff


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

    def __init__(self, actor: Actor) -> None:
        super().__init__(actor)
        self.persons: dict[str, Person] | None = None
        self.staff: dict[str, Staff] | None = None
        self.stored: list[IndividualPlan] = []

    def prepare(self, rows: list[dict[str, str]] | None) -> None:
        self.persons, self.staff = _lookups(rows)

    def parse(self, row: dict[str, str], line: int, errors: list[RowError]) -> PlanRow | None:
        if self.persons is None or self.staff is None:
            self.persons, self.staff = _lookups(None)
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
        # Kept for write(), which matches the file's rows against the same plans.
        self.stored = fetch_in(IndividualPlan.objects, "person", by_person)
        for plan in self.stored:
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
        municipality = self.actor.municipality
        user = self.actor.user
        today = timezone.localdate()
        units = {u.name.lower(): u for u in Unit.objects.all()}
        existing = {(p.person_id, p.start_date): p for p in self.stored}
        new_units: list[Unit] = []
        new_plans: list[IndividualPlan] = []
        changed_plans: list[IndividualPlan] = []
        # The file is the source system's word on each plan, so its status is taken as
        # given (a plan may open again) rather than moved by the table; the history
        # still gets one row per change: (plan, status before, or "" for a new plan).
        moves: list[tuple[IndividualPlan, str]] = []
        # Per row: the plan's action (or "") and the coordinator assignment it made.
        outcomes: list[
            tuple[AuditAction | None, IndividualPlan, CoordinatorAssignment | None, Person]
        ] = []
        assignments = self._assignments(parsed)
        for row in parsed:
            unit = units.get(row.unit_name.lower())
            if unit is None:
                unit = Unit(municipality=municipality, name=row.unit_name, kind=UnitKind.INTERNAL)
                units[unit.name.lower()] = unit
                new_units.append(unit)
            plan = existing.get((row.person.pk, row.start_date))
            closed = row.end_date is not None and row.end_date < today
            action: AuditAction | None = None
            if plan is None:
                consent = Consent(
                    municipality=municipality,
                    person=row.person,
                    kind=ConsentKind.INDIVIDUAL_PLAN,
                    scope="Individuell plan (importert)",
                    given_by="personen",
                    given_on=row.consent_date,
                    recorded_by=user,
                )
                plan = IndividualPlan(
                    municipality=municipality,
                    person=row.person,
                    consent=consent,
                    responsible_unit=unit,
                    start_date=row.start_date,
                    end_date=row.end_date,
                    status=PlanStatus.CLOSED if closed else PlanStatus.ACTIVE,
                    closed_on=row.end_date if closed else None,
                )
                new_plans.append(plan)
                moves.append((plan, ""))
                result.created += 1
                action = AuditAction.IMPORT_CREATE
            elif plan.responsible_unit_id != unit.pk or plan.end_date != row.end_date:
                plan.responsible_unit, plan.end_date = unit, row.end_date
                if plan.status != (PlanStatus.CLOSED if closed else PlanStatus.ACTIVE):
                    moves.append((plan, plan.status))
                plan.status = PlanStatus.CLOSED if closed else PlanStatus.ACTIVE
                plan.closed_on = row.end_date if closed else None
                changed_plans.append(plan)
                result.updated += 1
                action = AuditAction.IMPORT_UPDATE
            else:
                result.unchanged += 1
            assignment = None
            if row.coordinator is not None:
                assignment = assignments.assign(row, row.coordinator, today)
            outcomes.append((action, plan, assignment, row.person))

        Unit.objects.bulk_create(new_units, batch_size=CHUNK)
        Consent.objects.bulk_create([plan.consent for plan in new_plans], batch_size=CHUNK)
        IndividualPlan.objects.bulk_create(new_plans, batch_size=CHUNK)
        PlanRevision.objects.bulk_create(
            [
                PlanRevision(
                    municipality=municipality,
                    plan=plan,
                    number=1,
                    snapshot={"imported": True},
                    summary="Importert",
                )
                for plan in new_plans
            ],
            batch_size=CHUNK,
        )
        IndividualPlan.objects.bulk_update(
            changed_plans,
            ["responsible_unit", "end_date", "status", "closed_on"],
            batch_size=CHUNK,
        )
        PlanStatusChange.objects.bulk_create(
            [
                PlanStatusChange(
                    municipality=municipality,
                    plan=plan,
                    from_status=from_status,
                    to_status=plan.status,
                    reason="Importert",
                    changed_by=user,
                )
                for plan, from_status in moves
            ],
            batch_size=CHUNK,
        )
        assignments.save()
        events: list[EventSpec] = []
        for action, plan, assignment, person in outcomes:
            if action is not None:
                events.append(EventSpec(action, "individual_plan", plan.pk, person))
            if assignment is not None:
                events.append(
                    EventSpec(
                        AuditAction.IMPORT_CREATE, "coordinator_assignment", assignment.pk, person
                    )
                )
        record_events(actor=self.actor, specs=events)

    def _assignments(self, parsed: list[PlanRow]) -> _Assignments:
        coordinators = {row.coordinator.pk for row in parsed if row.coordinator is not None}
        persons = [row.person.pk for row in parsed if row.coordinator is not None]
        return _Assignments(
            self.actor.municipality,
            self.actor.user,
            profiles=set(
                fetch_in(
                    CoordinatorProfile.objects.values_list("staff_id", flat=True),
                    "staff",
                    coordinators,
                )
            ),
            stored=fetch_in(CoordinatorAssignment.objects, "person", persons),
        )


class _Assignments:
    """The coordinator assignments of the file's persons, changed in memory row by row
    as one query per row would have, then written in bulk."""

    def __init__(
        self,
        municipality: Municipality,
        user: User | None,
        *,
        profiles: set[int],
        stored: list[CoordinatorAssignment],
    ) -> None:
        self.municipality = municipality
        self.user = user
        self.profiles = profiles
        self.new_profiles: list[CoordinatorProfile] = []
        self.by_person: dict[int, list[CoordinatorAssignment]] = defaultdict(list)
        for assignment in stored:
            self.by_person[assignment.person_id].append(assignment)
        self.new: list[CoordinatorAssignment] = []
        self.ended: dict[int, CoordinatorAssignment] = {}  # stored ones ended, by pk
        self.relations: list[CareRelation] = []

    def assign(
        self, row: PlanRow, coordinator: Staff, today: datetime.date
    ) -> CoordinatorAssignment | None:
        """The assignment this row (with its coordinator) creates, or None when it is
        there already."""
        if coordinator.pk not in self.profiles:
            self.profiles.add(coordinator.pk)
            self.new_profiles.append(
                CoordinatorProfile(municipality=self.municipality, staff=coordinator)
            )
        mine = self.by_person[row.person.pk]
        if any(a.coordinator_id == coordinator.pk and a.started_on == row.start_date for a in mine):
            return None
        ended = row.end_date if row.end_date is not None and row.end_date < today else None
        if ended is None:
            # The new coordinator replaces the person's current one.
            for current in mine:
                if current.ended_on is None:
                    current.ended_on = row.start_date
                    if current.pk is not None:
                        self.ended[current.pk] = current
        assignment = CoordinatorAssignment(
            municipality=self.municipality,
            person=row.person,
            coordinator=coordinator,
            started_on=row.start_date,
            ended_on=ended,
        )
        mine.append(assignment)
        self.new.append(assignment)
        if ended is None:
            self.relations.append(
                CareRelation(
                    municipality=self.municipality,
                    person=row.person,
                    staff=coordinator,
                    kind=CareRelationKind.COORDINATOR,
                    reason="Koordinator (importert)",
                    created_by=self.user,
                )
            )
        return assignment

    def save(self) -> None:
        CoordinatorProfile.objects.bulk_create(self.new_profiles, batch_size=CHUNK)
        # Ended first: a person has one current coordinator at a time (a constraint).
        CoordinatorAssignment.objects.bulk_update(
            list(self.ended.values()), ["ended_on"], batch_size=CHUNK
        )
        CoordinatorAssignment.objects.bulk_create(self.new, batch_size=CHUNK)
        CareRelation.objects.bulk_create(self.relations, batch_size=CHUNK)
