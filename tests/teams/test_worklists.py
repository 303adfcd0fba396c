"""Lists across persons (meetings this week, follow-ups, overdue) and fixed query counts."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mestring.teams import selectors
from mestring.teams.models import (
    Attendance,
    FollowUpItem,
    GroupMember,
    Meeting,
    ResponsibilityGroup,
)
from mestring.tenancy.context import activate
from tests.teams.helpers import (
    add_provider,
    make_coordinator,
    make_group,
    make_meeting,
    make_provider,
    make_relative,
)

pytestmark = pytest.mark.django_db

OSLO = ZoneInfo("Europe/Oslo")


def oslo(*args: int) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=OSLO)


def raw_meeting(group: ResponsibilityGroup, starts_at: datetime.datetime, **extra) -> Meeting:
    return Meeting.all_objects.create(
        municipality=group.municipality,
        group=group,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=1),
        place="Rådhuset",
        **extra,
    )


def raw_item(meeting: Meeting, member: GroupMember, due_on: datetime.date, **extra) -> FollowUpItem:
    return FollowUpItem.all_objects.create(
        municipality=meeting.municipality,
        meeting=meeting,
        what=extra.pop("what", f"Punkt med frist {due_on:%d.%m.%Y}"),
        responsible_member=member,
        due_on=due_on,
        **extra,
    )


def test_meetings_this_week_counts_monday_to_sunday_in_oslo(world):
    group = make_group(world)
    today = datetime.date(2026, 3, 11)  # a Wednesday
    cases = {
        oslo(2026, 3, 9, 0, 30): ("planlagt", True),  # Monday, early (still Sunday in UTC)
        oslo(2026, 3, 12, 10, 0): ("avholdt", True),
        oslo(2026, 3, 15, 23, 30): ("planlagt", True),  # Sunday night
        oslo(2026, 3, 13, 9, 0): ("avlyst", False),  # cancelled meetings are not counted
        oslo(2026, 3, 8, 23, 50): ("planlagt", False),  # the Sunday before
        oslo(2026, 3, 16, 0, 10): ("planlagt", False),  # next Monday
    }
    for starts_at, (status, _counted) in cases.items():
        raw_meeting(group, starts_at, status=status)
    expected = sorted(start for start, (_status, counted) in cases.items() if counted)
    with activate(world.municipality):
        found = [m.starts_at for m in selectors.meetings_this_week(today)]
        count = selectors.meetings_this_week_count(today)
    assert found == expected
    assert count == len(expected) == 3


def test_overdue_follow_ups_are_counted_for_everyone_and_per_staff(world):
    group = make_group(world)
    provider = make_provider(world)
    member = add_provider(world, group, provider)
    relative_member = GroupMember.all_objects.create(
        municipality=world.municipality,
        group=group,
        kind="parorende",
        relative=make_relative(world.person),
        role="Datter",
        started_on=group.started_on,
    )
    meeting = raw_meeting(group, oslo(2026, 2, 1, 10, 0), status="avholdt")
    today = datetime.date(2026, 3, 15)
    items = [
        (member, datetime.date(2026, 3, 1), None),
        (member, datetime.date(2026, 3, 14), None),
        (member, datetime.date(2026, 3, 15), None),  # due today: not overdue yet
        (member, datetime.date(2026, 3, 5), datetime.date(2026, 3, 4)),  # done
        (relative_member, datetime.date(2026, 2, 20), None),
        (relative_member, datetime.date(2026, 4, 1), None),
    ]
    for who, due_on, done_on in items:
        raw_item(meeting, who, due_on, done_on=done_on)
    overdue_all = sum(1 for _who, due, done in items if done is None and due < today)
    overdue_mine = sum(1 for who, due, done in items if who == member and not done and due < today)
    with activate(world.municipality):
        assert selectors.follow_ups_overdue_count(today) == overdue_all == 3
        assert selectors.staff_overdue_count(provider, today) == overdue_mine == 2
        mine = list(selectors.open_follow_ups_for_staff(provider, today))
    assert [(i.due_on, i.is_overdue) for i in mine] == [
        (datetime.date(2026, 3, 1), True),
        (datetime.date(2026, 3, 14), True),
        (datetime.date(2026, 3, 15), False),
    ]


def test_worklist_page_shows_overdue_first_and_only_own_items(world, client_for):
    group = make_group(world)
    provider = make_provider(world)
    member = add_provider(world, group, provider)
    meeting = make_meeting(world, group)
    today = timezone.localdate()
    raw_item(meeting, member, today + datetime.timedelta(days=7), what="Senere punkt")
    raw_item(meeting, member, today - datetime.timedelta(days=2), what="Forfalt punkt")
    owner_member = GroupMember.all_objects.get(group=group, kind="personen")
    raw_item(meeting, owner_member, today, what="Personens eget punkt")
    body = client_for(provider).get(reverse("teams:my_follow_ups")).content.decode()
    assert body.index("Forfalt punkt") < body.index("Senere punkt")
    assert "Personens eget punkt" not in body
    assert "Du har 2 åpne oppfølgingspunkter fra ansvarsgruppemøter. Ett har passert fristen." in (
        body
    )
    assert body.count(">Forfalt</span>") == 1


def test_outsider_sees_no_one_elses_follow_ups(world, client_for):
    group = make_group(world)
    member = add_provider(world, group, make_provider(world))
    raw_item(make_meeting(world, group), member, timezone.localdate(), what="Hemmelig punkt")
    response = client_for(world.outsider).get(reverse("teams:my_follow_ups"))
    assert response.status_code == 200
    assert b"Hemmelig punkt" not in response.content
    assert b"Skjermesen" not in response.content


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def _grow(world, group: ResponsibilityGroup, meeting: Meeting, n: int) -> None:
    """Add n of everything a page lists: members (staff, relatives, past), meetings, items."""
    for i in range(n):
        staff = make_provider(world, f"yter{group.pk}-{i}-{timezone.now().timestamp()}")
        member = add_provider(world, group, staff)
        GroupMember.all_objects.create(
            municipality=world.municipality,
            group=group,
            kind="parorende",
            relative=make_relative(world.person, f"Pårørende {i}"),
            role="Barn",
            started_on=group.started_on,
            ended_on=datetime.date(2026, 2, 1),
        )
        raw_meeting(group, timezone.now() + datetime.timedelta(days=i + 1))
        raw_meeting(group, timezone.now() - datetime.timedelta(days=i + 10), status="avholdt")
        raw_item(meeting, member, timezone.localdate())
        raw_item(meeting, world_owner_member(group), timezone.localdate())
        Attendance.all_objects.create(
            municipality=world.municipality, meeting=meeting, member=member, attended=True
        )


def world_owner_member(group: ResponsibilityGroup) -> GroupMember:
    return GroupMember.all_objects.get(group=group, is_chair=True, ended_on__isnull=True)


def test_pages_use_a_fixed_number_of_queries(world, client_for):
    make_coordinator(world.person, world.owner)
    group = make_group(world)
    meeting = make_meeting(world, group)
    raw_item(meeting, world_owner_member(group), timezone.localdate())
    Meeting.all_objects.filter(pk=meeting.pk).update(status="avholdt", minutes="R")
    client = client_for(world.owner)
    urls = [
        reverse("teams:group_detail", args=[world.person.pk]),
        reverse("teams:meeting_detail", args=[world.person.pk, meeting.pk]),
        reverse("teams:my_follow_ups"),
    ]
    before = [_queries(client, url) for url in urls]
    _grow(world, group, meeting, 6)
    after = [_queries(client, url) for url in urls]
    assert after == before
    body = client.get(urls[1]).content.decode()
    assert body.count("Marker som utført") == 13  # the items are really listed


@pytest.mark.attack
def test_worklist_logs_each_person_named_and_a_block_hides_the_name(world, client_for):
    """(M5) The person each own item is about is in their access log when the list shows
    them; a person who has blocked the staff member is not named."""
    from mestring.access.models import AuditEvent, Block

    group = make_group(world)
    provider = make_provider(world)
    member = add_provider(world, group, provider)
    raw_item(make_meeting(world, group), member, timezone.localdate(), what="Eget punkt")
    client = client_for(provider)
    body = client.get(reverse("teams:my_follow_ups")).content.decode()
    assert world.person.family_name in body and "Eget punkt" in body
    event = AuditEvent.all_objects.get(user=provider.user, person=world.person)
    assert (event.object_type, event.action) == ("follow_up_list", "view")
    Block.all_objects.create(municipality=world.municipality, person=world.person, staff=provider)
    body = client.get(reverse("teams:my_follow_ups")).content.decode()
    assert world.person.family_name not in body and "Navn vises ikke" in body
    assert AuditEvent.all_objects.filter(user=provider.user, person=world.person).count() == 1
