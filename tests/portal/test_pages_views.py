"""The citizen's pages: each page for the person, the login redirect, and a person
who cannot reach anyone else's data."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from mestring.access.models import AuditEvent
from tests import factories
from tests.portal.pages_helpers import citizen_client, make_plan_world

pytestmark = pytest.mark.django_db

PAGES = [
    "portal:home",
    "portal:plan",
    "portal:what_matters",
    "portal:goal_propose",
    "portal:messages",
    "portal:decisions",
    "portal:apply",
    "portal:consent",
    "portal:block_request",
    "portal:access_log",
]


@pytest.mark.parametrize("name", PAGES)
def test_each_page_opens_for_the_person_and_is_audited_once(world, name):
    make_plan_world(world)
    client = citizen_client(world.person)
    before = AuditEvent.all_objects.count()
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert AuditEvent.all_objects.count() == before + 1
    event = AuditEvent.all_objects.order_by("-seq").first()
    assert (event.person_id, event.purpose, event.reason_code) == (world.person.pk, "citizen", "")
    assert event.user_id is None and event.role == "innbygger"


@pytest.mark.parametrize("name", PAGES)
def test_without_a_session_the_page_sends_to_login(world, name):
    response = Client().get(reverse(name))
    assert response.status_code == 302
    assert world.person.family_name.encode() not in response.content


@pytest.mark.parametrize("name", PAGES)
def test_staff_login_is_not_a_citizen_login(world, client_for, name):
    response = client_for(world.owner).get(reverse(name))
    assert response.status_code == 302
    assert world.person.family_name.encode() not in response.content


def test_plan_shows_goals_measures_coordinator_and_what_matters(world):
    pw = make_plan_world(world)
    content = citizen_client(world.person).get(reverse("portal:plan")).content.decode()
    assert "Jeg vil handle selv" in content
    assert "Gåtrening" in content
    assert "Å gå tur med hunden." in content
    assert "eier@example.org" in content and "40000001" in content
    assert reverse("portal:goal_comment", args=[pw.goal.pk]) in content
    assert reverse("portal:measure_comment", args=[pw.measure.pk]) in content


def test_home_shows_coordinator_and_unread_count(world):
    make_plan_world(world)
    content = citizen_client(world.person).get(reverse("portal:home")).content.decode()
    assert "eier@example.org" in content
    assert "ingen uleste meldinger" in content


def test_another_person_cannot_open_my_pages(world):
    """A citizen logged in as someone else, who chose my id, is sent to choose again."""
    make_plan_world(world)
    stranger = factories.PersonFactory(municipality=world.municipality)
    client = citizen_client(world.person, national_id=stranger.national_id, name="Fremmed")
    response = client.get(reverse("portal:plan"))
    assert response.status_code == 302
    assert b"Jeg vil handle selv" not in response.content
