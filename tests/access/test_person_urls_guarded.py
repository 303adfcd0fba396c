"""Every URL that takes a person refuses a user without a care relation.

The URLs are found from the URL configuration, not from a hand-kept list: a new view
with a `person_id` is covered the day it is added.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from mestring.access.models import AuditEvent
from mestring.people.models import Person
from tests.urlwalk import person_routes

pytestmark = pytest.mark.django_db

ROUTES = person_routes()


def test_person_routes_are_found():
    names = {route.name for route in ROUTES}
    assert {"people:overview", "people:edit", "people:relative_add"} <= names


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name)
@pytest.mark.parametrize("method", ["get", "post"])
def test_outsider_is_refused(world, client_for, route, method):
    client = client_for(world.outsider)
    url = reverse(route.name, kwargs={"person_id": world.person.pk})
    before_name = world.person.family_name
    before_events = AuditEvent.all_objects.count()
    response = getattr(client, method)(url, {"family_name": "Endret", "name": "X"})
    assert response.status_code == 403
    assert world.person.family_name.encode() not in response.content
    assert Person.all_objects.get(pk=world.person.pk).family_name == before_name
    refusal = AuditEvent.all_objects.order_by("-seq").first()
    assert AuditEvent.all_objects.count() == before_events + 1
    assert refusal.outcome == "refused"
    assert refusal.person_id == world.person.pk


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name)
def test_owner_is_allowed_and_audited_once(world, client_for, route):
    client = client_for(world.owner)
    url = reverse(route.name, kwargs={"person_id": world.person.pk})
    before = AuditEvent.all_objects.count()
    response = client.get(url)
    assert response.status_code == 200
    assert AuditEvent.all_objects.count() == before + 1
    event = AuditEvent.all_objects.order_by("-seq").first()
    assert (event.outcome, event.person_id) == ("allowed", world.person.pk)
