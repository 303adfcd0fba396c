"""`mestring audit verify|export`: check the hash chain, or print one person's events."""

from __future__ import annotations

import csv
import json
import sys
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from mestring.access.audit import (
    HASHED_FIELDS,
    OPTIONAL_HASHED_FIELDS,
    anchor_chain,
)
from mestring.access.models import AuditEvent
from mestring.core.spreadsheet import csv_cell
from mestring.kernel.audit_words import audit_action_label
from mestring.people.models import Person
from mestring.tenancy.municipality_arg import municipality_by_number

EXPORT_FIELDS = [name for name in HASHED_FIELDS if name != "previous_hash"] + [
    *OPTIONAL_HASHED_FIELDS,
    "row_hash",
]
# Beside the stored code (which the hash covers), the words a person reads for it.
LABEL_FIELD = "action_label"


def event_row(event: AuditEvent) -> dict[str, Any]:
    row = {name: getattr(event, name) for name in EXPORT_FIELDS}
    row["occurred_at"] = event.occurred_at.isoformat()
    row[LABEL_FIELD] = audit_action_label(event.action)
    return row


class Command(BaseCommand):
    help = "Kontroller eller hent ut tilgangsloggen."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify", help="Kontroller hash-kjeden for en kommune.")
        verify.add_argument("--municipality", required=True)
        export = sub.add_parser("export", help="Skriv ut hendelsene for én person.")
        export.add_argument("--municipality", required=True)
        export.add_argument("--person", required=True, help="Personens referanse (person_ref)")
        export.add_argument("--format", choices=["json", "csv"], default="json")

    def handle(self, *args: Any, **options: Any) -> None:
        municipality = municipality_by_number(options["municipality"])
        if options["action"] == "verify":
            # Verified, then anchored where it ends, so a later cut of the newest rows is
            # found even with the chain head rolled back.
            broken, anchor = anchor_chain(municipality.pk, source="audit_verify")
            count = AuditEvent.all_objects.filter(municipality=municipality).count()
            if broken is not None:
                self.stderr.write(
                    f"Kjeden er brutt ved rad {broken.seq} (id {broken.event_id}): {broken.problem}"
                )
                sys.exit(1)
            self.stdout.write(f"Kjeden er hel: {count} hendelser kontrollert.")
            if anchor is not None:  # also worth keeping outside the database
                self.stdout.write(f"Forankret ved rad {anchor.seq}: {anchor.row_hash}")
            return
        person = Person.all_objects.filter(
            municipality=municipality, person_ref=options["person"]
        ).first()
        if person is None:
            raise CommandError(f"Fant ingen person med referansen {options['person']}.")
        events = AuditEvent.all_objects.filter(municipality=municipality, person=person).order_by(
            "seq"
        )
        rows = [event_row(event) for event in events]
        if options["format"] == "json":
            self.stdout.write(json.dumps(rows, ensure_ascii=False, default=str, indent=1))
        else:
            writer = csv.DictWriter(self.stdout, fieldnames=[*EXPORT_FIELDS, LABEL_FIELD])
            writer.writeheader()
            # Names and units are typed by people; no cell may open as a formula.
            writer.writerows({name: csv_cell(value) for name, value in row.items()} for row in rows)
