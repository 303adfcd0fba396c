"""Reminders of events that bring work to a user: an appointment as coordinator, a
person who comes into the user's care, a message from a citizen or relative. Each is
told once, to the one whose work it is, audited, with an e-mail notice only to those
who chose one."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from mestring.access import services as access_services
from mestring.access.models import AuditEvent
from mestring.jobs import services, worker
from mestring.jobs.models import EVENT_KINDS, Job, NotificationPreference, Reminder, ReminderKind
from mestring.plans import services as plan_services
from mestring.portal.models import Conversation, Message
from mestring.tenancy.context import activate
from tests import factories
from tests.jobs.helpers import scan
from tests.plans.helpers import actor_for, make_lead, make_pool_coordinator

pytestmark = pytest.mark.django_db

EVENTS = {kind.value for kind in EVENT_KINDS}


def _soon() -> datetime.datetime:
    return timezone.now() + datetime.timedelta(minutes=1)


def _events(staff) -> list[tuple[str, str, int]]:
    return sorted(
        (r.kind, r.object_type, r.person_id)
        for r in Reminder.all_objects.filter(staff=staff, kind__in=EVENTS)
    )


def _wants_email(staff, address: str) -> None:
    staff.user.email = address
    staff.user.save()
    NotificationPreference.all_objects.create(
        municipality=staff.municipality, staff=staff, channel="epost"
    )


def _lead(world):
    from mestring.people.models import Staff

    found = Staff.all_objects.filter(
        municipality=world.municipality, user__username="ke-leder"
    ).first()
    return found or make_lead(world)


def _appoint(world, coordinator, person):
    with activate(world.municipality):
        return plan_services.coordinator_appoint(
            actor=actor_for(_lead(world)),
            person=person,
            coordinator=coordinator,
            started_on=timezone.localdate(),
        )


def _message(person, *, sent_at=None, read=False) -> Message:
    conversation, _created = Conversation.all_objects.get_or_create(
        municipality=person.municipality, person=person
    )
    sent_at = sent_at or timezone.now()
    return Message.all_objects.create(
        municipality=person.municipality,
        conversation=conversation,
        sender_kind="innbygger",
        sender_name="Datteren",
        body="Mor har falt igjen og er redd.",
        sent_at=sent_at,
        read_at=sent_at if read else None,
    )


def test_an_appointment_is_told_once_to_the_coordinator_and_audited(world):
    coordinator = make_pool_coordinator(world, "kari")
    person = factories.PersonFactory(municipality=world.municipality)
    assignment = _appoint(world, coordinator, person)
    first = scan(world, _soon(), EVENTS)
    # The appointment, not also its care relation (that would tell it twice).
    assert _events(coordinator) == [
        (ReminderKind.COORDINATOR_APPOINTED, "coordinator_assignment", person.pk)
    ]
    reminder = Reminder.all_objects.get(staff=coordinator)
    assert (reminder.object_id, reminder.due_on) == (assignment.pk, assignment.started_on)
    assert not reminder.late
    assert AuditEvent.all_objects.filter(
        object_type="reminder", object_id=str(reminder.pk), action="create", person=person
    ).exists()
    assert reminder in first
    assert scan(world, _soon(), EVENTS) == []  # once
    assert not [r for r in scan(world, _soon()) if r.staff == coordinator]  # the daily scan too


def test_a_person_given_by_someone_else_is_told_once_and_one_taken_oneself_not(world):
    lead = _lead(world)
    given = factories.PersonFactory(municipality=world.municipality)
    taken = factories.PersonFactory(municipality=world.municipality)
    now = timezone.now()
    with activate(world.municipality):
        access_services.care_relation_grant(
            actor=actor_for(lead),
            person=given,
            staff=world.team_member,
            kind="manuell",
            reason="Skal følge opp etter utskrivning",
            valid_to=now + datetime.timedelta(days=30),
        )
        access_services.care_relation_grant(
            actor=actor_for(world.team_member),
            person=taken,
            staff=world.team_member,
            kind="manuell",
            reason="Tar over mens kollega er borte",
            valid_to=now + datetime.timedelta(days=3),
        )
    scan(world, _soon(), EVENTS)
    assert _events(world.team_member) == [
        (ReminderKind.NEW_CARE_RELATION, "care_relation", given.pk)
    ]
    assert scan(world, _soon(), EVENTS) == []
    # A relation to the unit is the unit's list, not a reminder to each member.
    assert not Reminder.all_objects.filter(staff=world.team_member, person=world.person).exists()


def test_a_message_from_a_relative_is_told_to_the_coordinator_once(world):
    coordinator = make_pool_coordinator(world, "kari")
    person = factories.PersonFactory(municipality=world.municipality)
    _appoint(world, coordinator, person)
    message = _message(person)
    _message(person, read=True)  # read already: nothing to tell
    _message(person, sent_at=timezone.now() - datetime.timedelta(days=30))  # old news
    other = factories.PersonFactory(municipality=world.municipality)
    _message(other)  # no coordinator: no one to tell
    scan(world, _soon(), EVENTS)
    told = Reminder.all_objects.filter(kind=ReminderKind.CITIZEN_MESSAGE)
    assert [(r.staff_id, r.object_id, r.person_id) for r in told] == [
        (coordinator.pk, message.pk, person.pk)
    ]
    assert scan(world, _soon(), EVENTS) == []
    # A second message is a reminder of its own.
    second = _message(person)
    new = scan(world, _soon(), EVENTS)
    assert [(r.kind, r.object_id) for r in new] == [(ReminderKind.CITIZEN_MESSAGE, second.pk)]


def test_email_notices_follow_the_choice_and_hold_no_health_data(world, settings):
    settings.MESTRING_SITE_URL = "https://mestring.example.kommune.no"
    wants = make_pool_coordinator(world, "kari")
    _wants_email(wants, "kari@example.kommune.no")
    app_only = make_pool_coordinator(world, "ola")
    first = factories.PersonFactory(municipality=world.municipality)
    second = factories.PersonFactory(municipality=world.municipality)
    _appoint(world, wants, first)
    _appoint(world, app_only, second)
    _message(first)
    _message(second)
    created = scan(world, _soon(), EVENTS)
    assert len([r for r in created if r.staff in (wants, app_only)]) == 4
    jobs = Job.objects.filter(kind=services.EMAIL_JOB)
    emailed = sorted(
        Reminder.all_objects.get(pk=job.payload["reminder_id"]).staff_id for job in jobs
    )
    assert emailed == [wants.pk, wants.pk]
    mail.outbox.clear()
    worker.Worker().drain()
    assert [m.to for m in mail.outbox] == [["kari@example.kommune.no"]] * 2
    for notice in mail.outbox:
        text = notice.subject + notice.body
        for secret in ("falt", "redd", first.given_name, first.family_name):
            assert secret not in text


def test_the_quarter_hour_scan_looks_for_events_too(world):
    worker.schedule()
    quarter = Job.objects.filter(dedupe_key__contains=":invitations:").first()
    assert quarter is not None
    assert set(quarter.payload["kinds"]) >= EVENTS


def test_the_new_reminders_list_and_its_links_open_for_the_coordinator(world, client_for):
    coordinator = make_pool_coordinator(world, "kari")
    person = factories.PersonFactory(municipality=world.municipality)
    _appoint(world, coordinator, person)
    _message(person)
    scan(world, _soon(), EVENTS)
    seen = Reminder.all_objects.get(staff=coordinator, kind=ReminderKind.COORDINATOR_APPOINTED)
    seen.seen_at = timezone.now()
    seen.save()
    client = client_for(coordinator)
    response = client.get(reverse("jobs:reminders"), {"vis": "nye"})
    assert response.status_code == 200
    listed = list(response.context["page"].object_list)
    assert [r.kind for r in listed] == [ReminderKind.CITIZEN_MESSAGE]
    inbox = reverse("portal:staff_citizen_input", args=[person.pk])
    assert f'href="{inbox}"' in response.content.decode()
    assert client.get(inbox).status_code == 200
    # The outsider has no reminder about the person, and cannot open the page.
    outsider = client_for(world.outsider)
    assert not outsider.get(reverse("jobs:reminders"), {"vis": "nye"}).context["page"].object_list
    assert outsider.get(inbox).status_code == 403
