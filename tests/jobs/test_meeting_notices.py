"""Notices of a meeting cancelled or changed after the invitations went out: to the
members told of it, by their own channel, without health information, once per
version of the meeting; and shown only to the recipient."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core import mail

from mestring.access.models import AuditEvent
from mestring.jobs import worker
from mestring.jobs.models import NotificationPreference, ReminderKind
from mestring.teams import services as team_services
from mestring.tenancy.context import activate
from tests.casework.helpers import actor_for
from tests.jobs.conftest import at
from tests.jobs.helpers import D, make_group, member, reminders

pytestmark = pytest.mark.django_db
MINUTE = datetime.timedelta(minutes=1)
START = at(D(2026, 5, 4), 9)
URL = "/profil/paminnelser/"


@pytest.fixture
def meeting_setup(world):
    """A group with the coordinator (e-mail chosen), a GP with an address and one
    without; a meeting on 20.05 is scheduled and the invitations sent."""
    world.owner.user.email = "koordinator@example.kommune.no"
    world.owner.user.save()
    NotificationPreference.all_objects.create(
        municipality=world.municipality, staff=world.owner, channel="epost"
    )
    group = make_group(world)
    member(group, staff=world.owner, is_chair=True, role="Koordinator")
    external = member(
        group, kind="ekstern", name="Fastlege Test", role="Fastlege", email="lege@example.no"
    )
    member(group, kind="ekstern", name="Uten adresse", role="PPT")
    with time_machine.travel(START, tick=False), activate(world.municipality):
        meeting = team_services.meeting_schedule(
            actor=actor_for(world.owner),
            group=group,
            starts_at=at(D(2026, 5, 20), 10),
            ends_at=at(D(2026, 5, 20), 11),
            place="Rådhuset, møterom 2",
            agenda="Ny rullestol til Gunnhild",
        )
    drain(START + 5 * MINUTE)
    assert _notices(world, ReminderKind.MEETING_INVITATION) == {
        (world.owner.pk, None, 0, D(2026, 5, 20)),
        (None, external.pk, 0, D(2026, 5, 20)),
    }
    assert len(mail.outbox) == 2
    return group, meeting, external


def drain(when: datetime.datetime) -> None:
    with time_machine.travel(when, tick=False):
        worker.Worker().drain()


def _notices(world, kind: str) -> set[tuple]:
    return {
        (r.staff_id, r.member_id, r.version, r.due_on) for r in reminders(world) if r.kind == kind
    }


def _update(world, meeting, day: datetime.date, when: datetime.datetime) -> None:
    with time_machine.travel(when, tick=False), activate(world.municipality):
        team_services.meeting_update(
            actor=actor_for(world.owner),
            meeting=meeting,
            starts_at=at(day, 10),
            ends_at=at(day, 11),
            place="Rådhuset, møterom 2",
        )


def _assert_no_health_information(world, messages) -> None:
    for message in messages:
        text = message.subject + message.body
        assert "https://mestring.example.kommune.no/profil/paminnelser/" in text
        for secret in (
            world.person.given_name,
            world.person.family_name,
            world.person.national_id,
            "Rådhuset",
            "rullestol",
            "Fastlege",
            "20.05",
            "avlys",
            "Avlys",
        ):
            assert secret not in text, secret


def test_cancelled_meeting_is_notified_once_to_those_invited(world, meeting_setup):
    _group, meeting, external = meeting_setup
    with time_machine.travel(START + 60 * MINUTE, tick=False), activate(world.municipality):
        team_services.meeting_cancel(actor=actor_for(world.owner), meeting=meeting)
    drain(START + 61 * MINUTE)
    assert _notices(world, ReminderKind.MEETING_CANCELLED) == {
        (world.owner.pk, None, 1, D(2026, 5, 20)),
        (None, external.pk, 1, D(2026, 5, 20)),
    }
    new_mail = mail.outbox[2:]
    assert sorted(m.to[0] for m in new_mail) == [
        "koordinator@example.kommune.no",
        "lege@example.no",
    ]
    _assert_no_health_information(world, new_mail)
    cancelled = [r for r in reminders(world) if r.kind == ReminderKind.MEETING_CANCELLED]
    assert all(r.emailed_at is not None and not r.late for r in cancelled)
    assert {r.person_id for r in cancelled} == {world.person.pk}
    notified = AuditEvent.all_objects.filter(
        object_type="reminder", action="notify", object_id__in=[str(r.pk) for r in cancelled]
    )
    assert notified.count() == 2
    # More passes (the quarter-hour scan, the next day's scan): nothing more.
    drain(START + 62 * MINUTE)
    drain(START + 80 * MINUTE)
    drain(at(D(2026, 5, 5)))
    assert len(reminders(world)) == 4 and len(mail.outbox) == 4


def test_meeting_cancelled_before_any_invitation_went_out_gives_no_notice(world):
    group = make_group(world)
    member(group, staff=world.owner, is_chair=True, role="Koordinator")
    with time_machine.travel(START, tick=False), activate(world.municipality):
        meeting = team_services.meeting_schedule(
            actor=actor_for(world.owner),
            group=group,
            starts_at=at(D(2026, 5, 20), 10),
            ends_at=at(D(2026, 5, 20), 11),
            place="Rådhuset",
        )
        team_services.meeting_cancel(actor=actor_for(world.owner), meeting=meeting)
    drain(START + MINUTE)
    assert reminders(world) == []


def test_meeting_moved_twice_notifies_each_change_once_with_the_latest_time(world, meeting_setup):
    _group, meeting, external = meeting_setup
    _update(world, meeting, D(2026, 5, 21), START + 60 * MINUTE)
    drain(START + 61 * MINUTE)
    drain(START + 62 * MINUTE)
    assert _notices(world, ReminderKind.MEETING_CHANGED) == {
        (world.owner.pk, None, 1, D(2026, 5, 21)),
        (None, external.pk, 1, D(2026, 5, 21)),
    }
    assert len(mail.outbox) == 4
    _update(world, meeting, D(2026, 5, 22), START + 120 * MINUTE)
    drain(START + 121 * MINUTE)
    drain(START + 135 * MINUTE)
    changes = _notices(world, ReminderKind.MEETING_CHANGED)
    assert {c for c in changes if c[2] == 2} == {
        (world.owner.pk, None, 2, D(2026, 5, 22)),
        (None, external.pk, 2, D(2026, 5, 22)),
    }
    assert len(changes) == 4 and len(mail.outbox) == 6
    _assert_no_health_information(world, mail.outbox[2:])
    # No new invitation to those already invited.
    assert len(_notices(world, ReminderKind.MEETING_INVITATION)) == 2


def test_two_changes_between_passes_give_one_notice_of_the_latest(world, meeting_setup):
    _group, meeting, external = meeting_setup
    _update(world, meeting, D(2026, 5, 21), START + 60 * MINUTE)
    _update(world, meeting, D(2026, 5, 27), START + 61 * MINUTE)
    drain(START + 62 * MINUTE)
    drain(START + 75 * MINUTE)
    assert _notices(world, ReminderKind.MEETING_CHANGED) == {
        (world.owner.pk, None, 2, D(2026, 5, 27)),
        (None, external.pk, 2, D(2026, 5, 27)),
    }
    assert len(mail.outbox) == 4


def test_changed_then_cancelled_is_notified_in_turn(world, meeting_setup):
    _group, meeting, external = meeting_setup
    _update(world, meeting, D(2026, 5, 21), START + 60 * MINUTE)
    drain(START + 61 * MINUTE)
    with time_machine.travel(START + 90 * MINUTE, tick=False), activate(world.municipality):
        meeting.refresh_from_db()
        team_services.meeting_cancel(actor=actor_for(world.owner), meeting=meeting)
    drain(START + 91 * MINUTE)
    drain(START + 92 * MINUTE)
    assert _notices(world, ReminderKind.MEETING_CANCELLED) == {
        (world.owner.pk, None, 2, D(2026, 5, 21)),
        (None, external.pk, 2, D(2026, 5, 21)),
    }
    assert len(reminders(world)) == 6 and len(mail.outbox) == 6


def test_member_added_before_a_change_gets_an_invitation_not_a_change(world, meeting_setup):
    group, meeting, _external = meeting_setup
    newcomer = member(group, staff=world.team_member, role="Ergoterapeut")
    _update(world, meeting, D(2026, 5, 21), START + 60 * MINUTE)
    drain(START + 61 * MINUTE)
    assert (world.team_member.pk, None, 1, D(2026, 5, 21)) in _notices(
        world, ReminderKind.MEETING_INVITATION
    )
    assert newcomer.pk not in {c[1] for c in _notices(world, ReminderKind.MEETING_CHANGED)}
    assert world.team_member.pk not in {c[0] for c in _notices(world, ReminderKind.MEETING_CHANGED)}


def test_no_notice_about_a_meeting_that_has_passed(world, meeting_setup):
    _group, meeting, _external = meeting_setup
    with time_machine.travel(START + 60 * MINUTE, tick=False), activate(world.municipality):
        team_services.meeting_cancel(actor=actor_for(world.owner), meeting=meeting)
    # The worker is stopped until after the meeting's time: a cancellation is no news.
    drain(at(D(2026, 5, 21)))
    assert _notices(world, ReminderKind.MEETING_CANCELLED) == set()
    assert len(mail.outbox) == 2


def test_cancellation_is_shown_to_the_recipient_only(world, meeting_setup, client_for):
    _group, meeting, _external = meeting_setup
    with time_machine.travel(START + 60 * MINUTE, tick=False), activate(world.municipality):
        team_services.meeting_cancel(actor=actor_for(world.owner), meeting=meeting)
    drain(START + 61 * MINUTE)
    page = client_for(world.owner).get(URL).content.decode()
    assert "Avlyst ansvarsgruppemøte" in page and "20.05.2026" in page
    assert world.person.family_name not in page
    for stranger in (world.outsider, world.team_member):
        page = client_for(stranger).get(URL).content.decode()
        assert "Avlyst ansvarsgruppemøte" not in page
        assert "Du har ingen påminnelser." in page
