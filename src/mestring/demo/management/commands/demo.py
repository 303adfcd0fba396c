"""`mestring demo [--password PW] [--json]`: the demo municipality, idempotently."""

from __future__ import annotations

import json
from argparse import ArgumentParser
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from mestring.demo.build import DEFAULT_PASSWORD, build_demo


class Command(BaseCommand):
    help = "Opprett demokommunen med syntetiske personer, enheter og ansatte."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--password", default=DEFAULT_PASSWORD, help="Passord for alle demobrukere"
        )
        parser.add_argument("--json", action="store_true", help="Skriv resultatet som JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            validate_password(options["password"])
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        result = build_demo(password=options["password"])
        if options["json"]:
            payload = {
                "municipality": result.municipality.number,
                "password": result.password,
                "users": [{"username": u, "role": r} for u, r in result.users],
            }
            self.stdout.write(json.dumps(payload, ensure_ascii=False))
            return
        self.stdout.write(f"Demokommune: {result.municipality.number} {result.municipality.name}")
        self.stdout.write(f"Passord for alle demobrukere: {result.password}")
        self.stdout.write("")
        self.stdout.write(f"{'Brukernavn':<28} Rolle")
        for username, role in result.users:
            self.stdout.write(f"{username:<28} {role}")
