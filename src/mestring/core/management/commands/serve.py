"""`mestring serve [--bind ADDR] [--workers N] [--collectstatic]`: the production server.

Gunicorn with several pre-forked workers runs `mestring.wsgi`; WhiteNoise serves the
static files (compressed, with hashed names in production). Before starting, the
command checks what would otherwise only show as errors under load: unapplied
migrations and, in production, missing collected static files.

The application is loaded once in the master process, warmed (every URL configuration
and view module imported, the translations and our templates compiled) and then
forked: without this each worker did that work on its first request, about 2 s of CPU
each (4 s on a busy machine), so the first requests after a start, or after a worker
was recycled, waited seconds. New code therefore needs a restart, not a HUP reload.
"""

from __future__ import annotations

import os
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connection, connections
from django.db.migrations.executor import MigrationExecutor
from django.template import TemplateDoesNotExist, TemplateSyntaxError
from django.template.loader import get_template
from django.urls import get_resolver
from django.utils import translation
from gunicorn.app.base import BaseApplication


def default_workers() -> int:
    """Gunicorn's rule of thumb (2 × CPUs + 1), capped so a small server keeps memory."""
    env = os.environ.get("MESTRING_WORKERS", "").strip()
    if env:
        return int(env)
    return min(2 * (os.cpu_count() or 1) + 1, 8)


def warm_up() -> None:
    """Do once, before the workers are forked, what each would do on its first request."""
    get_resolver().url_patterns  # noqa: B018 - imports every urls and views module
    with translation.override(settings.LANGUAGE_CODE):
        translation.gettext("Logg inn")  # loads the catalogues
    for config in apps.get_app_configs():
        if not config.name.startswith("mestring."):
            continue
        root = Path(config.path) / "templates"
        for path in sorted(root.rglob("*.html")):
            try:
                get_template(path.relative_to(root).as_posix())  # kept by the cached loader
            except (TemplateDoesNotExist, TemplateSyntaxError):
                continue  # shows as before on the request that uses it
    # The workers are forked from this process: none may inherit its connection.
    connections.close_all()


class MestringServer(BaseApplication):
    """Gunicorn run from inside the command, so `mestring serve` needs no other binary."""

    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        from mestring.wsgi import application

        warm_up()
        return application


class Command(BaseCommand):
    help = "Start produksjonsserveren (gunicorn med flere arbeidsprosesser)."
    requires_system_checks = []  # checked below, with a plain message instead

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--bind",
            default=os.environ.get("MESTRING_BIND", "127.0.0.1:8000"),
            help="Adresse og port (standard 127.0.0.1:8000; bak en omvendt proxy)",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help="Antall arbeidsprosesser (standard 2 × CPU + 1, høyst 8)",
        )
        parser.add_argument(
            "--timeout",
            type=int,
            default=30,
            help="Sekunder før en hengende prosess startes på nytt",
        )
        parser.add_argument(
            "--collectstatic",
            action="store_true",
            help="Samle statiske filer (collectstatic) før start",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        workers = options["workers"] if options["workers"] is not None else default_workers()
        if workers < 1:
            raise CommandError("--workers må være minst 1.")
        call_command("check", fail_level="ERROR")
        self._check_migrations()
        if options["collectstatic"]:
            call_command("collectstatic", interactive=False, verbosity=0)
        self._check_static()
        # The workers are forked from this process: none may inherit its connection.
        connections.close_all()
        self.stdout.write(
            f"Mestring ({settings.MESTRING_ENV}) på http://{options['bind']}/ "
            f"med {workers} arbeidsprosesser. Helsesjekk: /helse/"
        )
        self.stdout.flush()
        MestringServer(
            {
                "bind": options["bind"],
                "workers": workers,
                "worker_class": "sync",
                # Load and warm the application in the master (see warm_up), then fork.
                "preload_app": True,
                "timeout": options["timeout"],
                "graceful_timeout": 30,
                # Recycle workers now and then so a slow leak never grows for months.
                "max_requests": 2000,
                "max_requests_jitter": 200,
                # Our middleware writes the access log (without query strings).
                "accesslog": None,
                "errorlog": "-",
                "logconfig_dict": settings.LOGGING,
                "forwarded_allow_ips": os.environ.get("MESTRING_FORWARDED_ALLOW_IPS", "127.0.0.1"),
                "proc_name": "mestring",
                # No gunicornc control socket: nothing uses it, and two servers on one
                # machine would share its default path.
                "control_socket_disable": True,
            }
        ).run()

    def _check_migrations(self) -> None:
        try:
            executor = MigrationExecutor(connection)
            pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        except DatabaseError as exc:
            raise CommandError(
                f"Får ikke kontakt med databasen ({exc.__class__.__name__}). "
                "Sjekk DATABASE_URL og at databasen kjører."
            ) from exc
        if pending:
            raise CommandError(
                f"Databasen mangler {len(pending)} migrering(er). "
                "Ta sikkerhetskopi og kjør `mestring migrate` før du starter serveren."
            )

    def _check_static(self) -> None:
        if not hasattr(staticfiles_storage, "manifest_name"):
            return  # outside production WhiteNoise serves from the apps directly
        manifest = os.path.join(settings.STATIC_ROOT, staticfiles_storage.manifest_name)
        if not os.path.exists(manifest):
            raise CommandError(
                f"De statiske filene er ikke samlet (fant ikke {manifest}). "
                "Kjør `mestring collectstatic --noinput`, eller start med "
                "`mestring serve --collectstatic`."
            )
