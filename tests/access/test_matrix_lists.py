"""Role × relation × board (page and CSV) and role × relation × import: who sees a person.

The access matrix of the person pages (test_matrix.py) extended to the paths around
them. Expected answers are computed here from the rules:

- a board (bed board, service waiting list, frisklivsresept work list) opens for the
  roles with its permission; on it a person is named only to a user with a care
  relation, or working in the unit whose work the row is, and never through a block;
  each name shown, on the page or in its CSV, is a row in the person's access log;
- a FHIR import into a known person needs the register permission and the access the
  person's pages require; without it nothing changes and the refusal is logged.
"""

from __future__ import annotations

import itertools
import json
import re
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from mestring.access.models import AuditEvent, Block, CareRelation
from mestring.access.permissions import DEFAULT_ROLES, PERSON_REGISTER, REHAB_REGISTER
from mestring.catalogue.models import WaitingListEntry
from mestring.friskliv.models import Prescription
from mestring.institutions.models import Stay
from mestring.people.models import Person, Staff, Unit
from tests import factories
from tests.conftest import World, built_once, login
from tests.fhir.test_import import minimal_bundle
from tests.person_ids import make_person_ids

pytestmark = [pytest.mark.django_db, pytest.mark.attack]

ROLES = sorted(DEFAULT_ROLES)
RELATIONS = ["none", "own", "unit", "unit_blocked"]


@dataclass(frozen=True)
class Board:
    route: str
    permission: str


BOARDS = {
    "bed_board": Board("institutions:bed_board", REHAB_REGISTER),
    "waiting_list": Board("catalogue:waiting_list", PERSON_REGISTER),
    "prescription_list": Board("friskliv:prescription_list", REHAB_REGISTER),
}


@dataclass
class Rows:
    units: dict[str, Unit]  # board -> the unit whose work the victim's row is


def _build(world: World) -> Rows:
    ids = make_person_ids(world)
    stay = Stay.all_objects.get(pk=ids["stay_id"])
    entry = WaitingListEntry.all_objects.get(pk=ids["entry_id"])
    prescription = Prescription.all_objects.select_related("contact").get(pk=ids["prescription_id"])
    # The prescription's contact works in a unit: its colleagues share the work list.
    contact_unit = factories.UnitFactory(municipality=world.municipality, name="Frisklivs")
    prescription.contact.units.add(contact_unit)
    return Rows(
        units={
            "bed_board": stay.unit,
            "waiting_list": entry.unit,
            "prescription_list": contact_unit,
        }
    )


@pytest.fixture(scope="module")
def rows(module_world, django_db_blocker):
    yield from built_once(django_db_blocker, lambda: _build(module_world))


def _staff(world: World, role: str, username: str) -> Staff:
    staff = factories.StaffFactory(municipality=world.municipality, user__username=username)
    factories.give_role(staff, role)
    return staff


def _relate(world: World, staff: Staff, relation: str, unit: Unit) -> None:
    if relation == "own":
        factories.grant_relation(staff, world.person)
    if relation.startswith("unit"):
        staff.units.add(unit)
    if relation == "unit_blocked":
        Block.all_objects.create(municipality=world.municipality, person=world.person, staff=staff)


def _body(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def _named(person: Person, content: bytes) -> bool:
    return person.family_name.encode() in content


@pytest.mark.parametrize(
    ("board", "role", "relation", "csv"),
    list(itertools.product(BOARDS, ROLES, RELATIONS, [False, True])),
)
def test_board(module_world, rows, board, role, relation, csv):
    world = module_world
    spec = BOARDS[board]
    staff = _staff(world, role, f"b-{board}-{role}-{relation}"[:30])
    _relate(world, staff, relation, rows.units[board])
    url = reverse(spec.route) + ("?format=csv" if csv else "")

    response = login(Client(), staff).get(url)
    body = _body(response)

    logged = AuditEvent.all_objects.filter(user=staff.user, person=world.person)
    if spec.permission not in DEFAULT_ROLES[role][1]:
        assert response.status_code == 403
        assert not _named(world.person, body)
        assert not logged.filter(outcome="allowed").exists()
        return
    assert response.status_code == 200
    expected = relation in ("own", "unit")
    assert _named(world.person, body) is expected
    assert logged.filter(outcome="allowed").exists() is expected
    if expected:
        ground = logged.get().reason_code  # the ground the name was shown on
        # Through the unit: its work list, or the unit's own care relation (a stay gives one).
        grounds = {"enhetens_arbeid", "tjenesteyter"} if relation == "unit" else {"tjenesteyter"}
        assert ground in grounds
    if not csv:
        # A link to the person's pages is drawn only where it opens: a name shown for
        # the unit's work alone is plain text.
        client = login(Client(), staff)
        links = set(re.findall(rf'href="(/personer/{world.person.pk}/[^"]*)"', body.decode()))
        for link in links:
            assert client.get(link).status_code == 200, f"{board} links to {link}, which refuses"


IMPORT_CASES = list(itertools.product(ROLES, ["none", "own", "own_blocked"]))


@pytest.mark.parametrize(("role", "relation"), IMPORT_CASES)
def test_fhir_import(module_world, role, relation):
    world = module_world
    staff = _staff(world, role, f"i-{role}-{relation}"[:30])
    if relation.startswith("own"):
        factories.grant_relation(staff, world.person)
    if relation == "own_blocked":
        Block.all_objects.create(municipality=world.municipality, person=world.person, staff=staff)
    bundle = minimal_bundle(world.person.national_id)
    # The person only, with a new phone number: the person already has a plan (tests/plans).
    bundle["entry"] = [e for e in bundle["entry"] if e["resource"]["resourceType"] == "Patient"]
    bundle["entry"][0]["resource"]["telecom"] = [{"system": "phone", "value": "40000019"}]
    upload = SimpleUploadedFile("bundle.json", json.dumps(bundle).encode())
    relations_before = CareRelation.all_objects.filter(person=world.person).count()

    response = login(Client(), staff).post(reverse("fhir:import"), {"file": upload})

    may_register = PERSON_REGISTER in DEFAULT_ROLES[role][1]
    if not may_register:
        assert response.status_code == 403
    elif relation == "own":
        assert response.status_code in (200, 302), response.content[:300]
        written = AuditEvent.all_objects.filter(user=staff.user, person=world.person)
        assert written.filter(outcome="allowed", action__startswith="import").exists()
        assert not written.exclude(reason_code="").filter(reason_code="").exists()
        assert all(written.values_list("reason_code", flat=True))  # each with its ground
    else:
        assert response.status_code == 403
        assert AuditEvent.all_objects.filter(
            user=staff.user, person=world.person, outcome="refused"
        ).exists()
        assert CareRelation.all_objects.filter(person=world.person).count() == relations_before


QUEUES = {
    "referral_inbox": "referrals:inbox",
    "case_list": "casework:case_list",
    "deadlines": "casework:deadlines",
}


@pytest.mark.parametrize(
    ("queue", "role", "blocked", "csv"),
    list(itertools.product(QUEUES, ROLES, [False, True], [False, True])),
)
def test_intake_queue(module_world, rows, queue, role, blocked, csv):
    """The intake office's queues name every person to the roles that register persons
    (their work), except a person who has blocked the user; each name shown, on the page
    or in its CSV, is a row in the person's access log."""
    world = module_world
    staff = _staff(world, role, f"q-{queue}-{role}-{blocked}"[:30])
    if blocked:
        Block.all_objects.create(municipality=world.municipality, person=world.person, staff=staff)
    url = reverse(QUEUES[queue]) + ("?format=csv" if csv else "")

    response = login(Client(), staff).get(url)

    logged = AuditEvent.all_objects.filter(user=staff.user, person=world.person, outcome="allowed")
    if PERSON_REGISTER not in DEFAULT_ROLES[role][1]:
        assert response.status_code == 403
        assert not logged.exists()
        return
    assert response.status_code == 200
    body = _body(response)
    assert _named(world.person, body) is not blocked
    assert logged.exists() is not blocked
    if not blocked:
        event = logged.get()
        assert (event.object_type, event.action, event.reason_code) == (
            queue,
            "export" if csv else "view",
            "enhetens_arbeid",
        )


@pytest.mark.parametrize("object_type", [*QUEUES, "coordination_list", "course", "follow_up_list"])
def test_lists_are_named_in_the_access_log(object_type):
    """The person's access log says which list showed them, in Norwegian."""
    from mestring.access.models import AuditEvent as Event
    from mestring.access.templatetags.access_labels import OBJECTS, action_label

    label = action_label(Event(action="view", object_type=object_type))
    assert str(OBJECTS[object_type]) in label and object_type not in label
