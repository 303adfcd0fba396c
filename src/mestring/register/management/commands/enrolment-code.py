"""`mestring enrolment-code USERNAME`: a new one-time code for binding an authenticator."""  # noqa: N999

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from mestring.register import services


class Command(BaseCommand):
    help = (
        "Fjern brukerens autentiseringsapp og lag en ny registreringskode, som skrives ut "
        "én gang. For den første administratoren, og andre som ingen i programmet kan "
        "tilbakestille."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("username", help="Brukernavnet")

    def handle(self, *args: Any, **options: Any) -> None:
        username = options["username"].strip()
        user = get_user_model().objects.filter(username__iexact=username).first()
        if user is None:
            raise CommandError(f"Fant ingen bruker med brukernavnet {username}.")
        code = services.operator_reset_second_factor(user=user)
        self.stdout.write(code)
