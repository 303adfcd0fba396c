"""`mestring api-token create|revoke`: personal API tokens from the command line."""  # noqa: N999

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from mestring.access.actor import system_actor
from mestring.api import services
from mestring.api.models import SCOPES, ApiToken
from mestring.people.models import Staff
from mestring.tenancy.context import activate
from mestring.tenancy.municipality_arg import municipality_by_number


class Command(BaseCommand):
    help = "Lag eller trekk tilbake personlige API-nøkler."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Lag en nøkkel; den skrives ut én gang.")
        create.add_argument("--user", required=True, help="Brukernavnet til den ansatte")
        create.add_argument("--municipality", required=True)
        create.add_argument("--scopes", required=True, help="Kommaseparert: " + ",".join(SCOPES))
        create.add_argument("--name", default="Kommandolinjen")
        revoke = sub.add_parser("revoke", help="Trekk tilbake en nøkkel.")
        revoke.add_argument("--municipality", required=True)
        revoke.add_argument("--id", type=int, required=True, help="Nøkkelens id")

    def handle(self, *args: Any, **options: Any) -> None:
        municipality = municipality_by_number(options["municipality"])
        actor = system_actor(municipality, label="api-token")
        with activate(municipality):
            if options["action"] == "create":
                self._create(actor, options)
            else:
                token = ApiToken.objects.filter(pk=options["id"]).first()
                if token is None:
                    raise CommandError(f"Fant ingen API-nøkkel med id {options['id']}.")
                services.token_revoke(actor=actor, token=token)
                self.stdout.write(f"Nøkkel {token.pk} ({token.name}) er trukket tilbake.")

    def _create(self, actor: Any, options: dict[str, Any]) -> None:
        staff = (
            Staff.objects.filter(user__username=options["user"], is_active=True)
            .select_related("user")
            .first()
        )
        if staff is None:
            raise CommandError(
                f"Fant ingen aktiv ansatt med brukernavnet {options['user']} i kommunen."
            )
        scopes = [s.strip() for s in options["scopes"].split(",") if s.strip()]
        try:
            created = services.token_create(
                actor=actor, staff=staff, name=options["name"], scopes=scopes
            )
        except services.TokenRuleError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(created.raw)
