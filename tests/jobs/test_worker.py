"""The queue and the worker: leases, a crashed worker's job taken over once, retries
with backoff, the scheduler's keys, and `mestring worker --once` end to end."""

from __future__ import annotations

import datetime
import smtplib
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from mestring.access.models import AuditEvent
from mestring.jobs import services, worker
from mestring.jobs.models import (
    Job,
    JobStatus,
    NotificationPreference,
    Reminder,
    ReminderKind,
)
from mestring.tenancy.context import activate
from tests.jobs.conftest import at
from tests.jobs.helpers import (
    D,
    make_coordinator,
    make_follow_up,
    make_group,
    make_plan,
    member,
    reminders,
)

pytestmark = pytest.mark.django_db
MINUTE = datetime.timedelta(minutes=1)


def _wants_email(staff, address: str) -> None:
    staff.user.email = address
    staff.user.save()
    NotificationPreference.all_objects.create(
        municipality=staff.municipality, staff=staff, channel="epost"
    )


def _due_plan(world) -> None:
    make_coordinator(world)
    make_plan(world, next_revision_on=D(2026, 9, 30))


def test_backoff_doubles_and_is_capped():
    assert [worker.backoff(n).total_seconds() for n in (1, 2, 3, 4)] == [60, 120, 240, 480]
    assert worker.backoff(30) == datetime.timedelta(hours=6)


def test_scheduler_enqueues_one_scan_per_municipality_per_day(world):
    from tests.factories import make_municipality

    make_municipality("9002", "Nabokommune")
    with time_machine.travel(at(D(2026, 9, 20), 7), tick=False):
        first = worker.schedule()
    with time_machine.travel(at(D(2026, 9, 20), 7) + 5 * MINUTE, tick=False):
        again = worker.schedule()
    daily = Job.objects.filter(dedupe_key__endswith=":2026-09-20")
    assert first == 4  # daily scan + invitation scan, for each of two municipalities
    assert again == 0
    assert daily.count() == 2
    assert {job.municipality.number for job in daily} == {"9001", "9002"}
    # The invitation scan has a new slot each quarter of an hour; the daily one does not.
    with time_machine.travel(at(D(2026, 9, 20), 7) + 15 * MINUTE, tick=False):
        assert worker.schedule() == 2
    with time_machine.travel(at(D(2026, 9, 21), 7), tick=False):
        assert worker.schedule() == 4


def test_worker_once_end_to_end_sends_a_notice_without_health_data(world):
    _due_plan(world)
    group = make_group(world)
    responsible = member(group, staff=world.owner, is_chair=True, role="Koordinator")
    item = make_follow_up(world, D(2026, 9, 21), responsible)
    _wants_email(world.owner, "koordinator@example.kommune.no")
    with time_machine.travel(at(D(2026, 9, 20)), tick=False):
        call_command("worker", "--once")
    kinds = sorted(r.kind for r in reminders(world))
    assert kinds == sorted([ReminderKind.PLAN_REVISION, ReminderKind.FOLLOW_UP])
    assert len(mail.outbox) == 2
    message = mail.outbox[0]
    assert message.to == ["koordinator@example.kommune.no"]
    text = message.subject + message.body
    assert "Du har en ny påminnelse i Mestring" in text
    assert "https://mestring.example.kommune.no/profil/paminnelser/" in text
    person = world.person
    for secret in (
        person.given_name,
        person.family_name,
        person.national_id,
        item.what,
        "Søke om",
        "hunden",
        "Revisjon",
        "plan",
    ):
        assert secret and secret not in text, secret
    assert all(r.emailed_at is not None for r in reminders(world))
    assert AuditEvent.all_objects.filter(object_type="reminder", action="notify").count() == 2
    assert not Job.objects.exclude(status=JobStatus.DONE).exists()
    # Run again, and after a restart later that day: nothing new, nothing sent again.
    with time_machine.travel(at(D(2026, 9, 20), 7) + 3 * MINUTE, tick=False):
        call_command("worker", "--once")
    with time_machine.travel(at(D(2026, 9, 20), 16), tick=False):
        call_command("worker", "--once")
    assert len(reminders(world)) == 2 and len(mail.outbox) == 2


def test_in_app_only_sends_no_email(world):
    _due_plan(world)
    world.owner.user.email = "koordinator@example.kommune.no"
    world.owner.user.save()
    with time_machine.travel(at(D(2026, 9, 20)), tick=False):
        call_command("worker", "--once")
    assert len(reminders(world)) == 1
    assert mail.outbox == []
    assert not Job.objects.filter(kind=services.EMAIL_JOB).exists()


def test_crashed_worker_lease_expires_and_the_job_is_done_once(world):
    _due_plan(world)
    start = at(D(2026, 9, 20))
    with time_machine.travel(start, tick=False):
        job, _new = services.job_enqueue(
            kind=services.SCAN_JOB, municipality=world.municipality, dedupe_key="scan-test"
        )
        taken = worker.claim("dead-worker", lease_seconds=60)
        assert taken.pk == job.pk and taken.locked_by == "dead-worker"
        # The dead worker holds the lease: no one else takes the job meanwhile.
        assert worker.claim("live-worker") is None
    # The dead worker never finishes. After its lease has run out, another takes over.
    with time_machine.travel(start + 2 * MINUTE, tick=False):
        live = worker.Worker(worker_id="live-worker")
        live.drain()
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.attempts == 2
    assert len(reminders(world)) == 1
    # The dead worker wakes up and tries to finish: it no longer holds the job.
    with time_machine.travel(start + 3 * MINUTE, tick=False):
        assert worker.run(taken, "dead-worker") is False
    assert len(reminders(world)) == 1
    job.refresh_from_db()
    assert job.status == JobStatus.DONE


def test_expired_lease_on_the_last_attempt_fails_the_job(world):
    start = at(D(2026, 9, 20))
    with time_machine.travel(start, tick=False):
        job, _new = services.job_enqueue(
            kind=services.SCAN_JOB, municipality=world.municipality, max_attempts=1
        )
        worker.claim("dead-worker", lease_seconds=60)
    with time_machine.travel(start + 2 * MINUTE, tick=False):
        assert worker.claim("live-worker") is None
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "siste forsøk" in job.last_error


def test_failed_mail_is_retried_with_backoff_and_the_reminder_kept(world):
    _due_plan(world)
    _wants_email(world.owner, "koordinator@example.kommune.no")
    start = at(D(2026, 9, 20))
    failing = mock.patch(
        "mestring.jobs.services.send_mail", side_effect=smtplib.SMTPServerDisconnected("nede")
    )
    with time_machine.travel(start, tick=False), failing:
        done, failed = worker.Worker().drain()
    assert (done, failed) == (2, 1)  # two scans done, the e-mail failed
    reminder = Reminder.all_objects.get()
    assert reminder.emailed_at is None
    email_job = Job.objects.get(kind=services.EMAIL_JOB)
    assert email_job.status == JobStatus.QUEUED and email_job.attempts == 1
    assert email_job.run_after == start + worker.backoff(1)
    assert "SMTPServerDisconnected" in email_job.last_error
    # Not due yet: a run half a minute later leaves it.
    with time_machine.travel(start + MINUTE / 2, tick=False):
        worker.Worker().drain()
    assert mail.outbox == []
    with time_machine.travel(start + MINUTE, tick=False):
        worker.Worker().drain()
    email_job.refresh_from_db()
    assert email_job.status == JobStatus.DONE and email_job.attempts == 2
    assert len(mail.outbox) == 1
    reminder.refresh_from_db()
    assert reminder.emailed_at is not None


def test_job_fails_for_good_after_max_attempts(world):
    start = at(D(2026, 9, 20))
    with time_machine.travel(start, tick=False):
        job, _new = services.job_enqueue(kind="ukjent.jobb", max_attempts=2)
    when = start
    for _attempt in range(2):
        with time_machine.travel(when, tick=False):
            claimed = worker.claim("w")
            assert claimed is not None
            assert worker.run(claimed, "w") is False
        job.refresh_from_db()
        when = job.run_after
    assert job.status == JobStatus.FAILED and job.attempts == 2
    assert "ukjent" in job.last_error
    with time_machine.travel(when + datetime.timedelta(days=1), tick=False):
        assert worker.claim("w") is None


def test_enqueue_with_the_same_key_gives_one_job(db):
    first, created = services.job_enqueue(kind="x", dedupe_key="k")
    second, again = services.job_enqueue(kind="x", dedupe_key="k")
    assert created and not again and first.pk == second.pk
    assert Job.objects.count() == 1


def test_meeting_invitations_to_staff_and_participants_with_email(world):
    from mestring.teams import services as team_services
    from tests.casework.helpers import actor_for

    group = make_group(world)
    member(group, staff=world.owner, is_chair=True, role="Koordinator")
    external = member(
        group, kind="ekstern", name="Fastlege Test", role="Fastlege", email="lege@example.no"
    )
    member(group, kind="ekstern", name="Uten adresse", role="PPT")
    start = at(D(2026, 5, 4), 9)
    with time_machine.travel(start, tick=False), activate(world.municipality):
        meeting = team_services.meeting_schedule(
            actor=actor_for(world.owner),
            group=group,
            starts_at=at(D(2026, 5, 20), 10),
            ends_at=at(D(2026, 5, 20), 11),
            place="Rådhuset, møterom 2",
            agenda="Ny rullestol",
        )
    with time_machine.travel(start + 5 * MINUTE, tick=False):
        worker.Worker().drain()
    invites = [r for r in reminders(world) if r.kind == ReminderKind.MEETING_INVITATION]
    assert {(r.staff_id, r.member_id, r.version) for r in invites} == {
        (world.owner.pk, None, 0),
        (None, external.pk, 0),
    }
    # The participant outside the staff gets the notice by e-mail; staff chose in-app.
    assert [m.to for m in mail.outbox] == [["lege@example.no"]]
    assert "Rådhuset" not in mail.outbox[0].body and "rullestol" not in mail.outbox[0].body
    # The meeting is changed: everyone is told of the change, once.
    with time_machine.travel(start + 60 * MINUTE, tick=False), activate(world.municipality):
        team_services.meeting_update(
            actor=actor_for(world.owner),
            meeting=meeting,
            starts_at=at(D(2026, 5, 21), 10),
            ends_at=at(D(2026, 5, 21), 11),
            place="Rådhuset, møterom 2",
        )
    for minutes in (61, 62, 80):
        with time_machine.travel(start + minutes * MINUTE, tick=False):
            worker.Worker().drain()
    invites = [r for r in reminders(world) if r.kind == ReminderKind.MEETING_INVITATION]
    changes = [r for r in reminders(world) if r.kind == ReminderKind.MEETING_CHANGED]
    assert len(invites) == 2
    assert {(r.staff_id, r.member_id, r.version, r.due_on) for r in changes} == {
        (world.owner.pk, None, 1, D(2026, 5, 21)),
        (None, external.pk, 1, D(2026, 5, 21)),
    }
    assert len(mail.outbox) == 2
    # Past meetings are not invited to.
    Reminder.all_objects.all().delete()
    with time_machine.travel(at(D(2026, 5, 22)), tick=False):
        worker.Worker().drain()
    assert not Reminder.all_objects.filter(kind=ReminderKind.MEETING_INVITATION).exists()
