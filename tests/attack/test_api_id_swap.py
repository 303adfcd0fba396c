"""The id-swap walk through the REST API: every operation, with ids that are not the caller's.

The operations come from the API's own OpenAPI document, so a new endpoint is walked the
day it is added. Each is called with a token with every scope:

- by users of every default role without a relation to the victim (victim's ids);
- by a coordinator with a relation to their own person, with that person's id and the
  victim's ids for the rest of the path;
- by users of another municipality.

None may see the victim's name or change the victim's data; every answer is a refusal.
Scope, permission and the guard answer before the body is read, so a caller without a
relation gets 403 whatever they send. The walk sends bodies the schema accepts
(tests/attack/bodies.py), so that with swapped ids the object lookup answers, not
validation.
"""

from __future__ import annotations

import datetime
import json
import re
from dataclasses import dataclass

import pytest
from django.test import Client

from mestring.access.models import AuditEvent
from mestring.access.permissions import DEFAULT_ROLES
from mestring.api.api import api
from mestring.casework.models import Appeal, Decision
from mestring.people.models import Person, Staff
from mestring.teams.models import GroupMember
from tests import factories
from tests.api.helpers import bearer, make_token
from tests.attack.bodies import example_body
from tests.conftest import World, built_once
from tests.person_ids import make_person_ids

pytestmark = [pytest.mark.django_db, pytest.mark.attack, pytest.mark.engine_independent]

ROLES = sorted(DEFAULT_ROLES)
PARAM = re.compile(r"{(\w+)}")


@dataclass(frozen=True)
class Operation:
    method: str
    path: str

    @property
    def params(self) -> list[str]:
        return PARAM.findall(self.path)

    def __str__(self) -> str:
        return f"{self.method.upper()} {self.path}"


DOCUMENT = api.get_openapi_schema()


def _operations() -> list[Operation]:
    return [
        Operation(method, path)
        for path, item in DOCUMENT["paths"].items()
        for method in sorted(item)
        if method in {"get", "post", "put", "patch", "delete"}
    ]


OPERATIONS = _operations()
PERSON_OPERATIONS = [op for op in OPERATIONS if "person_id" in op.params]
SWAP_OPERATIONS = [op for op in PERSON_OPERATIONS if len(op.params) > 1]
# Operations on a loan by its own id: the assistive-device technicians' delivery and
# return work, given by permission (devices.manage), not by a care relation.
# Appointing and ending a coordinator is administrative: holders of access.grant reach it
# without a relation, as on the web (tests/access/test_matrix.py).
ADMINISTRATIVE = {
    "/api/persons/{person_id}/coordinator/": "access.grant",
    "/api/persons/{person_id}/coordinator/{assignment_id}/end/": "access.grant",
}
LOAN_WORK = [op for op in OPERATIONS if op.path.startswith("/api/loans/{loan_id}/")]


@dataclass
class Attackers:
    ids: dict[str, int]
    tokens: dict[str, str]  # role -> token of a user without relation
    swapper_token: str
    own_person: Person
    foreign_tokens: dict[str, str]


def _staff(municipality, role: str, username: str) -> Staff:
    staff = factories.StaffFactory(municipality=municipality, user__username=username)
    factories.give_role(staff, role)
    return staff


def _build(world: World) -> Attackers:
    ids = make_person_ids(world)
    member = GroupMember.all_objects.get(pk=ids["member_id"])
    decision = Decision.all_objects.get(pk=ids["decision_id"])
    appeal = Appeal.all_objects.create(
        municipality=world.municipality,
        decision=decision,
        received_on=datetime.date(2026, 2, 1),
        grounds="Klage",
        registered_by=world.owner,
    )
    ids = {**ids, "group_id": member.group_id, "appeal_id": appeal.pk}
    tokens = {role: make_token(_staff(world.municipality, role, f"api-{role}")) for role in ROLES}
    own_person = factories.PersonFactory(
        municipality=world.municipality, given_name="Egen", family_name="Brukersen"
    )
    swapper = _staff(world.municipality, "koordinator", "api-bytter")
    factories.grant_relation(swapper, own_person)
    other = factories.make_municipality("9002", "Nabokommune")
    foreign = {role: make_token(_staff(other, role, f"api-nabo-{role}")) for role in ROLES}
    return Attackers(ids, tokens, make_token(swapper), own_person, foreign)


@pytest.fixture(scope="module")
def attackers(module_world, django_db_blocker):
    yield from built_once(django_db_blocker, lambda: _build(module_world))


def _path(op: Operation, ids: dict[str, int], **override: int) -> str:
    values = {**ids, **override}
    return PARAM.sub(lambda match: str(values[match.group(1)]), op.path)


def _call(client: Client, op: Operation, path: str, token: str):
    if op.method in {"get", "delete"}:
        return getattr(client, op.method)(path, **bearer(token))
    body = example_body(DOCUMENT, DOCUMENT["paths"][op.path][op.method])
    return getattr(client, op.method)(
        path, data=json.dumps(body or {}), content_type="application/json", **bearer(token)
    )


def _victim_state(world: World) -> dict[str, object]:
    return {"person": Person.all_objects.filter(pk=world.person.pk).values().get()}


def _allowed_rows_for_victim(world: World, since: int) -> int:
    return AuditEvent.all_objects.filter(
        seq__gt=since, person_id=world.person.pk, outcome="allowed"
    ).count()


def _last_seq() -> int:
    return AuditEvent.all_objects.order_by("-seq").values_list("seq", flat=True).first() or 0


def _assert_refused(world: World, response, op: Operation) -> None:
    assert response.status_code in (401, 403, 404, 422), (str(op), response.status_code)
    assert world.person.family_name.encode() not in response.content, str(op)
    assert world.person.given_name.encode() not in response.content, str(op)


@pytest.mark.parametrize("op", PERSON_OPERATIONS, ids=str)
def test_every_role_without_relation_is_refused(module_world, attackers, op: Operation):
    world = module_world
    client = Client()
    before, since = _victim_state(world), _last_seq()
    answers = set()
    for role in ROLES:
        if ADMINISTRATIVE.get(op.path) in DEFAULT_ROLES[role][1]:
            continue
        response = _call(client, op, _path(op, attackers.ids), attackers.tokens[role])
        _assert_refused(world, response, op)
        answers.add(response.status_code)
    assert _victim_state(world) == before
    assert _allowed_rows_for_victim(world, since) == 0
    assert answers == {403}, (str(op), answers)  # the guard answers, before the body is read


@pytest.mark.parametrize("op", SWAP_OPERATIONS, ids=str)
def test_swapped_ids_are_refused(module_world, attackers, op: Operation):
    world = module_world
    path = _path(op, attackers.ids, person_id=attackers.own_person.pk)
    before, since = _victim_state(world), _last_seq()
    response = _call(Client(), op, path, attackers.swapper_token)
    _assert_refused(world, response, op)
    assert _victim_state(world) == before
    assert _allowed_rows_for_victim(world, since) == 0
    # 422: a few operations check their form before they look the object up; the
    # answer then names only the fields, never the victim's data.


@pytest.mark.parametrize("role", ROLES)
def test_other_municipality_is_refused(module_world, attackers, role: str):
    world = module_world
    client = Client()
    before, since = _victim_state(world), _last_seq()
    for op in [*PERSON_OPERATIONS, *LOAN_WORK]:
        response = _call(client, op, _path(op, attackers.ids), attackers.foreign_tokens[role])
        _assert_refused(world, response, op)
    assert _victim_state(world) == before
    assert _allowed_rows_for_victim(world, since) == 0


@pytest.mark.parametrize("op", LOAN_WORK, ids=str)
def test_loan_work_needs_the_devices_permission(module_world, attackers, op: Operation):
    world = module_world
    client = Client()
    for role in ROLES:
        if "devices.manage" in DEFAULT_ROLES[role][1]:
            continue
        response = _call(client, op, _path(op, attackers.ids), attackers.tokens[role])
        _assert_refused(world, response, op)
