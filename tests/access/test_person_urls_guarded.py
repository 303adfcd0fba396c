"""Every URL that takes a person refuses a user without a care relation.

The URLs are found from the URL configuration, not from a hand-kept list: a new view
with a `person_id` is covered the day it is added (it fails here until the test knows
how to make the other ids in its URL).
"""

from __future__ import annotations

import pytest
from django.urls import resolve

from mestring.access.models import AuditEvent, Block, CareRelation, Consent
from mestring.people.models import Person
from tests.conftest import built_once
from tests.person_ids import make_person_ids, url_for
from tests.urlwalk import person_routes

pytestmark = pytest.mark.django_db

ROUTES = person_routes()


@pytest.fixture(scope="module")
def ids(module_world, django_db_blocker):
    """An object of each kind that person URLs point at, all belonging to the person.

    Built once for the module: every case only reads them (each case's own writes are
    rolled back, see `built_once`)."""
    yield from built_once(django_db_blocker, lambda: make_person_ids(module_world))


@pytest.fixture
def world(module_world):
    return module_world


def is_exempt(url: str) -> bool:
    return bool(getattr(resolve(url).func, "person_guard_exempt", False))


def test_person_routes_are_found():
    names = {route.name for route in ROUTES}
    assert {"people:overview", "people:edit", "access:access_log", "access:emergency"} <= names


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name)
@pytest.mark.parametrize("method", ["get", "post"])
def test_outsider_is_refused(world, client_for, ids, route, method):
    client = client_for(world.outsider)
    url = url_for(route, ids)
    before_events = AuditEvent.all_objects.count()
    before = {
        "person": Person.all_objects.filter(pk=world.person.pk).values().get(),
        "relations": CareRelation.all_objects.filter(valid_to__isnull=True).count(),
        "blocks": Block.all_objects.filter(ended_at__isnull=True).count(),
        "consents": Consent.all_objects.filter(withdrawn_on__isnull=True).count(),
    }
    data = {"family_name": "Endret", "name": "X", "withdrawn_by": "personen", "reason": ""}
    response = getattr(client, method)(url, data)
    assert world.person.family_name.encode() not in response.content
    assert world.person.given_name.encode() not in response.content
    assert before == {
        "person": Person.all_objects.filter(pk=world.person.pk).values().get(),
        "relations": CareRelation.all_objects.filter(valid_to__isnull=True).count(),
        "blocks": Block.all_objects.filter(ended_at__isnull=True).count(),
        "consents": Consent.all_objects.filter(withdrawn_on__isnull=True).count(),
    }
    if is_exempt(url):
        # Emergency access shows a form and nothing about the person; an empty form
        # opens nothing.
        assert response.status_code == 200
        assert AuditEvent.all_objects.count() == before_events
        return
    assert response.status_code == 403
    refusal = AuditEvent.all_objects.order_by("-seq").first()
    assert AuditEvent.all_objects.count() == before_events + 1
    assert refusal.outcome == "refused"
    assert refusal.person_id == world.person.pk


@pytest.mark.parametrize(
    "route", [r for r in ROUTES if r.params == ("person_id",)], ids=lambda r: r.name
)
def test_owner_is_allowed_and_audited_once(world, client_for, ids, route):
    client = client_for(world.owner)
    url = url_for(route, ids)
    before = AuditEvent.all_objects.count()
    response = client.get(url)
    assert response.status_code == 200
    if is_exempt(url):
        return
    assert AuditEvent.all_objects.count() == before + 1
    event = AuditEvent.all_objects.order_by("-seq").first()
    assert (event.outcome, event.person_id) == ("allowed", world.person.pk)
    assert event.reason_code == "tjenesteyter"  # the ground of access is logged
