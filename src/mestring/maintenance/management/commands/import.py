"""`mestring import KIND FILE.csv --municipality NNNN`: all or nothing."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from mestring.access.actor import system_actor
from mestring.core import importing
from mestring.core.importing import IMPORTERS, importer_class, run_import
from mestring.tenancy.context import activate
from mestring.tenancy.municipality_arg import municipality_by_number


class Command(BaseCommand):
    help = "Importer en CSV-fil. Alle rader kontrolleres først; ved feil importeres ingenting."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("kind", choices=sorted(IMPORTERS), help="Hva filen inneholder")
        parser.add_argument(
            "file", type=Path, help="CSV-fil (UTF-8, skilt med komma eller semikolon) eller JSON"
        )
        parser.add_argument("--municipality", required=True, help="Kommunenummer")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            if importing.too_large(path.stat().st_size):
                raise CommandError(importing.too_large_message())
            text = path.read_text(encoding="utf-8-sig")
        except FileNotFoundError as exc:
            raise CommandError(f"Finner ikke filen {path}.") from exc
        except UnicodeDecodeError as exc:
            raise CommandError(f"{path} er ikke en UTF-8-fil.") from exc
        municipality = municipality_by_number(options["municipality"])
        with activate(municipality):
            importer = importer_class(options["kind"])(system_actor(municipality, label="import"))
            # Importers of other formats than CSV (JSON-stat) read the text themselves.
            run = getattr(importer, "run", None)
            result = run(text) if run else run_import(importer, text)
        if not result.ok:
            for error in result.errors:
                self.stderr.write(str(error))
            raise CommandError(f"{len(result.errors)} feil i {path.name}. Ingenting er importert.")
        self.stdout.write(
            f"Importert fra {path.name}: {result.created} nye, {result.updated} endret, "
            f"{result.unchanged} uendret."
        )
