"""The id-swap walk: every person URL, as every role, with ids that are not theirs.

Three ways an insider tries to reach a person they have no relation to:

- *foreign*: a user of each default role, with no relation, opens every person URL of
  the victim. Refused (403) unless the page is administrative and the role holds its
  permission; emergency access shows only its form.
- *swap*: a user with a relation to their own person puts that person's id in the URL
  and the victim's ids in the rest of it (plan, episode, decision …). The object is not
  the person's, so the answer is 403 or 404, never the victim's data or a change.
- *other municipality*: users of another municipality, whatever their role, are
  refused every person URL of this one.

The URLs come from the URL configuration, so a new person view is walked the day it is
added (tests/person_ids.py says how to make the ids).
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import resolve

from mestring.access.models import AuditEvent, Block, CareRelation, Consent
from mestring.access.permissions import DEFAULT_ROLES
from mestring.people.models import Person, Staff
from tests import factories
from tests.conftest import World, built_once, login
from tests.person_ids import make_person_ids, url_for
from tests.urlwalk import Route, person_routes

# The guard sits above the ORM: the engine cannot change these answers, so the walk runs
# once, in CI's PostgreSQL pass.
pytestmark = [pytest.mark.django_db, pytest.mark.attack, pytest.mark.engine_independent]

ROUTES = person_routes()
ROLES = sorted(DEFAULT_ROLES)
# Parameters that name a kind of thing, not an object of the person.
NOT_AN_OBJECT = {"person_id", "instrument", "revision_number"}
SWAP_ROUTES = [route for route in ROUTES if set(route.params) - NOT_AN_OBJECT]
FORM_DATA = {"family_name": "Endret", "name": "X", "reason": "Forsøk", "text": "Forsøk"}


@dataclass
class Attackers:
    ids: dict[str, int]
    by_role: dict[str, Staff]  # one user of each role, no relation to the victim
    swapper: Staff  # coordinator with a relation to `own_person` only
    own_person: Person
    foreign: dict[str, Staff]  # each role, in another municipality


def _build(world: World) -> Attackers:
    ids = make_person_ids(world)
    by_role = {role: _staff(world.municipality, role, f"angriper-{role}") for role in DEFAULT_ROLES}
    own_person = factories.PersonFactory(
        municipality=world.municipality, given_name="Egen", family_name="Brukersen"
    )
    swapper = _staff(world.municipality, "koordinator", "bytter")
    factories.grant_relation(swapper, own_person)
    other = factories.make_municipality("9002", "Nabokommune")
    foreign = {role: _staff(other, role, f"nabo-{role}") for role in DEFAULT_ROLES}
    return Attackers(ids, by_role, swapper, own_person, foreign)


def _staff(municipality, role: str, username: str) -> Staff:
    staff = factories.StaffFactory(municipality=municipality, user__username=username)
    factories.give_role(staff, role)
    return staff


@pytest.fixture(scope="module")
def attackers(module_world, django_db_blocker):
    yield from built_once(django_db_blocker, lambda: _build(module_world))


def _snapshot(world: World) -> dict[str, object]:
    return {
        "person": Person.all_objects.filter(pk=world.person.pk).values().get(),
        "relations": CareRelation.all_objects.filter(valid_to__isnull=True).count(),
        "blocks": Block.all_objects.filter(ended_at__isnull=True).count(),
        "consents": Consent.all_objects.filter(withdrawn_on__isnull=True).count(),
    }


def _victim_shown(world: World, content: bytes) -> bool:
    return world.person.family_name.encode() in content or world.person.given_name.encode() in (
        content
    )


def _allowed_rows_for_victim(world: World, since: int) -> int:
    return AuditEvent.all_objects.filter(
        seq__gt=since, person_id=world.person.pk, outcome="allowed"
    ).count()


def _last_seq() -> int:
    last = AuditEvent.all_objects.order_by("-seq").values_list("seq", flat=True).first()
    return last or 0


def _opens_administratively(url: str, role: str) -> bool:
    permission = getattr(resolve(url).func, "administrative_permission", None)
    return permission is not None and permission in DEFAULT_ROLES[role][1]


def _exempt(url: str) -> bool:
    return bool(getattr(resolve(url).func, "person_guard_exempt", False))


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name)
@pytest.mark.parametrize("role", ROLES)
def test_foreign_role_is_refused(module_world, attackers, role: str, route: Route):
    world = module_world
    url = url_for(route, attackers.ids)
    if _opens_administratively(url, role):
        pytest.skip("administrative page: the role may open it (tests/access/test_matrix)")
    client = login(Client(), attackers.by_role[role])
    before, since = _snapshot(world), _last_seq()
    for method in ("get", "post"):
        response = getattr(client, method)(url, FORM_DATA)
        expected = 200 if _exempt(url) and method == "get" else 403
        if _exempt(url):
            assert response.status_code in (200, 403), (method, url)
        else:
            assert response.status_code == expected, (method, url, response.status_code)
        assert not _victim_shown(world, response.content), (method, url)
    assert _snapshot(world) == before
    assert _allowed_rows_for_victim(world, since) == 0


@pytest.mark.parametrize("route", SWAP_ROUTES, ids=lambda r: r.name)
def test_swapped_ids_are_refused(module_world, attackers, route: Route):
    world = module_world
    url = url_for(route, attackers.ids, person_id=attackers.own_person.pk)
    client = login(Client(), attackers.swapper)
    before, since = _snapshot(world), _last_seq()
    answers = []
    for method in ("get", "post"):
        response = getattr(client, method)(url, FORM_DATA)
        # 405: the view does not take this method and stops before it looks at the ids.
        assert response.status_code in (403, 404, 405), (method, url, response.status_code)
        assert not _victim_shown(world, response.content), (method, url)
        answers.append(response.status_code)
    assert answers != [405, 405], url
    assert _snapshot(world) == before
    assert _allowed_rows_for_victim(world, since) == 0


@pytest.mark.parametrize("role", ROLES)
def test_other_municipality_is_refused_everywhere(module_world, attackers, role: str):
    world = module_world
    client = login(Client(), attackers.foreign[role])
    before, since = _snapshot(world), _last_seq()
    for route in ROUTES:
        url = url_for(route, attackers.ids)
        for method in ("get", "post"):
            response = getattr(client, method)(url, FORM_DATA)
            assert response.status_code in (200, 403, 404), (method, url, response.status_code)
            if response.status_code == 200:
                # Emergency access: its form (again, with errors); nothing is opened.
                assert _exempt(url), (method, url)
            assert not _victim_shown(world, response.content), (method, url)
    assert _snapshot(world) == before
    assert _allowed_rows_for_victim(world, since) == 0
