"""`mestring bench`: build a large municipality and measure it."""

from __future__ import annotations

import json
import logging
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from mestring.bench.build import Size, bench_persons_exist, build_large_municipality
from mestring.bench.measure import BenchFigures, measure_pages
from mestring.bench.output import format_table
from mestring.bench.reports import measure_reports
from mestring.demo.build import DEMO_NUMBER, build_demo
from mestring.tenancy.models import Municipality


class Command(BaseCommand):
    help = (
        "Bygg en stor syntetisk kommune i den konfigurerte databasen (demokommunen 9999) og mål "
        "sider, API-kall, årsrapporter og importer mot ytelsesbudsjettene."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--persons", type=int, default=Size.persons)
        parser.add_argument("--open-cases", type=int, default=Size.open_cases)
        parser.add_argument("--years", type=int, default=Size.years)
        parser.add_argument("--repeat", type=int, default=20, help="Målinger per side")
        parser.add_argument("--import-rows", type=int, default=5000, help="Rader per import")
        parser.add_argument("--json", type=Path, help="Skriv tallene som JSON til denne filen")
        parser.add_argument(
            "--only", choices=["pages", "reports", "imports"], action="append", default=None
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # One access-log line per measured request would drown the table; the level is
        # put back afterwards (the command also runs inside other processes' tests).
        access_log = logging.getLogger("mestring.access_log")
        level = access_log.level
        access_log.setLevel(logging.WARNING)
        try:
            self._run(options)
        finally:
            access_log.setLevel(level)

    def _run(self, options: dict[str, Any]) -> None:
        size = Size(options["persons"], options["open_cases"], options["years"])
        if size.persons < 100 or size.years < 1 or size.open_cases < 0:
            raise CommandError("Størrelsen må være minst 100 personer og ett år.")
        parts = set(options["only"] or ["pages", "reports", "imports"])
        if settings.DEBUG:
            self.stdout.write(
                "MERK: DEBUG er på, og Django tar vare på hver spørring; tallene blir "
                "dårligere enn på en server. Kjør med DEBUG=0 (som «make bench»)."
            )
        build_demo()
        municipality = Municipality.objects.get(number=DEMO_NUMBER)
        figures = BenchFigures(database=connection.vendor, size=vars(size).copy())
        present = bench_persons_exist(municipality)
        if present == 0:
            self.stdout.write(f"Bygger {size.persons} personer over {size.years} år …")
            built = build_large_municipality(
                municipality, size, progress=lambda step: self.stdout.write(f"  {step}")
            )
            figures.build_rows, figures.build_seconds = built.rows, round(built.seconds, 1)
            self.stdout.write(f"  {built.total_rows} rader på {built.seconds:.0f} s")
            # Fresh statistics, as autovacuum would give a running server after a while.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        elif present != size.persons:
            raise CommandError(
                f"Databasen har allerede {present} ytelsestestpersoner, ikke {size.persons}. "
                "Bruk en tom database (DATABASE_URL) for en annen størrelse."
            )
        else:
            self.stdout.write(f"Bruker de {present} ytelsestestpersonene som finnes.")
        if "pages" in parts:
            figures.pages = measure_pages(municipality, options["repeat"])
        if "reports" in parts:
            figures.reports = measure_reports(municipality)
        if "imports" in parts:
            from mestring.bench.imports import measure_imports

            figures.imports = measure_imports(municipality, options["import_rows"])
        self.stdout.write(format_table(figures))
        if options["json"]:
            options["json"].write_text(
                json.dumps(figures.as_json(), ensure_ascii=False, indent=2), encoding="utf-8"
            )
            self.stdout.write(f"JSON skrevet til {options['json']}")
