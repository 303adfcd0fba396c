"""`mestring innsyn --municipality NNNN --person REF --format json|pdf --output FILE`."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from mestring.access.actor import system_actor
from mestring.maintenance.services import INNSYN_FORMATS, innsyn_export
from mestring.people.models import Person
from mestring.tenancy.context import activate
from mestring.tenancy.municipality_arg import municipality_by_number


class Command(BaseCommand):
    help = "Lag personens egen kopi (innsyn) av alt som er registrert, som JSON eller PDF."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--municipality", required=True)
        parser.add_argument("--person", required=True, help="Personens referanse (person_ref)")
        parser.add_argument("--format", choices=INNSYN_FORMATS, default="json")
        parser.add_argument("--output", required=True, help="Filen kopien skrives til")

    def handle(self, *args: Any, **options: Any) -> None:
        municipality = municipality_by_number(options["municipality"])
        output = Path(options["output"])
        if not output.parent.is_dir():
            raise CommandError(f"Mappen {output.parent} finnes ikke.")
        with activate(municipality):
            person = Person.objects.filter(person_ref=options["person"]).first()
            if person is None:
                raise CommandError(f"Fant ingen person med referansen {options['person']}.")
            data = innsyn_export(
                actor=system_actor(municipality, label="innsyn"),
                person=person,
                fmt=options["format"],
            )
        output.write_bytes(data)
        self.stdout.write(f"Innsynskopien er skrevet til {output} ({len(data)} byte).")
