"""`mestring fhir export --municipality NNNN --person PERSON_REF` prints a person's FHIR
R4 Bundle; `mestring fhir import FILE --municipality NNNN` imports one (all or nothing)."""

from __future__ import annotations

import json
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from mestring.access.actor import system_actor
from mestring.fhir.export import export_person
from mestring.fhir.importer import import_text
from mestring.people.models import Person
from mestring.tenancy.context import activate
from mestring.tenancy.municipality_arg import municipality_by_number


class Command(BaseCommand):
    help = "FHIR R4: eksporter en persons Bundle, eller importer en Bundle."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        export = sub.add_parser("export", help="Skriv personens Bundle (JSON) til standard ut")
        export.add_argument("--municipality", required=True, help="Kommunenummer")
        export.add_argument("--person", required=True, help="Personens referanse (person_ref)")
        imp = sub.add_parser("import", help="Importer en Bundle (JSON-fil)")
        imp.add_argument("file", type=Path, help="JSON-fil med en FHIR R4 Bundle")
        imp.add_argument("--municipality", required=True, help="Kommunenummer")

    def handle(self, *args: Any, **options: Any) -> None:
        municipality = municipality_by_number(options["municipality"])
        with activate(municipality):
            if options["action"] == "export":
                self.export(municipality, options["person"])
            else:
                self.import_file(municipality, options["file"])

    def export(self, municipality: Any, person_ref: str) -> None:
        person = (
            Person.objects.filter(person_ref=person_ref.strip()).first() if person_ref else None
        )
        if person is None:
            raise CommandError(f"Fant ingen person med referansen «{person_ref}» i kommunen.")
        bundle = export_person(actor=system_actor(municipality, label="fhir"), person=person)
        self.stdout.write(json.dumps(bundle, ensure_ascii=False, indent=2))

    def import_file(self, municipality: Any, path: Path) -> None:
        try:
            data = path.read_bytes()
        except FileNotFoundError as exc:
            raise CommandError(f"Finner ikke filen {path}.") from exc
        # An administrative path: whoever runs the command operates the installation and
        # can reach its database anyway, so no user and no care relation are asked for.
        # The rows are audited as administration (`operator=True`). People import through
        # the page or the API, where the guard decides as on the person's pages.
        outcome = import_text(
            actor=system_actor(municipality, label="import"), text=data, operator=True
        )
        if not outcome.ok:
            for error in outcome.errors:
                self.stderr.write(error)
            raise CommandError(f"{len(outcome.errors)} feil i {path.name}. Ingenting er importert.")
        self.stdout.write(
            f"Importert fra {path.name}: {outcome.created} nye, {outcome.updated} endret, "
            f"{outcome.unchanged} uendret."
        )
