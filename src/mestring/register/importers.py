"""`mestring import persons FILE.csv --municipality NNNN`."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import timezone

from mestring.access.audit import EventSpec, record_events
from mestring.core.importing import CHUNK, CsvImporter, ImportResult, RowError, fetch_in
from mestring.kernel.audit_words import AuditAction
from mestring.people.identity import InvalidNationalId, parse_national_id
from mestring.people.models import Person


def persons_by_ref(
    rows: list[dict[str, str]] | None, column: str = "person_ref"
) -> dict[str, Person]:
    """The active municipality's persons named in the file (all when rows is None),
    by their reference."""
    persons: Iterable[Person]
    if rows is None:
        persons = Person.objects.exclude(person_ref="")
    else:
        persons = fetch_in(Person.objects, "person_ref", [row[column] for row in rows])
    return {person.person_ref: person for person in persons}


@dataclass(frozen=True)
class PersonRow:
    line: int
    person_ref: str
    national_id: str
    national_id_kind: str
    given_name: str
    family_name: str
    birth_date: Any


FIELDS = ("national_id", "national_id_kind", "given_name", "family_name", "birth_date")


class PersonImporter(CsvImporter):
    columns = ("person_ref", "national_id", "given_name", "family_name", "birth_date")
    required = ("person_ref", "given_name", "family_name", "birth_date")

    def parse(self, row: dict[str, str], line: int, errors: list[RowError]) -> PersonRow | None:
        national_id, kind = "", ""
        if row["national_id"]:
            try:
                parsed = parse_national_id(
                    row["national_id"], allow_synthetic=settings.MESTRING_SYNTHETIC_IDS
                )
            except InvalidNationalId as exc:
                errors.append(RowError(line, "national_id", str(exc.message)))
            else:
                national_id, kind = parsed.value, str(parsed.kind)
        for column, limit in (("person_ref", 40), ("given_name", 100), ("family_name", 100)):
            if len(row[column]) > limit:
                errors.append(RowError(line, column, f"Teksten er lengre enn {limit} tegn."))
        birth_date = self.date(row["birth_date"], line, "birth_date", errors)
        if errors or birth_date is None:
            return None
        return PersonRow(
            line,
            row["person_ref"],
            national_id,
            kind,
            row["given_name"],
            row["family_name"],
            birth_date,
        )

    def check_all(self, parsed: list[tuple[int, PersonRow]], errors: list[RowError]) -> None:
        rows = [row for _line, row in parsed]
        for column in ("person_ref", "national_id"):
            counts = Counter(getattr(row, column) for row in rows if getattr(row, column))
            for row in rows:
                if counts[getattr(row, column)] > 1:
                    errors.append(
                        RowError(row.line, column, "Verdien står på flere rader i filen.")
                    )
        refs_by_national_id = dict(
            fetch_in(
                Person.objects.exclude(national_id="").values_list("national_id", "person_ref"),
                "national_id",
                [row.national_id for row in rows],
            )
        )
        for row in rows:
            owner = refs_by_national_id.get(row.national_id)
            if row.national_id and owner is not None and owner != row.person_ref:
                errors.append(
                    RowError(
                        row.line, "national_id", "Nummeret tilhører en annen person i kommunen."
                    )
                )

    def write(self, parsed: list[PersonRow], result: ImportResult) -> None:
        existing = {
            person.person_ref: person
            for person in fetch_in(Person.objects, "person_ref", [row.person_ref for row in parsed])
        }
        to_create, to_update = [], []
        for row in parsed:
            values = {name: getattr(row, name) for name in FIELDS}
            person = existing.get(row.person_ref)
            if person is None:
                to_create.append(
                    Person(
                        municipality=self.actor.municipality, person_ref=row.person_ref, **values
                    )
                )
            elif any(getattr(person, name) != value for name, value in values.items()):
                for name, value in values.items():
                    setattr(person, name, value)
                person.updated_at = timezone.now()
                to_update.append(person)
            else:
                result.unchanged += 1
        # bulk_create sets the primary keys (PostgreSQL and SQLite ≥ 3.35 return them).
        Person.objects.bulk_create(to_create, batch_size=CHUNK)
        Person.objects.bulk_update(to_update, [*FIELDS, "updated_at"], batch_size=CHUNK)
        record_events(
            actor=self.actor,
            specs=[
                EventSpec(action=action, object_type="person", object_id=person.pk, person=person)
                for action, persons in (
                    (AuditAction.IMPORT_CREATE, to_create),
                    (AuditAction.IMPORT_UPDATE, to_update),
                )
                for person in persons
            ],
        )
        result.created, result.updated = len(to_create), len(to_update)
