"""`mestring restore FILE [--force]`: put a backup back, then check the audit chain."""

from __future__ import annotations

import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from mestring.maintenance.backup import BackupError, restore, verify_all_chains


class Command(BaseCommand):
    help = "Gjenopprett databasen fra en sikkerhetskopi (bare til en tom database uten --force)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", help="Sikkerhetskopien som skal leses inn")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Erstatt innholdet selv om databasen ikke er tom",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        file = Path(options["file"])
        try:
            restore(file, force=options["force"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Databasen er gjenopprettet fra {file}.")
        broken = False
        for result in verify_all_chains():
            if result.broken_at is None:
                self.stdout.write(
                    f"Tilgangsloggen for kommune {result.municipality} er hel: "
                    f"{result.events} hendelser kontrollert."
                )
            else:
                broken = True
                self.stdout.write(
                    f"Tilgangsloggen for kommune {result.municipality} er brutt ved rad "
                    f"{result.broken_at}: {result.problem}"
                )
        if broken:
            sys.exit(1)
