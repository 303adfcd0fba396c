"""The reminders page: own reminders only, marking seen, the notification choice;
refusal of anonymous users and of another municipality's staff."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from mestring.access.models import AuditEvent
from mestring.jobs.models import NotificationPreference, Reminder
from tests.conftest import make_staff
from tests.factories import make_municipality
from tests.jobs.conftest import at
from tests.jobs.helpers import D, make_coordinator, make_plan, scan

pytestmark = pytest.mark.django_db
URL = "/profil/paminnelser/"


@pytest.fixture
def reminder(world) -> Reminder:
    make_coordinator(world)
    make_plan(world, next_revision_on=D(2026, 9, 30))
    (created,) = scan(world, at(D(2026, 9, 20)))
    return created


def test_url_name():
    assert reverse("jobs:reminders") == URL


def test_anonymous_is_sent_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/logg-inn/" in response["Location"]


def test_owner_sees_own_reminder_without_the_persons_name(world, reminder, client_for):
    response = client_for(world.owner).get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Revisjon av individuell plan" in page and "30.09.2026" in page
    assert world.person.family_name not in page
    assert reverse("jobs:mark_seen", args=[reminder.pk]) in page


def test_other_staff_do_not_see_it(world, reminder, client_for):
    page = client_for(world.outsider).get(URL).content.decode()
    assert "Du har ingen påminnelser." in page
    assert reverse("jobs:mark_seen", args=[reminder.pk]) not in page


def test_mark_seen_own_only(world, reminder, client_for):
    url = reverse("jobs:mark_seen", args=[reminder.pk])
    response = client_for(world.outsider).post(url, follow=True)
    assert "Fant ikke påminnelsen." in response.content.decode()
    reminder.refresh_from_db()
    assert reminder.seen_at is None
    response = client_for(world.owner).post(url)
    assert response.status_code == 302
    reminder.refresh_from_db()
    assert reminder.seen_at is not None
    assert AuditEvent.all_objects.filter(
        action="mark_seen", object_id=str(reminder.pk), username=world.owner.user.username
    ).exists()
    assert client_for(world.owner).get(url).status_code == 405


def test_another_municipality_cannot_see_or_mark(world, reminder, client_for):
    other = make_municipality("9002", "Nabokommune")
    stranger = make_staff(other, "koordinator", "nabo")
    page = client_for(stranger).get(URL).content.decode()
    assert "Revisjon av individuell plan" not in page
    response = client_for(stranger).post(reverse("jobs:mark_seen", args=[reminder.pk]))
    assert response.status_code == 302
    reminder.refresh_from_db()
    assert reminder.seen_at is None


def test_choose_email_and_back(world, client_for):
    world.owner.user.email = "koordinator@example.kommune.no"
    world.owner.user.save()
    client = client_for(world.owner)
    response = client.post(URL, {"channel": "epost"})
    assert response.status_code == 302
    preference = NotificationPreference.all_objects.get(staff=world.owner)
    assert preference.channel == "epost"
    assert AuditEvent.all_objects.filter(action="set_notification").count() == 1
    inputs = re.findall(r"<input[^>]*>", client.get(URL).content.decode())
    assert any('value="epost"' in tag and "checked" in tag for tag in inputs)
    client.post(URL, {"channel": "app"})
    preference.refresh_from_db()
    assert preference.channel == "app"


def test_bad_choice_and_missing_address_are_explained(world, client_for):
    client = client_for(world.owner)
    response = client.post(URL, {"channel": "sms"})
    assert response.status_code == 200
    assert "Velg en av måtene å bli varslet på." in response.content.decode()
    world.owner.user.email = ""
    world.owner.user.save()
    response = client.post(URL, {"channel": "epost"})
    assert response.status_code == 200
    assert "ingen e-postadresse" in response.content.decode()
    assert not NotificationPreference.all_objects.exists()


def test_page_queries_do_not_grow_with_the_list(world, client_for, django_assert_max_num_queries):
    make_coordinator(world)
    from tests.jobs.helpers import make_consent

    make_plan(world, next_revision_on=D(2026, 9, 30))
    for month in (10, 11, 12):
        make_consent(world, expires_on=D(2026, month, 1))
    scan(world, at(D(2026, 9, 20)))
    assert Reminder.all_objects.filter(staff=world.owner).count() == 2
    client = client_for(world.owner)
    client.get(URL)
    with django_assert_max_num_queries(40) as few:
        client.get(URL)
    scan(world, at(D(2026, 11, 5)))
    # The consent of 01.12 is now within its notice; the one of 01.11 expired while no
    # scan ran, and is caught up (late).
    assert Reminder.all_objects.filter(staff=world.owner).count() == 4
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(URL)
