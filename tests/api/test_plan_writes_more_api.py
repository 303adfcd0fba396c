"""Plan writes over the API that the web offers, continued: changing a plan
participant and ending a coordinator's appointment, each through the web's form and the
plan service, with the web's permission."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from mestring.access.models import AuditEvent, CareRelation
from mestring.people.models import Person
from mestring.plans.models import CoordinatorAssignment, IndividualPlan, PlanParticipant
from tests import factories
from tests.api.helpers import bearer, make_token
from tests.plans.helpers import (
    home_unit,
    make_consent,
    make_lead,
    make_plan,
    make_pool_coordinator,
)

pytestmark = pytest.mark.django_db
REFUSED = "Du har ikke tilgang til denne personen, eller personen finnes ikke."
JSON = "application/json"
TODAY = timezone.localdate


def _events_since(before: int) -> list[AuditEvent]:
    return list(AuditEvent.all_objects.order_by("seq")[before:])


def _patch(client, url: str, raw: str, payload: dict):
    return client.patch(url, data=payload, content_type=JSON, **bearer(raw))


def _post(client, url: str, raw: str, payload: dict):
    return client.post(url, data=payload, content_type=JSON, **bearer(raw))


def _writer(staff) -> str:
    return make_token(staff, ["plans:read", "plans:write"])


def _version(plan: IndividualPlan) -> int:
    return IndividualPlan.all_objects.get(pk=plan.pk).version


def _other_person(world) -> Person:
    """Another person in the same municipality, whom the owner also cares for."""
    other = factories.PersonFactory(municipality=world.municipality)
    factories.grant_relation(world.owner, other)
    return other


def _participant(plan: IndividualPlan, **fields) -> PlanParticipant:
    fields.setdefault("role", "Hjemmetjeneste")
    return PlanParticipant.all_objects.create(municipality=plan.municipality, plan=plan, **fields)


def _participant_url(plan: IndividualPlan, participant: PlanParticipant) -> str:
    return f"/api/persons/{plan.person_id}/plans/{plan.pk}/participants/{participant.pk}/"


# --- Changing a participant


def test_participant_change_through_the_form_and_service(world, client):
    plan = make_plan(world)
    participant = _participant(plan, unit=home_unit(world), contribution="Praktisk hjelp")
    relative = factories.RelativeFactory(
        municipality=world.municipality, person=world.person, name="Kari Nordmann"
    )
    raw = _writer(world.owner)
    url = _participant_url(plan, participant)
    version = _version(plan)
    before = AuditEvent.all_objects.count()
    # Only the role: the rest is kept.
    response = _patch(client, url, raw, {"role": " Hjemmesykepleie ", "expected_version": version})
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["id"], body["role"], body["unit_id"], body["name"]) == (
        participant.pk,
        "Hjemmesykepleie",
        home_unit(world).pk,
        "Hjemmetjenesten",
    )
    assert body["contribution"] == "Praktisk hjelp"
    stored = PlanParticipant.all_objects.get(pk=participant.pk)
    assert (stored.role, stored.unit_id, stored.contribution) == (
        "Hjemmesykepleie",
        home_unit(world).pk,
        "Praktisk hjelp",
    )
    assert _version(plan) == version + 1
    assert [(e.action, e.object_type, e.object_id, e.person_id) for e in _events_since(before)] == [
        ("update", "plan_participant", str(participant.pk), world.person.pk)
    ]
    # From the unit to a relative: null clears the unit.
    payload = {
        "unit_id": None,
        "relative_id": relative.pk,
        "contribution": "",
        "expected_version": version + 1,
    }
    response = _patch(client, url, raw, payload)
    assert response.status_code == 200, response.content
    assert (response.json()["name"], response.json()["unit_id"]) == ("Kari Nordmann", None)
    stored = PlanParticipant.all_objects.get(pk=participant.pk)
    assert (stored.unit_id, stored.relative_id, stored.contribution, stored.role) == (
        None,
        relative.pk,
        "",
        "Hjemmesykepleie",
    )


def test_participant_change_validation_and_conflicts(world, client):
    plan = make_plan(world)
    participant = _participant(plan, unit=home_unit(world))
    raw = _writer(world.owner)
    url = _participant_url(plan, participant)
    version = _version(plan)
    # A second choice without clearing the first: the form's own words.
    both = _patch(client, url, raw, {"staff_id": world.owner.pk, "expected_version": version})
    assert both.status_code == 422
    assert both.json()["errors"] == [
        {"field": "body", "message": "Velg én ansatt, én enhet eller én pårørende."}
    ]
    no_role = _patch(client, url, raw, {"role": "", "expected_version": version})
    assert no_role.status_code == 422
    assert no_role.json()["errors"] == [
        {"field": "role", "message": "Skriv hvilken rolle deltakeren har."}
    ]
    # Another person's relative is not among the choices.
    theirs = factories.RelativeFactory(
        municipality=world.municipality, person=_other_person(world), name="Ola"
    )
    payload = {"unit_id": None, "relative_id": theirs.pk, "expected_version": version}
    response = _patch(client, url, raw, payload)
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["relative_id", "body"]
    missing = _patch(client, url, raw, {"role": "Lege"})
    assert missing.status_code == 422
    assert [e["field"] for e in missing.json()["errors"]] == ["expected_version"]
    unknown = _patch(client, url, raw, {"colour": "blå", "expected_version": version})
    assert unknown.json()["errors"] == [{"field": "colour", "message": "Feltet er ukjent."}]
    # Out of date: 409, nothing changed.
    stale = _patch(client, url, raw, {"role": "Lege", "expected_version": version + 5})
    assert stale.status_code == 409
    assert "Planen er endret" in stale.json()["detail"]
    # A withdrawn consent and a closed plan are both the plan's state: 409.
    plan.consent.withdrawn_on = TODAY()
    plan.consent.save()
    refused = _patch(client, url, raw, {"role": "Lege", "expected_version": version})
    assert refused.status_code == 409
    assert "Samtykket" in refused.json()["detail"]
    IndividualPlan.all_objects.filter(pk=plan.pk).update(status="avsluttet")
    closed = _patch(client, url, raw, {"role": "Lege", "expected_version": version})
    assert (closed.status_code, closed.json()["detail"]) == (
        409,
        "Planen er avsluttet og kan ikke endres.",
    )
    stored = PlanParticipant.all_objects.get(pk=participant.pk)
    assert (stored.role, stored.unit_id, stored.relative_id) == (
        "Hjemmetjeneste",
        home_unit(world).pk,
        None,
    )
    assert _version(plan) == version


def test_participant_change_refusals(world, client):
    plan = make_plan(world)
    participant = _participant(plan, unit=home_unit(world))
    url = _participant_url(plan, participant)
    payload = {"role": "Lege", "expected_version": _version(plan)}
    no_scope = _patch(client, url, make_token(world.owner, ["plans:read"]), payload)
    assert no_scope.status_code == 403
    assert "plans:write" in no_scope.json()["detail"]
    outsider_token = _writer(world.outsider)
    before = AuditEvent.all_objects.count()
    outsider = _patch(client, url, outsider_token, payload)
    assert (outsider.status_code, outsider.json()["detail"]) == (403, REFUSED)
    assert [(e.outcome, e.person_id) for e in _events_since(before)] == [
        ("refused", world.person.pk)
    ]
    # Another person's participant under this person's plan: not found.
    other = _other_person(world)
    other_plan = IndividualPlan.all_objects.create(
        municipality=world.municipality,
        person=other,
        consent=make_consent(other),
        responsible_unit=home_unit(world),
        start_date=datetime.date(2026, 1, 1),
    )
    theirs = _participant(other_plan, unit=home_unit(world), role="Rolle")
    raw = _writer(world.owner)
    mixed = f"/api/persons/{world.person.pk}/plans/{plan.pk}/participants/{theirs.pk}/"
    assert _patch(client, mixed, raw, payload).status_code == 404
    # Nor under the other plan's id with this person.
    mixed = f"/api/persons/{world.person.pk}/plans/{other_plan.pk}/participants/{theirs.pk}/"
    assert _patch(client, mixed, raw, payload).status_code == 404
    assert set(PlanParticipant.all_objects.values_list("role", flat=True)) == {
        "Hjemmetjeneste",
        "Rolle",
    }


# --- Ending a coordinator's appointment


def _appointed(world, coordinator, started_on: datetime.date) -> CoordinatorAssignment:
    """Appointed through the API, so the coordinator has the care relation too."""
    url = f"/api/persons/{world.person.pk}/coordinator/"
    payload = {"coordinator_id": coordinator.pk, "started_on": started_on.isoformat()}
    response = _post(Client(), url, _writer(make_lead(world, "oppnevner")), payload)
    assert response.status_code == 201, response.content
    return CoordinatorAssignment.all_objects.get(pk=response.json()["id"])


def _end_url(assignment: CoordinatorAssignment) -> str:
    return f"/api/persons/{assignment.person_id}/coordinator/{assignment.pk}/end/"


def test_coordinator_end_by_the_coordinating_unit(world, client):
    coordinator = make_pool_coordinator(world, "koord")
    assignment = _appointed(world, coordinator, TODAY() - datetime.timedelta(days=30))
    raw = _writer(make_lead(world))  # access.grant, no care relation: as in the web
    yesterday = TODAY() - datetime.timedelta(days=1)
    before = AuditEvent.all_objects.count()
    response = _post(client, _end_url(assignment), raw, {"ended_on": yesterday.isoformat()})
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["id"], body["ended_on"], body["coordinator_id"]) == (
        assignment.pk,
        yesterday.isoformat(),
        coordinator.pk,
    )
    assert body["coordinator_name"] == "Koord Koordinatorsen"
    assert CoordinatorAssignment.all_objects.get(pk=assignment.pk).ended_on == yesterday
    # The care relation that came with the appointment has ended.
    assert not CareRelation.all_objects.filter(
        person=world.person, staff=coordinator, kind="koordinator", valid_to__isnull=True
    ).exists()
    events = _events_since(before)
    ended = [e for e in events if e.object_type == "coordinator_assignment"]
    assert [(e.action, e.object_id, e.person_id) for e in ended] == [
        ("end", str(assignment.pk), world.person.pk)
    ]
    assert [e.object_type for e in events if e.action == "end"] == [
        "care_relation",
        "coordinator_assignment",
    ]
    assert all(e.outcome == "allowed" for e in events)
    # Ended is ended: 409.
    again = _post(client, _end_url(assignment), raw, {})
    assert (again.status_code, again.json()["detail"]) == (
        409,
        "Oppnevningen er allerede avsluttet.",
    )
    assert CoordinatorAssignment.all_objects.get(pk=assignment.pk).ended_on == yesterday


def test_coordinator_end_defaults_to_today(world, client):
    coordinator = make_pool_coordinator(world, "koord")
    assignment = _appointed(world, coordinator, TODAY() - datetime.timedelta(days=3))
    response = _post(client, _end_url(assignment), _writer(make_lead(world)), {})
    assert response.status_code == 200, response.content
    assert response.json()["ended_on"] == TODAY().isoformat()
    assert CoordinatorAssignment.all_objects.get(pk=assignment.pk).ended_on == TODAY()


def test_coordinator_end_validation(world, client):
    coordinator = make_pool_coordinator(world, "koord")
    start = TODAY() - datetime.timedelta(days=5)
    assignment = _appointed(world, coordinator, start)
    raw = _writer(make_lead(world))
    url = _end_url(assignment)
    future = (TODAY() + datetime.timedelta(days=1)).isoformat()
    response = _post(client, url, raw, {"ended_on": future})
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "ended_on", "message": "Sluttdatoen kan ikke være fram i tid."}
    ]
    early = (start - datetime.timedelta(days=1)).isoformat()
    response = _post(client, url, raw, {"ended_on": early})
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "ended_on", "message": "Sluttdatoen kan ikke være før koordinatoren begynte."}
    ]
    bad = _post(client, url, raw, {"ended_on": "i går"})
    assert bad.status_code == 422
    assert [e["field"] for e in bad.json()["errors"]] == ["ended_on"]
    unknown = _post(client, url, raw, {"note": "x"})
    assert unknown.json()["errors"] == [{"field": "note", "message": "Feltet er ukjent."}]
    assert CoordinatorAssignment.all_objects.get(pk=assignment.pk).ended_on is None


def test_coordinator_end_refusals(world, client):
    coordinator = make_pool_coordinator(world, "koord")
    assignment = _appointed(world, coordinator, TODAY() - datetime.timedelta(days=5))
    url = _end_url(assignment)
    lead = make_lead(world)
    no_scope = _post(client, url, make_token(lead, ["plans:read"]), {})
    assert no_scope.status_code == 403
    assert "plans:write" in no_scope.json()["detail"]
    # A care relation without the permission is not enough (as in the web).
    owner = _post(client, url, _writer(world.owner), {})
    assert (owner.status_code, owner.json()["detail"]) == (403, "Du har ikke tillatelse til dette.")
    # Nor is being the coordinator.
    assert _post(client, url, _writer(coordinator), {}).status_code == 403
    # Without a care relation or the permission: refused.
    outsider = _post(client, url, _writer(world.outsider), {})
    assert outsider.status_code == 403
    # Another person's appointment under this person: not found.
    other = _other_person(world)
    theirs = CoordinatorAssignment.all_objects.create(
        municipality=world.municipality,
        person=other,
        coordinator=coordinator,
        started_on=TODAY() - datetime.timedelta(days=5),
    )
    mixed = f"/api/persons/{world.person.pk}/coordinator/{theirs.pk}/end/"
    assert _post(client, mixed, _writer(lead), {}).status_code == 404
    # Another municipality's person: refused, as a person that does not exist is.
    elsewhere = factories.make_municipality("9002", "Annenkommune")
    stranger = factories.PersonFactory(municipality=elsewhere)
    response = _post(
        client, f"/api/persons/{stranger.pk}/coordinator/{assignment.pk}/end/", _writer(lead), {}
    )
    assert (response.status_code, response.json()["detail"]) == (403, REFUSED)
    assert not CoordinatorAssignment.all_objects.filter(ended_on__isnull=False).exists()
