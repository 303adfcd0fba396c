"""`mestring import prescriptions FILE.csv --municipality NNNN`.

Columns: person_ref,referral_date,reason,completed. `completed` is ja, nei or empty
(unknown, or still running). A row with an answer is an ended prescription; an empty
one is a referral not yet ended. Rows are matched on (person, referral_date, reason),
so importing the same file twice changes nothing; a later file with an answer where
there was none updates the prescription, and an empty cell never erases an answer.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from mestring.access.actor import Actor
from mestring.access.audit import EventSpec, record_events
from mestring.access.models import CareRelation
from mestring.core.importing import (
    CHUNK,
    CsvImporter,
    ImportResult,
    RowError,
    fetch_in,
)
from mestring.friskliv.models import (
    Prescription,
    PrescriptionStatus,
    PrescriptionStatusChange,
    Reason,
)
from mestring.kernel.audit_words import AuditAction
from mestring.people.models import Person
from mestring.register.importers import persons_by_ref

ANSWERS = {"ja": True, "nei": False, "": None}


@dataclass(frozen=True)
class PrescriptionRow:
    line: int
    person: Person
    referral_date: datetime.date
    reason: str
    completed: bool | None

    @property
    def key(self) -> tuple[int, datetime.date, str]:
        return (self.person.pk, self.referral_date, self.reason)


class PrescriptionImporter(CsvImporter):
    columns = ("person_ref", "referral_date", "reason", "completed")
    required = ("person_ref", "referral_date", "reason")

    def __init__(self, actor: Actor) -> None:
        super().__init__(actor)
        self.persons: dict[str, Person] | None = None

    def prepare(self, rows: list[dict[str, str]] | None) -> None:
        # Once, so a large file costs one query per batch of persons, not one per row.
        self.persons = persons_by_ref(rows)

    def parse(
        self, row: dict[str, str], line: int, errors: list[RowError]
    ) -> PrescriptionRow | None:
        if self.persons is None:
            self.prepare(None)
        assert self.persons is not None  # prepare() has loaded them
        person = self.persons.get(row["person_ref"])
        if row["person_ref"] and person is None:
            errors.append(RowError(line, "person_ref", "Fant ingen person med denne referansen."))
        referral_date = self.date(row["referral_date"], line, "referral_date", errors)
        if referral_date and referral_date > timezone.localdate():
            errors.append(RowError(line, "referral_date", "Datoen er fram i tid."))
        reason = (
            self.choice(row["reason"], Reason.values, line, "reason", errors)
            if row["reason"]
            else None
        )
        answer = row["completed"].lower()
        if answer not in ANSWERS:
            errors.append(
                RowError(
                    line,
                    "completed",
                    f"«{row['completed']}» er ikke gyldig. Skriv ja, nei eller la feltet stå tomt.",
                )
            )
        if errors or person is None or referral_date is None or reason is None:
            return None
        return PrescriptionRow(line, person, referral_date, reason, ANSWERS[answer])

    def check_all(self, parsed: list[tuple[int, PrescriptionRow]], errors: list[RowError]) -> None:
        seen: dict[tuple[int, datetime.date, str], int] = {}
        for line, row in parsed:
            if row.key in seen:
                errors.append(
                    RowError(
                        line,
                        "referral_date",
                        f"Samme person, dato og årsak står også på rad {seen[row.key]}.",
                    )
                )
            else:
                seen[row.key] = line

    def write(self, parsed: list[PrescriptionRow], result: ImportResult) -> None:
        existing = {
            (p.person_id, p.referral_date, p.reason): p
            for p in fetch_in(
                Prescription.objects.select_related("care_relation"),
                "person",
                [row.person.pk for row in parsed],
            )
        }
        municipality = self.actor.municipality
        user = self.actor.user
        now = timezone.now()
        new: list[tuple[Prescription, PrescriptionRow]] = []
        changed: list[tuple[Prescription, PrescriptionRow]] = []
        changes: list[PrescriptionStatusChange] = []
        ended: list[tuple[CareRelation, Person]] = []
        for row in parsed:
            prescription = existing.get(row.key)
            if prescription is None:
                status = (
                    PrescriptionStatus.REFERRED
                    if row.completed is None
                    else PrescriptionStatus.ENDED
                )
                prescription = Prescription(
                    municipality=municipality,
                    person=row.person,
                    referral_date=row.referral_date,
                    reason=row.reason,
                    status=status,
                    completed=row.completed,
                )
                changes.append(
                    PrescriptionStatusChange(
                        municipality=municipality,
                        prescription=prescription,
                        to_status=status,
                        changed_by=user,
                    )
                )
                new.append((prescription, row))
            elif row.completed is None or prescription.completed == row.completed:
                result.unchanged += 1
            else:
                if prescription.status != PrescriptionStatus.ENDED:
                    changes.append(
                        PrescriptionStatusChange(
                            municipality=municipality,
                            prescription=prescription,
                            from_status=prescription.status,
                            to_status=PrescriptionStatus.ENDED,
                            changed_by=user,
                        )
                    )
                    # Ended as care_relation_end does, audited the same way below.
                    relation = prescription.care_relation
                    if relation is not None and relation.valid_to is None:
                        relation.valid_to = max(now, relation.valid_from)
                        ended.append((relation, row.person))
                prescription.status = PrescriptionStatus.ENDED
                prescription.completed = row.completed
                changed.append((prescription, row))
        Prescription.objects.bulk_create([p for p, _row in new], batch_size=CHUNK)
        Prescription.objects.bulk_update(
            [p for p, _row in changed], ["status", "completed"], batch_size=CHUNK
        )
        CareRelation.objects.bulk_update([r for r, _p in ended], ["valid_to"], batch_size=CHUNK)
        PrescriptionStatusChange.objects.bulk_create(changes, batch_size=CHUNK)
        result.created, result.updated = len(new), len(changed)
        # The ended relations first, as when each was ended on its own before the import's
        # events were written; then the created and updated prescriptions in file order.
        events = [
            EventSpec(AuditAction.END, "care_relation", relation.pk, person)
            for relation, person in ended
        ]
        actions = {id(p): AuditAction.IMPORT_CREATE for p, _row in new}
        events += [
            EventSpec(
                actions.get(id(p), AuditAction.IMPORT_UPDATE), "prescription", p.pk, row.person
            )
            for p, row in sorted([*new, *changed], key=lambda item: item[1].line)
        ]
        record_events(actor=self.actor, specs=events)
