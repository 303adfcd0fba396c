"""`mestring municipality add NNNN "Name"` and `mestring municipality list`."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from mestring.tenancy.models import Municipality, municipality_number_validator
from mestring.tenancy.services import municipality_ensure


class Command(BaseCommand):
    help = "Legg til eller vis kommuner."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="Legg til en kommune (gjør ingenting om den finnes).")
        add.add_argument("number", help="Kommunenummer, fire siffer")
        add.add_argument("name", help="Kommunens navn")
        sub.add_parser("list", help="Vis alle kommuner.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "list":
            for municipality in Municipality.objects.order_by("number"):
                self.stdout.write(f"{municipality.number}  {municipality.name}")
            return
        number, name = options["number"].strip(), options["name"].strip()
        try:
            municipality_number_validator(number)
        except ValidationError as exc:
            raise CommandError("Kommunenummeret må ha fire siffer.") from exc
        if not name:
            raise CommandError("Kommunen må ha et navn.")
        municipality, created = municipality_ensure(number=number, name=name)
        if created:
            self.stdout.write(f"Opprettet {municipality.number} {municipality.name}.")
        else:
            self.stdout.write(f"{municipality.number} {municipality.name} finnes allerede.")
