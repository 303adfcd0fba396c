"""Changing a plan goal over the API: the web's goal form and
`plans.services.goal_update`, with the plan's version as the lock."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from mestring.access.models import AuditEvent
from mestring.people.models import Person
from mestring.plans.models import Goal, GoalStatusChange, IndividualPlan, PlanRevision
from tests import factories
from tests.api.helpers import bearer, make_token
from tests.plans.helpers import home_unit, make_consent, make_plan

pytestmark = pytest.mark.django_db
REFUSED = "Du har ikke tilgang til denne personen, eller personen finnes ikke."
JSON = "application/json"


def _goal(plan: IndividualPlan, text: str = "Gå til butikken", **fields: object) -> Goal:
    return Goal.all_objects.create(municipality=plan.municipality, plan=plan, text=text, **fields)


def _url(person: Person, plan: IndividualPlan, goal: Goal) -> str:
    return f"/api/persons/{person.pk}/plans/{plan.pk}/goals/{goal.pk}/"


def _patch(client, url: str, raw: str, payload: dict):
    return client.patch(url, data=payload, content_type=JSON, **bearer(raw))


def _version(plan: IndividualPlan) -> int:
    return IndividualPlan.all_objects.get(pk=plan.pk).version


def _events_since(before: int) -> list[AuditEvent]:
    return list(AuditEvent.all_objects.order_by("seq")[before:])


def _writer(world) -> str:
    return make_token(world.owner, ["plans:read", "plans:write"])


def test_goal_text_and_date_change_through_the_service(world, client):
    plan = make_plan(world)
    goal = _goal(plan, target_date=datetime.date(2026, 6, 1))
    raw = _writer(world)
    url = _url(world.person, plan, goal)
    version = _version(plan)
    revisions = PlanRevision.all_objects.filter(plan=plan).count()
    before = AuditEvent.all_objects.count()
    payload = {
        "text": "  Gå til butikken alene  ",
        "target_date": "2026-09-01",
        "expected_version": version,
    }
    response = _patch(client, url, raw, payload)
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["id"], body["text"], body["target_date"]) == (
        goal.pk,
        "Gå til butikken alene",
        "2026-09-01",
    )
    stored = Goal.all_objects.get(pk=goal.pk)
    # The text is stripped as the web's form does; what was not sent is unchanged.
    assert (stored.text, stored.target_date, stored.status, stored.achievement) == (
        "Gå til butikken alene",
        datetime.date(2026, 9, 1),
        "aktiv",
        "ikke_startet",
    )
    assert _version(plan) == version + 1
    assert PlanRevision.all_objects.filter(plan=plan).count() == revisions + 1
    events = _events_since(before)
    assert [(e.action, e.object_type, e.object_id, e.person_id) for e in events] == [
        ("update", "plan_goal", str(goal.pk), world.person.pk)
    ]
    # Neither status nor achievement changed: no history row.
    assert not GoalStatusChange.all_objects.filter(goal=goal).exists()

    # null clears the date; the other fields stay.
    cleared = _patch(client, url, raw, {"target_date": None, "expected_version": version + 1})
    assert cleared.status_code == 200, cleared.content
    stored = Goal.all_objects.get(pk=goal.pk)
    assert (stored.text, stored.target_date) == ("Gå til butikken alene", None)
    # null for the text means "not changed".
    kept = _patch(client, url, raw, {"text": None, "expected_version": version + 2})
    assert kept.status_code == 200, kept.content
    assert Goal.all_objects.get(pk=goal.pk).text == "Gå til butikken alene"
    # The plan as read shows the change.
    read = client.get(f"/api/persons/{world.person.pk}/plans/{plan.pk}/", **bearer(raw)).json()
    assert read["goals"][0]["text"] == "Gå til butikken alene"
    assert read["version"] == version + 3


def test_goal_status_and_achievement_write_the_history(world, client):
    plan = make_plan(world)
    goal = _goal(plan)
    raw = _writer(world)
    payload = {"status": "avsluttet", "achievement": "nadd", "expected_version": _version(plan)}
    response = _patch(client, _url(world.person, plan, goal), raw, payload)
    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["achievement"]) == ("avsluttet", "nadd")
    change = GoalStatusChange.all_objects.get(goal=goal, to_status="avsluttet")
    assert (change.from_status, change.from_achievement, change.to_achievement) == (
        "aktiv",
        "ikke_startet",
        "nadd",
    )
    assert change.changed_by_id == world.owner.user_id


def test_goal_change_validation_is_the_web_forms(world, client):
    plan = make_plan(world)
    goal = _goal(plan)
    raw = _writer(world)
    url = _url(world.person, plan, goal)
    version = _version(plan)
    blank = _patch(client, url, raw, {"text": "   ", "expected_version": version})
    assert blank.status_code == 422
    assert blank.json()["errors"] == [
        {"field": "text", "message": "Skriv målet med personens egne ord."}
    ]
    too_long = _patch(client, url, raw, {"text": "x" * 2001, "expected_version": version})
    assert too_long.status_code == 422
    assert too_long.json()["errors"] == [
        {"field": "text", "message": "Teksten er for lang (høyst 2000 tegn)."}
    ]
    unknown_status = _patch(client, url, raw, {"status": "ferdig", "expected_version": version})
    assert unknown_status.status_code == 422
    assert unknown_status.json()["errors"] == [
        {"field": "status", "message": "Velg en av de tillatte verdiene."}
    ]
    bad_date = _patch(client, url, raw, {"target_date": "1.9.2026", "expected_version": version})
    assert bad_date.status_code == 422
    assert bad_date.json()["errors"][0]["field"] == "target_date"
    unknown = _patch(client, url, raw, {"colour": "blå", "expected_version": version})
    assert unknown.json()["errors"] == [{"field": "colour", "message": "Feltet er ukjent."}]
    no_version = _patch(client, url, raw, {"text": "Nytt mål"})
    assert no_version.status_code == 422
    assert no_version.json()["errors"] == [
        {"field": "expected_version", "message": "Feltet må fylles ut."}
    ]
    not_json = client.patch(url, data="{", content_type=JSON, **bearer(raw))
    assert not_json.status_code in (400, 422)
    assert Goal.all_objects.get(pk=goal.pk).text == "Gå til butikken"
    assert _version(plan) == version


def test_goal_change_conflicts(world, client):
    plan = make_plan(world)
    goal = _goal(plan)
    raw = _writer(world)
    url = _url(world.person, plan, goal)
    version = _version(plan)
    # A status the table does not allow (aktiv → foreslått): 409 with the rule's words.
    backwards = _patch(client, url, raw, {"status": "foreslatt", "expected_version": version})
    assert backwards.status_code == 409
    assert backwards.json()["detail"] == "Kan ikke endre status fra «Aktiv» til «Foreslått»."
    # Someone saved in between: 409, nothing written.
    first = _patch(client, url, raw, {"text": "Første", "expected_version": version})
    assert first.status_code == 200, first.content
    stale = _patch(client, url, raw, {"text": "Ny tekst", "expected_version": version})
    assert stale.status_code == 409
    assert "Planen er endret" in stale.json()["detail"]
    assert Goal.all_objects.get(pk=goal.pk).text == "Første"
    version += 1
    # Withdrawn consent: refused as the measures are (the plan's state: 409).
    plan.consent.withdrawn_on = timezone.localdate()
    plan.consent.save()
    refused = _patch(client, url, raw, {"text": "Ny tekst", "expected_version": version})
    assert refused.status_code == 409
    assert "Samtykket" in refused.json()["detail"]
    # A closed plan cannot be changed.
    IndividualPlan.all_objects.filter(pk=plan.pk).update(status="avsluttet")
    closed = _patch(client, url, raw, {"text": "Ny tekst", "expected_version": version})
    assert (closed.status_code, closed.json()["detail"]) == (
        409,
        "Planen er avsluttet og kan ikke endres.",
    )
    assert Goal.all_objects.get(pk=goal.pk).text == "Første"
    assert _version(plan) == version


def test_goal_change_refusals(world, client):
    plan = make_plan(world)
    goal = _goal(plan)
    url = _url(world.person, plan, goal)
    payload = {"text": "Endret", "expected_version": _version(plan)}
    no_scope = _patch(client, url, make_token(world.owner, ["plans:read"]), payload)
    assert no_scope.status_code == 403
    assert "plans:write" in no_scope.json()["detail"]
    outsider_token = make_token(world.outsider)
    before = AuditEvent.all_objects.count()
    outsider = _patch(client, url, outsider_token, payload)
    assert (outsider.status_code, outsider.json()["detail"]) == (403, REFUSED)
    assert [(e.outcome, e.person_id) for e in _events_since(before)] == [
        ("refused", world.person.pk)
    ]

    raw = make_token(world.owner)
    # Another person's goal (same municipality) under this person's plan: not found.
    other_person = factories.PersonFactory(municipality=world.municipality)
    factories.grant_relation(world.owner, other_person)
    other_plan = IndividualPlan.all_objects.create(
        municipality=world.municipality,
        person=other_person,
        consent=make_consent(other_person),
        responsible_unit=home_unit(world),
        start_date=datetime.date(2026, 1, 1),
    )
    theirs = _goal(other_plan, "Deres mål")
    mixed = f"/api/persons/{world.person.pk}/plans/{plan.pk}/goals/{theirs.pk}/"
    assert _patch(client, mixed, raw, payload).status_code == 404
    # Their plan under this person: not found either.
    response = _patch(client, _url(world.person, other_plan, theirs), raw, payload)
    assert response.status_code == 404

    # Another municipality: the person is refused, its goal is not found here.
    elsewhere = factories.make_municipality("9002", "Annenkommune")
    stranger = factories.PersonFactory(municipality=elsewhere)
    foreign_plan = IndividualPlan.all_objects.create(
        municipality=elsewhere,
        person=stranger,
        consent=make_consent(stranger),
        responsible_unit=factories.UnitFactory(municipality=elsewhere),
        start_date=datetime.date(2026, 1, 1),
    )
    foreign = _goal(foreign_plan, "Fremmed mål")
    response = _patch(client, _url(stranger, foreign_plan, foreign), raw, payload)
    assert (response.status_code, response.json()["detail"]) == (403, REFUSED)
    response = _patch(client, _url(world.person, plan, foreign), raw, payload)
    assert response.status_code == 404

    assert Goal.all_objects.get(pk=goal.pk).text == "Gå til butikken"
    assert Goal.all_objects.get(pk=theirs.pk).text == "Deres mål"
    assert Goal.all_objects.get(pk=foreign.pk).text == "Fremmed mål"
