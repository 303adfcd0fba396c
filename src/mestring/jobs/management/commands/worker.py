"""`mestring worker`: runs background jobs and reminders, with the database as the queue.

Run it as a service (it loops), or from cron with `--once` (schedule, run what is due,
exit). Several workers may run at once: a job is leased to one of them at a time.
"""

from __future__ import annotations

import signal
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mestring.jobs.worker import LEASE_SECONDS, Worker


class Command(BaseCommand):
    help = "Kjører bakgrunnsjobber og påminnelser (databasen er køen)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--once", action="store_true", help="Kjør det som er forfalt nå, og avslutt."
        )
        parser.add_argument(
            "--poll", type=float, default=30.0, help="Sekunder mellom hver runde (standard 30)."
        )
        parser.add_argument(
            "--lease",
            type=int,
            default=LEASE_SECONDS,
            help="Sekunder en jobb er reservert for denne arbeideren (standard 300).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["poll"] <= 0 or options["lease"] <= 0:
            raise CommandError("--poll og --lease må være større enn null.")
        worker = Worker(lease_seconds=options["lease"])
        if options["once"]:
            done, failed = worker.drain()
            self.stdout.write(f"Ferdig: {done} jobber utført, {failed} feilet.")
            return

        def stop(signum: int, frame: object) -> None:
            worker.stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        self.stdout.write(f"Arbeider {worker.worker_id} startet.")
        worker.loop(options["poll"])
        self.stdout.write("Arbeideren stoppet.")
