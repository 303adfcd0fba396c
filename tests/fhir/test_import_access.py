"""(H1) A FHIR import asks the guard about a known person, as the person's pages do.

Holding `person.register` (and on the API `plans:write`) lets a caseworker register new
persons by import, not change the plan, goals, measures, contact fields or consents of a
person they have no care relation to. Every path is tried: the page and the API.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from mestring.access.guard import decide
from mestring.access.models import AuditEvent, Block, CareRelation, Consent
from mestring.fhir import codes
from mestring.fhir.export import person_bundle
from mestring.fhir.models import ExternalId
from mestring.people.models import Person, Unit
from mestring.plans.models import Goal, GoalStatusChange, IndividualPlan, Measure, PlanRevision
from mestring.tenancy.context import activate
from tests import factories
from tests.api.helpers import bearer, make_token
from tests.fhir.bundles import resources
from tests.fhir.helpers import rich_person
from tests.fhir.test_import import minimal_bundle, synthetic
from tests.plans.helpers import actor_for

pytestmark = [pytest.mark.django_db, pytest.mark.attack]

REFUSED_PAGE = "Ingen tilgang til personen"
REFUSED_API = "Du har ikke tilgang til denne personen, eller personen finnes ikke."
PATHS = ["web", "api"]


def rewriting_bundle(world) -> dict:
    """The person's own Bundle, changed to rewrite what a stranger must not: the plan
    closed, a goal reached and another reworded, a measure renamed; the contact fields
    the person lacks would be filled in."""
    rich_person(world)
    with activate(world.municipality):
        bundle = person_bundle(world.person)
    person = world.person
    person.phone = person.email = ""
    person.save()
    (plan,) = [p for p in resources(bundle, "CarePlan") if p["status"] == "active"]
    plan["status"] = "completed"
    plan["period"]["end"] = plan["period"]["start"]
    plan["description"] = "Skrevet om av en uten tilgang"
    first, second = resources(bundle, "Goal")
    first["lifecycleStatus"] = "completed"
    first["achievementStatus"] = {
        "coding": [{"system": codes.HL7_GOAL_ACHIEVEMENT, "code": "achieved"}]
    }
    second["description"] = {"text": "Omskrevet mål"}
    detail = plan["activity"][0]["detail"]
    if isinstance(detail.get("code"), dict) and detail["code"].get("text"):
        detail["code"]["text"] = "Omdøpt tiltak"
    else:
        detail["description"] = "Omdøpt tiltak"
    return bundle


def new_plan_bundle(world) -> dict:
    """For the person as they are in `world` (no plan, no consent): a new plan, a goal,
    a measure, a consent and contact fields."""
    bundle = minimal_bundle(world.person.national_id)
    bundle["entry"][0]["resource"]["telecom"] = [
        {"system": "phone", "value": "40000009"},
        {"system": "email", "value": "ny@example.org"},
    ]
    person = world.person
    person.phone = person.email = ""
    person.save()
    return bundle


BUNDLES = {"rewrite": rewriting_bundle, "new_plan": new_plan_bundle}


def snapshot(world) -> dict[str, Any]:
    """Everything an import could change for the person, and what it could add."""
    with activate(world.municipality):
        person = Person.objects.get(pk=world.person.pk)
        plans = IndividualPlan.objects.filter(person=person)
        return {
            "person": (
                person.phone,
                person.email,
                person.street_address,
                person.postal_code,
                person.postal_town,
                person.updated_at,
            ),
            "plans": list(
                plans.order_by("pk").values_list(
                    "pk", "status", "version", "closed_on", "end_date", "what_matters"
                )
            ),
            "goals": list(
                Goal.objects.filter(plan__person=person)
                .order_by("pk")
                .values_list("pk", "text", "status", "achievement", "target_date")
            ),
            "measures": list(
                Measure.objects.filter(plan__person=person)
                .order_by("pk")
                .values_list("pk", "title", "scope", "how", "start_on", "end_on")
            ),
            "consents": list(
                Consent.objects.filter(person=person)
                .order_by("pk")
                .values_list("pk", "kind", "given_on", "withdrawn_on")
            ),
            "revisions": PlanRevision.objects.filter(plan__person=person).count(),
            "goal_history": GoalStatusChange.objects.filter(goal__plan__person=person).count(),
            "relations": CareRelation.objects.filter(person=person).count(),
            "external_ids": ExternalId.objects.count(),
            "units": Unit.objects.count(),
        }


Send = Callable[[dict], tuple[int, Any]]


def importer(path: str, staff, client_for) -> Send:
    """Import as `staff` through the page or the API: the status and the answer. The
    login (or the token) is made here, so rows counted afterwards are the import's own."""
    if path == "web":
        client = client_for(staff)

        def send_page(bundle: dict) -> tuple[int, Any]:
            upload = SimpleUploadedFile(
                "bundle.json", json.dumps(bundle).encode(), content_type="application/fhir+json"
            )
            response = client.post(reverse("fhir:import"), {"file": upload})
            return response.status_code, response.content.decode()

        return send_page
    token = bearer(make_token(staff))

    def send_api(bundle: dict) -> tuple[int, Any]:
        response = Client().post(
            "/api/fhir/import/", bundle, content_type="application/json", **token
        )
        return response.status_code, response.json()

    return send_api


def refused_rows(world, username: str):
    return AuditEvent.all_objects.filter(
        municipality=world.municipality, username=username, outcome="refused"
    )


def assert_refused(path: str, status: int, answer: Any) -> None:
    assert status == 403
    if path == "web":
        assert REFUSED_PAGE in answer and "ingenting er importert" in answer
    else:
        assert answer == {"detail": REFUSED_API, "errors": []}


@pytest.mark.parametrize("kind", list(BUNDLES))
@pytest.mark.parametrize("path", PATHS)
def test_caseworker_without_care_relation_is_refused_and_nothing_changes(
    world, client_for, path, kind
):
    bundle = BUNDLES[kind](world)
    with activate(world.municipality):
        assert not decide(actor_for(world.caseworker), world.person.pk).allowed
    before = snapshot(world)
    send = importer(path, world.caseworker, client_for)
    rows_before = AuditEvent.all_objects.count()

    status, answer = send(bundle)

    assert_refused(path, status, answer)
    assert snapshot(world) == before
    (refusal,) = refused_rows(world, "saksbehandler")
    assert (refusal.action, refusal.object_type, refusal.object_id) == (
        "import",
        "person",
        str(world.person.pk),
    )
    assert refusal.person_id == world.person.pk
    assert refusal.purpose == "care" and refusal.reason_code == ""
    # The refusal is the one row the answer leaves: nothing about the person "allowed".
    new_rows = AuditEvent.all_objects.order_by("pk")[rows_before:]
    assert [row.pk for row in new_rows] == [refusal.pk]
    assert not AuditEvent.all_objects.filter(
        username="saksbehandler", outcome="allowed", person_id=world.person.pk
    ).exists()


@pytest.mark.parametrize("path", PATHS)
def test_blocked_staff_member_with_a_care_relation_is_refused(world, client_for, path):
    bundle = rewriting_bundle(world)
    factories.grant_relation(world.caseworker, world.person)
    Block.all_objects.create(
        municipality=world.municipality, person=world.person, staff=world.caseworker
    )
    before = snapshot(world)

    status, answer = importer(path, world.caseworker, client_for)(bundle)

    assert_refused(path, status, answer)
    assert snapshot(world) == before
    (refusal,) = refused_rows(world, "saksbehandler")
    assert (refusal.action, refusal.person_id) == ("import", world.person.pk)


@pytest.mark.parametrize("path", PATHS)
def test_owner_with_care_relation_imports_and_rows_carry_the_ground(world, client_for, path):
    bundle = rewriting_bundle(world)
    factories.give_role(world.owner, "saksbehandler")  # person.register besides the relation
    with activate(world.municipality):
        ground = decide(actor_for(world.owner), world.person.pk)
    assert ground.allowed and ground.reason_code
    # The person's own page records the same ground.
    client = client_for(world.owner)
    assert client.get(reverse("people:overview", args=[world.person.pk])).status_code == 200
    page_row = AuditEvent.all_objects.filter(username="eier").order_by("-pk").first()
    assert page_row.reason_code == ground.reason_code
    send = importer(path, world.owner, client_for)
    rows_before = AuditEvent.all_objects.count()

    status, _answer = send(bundle)

    assert status == (302 if path == "web" else 200)
    with activate(world.municipality):
        (plan,) = IndividualPlan.objects.filter(person=world.person)
        assert plan.status == "avsluttet"
        assert Goal.objects.filter(plan=plan, text="Omskrevet mål").exists()
        assert Measure.objects.filter(plan=plan, title="Omdøpt tiltak").exists()
        person = Person.objects.get(pk=world.person.pk)
        assert (person.phone, person.email) == ("40000001", "gunnhild@example.org")
    rows = list(AuditEvent.all_objects.order_by("pk")[rows_before:])
    assert rows and {row.username for row in rows} == {"eier"}
    assert {(row.person_id, row.outcome, row.purpose, row.reason_code) for row in rows} == {
        (world.person.pk, "allowed", "care", ground.reason_code)
    }
    assert ("import_update", "plan_goal") in {(row.action, row.object_type) for row in rows}


def test_unit_relation_is_enough_and_an_unchanged_import_is_audited_as_a_read(world, client_for):
    """The team member reaches the person through their unit, as on the person's pages;
    a Bundle that changes nothing still leaves one row about the person, with the ground."""
    rich_person(world)
    with activate(world.municipality):
        bundle = person_bundle(world.person)
    factories.give_role(world.team_member, "saksbehandler")
    with activate(world.municipality):
        ground = decide(actor_for(world.team_member), world.person.pk)
    assert ground.allowed
    send = importer("web", world.team_member, client_for)
    before = snapshot(world)
    rows_before = AuditEvent.all_objects.count()

    status, _answer = send(bundle)

    assert status == 302
    assert snapshot(world) == before
    (row,) = AuditEvent.all_objects.order_by("pk")[rows_before:]
    assert (row.action, row.object_type, row.person_id) == ("view", "fhir_import", world.person.pk)
    assert (row.outcome, row.reason_code) == ("allowed", ground.reason_code)


@pytest.mark.parametrize("path", PATHS)
def test_new_person_by_import_gives_the_registrar_access(world, client_for, path):
    """As registering a person on the web: the import may create the person, and the one
    who imported may open the record (and import the same Bundle again)."""
    bundle = minimal_bundle(synthetic(11))
    send = importer(path, world.caseworker, client_for)
    status, _answer = send(bundle)
    assert status == (302 if path == "web" else 200)
    person = Person.all_objects.get(municipality=world.municipality, family_name="Testesen")
    relation = CareRelation.all_objects.get(person=person, staff=world.caseworker)
    assert relation.kind == "manuell" and relation.valid_to is not None
    rows = AuditEvent.all_objects.filter(person_id=person.pk)
    assert rows.exists() and {row.reason_code for row in rows} == {"manuell"}
    page = client_for(world.caseworker).get(reverse("people:overview", args=[person.pk]))
    assert page.status_code == 200
    status, _answer = send(bundle)
    assert status == (302 if path == "web" else 200)
    assert not refused_rows(world, "saksbehandler").exists()
