"""`mestring retention [--municipality NNNN] [--dry-run] [--json]`: delete or anonymise
what has passed its retention period; with --dry-run, only list it."""

from __future__ import annotations

import json
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from mestring.access.actor import system_actor
from mestring.maintenance import retention
from mestring.maintenance.retention import AUDIT_CODE
from mestring.maintenance.services import retention_run
from mestring.tenancy.context import activate
from mestring.tenancy.models import Municipality
from mestring.tenancy.municipality_arg import municipality_by_number

ACTIONS = {"delete": "slettes", "anonymise": "anonymiseres"}


class Command(BaseCommand):
    help = "Slett eller anonymiser opplysninger som har passert oppbevaringstiden."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--municipality", help="Bare denne kommunen (kommunenummer)")
        parser.add_argument(
            "--dry-run", action="store_true", help="Vis hva som ville blitt gjort, uten å endre"
        )
        parser.add_argument("--json", action="store_true", help="Skriv resultatet som JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["municipality"]:
            municipalities = [municipality_by_number(options["municipality"])]
        else:
            municipalities = list(Municipality.objects.order_by("number"))
        report = []
        for municipality in municipalities:
            with activate(municipality):
                if options["dry_run"]:
                    results = retention.plan(municipality.pk)
                else:
                    actor = system_actor(municipality, label="retention")
                    results = retention_run(actor=actor)
            report.append((municipality, results))
        if options["json"]:
            payload = [
                {
                    "municipality": m.number,
                    "dry_run": options["dry_run"],
                    "kinds": [r.as_dict() for r in results],
                }
                for m, results in report
            ]
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=1))
            return
        for municipality, results in report:
            heading = "Prøvekjøring" if options["dry_run"] else "Utført"
            self.stdout.write(f"{heading} for kommune {municipality.number} {municipality.name}:")
            for r in results:
                verb = ACTIONS[r.action]
                if options["dry_run"]:
                    line = f"  {r.label} (eldre enn {r.cutoff:%d.%m.%Y}, {r.years} år): "
                    line += f"{r.would} {verb}"
                    if r.code == AUDIT_CODE and r.kept:
                        line += f", {r.kept} beholdes"
                else:
                    line = f"  {r.label}: {r.done} av {r.due} {verb}"
                    if r.kept and r.code != AUDIT_CODE:
                        line += f", {r.kept} beholdt fordi noe fortsatt viser til dem"
                    elif r.kept:
                        line += f", {r.kept} beholdt"
                self.stdout.write(line)
                if r.note:
                    self.stdout.write(f"    {r.note}")
                if r.due_ids:
                    self.stdout.write("    id: " + ", ".join(str(i) for i in r.due_ids))
            self.stdout.write(
                "  Tilgangsloggen slettes bare fra starten av kjeden, bak et sjekkpunkt "
                "som «mestring audit verify» kontrollerer fra."
            )
