"""Meetings: invitations, the .ics file, attendance, minutes and follow-up items."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from mestring.access.models import AuditEvent
from mestring.teams import services
from mestring.teams.models import Attendance, FollowUpItem, GroupMember, Meeting
from mestring.tenancy.context import activate
from tests import factories
from tests.teams.helpers import (
    actor_for,
    add_provider,
    make_coordinator,
    make_group,
    make_meeting,
    make_provider,
    make_relative,
)

pytestmark = pytest.mark.django_db

OSLO = ZoneInfo("Europe/Oslo")


def new_url(world) -> str:
    return reverse("teams:meeting_new", args=[world.person.pk])


def meeting_url(world, meeting: Meeting, name: str = "meeting_detail") -> str:
    return reverse(f"teams:{name}", args=[world.person.pk, meeting.pk])


def meeting_data(**extra) -> dict[str, str]:
    return {
        "day": "10.03.2026",
        "start_time": "09:30",
        "end_time": "11:00",
        "place": "Rådhuset, møterom 2",
        "agenda": "Gjennomgang av mål og tiltak. Ny vurdering av hjemmetjenester.",
        **extra,
    }


def parse_event(body: bytes):
    calendar = Calendar.from_ical(body)
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    return calendar, events[0]


@pytest.fixture
def group(world):
    make_coordinator(world.person, world.owner)
    group = make_group(world)
    relative = make_relative(world.person)
    with activate(world.municipality):
        services.member_add(
            actor=actor_for(world.owner),
            group=group,
            kind="parorende",
            relative=relative,
            role="Datter",
            started_on=group.started_on,
        )
    return group


def test_scheduling_invites_every_current_member(world, client_for, group):
    provider = make_provider(world)
    member = add_provider(world, group, provider)
    with activate(world.municipality):
        services.member_end(
            actor=actor_for(world.owner), member=member, ended_on=datetime.date(2026, 2, 1)
        )
    client = client_for(world.owner)
    assert client.get(new_url(world)).status_code == 200
    response = client.post(new_url(world), meeting_data())
    meeting = Meeting.all_objects.get()
    assert response.status_code == 302 and response.url == meeting_url(world, meeting)
    # 09:30 in Oslo on 10 March (winter time, UTC+1) is 08:30 UTC.
    assert meeting.starts_at == datetime.datetime(2026, 3, 10, 8, 30, tzinfo=datetime.UTC)
    assert meeting.ends_at == datetime.datetime(2026, 3, 10, 10, 0, tzinfo=datetime.UTC)
    invited = Attendance.all_objects.filter(meeting=meeting)
    current = GroupMember.all_objects.filter(group=group, ended_on__isnull=True)
    assert set(invited.values_list("member_id", flat=True)) == set(
        current.values_list("pk", flat=True)
    )
    assert len(current) == 3  # the person, the coordinator, the daughter; not the past member
    assert all(row.invited_at is not None and row.attended is None for row in invited)
    event = AuditEvent.all_objects.filter(object_type="meeting", action="schedule").get()
    assert event.person_id == world.person.pk
    body = client.get(meeting_url(world, meeting)).content.decode()
    assert "Rita Datter" in body and "10.03.2026 kl. 09:30–11:00" in body


@pytest.mark.parametrize(
    ("changes", "message", "kept"),
    [
        ({"start_time": "25:00"}, "Klokkeslettet må skrives som tt:mm", 'value="25:00"'),
        ({"end_time": "kl 11"}, "Klokkeslettet må skrives som tt:mm", 'value="kl 11"'),
        ({"end_time": "09:00"}, "Møtet må slutte etter at det starter.", 'value="09:00"'),
        ({"start_time": ""}, "Skriv inn når møtet starter.", 'value="11:00"'),
        ({"day": "2026-13-01"}, "Datoen må skrives som dd.mm.åååå.", 'value="2026-13-01"'),
        (
            {"day": "29.03.2026", "start_time": "02:30", "end_time": "04:00"},
            "Klokkeslettet finnes ikke denne dagen (sommertid).",
            'value="02:30"',
        ),
        ({"place": "Hjemme hos Gunnhild"}, "Skriv det uten personens navn.", "Gjennomgang av mål"),
    ],
)
def test_meeting_form_errors_are_clear_and_keep_input(
    world, client_for, group, changes, message, kept
):
    response = client_for(world.owner).post(new_url(world), meeting_data(**changes))
    body = response.content.decode()
    assert response.status_code == 200
    assert message in body
    assert kept in body
    assert not Meeting.all_objects.exists()


def test_time_with_a_dot_and_summer_time_is_converted(world, client_for, group):
    client_for(world.owner).post(
        new_url(world), meeting_data(day="15.06.2026", start_time="9.00", end_time="10.15")
    )
    meeting = Meeting.all_objects.get()
    local = datetime.datetime(2026, 6, 15, 9, 0, tzinfo=OSLO)
    assert meeting.starts_at == local.astimezone(datetime.UTC)
    assert meeting.starts_at.hour == 7  # summer time, UTC+2


def test_ics_has_time_place_and_nothing_about_the_person(world, client_for, group):
    client = client_for(world.owner)
    client.post(new_url(world), meeting_data())
    meeting = Meeting.all_objects.get()
    response = client.get(meeting_url(world, meeting, "meeting_ics"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="ansvarsgruppemote-2026-03-10.ics"'
    )
    calendar, event = parse_event(response.content)
    assert str(calendar["METHOD"]) == "PUBLISH"
    assert str(event["UID"]) == f"{meeting.uid}@mestring"
    expected_start = datetime.datetime(2026, 3, 10, 9, 30, tzinfo=OSLO).astimezone(datetime.UTC)
    assert event.decoded("DTSTART") == expected_start
    assert event.decoded("DTSTART").utcoffset() == datetime.timedelta(0)
    assert event.decoded("DTEND") == expected_start + datetime.timedelta(minutes=90)
    assert "DTSTART:20260310T083000Z" in response.content.decode()
    assert str(event["SUMMARY"]) == "Ansvarsgruppemøte"
    assert str(event["LOCATION"]) == "Rådhuset, møterom 2"
    assert (int(event["SEQUENCE"]), str(event["STATUS"])) == (0, "CONFIRMED")
    assert event.decoded("DTSTAMP").utcoffset() == datetime.timedelta(0)
    text = response.content.decode()
    for secret in (
        world.person.given_name,
        world.person.family_name,
        world.person.national_id,
        "Rita Datter",
        "hjemmetjenester",  # from the agenda
    ):
        assert secret.casefold() not in text.casefold()
    # The download is a read of the person's data: audited with the person.
    event_row = AuditEvent.all_objects.latest("seq")
    assert (event_row.object_type, event_row.person_id) == ("meeting_invitation", world.person.pk)


def test_update_raises_sequence_and_cancel_sends_cancelled(world, client_for, group):
    client = client_for(world.owner)
    client.post(new_url(world), meeting_data())
    meeting = Meeting.all_objects.get()
    edit = meeting_url(world, meeting, "meeting_edit")
    assert 'value="09:30"' in client.get(edit).content.decode()  # the form shows local time
    response = client.post(edit, meeting_data(start_time="12:00", end_time="13:00"))
    assert response.status_code == 302
    _calendar, event = parse_event(client.get(meeting_url(world, meeting, "meeting_ics")).content)
    assert int(event["SEQUENCE"]) == 1
    assert event.decoded("DTSTART") == datetime.datetime(2026, 3, 10, 11, 0, tzinfo=datetime.UTC)
    assert str(event["UID"]) == f"{meeting.uid}@mestring"  # same event, new version

    client.post(meeting_url(world, meeting, "meeting_cancel"))
    _calendar, event = parse_event(client.get(meeting_url(world, meeting, "meeting_ics")).content)
    assert (int(event["SEQUENCE"]), str(event["STATUS"])) == (2, "CANCELLED")
    meeting.refresh_from_db()
    assert meeting.status == "avlyst"
    actions = AuditEvent.all_objects.filter(object_type="meeting").exclude(action="view")
    assert list(actions.order_by("seq").values_list("action", flat=True)) == [
        "schedule",
        "update",
        "cancel",
    ]
    response = client.post(edit, meeting_data())
    assert "Bare planlagte møter kan endres." in response.content.decode()


def test_minutes_are_recorded_after_the_meeting(world, client_for, group):
    client = client_for(world.owner)
    future = make_meeting(world, group, timezone.now() + datetime.timedelta(days=3))
    with activate(world.municipality), pytest.raises(services.TeamRuleError, match="ikke startet"):
        services.meeting_record(
            actor=actor_for(world.owner), meeting=future, attendance={}, minutes="For tidlig"
        )
    meeting = make_meeting(world, group)
    rows = {
        row.member.kind: row
        for row in Attendance.all_objects.filter(meeting=meeting).select_related("member")
    }
    url = meeting_url(world, meeting)
    response = client.post(url, {"record": "1", "referat-minutes": ""})
    assert "Skriv referatet fra møtet." in response.content.decode()
    response = client.post(
        url,
        {
            "record": "1",
            "referat-attended": [rows["personen"].member_id, rows["intern"].member_id],
            "referat-minutes": "Gjennomgikk målene.",
            "referat-decisions": "Søke om trygghetsalarm.",
        },
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == "avholdt"
    assert meeting.minutes == "Gjennomgikk målene."
    assert meeting.decisions == "Søke om trygghetsalarm."
    assert meeting.minutes_shared_with_person is False  # the box was not ticked
    attended = dict(
        Attendance.all_objects.filter(meeting=meeting).values_list("member__kind", "attended")
    )
    assert attended == {"personen": True, "intern": True, "parorende": False}
    event = AuditEvent.all_objects.filter(object_type="meeting", action="record").latest("seq")
    assert event.person_id == world.person.pk


def test_follow_up_stays_on_the_responsibles_list_until_done(world, client_for, group):
    provider = make_provider(world)
    member = add_provider(world, group, provider)
    meeting = make_meeting(world, group)
    owner = client_for(world.owner)
    url = meeting_url(world, meeting)
    follow_up = {
        "follow_up": "1",
        "oppfolging-what": "Bestille rullator",
        "oppfolging-responsible": member.pk,
        "oppfolging-due_on": "01.12.2030",
    }
    response = owner.post(url, follow_up)
    assert "Registrer referatet fra møtet før du legger til oppfølgingspunkter." in (
        response.content.decode()
    )
    owner.post(url, {"record": "1", "referat-minutes": "Referat"})
    response = owner.post(url, {**follow_up, "oppfolging-due_on": "01.13.2030"})
    assert "Datoen må skrives som dd.mm.åååå." in response.content.decode()
    assert 'value="Bestille rullator"' in response.content.decode()
    assert owner.post(url, follow_up).status_code == 302
    item = FollowUpItem.all_objects.get()

    worklist = reverse("teams:my_follow_ups")
    client = client_for(provider)
    for _ in range(2):  # still there on a later visit
        body = client.get(worklist).content.decode()
        assert "Bestille rullator" in body and "Skjermesen, Gunnhild" in body
    assert "Bestille rullator" not in owner.get(worklist).content.decode()
    done_url = reverse("teams:follow_up_done", args=[world.person.pk, item.pk])
    response = client.post(done_url, {"fra": "oppfolging"})
    assert response.status_code == 302 and response.url == worklist
    item.refresh_from_db()
    assert item.done_on == timezone.localdate()
    body = client.get(worklist).content.decode()
    assert "Bestille rullator" not in body
    assert "Du har ingen åpne oppfølgingspunkter." in body
    actions = AuditEvent.all_objects.filter(object_type="follow_up").order_by("seq")
    assert list(actions.values_list("action", "person_id")) == [
        ("create", world.person.pk),
        ("done", world.person.pk),
    ]
    response = client.post(done_url, follow=True)
    assert "Oppfølgingspunktet er allerede utført." in response.content.decode()


def test_follow_up_rules(world, group):
    actor = actor_for(world.owner)
    meeting = make_meeting(world, group)
    other_group_member = GroupMember.all_objects.get(group=group, kind="personen")
    with activate(world.municipality):
        services.meeting_record(actor=actor, meeting=meeting, attendance={}, minutes="R")
        with pytest.raises(services.TeamRuleError, match="før møtet"):
            services.follow_up_add(
                actor=actor,
                meeting=meeting,
                what="X",
                responsible_member=other_group_member,
                due_on=datetime.date(2020, 1, 1),
            )
        with pytest.raises(services.TeamRuleError, match="Bare de som var invitert"):
            services.meeting_record(
                actor=actor, meeting=meeting, attendance={10**9: True}, minutes="R"
            )


@pytest.mark.parametrize(
    "name", ["meeting_detail", "meeting_edit", "meeting_cancel", "meeting_ics"]
)
def test_outsider_is_refused_on_meeting_pages(world, client_for, group, name):
    meeting = make_meeting(world, group)
    client = client_for(world.outsider)
    url = meeting_url(world, meeting, name)
    for response in (client.get(url), client.post(url, {"record": "1", "referat-minutes": "X"})):
        assert response.status_code == 403
        assert b"Skjermesen" not in response.content
        assert b"BEGIN:VCALENDAR" not in response.content
    meeting.refresh_from_db()
    assert (meeting.status, meeting.minutes) == ("planlagt", "")


def test_another_persons_meeting_is_not_found_under_this_person(world, client_for, group):
    other = factories.PersonFactory(municipality=world.municipality)
    factories.grant_relation(world.owner, other)
    other_meeting = make_meeting(world, make_group(world, person=other))
    url = reverse("teams:meeting_ics", args=[world.person.pk, other_meeting.pk])
    assert client_for(world.owner).get(url).status_code == 404
