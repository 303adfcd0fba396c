"""`mestring retention [--municipality NNNN] [--dry-run] [--json]`: delete or anonymise
what has passed its retention period; with --dry-run, only list it."""

from __future__ import annotations

import json
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from mestring.access.actor import system_actor
from mestring.core.municipality_arg import municipality_by_number
from mestring.maintenance import retention
from mestring.maintenance.services import retention_run
from mestring.tenancy.context import activate
from mestring.tenancy.models import Municipality

ACTIONS = {"delete": "slettes", "anonymise": "anonymiseres", "keep": "beholdes"}


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
                if options["dry_run"] or r.action == "keep":
                    line = f"  {r.label} (eldre enn {r.cutoff:%d.%m.%Y}, {r.years} år): "
                    what = verb if r.action != "keep" else "har passert, beholdes"
                    line += f"{len(r.due_ids)} {what}"
                else:
                    line = f"  {r.label}: {len(r.done_ids)} av {len(r.due_ids)} {verb}"
                    if r.kept_ids:
                        line += f", {len(r.kept_ids)} beholdt fordi noe fortsatt viser til dem"
                self.stdout.write(line)
                if r.due_ids and r.code != "audit":
                    self.stdout.write("    id: " + ", ".join(str(i) for i in r.due_ids))
            self.stdout.write(
                "  Tilgangsloggen slettes aldri av denne jobben: kjeden må avleveres samlet."
            )
