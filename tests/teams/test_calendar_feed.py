"""The private calendar feed: made, shown once, rotated and revoked; the feed holds the
staff member's meetings only, with no names and no agenda."""

from __future__ import annotations

import datetime
import hashlib
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from mestring.access.models import AuditEvent
from mestring.teams.models import CalendarFeed
from tests import factories
from tests.conftest import make_staff
from tests.teams.helpers import add_provider, make_coordinator, make_group, make_meeting

PAGE = "teams:calendar_feed"


def new_feed(client) -> str:
    """Makes a feed through the page and returns its token, read from the page once."""
    response = client.post(reverse(PAGE), {"handling": "ny"})
    assert response.status_code == 200
    match = re.search(r"/kalender/([A-Za-z0-9_-]+)\.ics", response.content.decode())
    assert match, "the page shows the feed address"
    return match.group(1)


def feed_uids(client, token: str) -> set[str]:
    response = client.get(reverse("teams:calendar_feed_ics", args=[token]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    return {str(event["UID"]) for event in calendar.walk("VEVENT")}


@pytest.fixture
def setup(world):
    make_coordinator(world.person, world.owner)
    group = make_group(world)
    provider = make_staff(world.municipality, "tjenesteyter", "fysio")
    add_provider(world, group, provider)
    now = timezone.now()
    soon = make_meeting(world, group, now + datetime.timedelta(days=3))
    recent = make_meeting(world, group, now - datetime.timedelta(days=10))
    old = make_meeting(world, group, now - datetime.timedelta(days=60))
    far = make_meeting(world, group, now + datetime.timedelta(days=400))
    return {
        "group": group,
        "provider": provider,
        "in_window": {f"{soon.uid}@mestring", f"{recent.uid}@mestring"},
        "outside": {f"{old.uid}@mestring", f"{far.uid}@mestring"},
    }


def test_feed_has_the_members_meetings_in_the_window(world, client_for, setup):
    token = new_feed(client_for(setup["provider"]))
    assert feed_uids(client_for(world.outsider), token) == setup["in_window"]


def test_feed_works_without_login_and_for_the_coordinator(world, client, client_for, setup):
    token = new_feed(client_for(world.owner))
    assert feed_uids(client, token) == setup["in_window"]


def test_only_that_staff_members_meetings(world, client, client_for, setup):
    other_person = factories.PersonFactory(municipality=world.municipality)
    other_group = make_group(world, person=other_person)
    other_meeting = make_meeting(world, other_group, timezone.now() + datetime.timedelta(days=2))
    token = new_feed(client_for(setup["provider"]))
    uids = feed_uids(client, token)
    assert f"{other_meeting.uid}@mestring" not in uids
    assert not uids & setup["outside"]
    # The outsider is a member of nothing: an empty, valid calendar.
    assert feed_uids(client, new_feed(client_for(world.outsider))) == set()


def test_another_municipality_never(world, client, client_for, setup):
    other = factories.make_municipality("9002", "Annenkommune")
    other_person = factories.PersonFactory(municipality=other)
    other_staff = make_staff(other, "koordinator", "annen")
    make_coordinator(other_person, other_staff)

    class OtherWorld:
        municipality = other
        owner = other_staff
        person = other_person

    other_group = make_group(OtherWorld)
    other_meeting = make_meeting(OtherWorld, other_group, timezone.now())
    token = new_feed(client_for(world.owner))
    uids = feed_uids(client, token)
    assert uids == setup["in_window"]
    assert f"{other_meeting.uid}@mestring" not in uids
    # The other municipality's coordinator sees only their own meeting.
    assert feed_uids(client, new_feed(client_for(other_staff))) == {f"{other_meeting.uid}@mestring"}


def test_no_names_no_agenda_and_a_link_back(world, client, client_for, setup):
    token = new_feed(client_for(setup["provider"]))
    content = client.get(reverse("teams:calendar_feed_ics", args=[token])).content.decode()
    for text in (
        world.person.given_name,
        world.person.family_name,
        "Status for målene",
        setup["provider"].user.last_name,
        world.owner.user.last_name,
    ):
        assert text not in content
    calendar = Calendar.from_ical(content)
    events = list(calendar.walk("VEVENT"))
    assert {str(e["SUMMARY"]) for e in events} == {"Ansvarsgruppemøte"}
    assert {str(e["LOCATION"]) for e in events} == {"Rådhuset, møterom 2"}
    for event in events:
        assert f"/personer/{world.person.pk}/moter/" in str(event["URL"])


def test_token_is_stored_hashed_and_shown_once(world, client_for, setup):
    client = client_for(setup["provider"])
    token = new_feed(client)
    feed = CalendarFeed.all_objects.get(staff=setup["provider"], revoked_at__isnull=True)
    assert feed.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in feed.token_hash
    assert len(token) >= 40
    page = client.get(reverse(PAGE)).content.decode()
    assert token not in page
    assert "aktivt kalenderabonnement" in page


def test_new_address_revokes_the_old(world, client, client_for, setup):
    staff_client = client_for(setup["provider"])
    old = new_feed(staff_client)
    new = new_feed(staff_client)
    assert old != new
    assert client.get(reverse("teams:calendar_feed_ics", args=[old])).status_code == 404
    assert feed_uids(client, new) == setup["in_window"]
    assert CalendarFeed.all_objects.filter(revoked_at__isnull=True).count() == 1


def test_revoked_and_unknown_tokens_are_404(world, client, client_for, setup):
    staff_client = client_for(setup["provider"])
    token = new_feed(staff_client)
    response = staff_client.post(reverse(PAGE), {"handling": "stopp"})
    assert response.status_code == 302
    assert client.get(reverse("teams:calendar_feed_ics", args=[token])).status_code == 404
    assert client.get(reverse("teams:calendar_feed_ics", args=["x" * 43])).status_code == 404
    assert client.get(reverse("teams:calendar_feed_ics", args=["x" * 300])).status_code == 404
    assert "Du har ikke kalenderabonnement" in staff_client.get(reverse(PAGE)).content.decode()


def test_writes_and_reads_are_audited(world, client, client_for, setup):
    token = new_feed(client_for(setup["provider"]))
    new_feed(client_for(setup["provider"]))
    feed_events = AuditEvent.all_objects.filter(object_type="calendar_feed")
    assert list(feed_events.order_by("seq").values_list("action", flat=True)) == [
        "create",
        "revoke",
        "create",
    ]
    token = new_feed(client_for(setup["provider"]))
    before = feed_events.count()
    client.get(reverse("teams:calendar_feed_ics", args=[token]))
    read = feed_events.order_by("-seq").first()
    assert feed_events.count() == before + 1
    assert (read.action, read.user_id, read.person_id) == ("view", None, None)
    assert "calendar_feed" in read.role
    # A refused token writes nothing.
    client.get(reverse("teams:calendar_feed_ics", args=["ukjent"]))
    assert feed_events.count() == before + 1


def test_page_needs_login(client):
    response = client.get(reverse(PAGE))
    assert response.status_code == 302
    assert "login" in response["Location"] or "logg" in response["Location"]


def test_feed_query_count_is_fixed(world, client, client_for, setup, django_assert_max_num_queries):
    token = new_feed(client_for(setup["provider"]))
    for _ in range(5):
        make_meeting(world, setup["group"], timezone.now() + datetime.timedelta(days=5))
    with django_assert_max_num_queries(8):
        assert len(feed_uids(client, token)) == 7
