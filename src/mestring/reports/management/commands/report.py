"""`mestring report NAME --municipality NNNN [--date D | --year Y] --format json|csv`."""

from __future__ import annotations

import datetime
import json
import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from mestring.core.reporting import REPORTS, Report, ReportParameterError, report_class
from mestring.tenancy.context import activate
from mestring.tenancy.municipality_arg import municipality_by_number


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
        parser.add_argument("--format", choices=["json", "csv", "pdf", "xlsx"], default="json")
        parser.add_argument("--output", type=Path, help="Fil å skrive til (for pdf og xlsx)")

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
            output_format = options["format"]
            if output_format == "json":
                self.stdout.write(json.dumps(result, ensure_ascii=False))
            elif output_format == "csv":
                self.stdout.write(report.as_csv(result), ending="")
            else:
                self.write_binary(report, result, output_format, options.get("output"))

    def write_binary(
        self, report: Report, result: dict[str, Any], output_format: str, output: Path | None
    ) -> None:
        """PDF and XLSX, for reports that have them: to --output, or else to standard out."""
        render = getattr(report, f"as_{output_format}", None)
        if render is None:
            raise CommandError(f"Rapporten kan ikke skrives som {output_format}.")
        data: bytes = render(result)
        if output is not None:
            output.write_bytes(data)
            self.stdout.write(f"Skrev {output} ({len(data)} byte).")
        else:
            sys.stdout.buffer.write(data)
