"""`mestring report NAME --municipality NNNN [--date D | --year Y] --format json|csv`."""

from __future__ import annotations

import datetime
import json
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from mestring.core.municipality_arg import municipality_by_number
from mestring.reports.base import REPORTS, ReportParameterError, report_class
from mestring.tenancy.context import activate


def parse_date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"«{value}» er ikke en dato på formen ÅÅÅÅ-MM-DD.") from exc


class Command(BaseCommand):
    help = "Skriv ut en rapport som JSON eller CSV."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("name", choices=sorted(REPORTS))
        parser.add_argument("--municipality", required=True)
        parser.add_argument("--date", help="Dato (ÅÅÅÅ-MM-DD) for rapporter på en dato")
        parser.add_argument("--year", type=int, help="År for årsrapporter")
        parser.add_argument("--unit", help="Enhetens navn, for rapporter om én enhet")
        parser.add_argument("--agreement", help="Avtalens navn, for rapporter om én avtale")
        parser.add_argument("--format", choices=["json", "csv"], default="json")

    def handle(self, *args: Any, **options: Any) -> None:
        municipality = municipality_by_number(options["municipality"])
        cls = report_class(options["name"])
        params: dict[str, Any] = {}
        for name in cls.parameters:
            if options.get(name) in (None, ""):
                hint = {"date": "ÅÅÅÅ-MM-DD", "unit": "NAVN", "agreement": "NAVN"}.get(
                    name, name.upper()
                )
                raise CommandError(f"Rapporten trenger --{name} {hint}.")
            params[name] = parse_date(options[name]) if name == "date" else options[name]
        with activate(municipality):
            try:
                report = cls(**params)
            except ReportParameterError as exc:
                raise CommandError(str(exc)) from exc
            result = report.compute()
            if options["format"] == "json":
                self.stdout.write(json.dumps(result, ensure_ascii=False))
            else:
                self.stdout.write(report.as_csv(result), ending="")
