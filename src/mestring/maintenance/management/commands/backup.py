"""`mestring backup FILE`: the whole database to one file (pg_dump custom / SQLite)."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from mestring.maintenance.backup import BackupError, backup


class Command(BaseCommand):
    help = "Ta sikkerhetskopi av hele databasen til en fil."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", help="Filen sikkerhetskopien skrives til")

    def handle(self, *args: Any, **options: Any) -> None:
        file = Path(options["file"])
        try:
            backup(file)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Sikkerhetskopi skrevet til {file} ({file.stat().st_size} byte).")
