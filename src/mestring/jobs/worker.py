"""The worker: claims due jobs with a lease, runs them, retries failures with backoff,
and schedules the recurring ones. No broker: the database is the queue.

Claiming. On PostgreSQL the candidates are locked with `SELECT … FOR UPDATE SKIP
LOCKED`, so workers never wait on each other nor take the same job. SQLite has no row
locks (it serialises writers), so there a job is taken by a conditional UPDATE that
succeeds only while the job is still claimable — the same guarantee by compare-and-set.

Leases. A claimed job holds `locked_until`. A worker that dies leaves the job
`running` with a lease that runs out; it is then claimable again. A job is finished
only by the worker that still holds its lease, in the same transaction as its work,
so a job taken over by another worker is not done twice.
"""

from __future__ import annotations

import datetime
import logging
import os
import socket
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from mestring.access.actor import Actor, system_actor
from mestring.jobs import services
from mestring.jobs.models import EVENT_KINDS, Job, JobStatus, Reminder, ReminderKind
from mestring.tenancy.context import activate
from mestring.tenancy.models import Municipality

logger = logging.getLogger(__name__)

LEASE_SECONDS = 300
BACKOFF_BASE_SECONDS = 60
BACKOFF_MAX_SECONDS = 6 * 3600
INVITATION_SCAN_MINUTES = 15
ACTOR_LABEL = "påminnelser"


class LeaseLost(RuntimeError):
    """Another worker took the job over while this one ran it (its lease had run out)."""


Handler = Callable[[Job], None]


def _actor(job: Job) -> Actor:
    """The scan and the notices act for the job's municipality: they are enqueued with one."""
    if job.municipality is None:
        raise ValueError(f"Job {job.pk} ({job.kind}) has no municipality.")
    return system_actor(job.municipality, label=ACTOR_LABEL)


def _scan(job: Job) -> None:
    kinds = set(job.payload["kinds"]) if job.payload.get("kinds") else None
    services.reminders_scan(actor=_actor(job), now=timezone.now(), kinds=kinds)


def _email(job: Job) -> None:
    reminder = Reminder.objects.filter(pk=job.payload["reminder_id"]).first()
    if reminder is None:  # deleted since (e.g. retention): nothing to tell
        return
    services.reminder_email_send(actor=_actor(job), reminder=reminder)


HANDLERS: dict[str, Handler] = {services.SCAN_JOB: _scan, services.EMAIL_JOB: _email}


def backoff(attempts: int) -> datetime.timedelta:
    """1, 2, 4, 8 … minutes after the first, second, third … failure, at most 6 hours."""
    seconds = BACKOFF_BASE_SECONDS * 2 ** max(attempts - 1, 0)
    return datetime.timedelta(seconds=min(seconds, BACKOFF_MAX_SECONDS))


def _claimable(now: datetime.datetime) -> Q:
    return Q(status=JobStatus.QUEUED, run_after__lte=now) | Q(
        status=JobStatus.RUNNING, locked_until__lt=now
    )


def _give_up_expired(now: datetime.datetime) -> int:
    """Jobs whose worker died on their last allowed attempt fail instead of looping."""
    return Job.objects.filter(
        status=JobStatus.RUNNING,
        locked_until__lt=now,
        attempts__gte=F("max_attempts"),
    ).update(
        status=JobStatus.FAILED,
        locked_by="",
        locked_until=None,
        finished_at=now,
        last_error="Arbeideren stoppet under siste forsøk.",
    )


def claim(worker_id: str, *, lease_seconds: int = LEASE_SECONDS) -> Job | None:
    """Take one due job (oldest first) and lease it to this worker, or None."""
    now = timezone.now()
    _give_up_expired(now)
    lease = {
        "status": JobStatus.RUNNING,
        "locked_by": worker_id,
        "locked_until": now + datetime.timedelta(seconds=lease_seconds),
        "attempts": F("attempts") + 1,
    }
    if connection.features.has_select_for_update_skip_locked:
        with transaction.atomic():
            job = (
                Job.objects.select_for_update(skip_locked=True)
                .filter(_claimable(now))
                .order_by("run_after", "pk")
                .first()
            )
            if job is None:
                return None
            Job.objects.filter(pk=job.pk).update(**lease)
        return Job.objects.select_related("municipality").get(pk=job.pk)
    # SQLite: compare-and-set; a job another worker took in between is skipped.
    candidates = Job.objects.filter(_claimable(now)).order_by("run_after", "pk")
    for pk in candidates.values_list("pk", flat=True)[:20]:
        if Job.objects.filter(_claimable(now), pk=pk).update(**lease) == 1:
            return Job.objects.select_related("municipality").get(pk=pk)
    return None


def _error_text(exc: BaseException) -> str:
    # The type and message only: the traceback goes to the log, not the table.
    return f"{type(exc).__name__}: {exc}"[:1000]


def run(job: Job, worker_id: str) -> bool:
    """Run a claimed job. True when it is done; on failure it is queued again after a
    backoff, or marked failed after its last attempt."""
    handler = HANDLERS.get(job.kind)
    try:
        with activate(job.municipality), transaction.atomic():
            # Still ours? Lock the row so a takeover cannot finish it at the same time.
            held = (
                Job.objects.select_for_update()
                .filter(pk=job.pk, locked_by=worker_id, status=JobStatus.RUNNING)
                .exists()
            )
            if not held:
                raise LeaseLost(job.pk)
            if handler is None:
                raise LookupError(f"unknown job kind {job.kind!r}")
            handler(job)
            Job.objects.filter(pk=job.pk).update(
                status=JobStatus.DONE,
                locked_by="",
                locked_until=None,
                finished_at=timezone.now(),
                last_error="",
            )
        return True
    except LeaseLost:
        logger.warning("Job %s was taken over by another worker", job.pk)
        return False
    except Exception as exc:
        logger.exception("Job %s (%s) failed on attempt %s", job.pk, job.kind, job.attempts)
        now = timezone.now()
        final = job.attempts >= job.max_attempts
        Job.objects.filter(pk=job.pk, locked_by=worker_id).update(
            status=JobStatus.FAILED if final else JobStatus.QUEUED,
            run_after=now if final else now + backoff(job.attempts),
            locked_by="",
            locked_until=None,
            last_error=_error_text(exc),
            finished_at=now if final else None,
        )
        return False


def schedule(now: datetime.datetime | None = None) -> int:
    """Enqueue the recurring jobs that are due: the daily reminder scan of each
    municipality, and a scan for meeting notices (invitations, changes, cancellations)
    and events (appointments, new persons in one's care, messages from citizens) every
    quarter of an hour so that they do not wait for the next day. The keys make
    this idempotent."""
    now = now or timezone.now()
    local = timezone.localtime(now)
    slot = local.replace(minute=local.minute - local.minute % INVITATION_SCAN_MINUTES)
    created = 0
    for municipality in Municipality.objects.order_by("pk"):
        number = municipality.number
        jobs: tuple[tuple[str, dict[str, Any]], ...] = (
            (f"{services.SCAN_JOB}:{number}:{local.date().isoformat()}", {}),
            (
                f"{services.SCAN_JOB}:{number}:invitations:{slot:%Y-%m-%dT%H:%M}",
                {
                    "kinds": [
                        ReminderKind.MEETING_INVITATION.value,
                        *sorted(kind.value for kind in EVENT_KINDS),
                    ]
                },
            ),
        )
        for key, payload in jobs:
            _job, new = services.job_enqueue(
                kind=services.SCAN_JOB,
                payload=payload,
                municipality=municipality,
                run_after=now,
                dedupe_key=key,
            )
            created += new
    return created


def default_worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


@dataclass
class Worker:
    worker_id: str = field(default_factory=default_worker_id)
    lease_seconds: int = LEASE_SECONDS
    stopping: bool = False

    def drain(self, limit: int | None = None) -> tuple[int, int]:
        """Schedule, then run due jobs until none is left (or `limit`). Returns
        (done, failed) counts."""
        schedule()
        done = failed = 0
        while limit is None or done + failed < limit:
            if self.stopping:
                break
            job = claim(self.worker_id, lease_seconds=self.lease_seconds)
            if job is None:
                break
            if run(job, self.worker_id):
                done += 1
            else:
                failed += 1
        return done, failed

    def loop(self, poll_seconds: float) -> None:
        while not self.stopping:
            self.drain()
            # Sleep in short steps so that a stop signal ends the worker promptly.
            deadline = time.monotonic() + poll_seconds
            while not self.stopping and time.monotonic() < deadline:
                time.sleep(min(1.0, poll_seconds))
