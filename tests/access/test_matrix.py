"""Role × page × relation × sperring: who reaches a person's pages.

Expected answers are computed here from the rule itself: a page opens when the user
has an active care relation (own or through their unit) and no block covers them;
a page marked administrative (access administration, appointing a coordinator) also
opens, without the record, for holders of its permission who are not blocked.
"""

from __future__ import annotations

import datetime
import itertools

import pytest
from django.urls import resolve, reverse
from django.utils import timezone

from mestring.access.models import AuditEvent, Block, CareRelation
from mestring.access.permissions import DEFAULT_ROLES
from tests import factories
from tests.conftest import login
from tests.urlwalk import person_routes

pytestmark = pytest.mark.django_db

PAGES = [
    route.name
    for route in person_routes()
    if route.params == ("person_id",) and route.name != "access:emergency"
]
RELATIONS = ["none", "own", "unit", "expired"]
BLOCKS = ["none", "staff", "unit"]
CASES = list(itertools.product(sorted(DEFAULT_ROLES), RELATIONS, BLOCKS))


def administrative_permission(page: str) -> str | None:
    """The permission that opens a page's administrative view without a relation."""
    url = reverse(page, kwargs={"person_id": 1})
    return getattr(resolve(url).func, "administrative_permission", None)


def expected(role: str, page: str, relation: str, block: str) -> bool:
    if block != "none":
        return False
    if relation in ("own", "unit"):
        return True
    permission = administrative_permission(page)
    return permission is not None and permission in DEFAULT_ROLES[role][1]


@pytest.mark.parametrize(("role", "relation", "block"), CASES)
def test_matrix(module_world, role, relation, block):
    world = module_world  # built once; each case's staff, relation and block are rolled back
    unit = factories.UnitFactory(municipality=world.municipality, name=f"Enhet {role}")
    staff = factories.StaffFactory(
        municipality=world.municipality, user__username=f"m-{role}-{relation}-{block}"
    )
    staff.units.add(unit)
    factories.give_role(staff, role)
    now = timezone.now()
    if relation in ("own", "expired"):
        CareRelation.all_objects.create(
            municipality=world.municipality,
            person=world.person,
            staff=staff,
            kind="manuell",
            reason="Matrise",
            valid_from=now - datetime.timedelta(days=10),
            valid_to=now - datetime.timedelta(days=1) if relation == "expired" else None,
        )
    elif relation == "unit":
        CareRelation.all_objects.create(
            municipality=world.municipality,
            person=world.person,
            unit=unit,
            kind="tjenesteyter",
            reason="Matrise",
        )
    if block == "staff":
        Block.all_objects.create(municipality=world.municipality, person=world.person, staff=staff)
    elif block == "unit":
        Block.all_objects.create(municipality=world.municipality, person=world.person, unit=unit)

    from django.test import Client

    client = login(Client(), staff)
    for page in PAGES:
        before = AuditEvent.all_objects.count()
        response = client.get(reverse(page, args=[world.person.pk]))
        allowed = expected(role, page, relation, block)
        assert response.status_code == (200 if allowed else 403), (page, response.status_code)
        event = AuditEvent.all_objects.latest("seq")
        assert AuditEvent.all_objects.count() == before + 1
        assert event.outcome == ("allowed" if allowed else "refused")
        assert event.person_id == world.person.pk


def test_matrix_size():
    # 7 roles × 4 relation states × 3 sperring states, each over every person page.
    assert len(CASES) == 84
    assert len(PAGES) >= 4
