"""Writes: enqueueing jobs, the reminder scan, the e-mail notice, seen-marks and the
staff member's notification choice.

Reminders are unique per recipient, item, due date (and meeting version), so a scan
that runs twice — two workers, a restart after a crash — creates nothing new, and one
that runs after the worker was stopped makes the missed ones (see `selectors`). The
e-mail notice is a job of its own: a mail server that fails makes the job retry, and
the reminder is already saved. Notices carry no health information and no name.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from mestring.access.actor import Actor
from mestring.access.audit import EventSpec, record_event, record_events
from mestring.jobs import selectors
from mestring.jobs.models import (
    Job,
    NotificationChannel,
    NotificationPreference,
    Reminder,
)
from mestring.kernel.audit_words import AuditAction
from mestring.kernel.errors import RuleBroken
from mestring.people.models import Person, Staff
from mestring.tenancy.models import Municipality

EMAIL_JOB = "reminders.email"
SCAN_JOB = "reminders.scan"


class ReminderRuleError(RuleBroken):
    """A rule of reminders or notification choices was broken; the message is for the user."""

    code = "reminder_rule"


# --- The queue


def job_enqueue(
    *,
    kind: str,
    payload: dict[str, Any] | None = None,
    municipality: Municipality | None = None,
    run_after: datetime.datetime | None = None,
    dedupe_key: str | None = None,
    max_attempts: int = 5,
) -> tuple[Job, bool]:
    """Put a job in the queue; with a dedupe key, an existing job of that key is returned
    instead (created False). Safe against two workers enqueueing the same key at once."""
    if dedupe_key:
        existing = Job.objects.filter(dedupe_key=dedupe_key).first()
        if existing:
            return existing, False
    try:
        with transaction.atomic():
            job = Job.objects.create(
                kind=kind,
                payload=payload or {},
                municipality=municipality,
                run_after=run_after or timezone.now(),
                dedupe_key=dedupe_key,
                max_attempts=max_attempts,
            )
    except IntegrityError:
        return Job.objects.get(dedupe_key=dedupe_key), False
    return job, True


# --- Reminders


def _site_url(path: str) -> str:
    base = getattr(settings, "MESTRING_SITE_URL", "") or "http://localhost:8000"
    return base.rstrip("/") + path


def notice_text() -> tuple[str, str]:
    """Subject and body of every notice: the same words whatever the reminder is about,
    so nothing about a person's health or identity leaves the system."""
    subject = _("Ny påminnelse i Mestring")
    body = "\n\n".join(
        [
            _("Du har en ny påminnelse i Mestring."),
            _("Logg inn for å se den: %(link)s") % {"link": _site_url(reverse("jobs:reminders"))},
            _("Denne e-posten er sendt automatisk. Ikke svar på den."),
        ]
    )
    return subject, body


def _needs_email(item: selectors.DueItem) -> bool:
    # Group members outside the staff have no page in Mestring: e-mail is their only way.
    return selectors.wants_email(item.staff) if item.staff else True


def reminders_scan(
    *, actor: Actor, now: datetime.datetime | None = None, kinds: set[str] | None = None
) -> list[Reminder]:
    """Create the reminders due at `now` in the active municipality that do not exist
    yet; enqueue an e-mail notice for each whose recipient wants one. Returns the new ones."""
    now = now or timezone.now()
    items = list(selectors.due_items(now, kinds))
    created: list[Reminder] = []
    with transaction.atomic():
        existing = {
            (r.recipient_key, r.kind, r.object_id, r.due_on, r.version)
            for r in Reminder.objects.filter(object_id__in={item.object_id for item in items}).only(
                "recipient_key", "kind", "object_id", "due_on", "version"
            )
        }
        for item in items:
            if item.key in existing:
                continue
            existing.add(item.key)
            try:
                # A savepoint: a concurrent scan that got there first is not an error.
                with transaction.atomic():
                    reminder = Reminder.objects.create(
                        kind=item.kind,
                        staff=item.staff,
                        member=item.member,
                        recipient_key=item.recipient_key,
                        person_id=item.person_id,
                        object_type=item.object_type,
                        object_id=item.object_id,
                        due_on=item.due_on,
                        version=item.version,
                        late=item.late,
                        created_at=now,
                    )
            except IntegrityError:
                continue
            created.append(reminder)
            if _needs_email(item):
                job_enqueue(
                    kind=EMAIL_JOB,
                    payload={"reminder_id": reminder.pk},
                    municipality=actor.municipality,
                    dedupe_key=f"{EMAIL_JOB}:{reminder.pk}",
                )
        persons = Person.objects.in_bulk({reminder.person_id for reminder in created})
        record_events(
            actor=actor,
            specs=[
                EventSpec(
                    action=AuditAction.CREATE,
                    object_type="reminder",
                    object_id=reminder.pk,
                    person=persons[reminder.person_id],
                )
                for reminder in created
            ],
        )
    return created


def _address(reminder: Reminder) -> str:
    staff, member = reminder.staff, reminder.member
    if staff is not None:
        if staff.user.email and selectors.wants_email(staff):
            return staff.user.email
        return ""
    return selectors.member_email(member) if member is not None else ""


def reminder_email_send(*, actor: Actor, reminder: Reminder) -> bool:
    """Send the notice of one reminder, once. A failure to send raises, so the job is
    retried; the choice is read again, so turning e-mail off stops notices not yet sent."""
    with transaction.atomic():
        reminder = Reminder.objects.select_for_update().get(pk=reminder.pk)
        if reminder.emailed_at is not None:
            return False
        address = _address(reminder)
        if not address:
            return False
        subject, body = notice_text()
        send_mail(subject=subject, message=body, from_email=None, recipient_list=[address])
        reminder.emailed_at = timezone.now()
        reminder.save(update_fields=["emailed_at"])
        record_event(
            actor=actor,
            action=AuditAction.NOTIFY,
            object_type="reminder",
            object_id=reminder.pk,
            person=reminder.person,
        )
    return True


def reminder_mark_seen(*, actor: Actor, reminder_id: int) -> Reminder:
    """Mark one of the actor's own reminders as seen."""
    reminder = Reminder.objects.filter(pk=reminder_id, staff=actor.staff).first()
    if reminder is None:
        raise ReminderRuleError(_("Fant ikke påminnelsen."))
    if reminder.seen_at is not None:
        return reminder
    with transaction.atomic():
        reminder.seen_at = timezone.now()
        reminder.save(update_fields=["seen_at"])
        record_event(
            actor=actor,
            action=AuditAction.MARK_SEEN,
            object_type="reminder",
            object_id=reminder.pk,
            person=reminder.person,
        )
    return reminder


def preference_set(*, actor: Actor, channel: str) -> NotificationPreference:
    """The actor's choice: reminders in Mestring only, or an e-mail notice too."""
    staff: Staff | None = actor.staff
    if staff is None:
        raise ReminderRuleError(_("Bare ansatte kan velge varsling."))
    if channel not in NotificationChannel.values:
        raise ReminderRuleError(_("Velg en av måtene å bli varslet på."))
    if channel == NotificationChannel.EMAIL and not staff.user.email:
        raise ReminderRuleError(
            _("Du har ingen e-postadresse registrert. Be en administrator legge den inn først.")
        )
    with transaction.atomic():
        preference, _created = NotificationPreference.objects.update_or_create(
            staff=staff, defaults={"channel": channel, "updated_at": timezone.now()}
        )
        record_event(
            actor=actor,
            action=AuditAction.SET_NOTIFICATION,
            object_type="notification_preference",
            object_id=preference.pk,
        )
    return preference
