"""Plan writes over the API that the web offers: create and close a plan, add
and remove participants, add evaluations, appoint a coordinator. Each goes through the
web's form and the plan service, with the web's permission."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from mestring.access.models import AuditEvent, CareRelation
from mestring.people.models import Person
from mestring.plans.models import (
    CoordinatorAssignment,
    Evaluation,
    Goal,
    IndividualPlan,
    PlanParticipant,
    PlanRevision,
)
from tests import factories
from tests.api.helpers import bearer, make_token
from tests.plans.helpers import (
    home_unit,
    make_consent,
    make_decision,
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


def _post(client, url: str, raw: str, payload: dict):
    return client.post(url, data=payload, content_type=JSON, **bearer(raw))


def _writer(staff) -> str:
    return make_token(staff, ["plans:read", "plans:write"])


def _version(plan: IndividualPlan) -> int:
    return IndividualPlan.all_objects.get(pk=plan.pk).version


def _plans_url(person: Person) -> str:
    return f"/api/persons/{person.pk}/plans/"


def _plan_url(plan: IndividualPlan, rest: str = "") -> str:
    return f"/api/persons/{plan.person_id}/plans/{plan.pk}/{rest}"


def _other_person(world) -> Person:
    """Another person in the same municipality, whom the owner also cares for."""
    other = factories.PersonFactory(municipality=world.municipality)
    factories.grant_relation(world.owner, other)
    return other


def _plan_of(person: Person, unit) -> IndividualPlan:
    return IndividualPlan.all_objects.create(
        municipality=person.municipality,
        person=person,
        consent=make_consent(person),
        responsible_unit=unit,
        start_date=datetime.date(2026, 1, 1),
    )


# --- Creating a plan


def test_plan_create_through_the_form_and_service(world, client):
    consent = make_consent(world.person)
    decision = make_decision(world.person, world.owner)
    raw = _writer(world.owner)
    start = TODAY() - datetime.timedelta(days=3)
    before = AuditEvent.all_objects.count()
    payload = {
        "consent_id": consent.pk,
        "responsible_unit_id": home_unit(world).pk,
        "start_date": start.isoformat(),
        "next_revision_on": (start + datetime.timedelta(days=180)).isoformat(),
        "decision_id": decision.pk,
        "what_matters": "  Å klare meg selv  ",
    }
    response = _post(client, _plans_url(world.person), raw, payload)
    assert response.status_code == 201, response.content
    body = response.json()
    plan = IndividualPlan.all_objects.get(pk=body["id"])
    assert (plan.person_id, plan.consent_id, plan.decision_id, plan.status) == (
        world.person.pk,
        consent.pk,
        decision.pk,
        "aktiv",
    )
    assert (plan.start_date, plan.what_matters, plan.version) == (start, "Å klare meg selv", 1)
    assert body["status"] == "aktiv"
    assert (body["what_matters"], body["goals"], body["measures"]) == ("Å klare meg selv", [], [])
    assert PlanRevision.all_objects.filter(plan=plan).count() == 1
    assert [(e.action, e.object_type, e.object_id, e.person_id) for e in _events_since(before)] == [
        ("create", "individual_plan", str(plan.pk), world.person.pk)
    ]

    # A second active plan is a conflict with the person's state.
    again = _post(client, _plans_url(world.person), raw, payload)
    assert (again.status_code, again.json()["detail"]) == (
        409,
        "Personen har allerede en aktiv plan. Endre den i stedet.",
    )
    assert IndividualPlan.all_objects.filter(person=world.person).count() == 1


def test_plan_create_validation_is_the_web_forms(world, client):
    raw = _writer(world.owner)
    url = _plans_url(world.person)
    consent = make_consent(world.person)
    valid = {
        "consent_id": consent.pk,
        "responsible_unit_id": home_unit(world).pk,
        "start_date": "2026-01-10",
    }
    # A withdrawn consent is not among the form's choices: the form's own words.
    withdrawn = make_consent(world.person, withdrawn_on=TODAY())
    response = _post(client, url, raw, {**valid, "consent_id": withdrawn.pk})
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["consent_id"]
    # Another person's consent neither.
    theirs = make_consent(_other_person(world))
    response = _post(client, url, raw, {**valid, "consent_id": theirs.pk})
    assert [e["field"] for e in response.json()["errors"]] == ["consent_id"]
    # The dates are checked as in the web.
    response = _post(client, url, raw, {**valid, "end_date": "2026-01-01"})
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "end_date", "message": "Sluttdatoen kan ikke være før startdatoen."}
    ]
    missing = _post(client, url, raw, {"consent_id": consent.pk})
    assert missing.status_code == 422
    assert {e["field"] for e in missing.json()["errors"]} == {"responsible_unit_id", "start_date"}
    unknown = _post(client, url, raw, {**valid, "colour": "blå"})
    assert unknown.json()["errors"] == [{"field": "colour", "message": "Feltet er ukjent."}]
    assert not IndividualPlan.all_objects.filter(person=world.person).exists()


def test_plan_create_refusals(world, client):
    consent = make_consent(world.person)
    payload = {
        "consent_id": consent.pk,
        "responsible_unit_id": home_unit(world).pk,
        "start_date": "2026-01-10",
    }
    url = _plans_url(world.person)
    no_scope = _post(client, url, make_token(world.owner, ["plans:read"]), payload)
    assert no_scope.status_code == 403
    assert "plans:write" in no_scope.json()["detail"]
    outsider_token = _writer(world.outsider)
    before = AuditEvent.all_objects.count()
    outsider = _post(client, url, outsider_token, payload)
    assert (outsider.status_code, outsider.json()["detail"]) == (403, REFUSED)
    assert [(e.outcome, e.person_id) for e in _events_since(before)] == [
        ("refused", world.person.pk)
    ]
    # Another municipality's person is refused the same way.
    elsewhere = factories.make_municipality("9002", "Annenkommune")
    stranger = factories.PersonFactory(municipality=elsewhere)
    response = _post(client, _plans_url(stranger), _writer(world.owner), payload)
    assert (response.status_code, response.json()["detail"]) == (403, REFUSED)
    assert not IndividualPlan.all_objects.exists()


# --- Closing a plan


def test_plan_close_through_the_form_and_service(world, client):
    plan = make_plan(world)
    raw = _writer(world.owner)
    version = _version(plan)
    before = AuditEvent.all_objects.count()
    payload = {"end_date": TODAY().isoformat(), "note": " Målene er nådd ", "expected_version": 1}
    response = _post(client, _plan_url(plan, "close/"), raw, payload)
    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["closed_on"]) == (
        "avsluttet",
        TODAY().isoformat(),
    )
    stored = IndividualPlan.all_objects.get(pk=plan.pk)
    assert (stored.status, stored.closing_note, stored.end_date, stored.version) == (
        "avsluttet",
        "Målene er nådd",
        TODAY(),
        version + 1,
    )
    assert [(e.action, e.object_type, e.object_id, e.person_id) for e in _events_since(before)] == [
        ("close", "individual_plan", str(plan.pk), world.person.pk)
    ]
    # Closed is closed: 409, and then a new plan may be created.
    again = _post(client, _plan_url(plan, "close/"), raw, {**payload, "expected_version": None})
    assert (again.status_code, again.json()["detail"]) == (
        409,
        "Planen er avsluttet og kan ikke endres.",
    )


def test_plan_close_validation_and_conflicts(world, client):
    plan = make_plan(world)
    raw = _writer(world.owner)
    url = _plan_url(plan, "close/")
    no_note = _post(client, url, raw, {"end_date": TODAY().isoformat(), "note": ""})
    assert no_note.status_code == 422
    assert no_note.json()["errors"] == [
        {"field": "note", "message": "Skriv kort hvorfor planen avsluttes."}
    ]
    early = (plan.start_date - datetime.timedelta(days=1)).isoformat()
    before_start = _post(client, url, raw, {"end_date": early, "note": "Flyttet"})
    assert before_start.status_code == 422
    assert "før planen startet" in before_start.json()["detail"]
    stale = _post(
        client, url, raw, {"end_date": TODAY().isoformat(), "note": "x", "expected_version": 9}
    )
    assert stale.status_code == 409
    assert "Planen er endret" in stale.json()["detail"]
    # A withdrawn consent is a reason to close: allowed, as in the web.
    plan.consent.withdrawn_on = TODAY()
    plan.consent.save()
    closed = _post(client, url, raw, {"end_date": TODAY().isoformat(), "note": "Trukket"})
    assert closed.status_code == 200, closed.content
    assert IndividualPlan.all_objects.get(pk=plan.pk).status == "avsluttet"


def test_plan_close_refusals(world, client):
    plan = make_plan(world)
    payload = {"end_date": TODAY().isoformat(), "note": "Flyttet"}
    url = _plan_url(plan, "close/")
    assert _post(client, url, make_token(world.owner, ["plans:read"]), payload).status_code == 403
    outsider = _post(client, url, _writer(world.outsider), payload)
    assert (outsider.status_code, outsider.json()["detail"]) == (403, REFUSED)
    # Another person's plan under this person: not found.
    theirs = _plan_of(_other_person(world), home_unit(world))
    mixed = f"/api/persons/{world.person.pk}/plans/{theirs.pk}/close/"
    assert _post(client, mixed, _writer(world.owner), payload).status_code == 404
    assert IndividualPlan.all_objects.get(pk=plan.pk).status == "aktiv"
    assert IndividualPlan.all_objects.get(pk=theirs.pk).status == "aktiv"


# --- Participants


def test_participant_add_and_remove(world, client):
    plan = make_plan(world)
    relative = factories.RelativeFactory(
        municipality=world.municipality, person=world.person, name="Kari Nordmann"
    )
    raw = _writer(world.owner)
    url = _plan_url(plan, "participants/")
    version = _version(plan)
    before = AuditEvent.all_objects.count()
    payload = {"relative_id": relative.pk, "role": " Datter ", "expected_version": version}
    response = _post(client, url, raw, payload)
    assert response.status_code == 201, response.content
    body = response.json()
    participant = PlanParticipant.all_objects.get(pk=body["id"])
    assert (participant.plan_id, participant.relative_id, participant.role) == (
        plan.pk,
        relative.pk,
        "Datter",
    )
    assert (body["name"], body["role"], body["staff_id"]) == ("Kari Nordmann", "Datter", None)
    assert _version(plan) == version + 1
    assert [(e.action, e.object_type, e.object_id, e.person_id) for e in _events_since(before)] == [
        ("create", "plan_participant", str(participant.pk), world.person.pk)
    ]
    staff = _post(client, url, raw, {"staff_id": world.team_member.pk, "role": "Fysioterapeut"})
    assert staff.status_code == 201, staff.content

    before = AuditEvent.all_objects.count()
    gone = client.delete(f"{url}{participant.pk}/", **bearer(raw))
    assert gone.status_code == 204, gone.content
    assert not PlanParticipant.all_objects.filter(pk=participant.pk).exists()
    assert [(e.action, e.object_type, e.object_id) for e in _events_since(before)] == [
        ("delete", "plan_participant", str(participant.pk))
    ]
    # Gone is gone.
    assert client.delete(f"{url}{participant.pk}/", **bearer(raw)).status_code == 404
    stale = client.delete(f"{url}{staff.json()['id']}/?expected_version=1", **bearer(raw))
    assert stale.status_code == 409
    assert PlanParticipant.all_objects.filter(pk=staff.json()["id"]).exists()


def test_participant_validation_and_conflicts(world, client):
    plan = make_plan(world)
    raw = _writer(world.owner)
    url = _plan_url(plan, "participants/")
    both = _post(
        client,
        url,
        raw,
        {"staff_id": world.owner.pk, "unit_id": home_unit(world).pk, "role": "Lege"},
    )
    assert both.status_code == 422
    assert both.json()["errors"] == [
        {"field": "body", "message": "Velg én ansatt, én enhet eller én pårørende."}
    ]
    no_role = _post(client, url, raw, {"unit_id": home_unit(world).pk, "role": ""})
    assert no_role.status_code == 422
    assert no_role.json()["errors"] == [
        {"field": "role", "message": "Skriv hvilken rolle deltakeren har."}
    ]
    # Another person's relative is not among the choices.
    theirs = factories.RelativeFactory(
        municipality=world.municipality, person=_other_person(world), name="Ola"
    )
    response = _post(client, url, raw, {"relative_id": theirs.pk, "role": "Far"})
    assert response.status_code == 422
    # As in the web, the choice is refused, and so nobody is chosen.
    assert [e["field"] for e in response.json()["errors"]] == ["relative_id", "body"]
    # A withdrawn consent and a closed plan are both the plan's state: 409.
    plan.consent.withdrawn_on = TODAY()
    plan.consent.save()
    unit = {"unit_id": home_unit(world).pk, "role": "Hjemmetjeneste"}
    refused = _post(client, url, raw, unit)
    assert refused.status_code == 409
    assert "Samtykket" in refused.json()["detail"]
    IndividualPlan.all_objects.filter(pk=plan.pk).update(status="avsluttet")
    assert _post(client, url, raw, unit).status_code == 409
    assert not PlanParticipant.all_objects.filter(plan=plan).exists()


def test_participant_refusals(world, client):
    plan = make_plan(world)
    participant = PlanParticipant.all_objects.create(
        municipality=world.municipality, plan=plan, unit=home_unit(world), role="Hjemmetjeneste"
    )
    url = _plan_url(plan, "participants/")
    payload = {"unit_id": home_unit(world).pk, "role": "Hjemmetjeneste"}
    assert _post(client, url, make_token(world.owner, ["plans:read"]), payload).status_code == 403
    outsider = _writer(world.outsider)
    assert _post(client, url, outsider, payload).json()["detail"] == REFUSED
    response = client.delete(f"{url}{participant.pk}/", **bearer(outsider))
    assert (response.status_code, response.json()["detail"]) == (403, REFUSED)
    # Another person's participant under this person's plan: not found.
    other_plan = _plan_of(_other_person(world), home_unit(world))
    theirs = PlanParticipant.all_objects.create(
        municipality=world.municipality, plan=other_plan, unit=home_unit(world), role="Rolle"
    )
    response = client.delete(f"{url}{theirs.pk}/", **bearer(_writer(world.owner)))
    assert response.status_code == 404
    assert PlanParticipant.all_objects.filter(pk__in=[participant.pk, theirs.pk]).count() == 2
    assert PlanParticipant.all_objects.count() == 2


# --- Evaluations


def test_evaluation_add_sets_the_goals_achievement(world, client):
    plan = make_plan(world)
    goal = Goal.all_objects.create(municipality=world.municipality, plan=plan, text="Gå tur")
    raw = _writer(world.owner)
    url = _plan_url(plan, "evaluations/")
    before = AuditEvent.all_objects.count()
    payload = {
        "goal_id": goal.pk,
        "evaluated_on": TODAY().isoformat(),
        "achievement": "delvis",
        "text": " Går halve veien ",
    }
    response = _post(client, url, raw, payload)
    assert response.status_code == 201, response.content
    body = response.json()
    evaluation = Evaluation.all_objects.get(pk=body["id"])
    assert (evaluation.goal_id, evaluation.text, evaluation.evaluated_by_id) == (
        goal.pk,
        "Går halve veien",
        world.owner.pk,
    )
    assert (body["achievement"], body["evaluated_by_id"]) == ("delvis", world.owner.pk)
    assert Goal.all_objects.get(pk=goal.pk).achievement == "delvis"
    assert [(e.action, e.object_type, e.object_id, e.person_id) for e in _events_since(before)] == [
        ("create", "plan_evaluation", str(evaluation.pk), world.person.pk)
    ]
    whole = _post(client, url, raw, {"evaluated_on": TODAY().isoformat(), "text": "Bra"})
    assert whole.status_code == 201, whole.content
    assert (whole.json()["goal_id"], whole.json()["achievement"]) == (None, "")


def test_evaluation_validation_and_refusals(world, client):
    plan = make_plan(world)
    raw = _writer(world.owner)
    url = _plan_url(plan, "evaluations/")
    future = (TODAY() + datetime.timedelta(days=1)).isoformat()
    response = _post(client, url, raw, {"evaluated_on": future, "text": "Bra"})
    assert response.status_code == 422
    assert "fram i tid" in response.json()["detail"]
    no_text = _post(client, url, raw, {"evaluated_on": TODAY().isoformat(), "text": ""})
    assert no_text.json()["errors"] == [
        {"field": "text", "message": "Skriv hva evalueringen viste."}
    ]
    # Another plan's goal is not among the choices.
    other_plan = _plan_of(_other_person(world), home_unit(world))
    theirs = Goal.all_objects.create(municipality=world.municipality, plan=other_plan, text="X")
    payload = {"goal_id": theirs.pk, "evaluated_on": TODAY().isoformat(), "text": "Bra"}
    response = _post(client, url, raw, payload)
    assert [e["field"] for e in response.json()["errors"]] == ["goal_id"]
    ok = {"evaluated_on": TODAY().isoformat(), "text": "Bra"}
    assert _post(client, url, make_token(world.owner, ["plans:read"]), ok).status_code == 403
    outsider = _post(client, url, _writer(world.outsider), ok)
    assert (outsider.status_code, outsider.json()["detail"]) == (403, REFUSED)
    mixed = f"/api/persons/{world.person.pk}/plans/{other_plan.pk}/evaluations/"
    assert _post(client, mixed, raw, ok).status_code == 404
    IndividualPlan.all_objects.filter(pk=plan.pk).update(status="avsluttet")
    assert _post(client, url, raw, ok).status_code == 409
    assert not Evaluation.all_objects.exists()


# --- Appointing a coordinator


def test_coordinator_appoint_by_the_coordinating_unit(world, client):
    lead = make_lead(world)  # access.grant, no care relation: administrative, as in the web
    first = make_pool_coordinator(world, "forste")
    second = make_pool_coordinator(world, "andre")
    decision = make_decision(world.person, world.owner)
    raw = _writer(lead)
    url = f"/api/persons/{world.person.pk}/coordinator/"
    start = TODAY() - datetime.timedelta(days=10)
    before = AuditEvent.all_objects.count()
    payload = {
        "coordinator_id": first.pk,
        "started_on": start.isoformat(),
        "person_wish": " Noen som svarer på telefon ",
        "decision_id": decision.pk,
    }
    response = _post(client, url, raw, payload)
    assert response.status_code == 201, response.content
    body = response.json()
    assignment = CoordinatorAssignment.all_objects.get(pk=body["id"])
    assert (assignment.person_id, assignment.coordinator_id, assignment.started_on) == (
        world.person.pk,
        first.pk,
        start,
    )
    assert (assignment.person_wish, assignment.decision_id) == (
        "Noen som svarer på telefon",
        decision.pk,
    )
    assert (body["coordinator_name"], body["ended_on"]) == ("Forste Koordinatorsen", None)
    # The coordinator now has a care relation to the person.
    assert CareRelation.all_objects.filter(
        person=world.person, staff=first, kind="koordinator", valid_to__isnull=True
    ).exists()
    events = _events_since(before)
    appointed = [e for e in events if e.action == "appoint"]
    assert [(e.object_type, e.object_id, e.person_id) for e in appointed] == [
        ("coordinator_assignment", str(assignment.pk), world.person.pk)
    ]
    assert all(e.outcome == "allowed" for e in events)

    # The same coordinator again: a conflict. A new one ends the current one.
    again = _post(client, url, raw, payload)
    assert again.status_code == 409
    assert "allerede personens koordinator" in again.json()["detail"]
    change = _post(
        client, url, raw, {"coordinator_id": second.pk, "started_on": TODAY().isoformat()}
    )
    assert change.status_code == 201, change.content
    assert CoordinatorAssignment.all_objects.get(pk=assignment.pk).ended_on == TODAY()


def test_coordinator_appoint_validation(world, client):
    lead = make_lead(world)
    coordinator = make_pool_coordinator(world, "koord")
    raw = _writer(lead)
    url = f"/api/persons/{world.person.pk}/coordinator/"
    # Not in the coordinator pool: the form's own words.
    response = _post(
        client, url, raw, {"coordinator_id": world.outsider.pk, "started_on": "2026-01-05"}
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "coordinator_id", "message": "Velg en aktiv koordinator fra koordinatorgruppen."}
    ]
    future = (TODAY() + datetime.timedelta(days=2)).isoformat()
    response = _post(client, url, raw, {"coordinator_id": coordinator.pk, "started_on": future})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "started_on"
    assert "fram i tid" in response.json()["errors"][0]["message"]
    # Another person's decision is not among the choices.
    theirs = make_decision(_other_person(world), world.owner)
    payload = {
        "coordinator_id": coordinator.pk,
        "started_on": "2026-01-05",
        "decision_id": theirs.pk,
    }
    response = _post(client, url, raw, payload)
    assert [e["field"] for e in response.json()["errors"]] == ["decision_id"]
    assert not CoordinatorAssignment.all_objects.exists()


def test_coordinator_appoint_refusals(world, client):
    coordinator = make_pool_coordinator(world, "koord")
    url = f"/api/persons/{world.person.pk}/coordinator/"
    payload = {"coordinator_id": coordinator.pk, "started_on": TODAY().isoformat()}
    lead = make_lead(world)
    assert _post(client, url, make_token(lead, ["plans:read"]), payload).status_code == 403
    # A care relation without the permission is not enough (as in the web).
    owner = _post(client, url, _writer(world.owner), payload)
    assert (owner.status_code, owner.json()["detail"]) == (403, "Du har ikke tillatelse til dette.")
    outsider = _post(client, url, _writer(world.outsider), payload)
    assert outsider.status_code == 403
    # Another municipality's person: refused, as a person that does not exist is.
    elsewhere = factories.make_municipality("9002", "Annenkommune")
    stranger = factories.PersonFactory(municipality=elsewhere)
    response = _post(client, f"/api/persons/{stranger.pk}/coordinator/", _writer(lead), payload)
    assert (response.status_code, response.json()["detail"]) == (403, REFUSED)
    assert not CoordinatorAssignment.all_objects.exists()
