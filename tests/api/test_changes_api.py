"""Changes over the API: a person, a message of need's status and triage, a case
application, decisions, and plan measures. Every write goes through the
web's form and service; refusals are JSON."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from mestring.access.models import AuditEvent
from mestring.casework.models import Case, CaseStatusChange
from mestring.people.models import Person
from mestring.plans.models import Goal, IndividualPlan, Measure
from mestring.referrals.models import Referral, ReferralStatusChange
from tests import factories
from tests.api.helpers import bearer, make_token
from tests.plans.helpers import home_unit, make_consent, make_decision, make_plan

pytestmark = pytest.mark.django_db
REFUSED = "Du har ikke tilgang til denne personen, eller personen finnes ikke."
JSON = "application/json"


def _events_since(before: int) -> list[AuditEvent]:
    return list(AuditEvent.all_objects.order_by("seq")[before:])


def _send(client, method: str, url: str, raw: str, payload: dict):
    call = getattr(client, method)
    return call(url, data=payload, content_type=JSON, **bearer(raw))


def _referral(person: Person, **fields: object) -> Referral:
    values = {
        "source": "fastlege",
        "received_on": datetime.date(2026, 1, 5),
        "description": "Trenger hjelp",
        **fields,
    }
    return Referral.all_objects.create(municipality=person.municipality, person=person, **values)


def _stranger(world) -> tuple[Person, Referral]:
    """Another municipality's person with a message of need."""
    other = factories.make_municipality("9002", "Annenkommune")
    stranger = factories.PersonFactory(municipality=other)
    return stranger, _referral(stranger)


# --- Persons


def test_person_patch_through_the_form_and_service(world, client):
    raw = make_token(world.owner, ["persons:read", "persons:write"])
    url = f"/api/persons/{world.person.pk}/"
    birth_date = world.person.birth_date
    before = AuditEvent.all_objects.count()
    response = _send(client, "patch", url, raw, {"family_name": "Nyberg", "postal_code": "7010"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["family_name"], body["postal_code"]) == ("Nyberg", "7010")
    person = Person.all_objects.get(pk=world.person.pk)
    # Only what was sent changed.
    assert (person.family_name, person.given_name, person.birth_date) == (
        "Nyberg",
        "Gunnhild",
        birth_date,
    )
    events = _events_since(before)
    assert [(e.action, e.object_type, e.person_id) for e in events] == [
        ("update", "person", person.pk)
    ]


def test_person_patch_validation_is_the_web_forms(world, client):
    raw = make_token(world.owner, ["persons:write"])
    url = f"/api/persons/{world.person.pk}/"
    response = _send(client, "patch", url, raw, {"postal_code": "70a1"})
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "postal_code", "message": "Postnummeret har fire siffer."}
    ]
    response = _send(client, "patch", url, raw, {"given_name": ""})
    assert response.json()["errors"] == [{"field": "given_name", "message": "Skriv inn fornavn."}]
    other = factories.PersonFactory(municipality=world.municipality)
    taken = _send(client, "patch", url, raw, {"national_id": other.national_id})
    assert taken.status_code == 422
    assert [e["field"] for e in taken.json()["errors"]] == ["national_id"]
    unknown = _send(client, "patch", url, raw, {"shoe_size": 44})
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["message"] == "Feltet er ukjent."
    assert Person.all_objects.get(pk=world.person.pk).family_name == "Skjermesen"


def test_person_patch_refusals(world, client):
    url = f"/api/persons/{world.person.pk}/"
    payload = {"family_name": "X"}
    no_scope = _send(client, "patch", url, make_token(world.owner, ["persons:read"]), payload)
    assert no_scope.status_code == 403
    assert "persons:write" in no_scope.json()["detail"]
    outsider = _send(client, "patch", url, make_token(world.outsider), payload)
    assert (outsider.status_code, outsider.json()["detail"]) == (403, REFUSED)
    stranger, _ = _stranger(world)
    elsewhere = _send(
        client, "patch", f"/api/persons/{stranger.pk}/", make_token(world.owner), payload
    )
    assert (elsewhere.status_code, elsewhere.json()["detail"]) == (403, REFUSED)
    assert Person.all_objects.get(pk=world.person.pk).family_name == "Skjermesen"
    assert Person.all_objects.get(pk=stranger.pk).family_name != "X"


# --- Messages of need


def test_referral_close_and_forward_through_the_service(world, client):
    raw = make_token(world.owner, ["referrals:read", "referrals:write"])
    closing = _referral(world.person)
    url = f"/api/persons/{world.person.pk}/referrals/{closing.pk}/status/"
    no_reason = _send(client, "post", url, raw, {"to_status": "avsluttet"})
    assert no_reason.status_code == 422
    assert no_reason.json()["errors"] == [
        {"field": "reason", "message": "Skriv hvorfor meldingen avsluttes."}
    ]
    before = AuditEvent.all_objects.count()
    done = _send(client, "post", url, raw, {"to_status": "avsluttet", "reason": "Flyttet"})
    assert done.status_code == 200, done.content
    assert (done.json()["status"], done.json()["status_reason"]) == ("avsluttet", "Flyttet")
    events = _events_since(before)
    assert [(e.action, e.object_id) for e in events] == [("status_avsluttet", str(closing.pk))]
    change = ReferralStatusChange.all_objects.get(referral=closing, to_status="avsluttet")
    assert (change.from_status, change.reason) == ("mottatt", "Flyttet")
    # A finished message cannot move again: 409, nothing written.
    again = _send(client, "post", url, raw, {"to_status": "under_vurdering"})
    assert again.status_code == 409
    assert again.json()["detail"]
    assert Referral.all_objects.get(pk=closing.pk).status == "avsluttet"

    forwarding = _referral(world.person)
    url = f"/api/persons/{world.person.pk}/referrals/{forwarding.pk}/status/"
    unit = home_unit(world)
    missing_unit = _send(client, "post", url, raw, {"to_status": "videresendt", "reason": "Ut"})
    assert missing_unit.status_code == 422
    assert missing_unit.json()["errors"] == [
        {
            "field": "forwarded_to_id",
            "message": "Velg hvilken enhet meldingen sendes videre til.",
        }
    ]
    payload = {"to_status": "videresendt", "reason": "Hører til dem", "forwarded_to_id": unit.pk}
    forwarded = _send(client, "post", url, raw, payload)
    assert forwarded.status_code == 200, forwarded.content
    assert forwarded.json()["forwarded_to"] == unit.name
    assert Referral.all_objects.get(pk=forwarding.pk).forwarded_to_id == unit.pk


def test_referral_triage_through_the_service(world, client):
    raw = make_token(world.owner, ["referrals:write"])
    referral = _referral(world.person)
    url = f"/api/persons/{world.person.pk}/referrals/{referral.pk}/triage/"
    payload = {"pyramid_level": 3, "competence": 1, "complexity": 2, "intensity": 2}
    before = AuditEvent.all_objects.count()
    response = _send(client, "post", url, raw, payload)
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["pyramid_level"], body["care_place"], body["status"]) == (
        3,
        "kommune",
        "under_vurdering",
    )
    # As on the web: the triage, and the move from mottatt to under vurdering.
    assert [e.action for e in _events_since(before)] == ["triage", "status_under_vurdering"]
    before = AuditEvent.all_objects.count()
    chosen = _send(client, "post", url, raw, {**payload, "care_place": "felles"})
    assert chosen.json()["care_place"] == "felles"
    assert [e.action for e in _events_since(before)] == ["triage"]
    bad = _send(client, "post", url, raw, {**payload, "competence": 6})
    assert bad.status_code == 422
    assert bad.json()["errors"] == [
        {"field": "competence", "message": "Tallet er for stort (høyst 5)."}
    ]
    referral.status = "avsluttet"
    referral.save()
    finished = _send(client, "post", url, raw, payload)
    assert finished.status_code == 409
    assert "ferdig behandlet" in finished.json()["detail"]


def test_referral_changes_are_refused_without_scope_relation_or_own_object(world, client):
    referral = _referral(world.person)
    url = f"/api/persons/{world.person.pk}/referrals/{referral.pk}/status/"
    payload = {"to_status": "under_vurdering"}
    no_scope = _send(client, "post", url, make_token(world.owner, ["referrals:read"]), payload)
    assert no_scope.status_code == 403
    outsider = _send(client, "post", url, make_token(world.outsider), payload)
    assert (outsider.status_code, outsider.json()["detail"]) == (403, REFUSED)
    stranger, theirs = _stranger(world)
    raw = make_token(world.owner)
    # Another municipality's message under our person: not found.
    url_theirs = f"/api/persons/{world.person.pk}/referrals/{theirs.pk}/status/"
    assert _send(client, "post", url_theirs, raw, payload).status_code == 404
    triage = f"/api/persons/{stranger.pk}/referrals/{theirs.pk}/triage/"
    scores = {"pyramid_level": 3, "competence": 1, "complexity": 1, "intensity": 1}
    assert _send(client, "post", triage, raw, scores).status_code == 403
    assert Referral.all_objects.get(pk=referral.pk).status == "mottatt"
    assert Referral.all_objects.get(pk=theirs.pk).pyramid_level is None


def test_referral_list_filters(world, client):
    person = world.person
    rows = [
        _referral(person, received_on=datetime.date(2026, 1, 2)),
        _referral(person, received_on=datetime.date(2026, 1, 10), status="under_vurdering"),
        _referral(person, received_on=datetime.date(2026, 2, 1), urgency="haster"),
        _referral(person, received_on=datetime.date(2026, 2, 3), status="avsluttet"),
    ]
    raw = make_token(world.owner)
    url = f"/api/persons/{person.pk}/referrals/"

    def ids(query: str) -> list[int]:
        response = client.get(url + query, **bearer(raw))
        assert response.status_code == 200, response.content
        return [item["id"] for item in response.json()["items"]]

    newest_first = sorted(rows, key=lambda r: (r.received_on, r.pk), reverse=True)
    assert ids("") == [r.pk for r in newest_first]
    assert ids("?status=mottatt") == [r.pk for r in newest_first if r.status == "mottatt"]
    in_january = [
        r.pk
        for r in newest_first
        if datetime.date(2026, 1, 5) <= r.received_on <= datetime.date(2026, 2, 1)
    ]
    assert ids("?received_from=2026-01-05&received_to=2026-02-01") == in_january
    assert ids("?received_from=2026-01-05&limit=1&offset=1") == [newest_first[1].pk]
    backwards = client.get(url + "?received_from=2026-02-01&received_to=2026-01-01", **bearer(raw))
    assert backwards.status_code == 422
    assert backwards.json()["errors"] == [
        {"field": "received_to", "message": "Sluttdatoen kan ikke være før startdatoen."}
    ]
    unknown = client.get(url + "?status=borte", **bearer(raw))
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["message"] == "Velg en av de tillatte verdiene."

    # The office's inbox: open messages only, the same filters plus urgency.
    inbox = make_token(world.caseworker)

    def inbox_ids(query: str) -> list[int]:
        response = client.get("/api/referrals/" + query, **bearer(inbox))
        assert response.status_code == 200, response.content
        return sorted(item["id"] for item in response.json()["items"])

    open_rows = [r for r in rows if r.status in ("mottatt", "under_vurdering")]
    assert inbox_ids("") == sorted(r.pk for r in open_rows)
    assert inbox_ids("?urgency=haster") == [rows[2].pk]
    assert inbox_ids("?status=under_vurdering") == [rows[1].pk]
    assert inbox_ids("?received_to=2026-01-31") == sorted(
        r.pk for r in open_rows if r.received_on <= datetime.date(2026, 1, 31)
    )
    assert client.get("/api/referrals/?status=avsluttet", **bearer(inbox)).status_code == 422
    # Without the office's permission: refused, as on the web.
    assert client.get("/api/referrals/?urgency=haster", **bearer(raw)).status_code == 403


# --- Cases and decisions


def _case(person: Person, received_on: datetime.date, **fields: object) -> Case:
    return Case.all_objects.create(
        municipality=person.municipality, person=person, received_on=received_on, **fields
    )


def test_case_create_through_the_service(world, client):
    factories.grant_relation(world.caseworker, world.person)
    raw = make_token(world.caseworker, ["cases:read", "cases:write"])
    url = f"/api/persons/{world.person.pk}/cases/"
    today = timezone.localdate()
    payload = {"received_on": today.isoformat(), "requests_coordinator": True}
    before = AuditEvent.all_objects.count()
    response = _send(client, "post", url, raw, payload)
    assert response.status_code == 201, response.content
    body = response.json()
    case = Case.all_objects.get(pk=body["id"])
    assert (body["status"], body["kind"], body["requests_coordinator"]) == (
        "mottatt",
        "ip_koordinator",
        True,
    )
    assert (case.person_id, case.received_on) == (world.person.pk, today)
    assert CaseStatusChange.all_objects.filter(case=case, to_status="mottatt").count() == 1
    events = _events_since(before)
    assert [(e.action, e.object_type, e.object_id) for e in events] == [
        ("create", "case", str(case.pk))
    ]
    # The same checks as the web's form.
    future = (today + datetime.timedelta(days=1)).isoformat()
    response = _send(client, "post", url, raw, {**payload, "received_on": future})
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "received_on", "message": "Datoen kan ikke være fram i tid."}
    ]
    response = _send(client, "post", url, raw, {"received_on": today.isoformat()})
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "field": "requests_individual_plan",
            "message": "Kryss av for individuell plan, koordinator eller begge.",
        }
    ]
    response = _send(client, "post", url, raw, {**payload, "caseworker_id": 999999})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "caseworker_id"
    assert Case.all_objects.count() == 1


def test_case_create_with_caseworker_gives_them_access(world, client):
    factories.grant_relation(world.caseworker, world.person)
    raw = make_token(world.caseworker, ["cases:write"])
    url = f"/api/persons/{world.person.pk}/cases/"
    payload = {
        "received_on": "2026-01-05",
        "requests_individual_plan": True,
        "caseworker_id": world.outsider.pk,
    }
    response = _send(client, "post", url, raw, payload)
    assert response.status_code == 201, response.content
    assert Case.all_objects.get(pk=response.json()["id"]).caseworker_id == world.outsider.pk
    outsider = make_token(world.outsider, ["cases:read"])
    assert client.get(url, **bearer(outsider)).status_code == 200


def test_case_create_refusals(world, client):
    url = f"/api/persons/{world.person.pk}/cases/"
    payload = {"received_on": "2026-01-05", "requests_coordinator": True}
    factories.grant_relation(world.caseworker, world.person)
    no_scope = _send(client, "post", url, make_token(world.caseworker, ["cases:read"]), payload)
    assert no_scope.status_code == 403
    # The coordinator has the care relation but may not handle cases, as on the web.
    assert _send(client, "post", url, make_token(world.owner), payload).status_code == 403
    outsider = make_token(world.outsider)
    assert _send(client, "post", url, outsider, payload).status_code == 403
    stranger, _ = _stranger(world)
    theirs = _send(
        client, "post", f"/api/persons/{stranger.pk}/cases/", make_token(world.caseworker), payload
    )
    assert (theirs.status_code, theirs.json()["detail"]) == (403, REFUSED)
    assert Case.all_objects.count() == 0


def test_case_list_filters(world, client):
    person = world.person
    cases = [
        _case(person, datetime.date(2026, 1, 2), kind="tjeneste"),
        _case(person, datetime.date(2026, 1, 9), kind="ip_koordinator"),
        _case(person, datetime.date(2026, 2, 1), kind="tjeneste", status="avsluttet"),
    ]
    raw = make_token(world.owner)
    url = f"/api/persons/{person.pk}/cases/"

    def ids(query: str) -> list[int]:
        response = client.get(url + query, **bearer(raw))
        assert response.status_code == 200, response.content
        return [item["id"] for item in response.json()["items"]]

    newest_first = sorted(cases, key=lambda c: (c.received_on, c.pk), reverse=True)
    assert ids("") == [c.pk for c in newest_first]
    assert ids("?kind=tjeneste") == [c.pk for c in newest_first if c.kind == "tjeneste"]
    assert ids("?kind=tjeneste&status=mottatt") == [cases[0].pk]
    assert ids("?received_from=2026-01-05&received_to=2026-01-31") == [cases[1].pk]
    assert ids("?limit=2&offset=2") == [newest_first[2].pk]
    assert client.get(url + "?kind=annet", **bearer(raw)).status_code == 422
    backwards = client.get(url + "?received_from=2026-02-01&received_to=2026-01-01", **bearer(raw))
    assert backwards.status_code == 422


def test_decision_list_with_filters_and_refusals(world, client):
    first = make_decision(world.person, world.caseworker)
    second = make_decision(world.person, world.caseworker)
    second.subject, second.outcome = "koordinator", "avslag"
    second.decided_on = datetime.date(2026, 2, 10)
    second.save()
    raw = make_token(world.owner, ["cases:read"])
    url = f"/api/persons/{world.person.pk}/decisions/"
    before = AuditEvent.all_objects.count()
    page = client.get(url, **bearer(raw)).json()
    assert [item["id"] for item in page["items"]] == [second.pk, first.pk]
    assert len(_events_since(before)) == 1
    assert [
        i["id"]
        for i in client.get(url + "?subject=individuell_plan", **bearer(raw)).json()["items"]
    ] == [first.pk]
    assert [
        i["id"] for i in client.get(url + "?outcome=avslag", **bearer(raw)).json()["items"]
    ] == [second.pk]
    assert [
        i["id"] for i in client.get(url + "?decided_from=2026-02-01", **bearer(raw)).json()["items"]
    ] == [second.pk]
    assert (
        client.get(url + "?state=gjeldende&decided_to=2026-01-31", **bearer(raw)).json()["count"]
        == 1
    )
    assert (
        client.get(
            url + "?decided_from=2026-02-01&decided_to=2026-01-01", **bearer(raw)
        ).status_code
        == 422
    )
    assert client.get(url, **bearer(make_token(world.owner, ["plans:read"]))).status_code == 403
    outsider = client.get(url, **bearer(make_token(world.outsider)))
    assert (outsider.status_code, outsider.json()["detail"]) == (403, REFUSED)
    stranger, _ = _stranger(world)
    assert client.get(f"/api/persons/{stranger.pk}/decisions/", **bearer(raw)).status_code == 403


# --- Plan measures


def _measures_url(world, plan: IndividualPlan) -> str:
    return f"/api/persons/{world.person.pk}/plans/{plan.pk}/measures/"


def _other_plan(world) -> IndividualPlan:
    """A plan of another person in the same municipality."""
    other_person = factories.PersonFactory(municipality=world.municipality)
    return IndividualPlan.all_objects.create(
        municipality=world.municipality,
        person=other_person,
        consent=make_consent(other_person),
        responsible_unit=home_unit(world),
        start_date=datetime.date(2026, 1, 1),
    )


def test_measure_add_through_the_service(world, client):
    plan = make_plan(world)
    goal = Goal.all_objects.create(municipality=world.municipality, plan=plan, text="Gå tur")
    raw = make_token(world.owner, ["plans:write"])
    url = _measures_url(world, plan)
    unit = home_unit(world)
    payload = {
        "title": "Trening to ganger i uken",
        "goal_id": goal.pk,
        "responsible_unit_id": unit.pk,
        "start_on": "2026-03-01",
        "end_on": "2026-06-01",
        "expected_version": plan.version,
    }
    before = AuditEvent.all_objects.count()
    response = _send(client, "post", url, raw, payload)
    assert response.status_code == 201, response.content
    body = response.json()
    measure = Measure.all_objects.get(pk=body["id"])
    assert (measure.plan_id, measure.goal_id, measure.responsible_unit_id) == (
        plan.pk,
        goal.pk,
        unit.pk,
    )
    assert (body["responsible"], body["goal_id"]) == (unit.name, goal.pk)
    events = _events_since(before)
    assert [(e.action, e.object_type, e.object_id) for e in events] == [
        ("create", "plan_measure", str(measure.pk))
    ]
    assert IndividualPlan.all_objects.get(pk=plan.pk).version == plan.version + 1
    # The version read before is now stale: 409 and nothing saved.
    stale = _send(client, "post", url, raw, payload)
    assert stale.status_code == 409
    assert Measure.all_objects.count() == 1


def test_measure_add_validation(world, client):
    plan = make_plan(world)
    raw = make_token(world.owner, ["plans:write"])
    url = _measures_url(world, plan)
    nobody = _send(client, "post", url, raw, {"title": "Trening"})
    assert nobody.status_code == 422
    assert (nobody.json()["detail"], nobody.json()["errors"]) == (
        "Velg hvem som er ansvarlig for tiltaket: en enhet, en ansatt eller andre.",
        [],
    )
    backwards = _send(
        client,
        "post",
        url,
        raw,
        {
            "title": "Trening",
            "responsible_other": "Personen",
            "start_on": "2026-03-01",
            "end_on": "2026-02-01",
        },
    )
    assert backwards.status_code == 422
    assert backwards.json()["errors"] == [
        {"field": "end_on", "message": "Tiltaket kan ikke slutte før det starter."}
    ]
    other_plan = _other_plan(world)
    foreign_goal = Goal.all_objects.create(
        municipality=world.municipality, plan=other_plan, text="Annet"
    )
    payload = {"title": "T", "responsible_other": "Personen", "goal_id": foreign_goal.pk}
    wrong_goal = _send(client, "post", url, raw, payload)
    assert wrong_goal.status_code == 422
    assert wrong_goal.json()["errors"][0]["field"] == "goal_id"
    empty = _send(client, "post", url, raw, {"title": "", "responsible_other": "Personen"})
    assert empty.json()["errors"] == [{"field": "title", "message": "Skriv hva tiltaket er."}]
    assert Measure.all_objects.count() == 0


def test_measure_needs_consent_and_an_active_plan(world, client):
    plan = make_plan(world)
    raw = make_token(world.owner, ["plans:write"])
    url = _measures_url(world, plan)
    payload = {"title": "Trening", "responsible_other": "Personen"}
    plan.consent.withdrawn_on = timezone.localdate()
    plan.consent.save()
    refused = _send(client, "post", url, raw, payload)
    # A withdrawn consent is the plan's state (ConsentMissing, a Conflict), not input.
    assert refused.status_code == 409
    assert "Samtykket" in refused.json()["detail"]
    IndividualPlan.all_objects.filter(pk=plan.pk).update(status="avsluttet")
    closed = _send(client, "post", url, raw, payload)
    assert (closed.status_code, closed.json()["detail"]) == (
        409,
        "Planen er avsluttet og kan ikke endres.",
    )
    assert Measure.all_objects.count() == 0


def test_measure_patch_through_the_service(world, client):
    plan = make_plan(world)
    raw = make_token(world.owner, ["plans:read", "plans:write"])
    url = _measures_url(world, plan)
    created = _send(
        client, "post", url, raw, {"title": "Trening", "responsible_staff_id": world.owner.pk}
    ).json()
    version = IndividualPlan.all_objects.get(pk=plan.pk).version
    measure_url = f"{url}{created['id']}/"
    before = AuditEvent.all_objects.count()
    changed = _send(
        client, "patch", measure_url, raw, {"scope": "2 timer i uken", "expected_version": version}
    )
    assert changed.status_code == 200, changed.content
    measure = Measure.all_objects.get(pk=created["id"])
    # Only the scope changed; the rest is as stored.
    assert (measure.title, measure.scope, measure.responsible_staff_id) == (
        "Trening",
        "2 timer i uken",
        world.owner.pk,
    )
    events = _events_since(before)
    assert [(e.action, e.object_type) for e in events] == [("update", "plan_measure")]
    stale = _send(client, "patch", measure_url, raw, {"title": "Ny", "expected_version": version})
    assert stale.status_code == 409
    assert Measure.all_objects.get(pk=measure.pk).title == "Trening"
    # Clearing the only responsible is refused as on the web.
    version += 1
    cleared = _send(
        client,
        "patch",
        measure_url,
        raw,
        {"responsible_staff_id": None, "expected_version": version},
    )
    assert cleared.status_code == 422
    missing_version = _send(client, "patch", measure_url, raw, {"title": "Ny"})
    assert missing_version.status_code == 422
    assert missing_version.json()["errors"] == [
        {"field": "expected_version", "message": "Feltet må fylles ut."}
    ]
    plan_read = client.get(f"/api/persons/{world.person.pk}/plans/{plan.pk}/", **bearer(raw))
    assert plan_read.json()["measures"][0]["scope"] == "2 timer i uken"


def test_measure_refusals(world, client):
    plan = make_plan(world)
    measure = Measure.all_objects.create(
        municipality=world.municipality, plan=plan, title="Trening", responsible_other="Personen"
    )
    url = _measures_url(world, plan)
    payload = {"title": "Ny", "responsible_other": "Personen"}
    patch = {"title": "Ny", "expected_version": plan.version}
    read_only = make_token(world.owner, ["plans:read"])
    assert _send(client, "post", url, read_only, payload).status_code == 403
    assert _send(client, "patch", f"{url}{measure.pk}/", read_only, patch).status_code == 403
    outsider = make_token(world.outsider)
    response = _send(client, "post", url, outsider, payload)
    assert (response.status_code, response.json()["detail"]) == (403, REFUSED)
    response = _send(client, "patch", f"{url}{measure.pk}/", outsider, patch)
    assert (response.status_code, response.json()["detail"]) == (403, REFUSED)
    raw = make_token(world.owner)
    stranger, _ = _stranger(world)
    elsewhere = f"/api/persons/{stranger.pk}/plans/{plan.pk}/measures/"
    assert _send(client, "post", elsewhere, raw, payload).status_code == 403
    # A measure of another person's plan under this person's plan: not found.
    other_plan = _other_plan(world)
    foreign = Measure.all_objects.create(
        municipality=world.municipality, plan=other_plan, title="X", responsible_other="Y"
    )
    assert _send(client, "patch", f"{url}{foreign.pk}/", raw, patch).status_code == 404
    assert Measure.all_objects.get(pk=measure.pk).title == "Trening"
    assert Measure.all_objects.get(pk=foreign.pk).title == "X"
