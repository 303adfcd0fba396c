from __future__ import annotations

import datetime

import pytest

from mestring.access.models import AuditEvent
from mestring.casework.models import Case
from mestring.people.models import Person
from mestring.plans.models import Goal
from mestring.referrals.models import Referral
from tests import factories
from tests.api.helpers import bearer, make_token
from tests.plans.helpers import make_plan

pytestmark = pytest.mark.django_db
REFUSED = "Du har ikke tilgang til denne personen, eller personen finnes ikke."


def _referral(person: Person) -> Referral:
    return Referral.all_objects.create(
        municipality=person.municipality,
        person=person,
        source="fastlege",
        received_on=datetime.date(2026, 1, 5),
        description="Trenger hjelp",
    )


def _person_urls(world) -> list[str]:
    p = world.person
    referral = _referral(p)
    case = Case.all_objects.create(
        municipality=p.municipality,
        person=p,
        kind="tjeneste",
        received_on=datetime.date(2026, 1, 6),
    )
    plan = make_plan(world)
    base = f"/api/persons/{p.pk}"
    return [
        f"{base}/",
        f"{base}/referrals/",
        f"{base}/referrals/{referral.pk}/",
        f"{base}/cases/",
        f"{base}/cases/{case.pk}/",
        f"{base}/plans/",
        f"{base}/plans/{plan.pk}/",
    ]


def test_every_person_read_works_with_care_relation_and_is_audited(world, client):
    urls = _person_urls(world)
    raw = make_token(world.owner)
    for url in urls:
        before = AuditEvent.all_objects.count()
        response = client.get(url, **bearer(raw))
        assert response.status_code == 200, url
        events = list(AuditEvent.all_objects.order_by("seq")[before:])
        assert len(events) == 1, url
        assert events[0].person_id == world.person.pk
        assert events[0].reason_code  # the ground of access


def test_outsider_and_missing_person_get_the_same_refusal(world, client):
    urls = _person_urls(world)
    raw = make_token(world.outsider)
    for url in urls:
        response = client.get(url, **bearer(raw))
        assert response.status_code == 403, url
        assert response.json()["detail"] == REFUSED
    missing = client.get("/api/persons/999999/", **bearer(raw))
    assert (missing.status_code, missing.json()["detail"]) == (403, REFUSED)
    refused = AuditEvent.all_objects.filter(outcome="refused", person=world.person)
    assert refused.count() == len(urls)


def test_another_municipality_is_refused(world, client):
    other = factories.make_municipality("9002", "Annenkommune")
    stranger = factories.PersonFactory(municipality=other)
    staff = factories.StaffFactory(municipality=other, user__username="annen")
    factories.give_role(staff, "saksbehandler")
    factories.grant_relation(staff, stranger)
    raw = make_token(world.owner)
    assert client.get(f"/api/persons/{stranger.pk}/", **bearer(raw)).status_code == 403
    theirs = make_token(staff)
    response = client.get(f"/api/persons/{world.person.pk}/", **bearer(theirs))
    assert response.json()["detail"] == REFUSED
    listed = client.get("/api/persons/", **bearer(theirs)).json()
    assert [item["id"] for item in listed["items"]] == [stranger.pk]
    referral = _referral(stranger)
    url = f"/api/persons/{world.person.pk}/referrals/{referral.pk}/"
    assert client.get(url, **bearer(raw)).status_code == 404


def test_person_list_mine_search_and_pagination_queries(
    world, client, django_assert_max_num_queries
):
    for index in range(30):
        person = factories.PersonFactory(municipality=world.municipality, family_name=f"Ås{index}")
        factories.grant_relation(world.caseworker, person)
    raw = make_token(world.caseworker)
    with django_assert_max_num_queries(14):
        page = client.get("/api/persons/?limit=10&offset=5", **bearer(raw)).json()
    assert (page["count"], page["limit"], page["offset"], len(page["items"])) == (30, 10, 5, 10)
    found = client.get("/api/persons/?q=Skjermesen", **bearer(raw)).json()
    assert [(i["id"], i["has_access"]) for i in found["items"]] == [(world.person.pk, False)]
    assert AuditEvent.all_objects.filter(object_type="person_search").count() == 1
    # The reference finds the person too, marked as one the caseworker may open.
    by_ref = client.get(f"/api/persons/?q={person.person_ref}", **bearer(raw)).json()
    assert [(i["id"], i["has_access"]) for i in by_ref["items"]] == [(person.pk, True)]
    by_name = client.get("/api/persons/?q=Ås2", **bearer(raw)).json()
    assert by_name["count"] == 1 + 10  # Ås2 and Ås20–Ås29
    assert all(item["has_access"] for item in by_name["items"])
    # Searching needs the permission, as on the web.
    owner_token = make_token(world.owner)
    assert client.get("/api/persons/?q=Skj", **bearer(owner_token)).status_code == 200
    planner = make_token(world.read_only)
    assert client.get("/api/persons/?q=Skj", **bearer(planner)).status_code == 403


def test_bad_input_is_422_in_norwegian(world, client):
    raw = make_token(world.caseworker)
    response = client.get("/api/persons/?limit=0&offset=x", **bearer(raw))
    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == "Ugyldige data."
    fields = {e["field"]: e["message"] for e in body["errors"]}
    assert fields == {"limit": "Tallet er for lite (minst 1).", "offset": "Skriv et heltall."}
    response = client.post(
        "/api/persons/",
        data={"given_name": "", "family_name": "X", "birth_date": "31.12.2000"},
        content_type="application/json",
        **bearer(raw),
    )
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {"birth_date"}
    response = client.post(
        "/api/persons/", data="{", content_type="application/json", **bearer(raw)
    )
    assert response.status_code in (400, 422)
    assert response.json()["detail"]


def test_person_create_through_the_service(world, client):
    raw = make_token(world.caseworker)
    payload = {"given_name": "Ny", "family_name": "Person", "birth_date": "1950-03-04"}
    response = client.post(
        "/api/persons/", data=payload, content_type="application/json", **bearer(raw)
    )
    assert response.status_code == 201, response.content
    person = Person.all_objects.get(pk=response.json()["id"])
    assert AuditEvent.all_objects.filter(action="create", person=person).count() == 1
    # The registrar may read them afterwards, as on the web.
    assert client.get(f"/api/persons/{person.pk}/", **bearer(raw)).status_code == 200
    empty = client.post(
        "/api/persons/",
        data={**payload, "given_name": ""},
        content_type="application/json",
        **bearer(raw),
    )
    assert empty.status_code == 422
    assert empty.json()["errors"] == [{"field": "given_name", "message": "Skriv inn fornavn."}]
    # Without the permission to register persons: refused.
    no_permission = make_token(world.owner)
    response = client.post(
        "/api/persons/", data=payload, content_type="application/json", **bearer(no_permission)
    )
    assert response.status_code == 403


def test_referral_create_and_rule_error(world, client):
    factories.grant_relation(world.caseworker, world.person)
    raw = make_token(world.caseworker)
    url = f"/api/persons/{world.person.pk}/referrals/"
    payload = {"source": "fastlege", "received_on": "2026-01-02", "description": "Behov"}
    response = client.post(url, data=payload, content_type="application/json", **bearer(raw))
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "mottatt"
    future = {**payload, "received_on": "2999-01-01"}
    response = client.post(url, data=future, content_type="application/json", **bearer(raw))
    # A broken rule of the service: RuleBroken, 422.
    assert response.status_code == 422
    assert response.json()["detail"] == "Mottatt-datoen kan ikke være fram i tid."
    assert Referral.all_objects.count() == 1
    outsider = make_token(world.outsider)
    response = client.post(url, data=payload, content_type="application/json", **bearer(outsider))
    assert response.status_code == 403


def test_inbox_needs_the_office_permission(world, client):
    _referral(world.person)
    assert client.get("/api/referrals/", **bearer(make_token(world.owner))).status_code == 403
    page = client.get("/api/referrals/", **bearer(make_token(world.caseworker))).json()
    assert page["count"] == 1 and page["items"][0]["has_access"] is False


def test_goal_add_and_status_change(world, client):
    plan = make_plan(world)
    raw = make_token(world.owner)
    base = f"/api/persons/{world.person.pk}/plans/{plan.pk}/goals/"
    response = client.post(
        base, data={"text": "Gå tur"}, content_type="application/json", **bearer(raw)
    )
    assert response.status_code == 201, response.content
    goal = Goal.all_objects.get(pk=response.json()["id"])
    plan.refresh_from_db()
    stale = client.post(
        f"{base}{goal.pk}/status/",
        data={"status": "avsluttet", "expected_version": plan.version - 1},
        content_type="application/json",
        **bearer(raw),
    )
    assert stale.status_code == 409
    done = client.post(
        f"{base}{goal.pk}/status/",
        data={"status": "avsluttet", "achievement": "nadd", "expected_version": plan.version},
        content_type="application/json",
        **bearer(raw),
    )
    assert done.status_code == 200, done.content
    assert done.json()["status"] == "avsluttet"
    read_only = make_token(world.owner, ["plans:read"])
    response = client.post(
        base, data={"text": "X"}, content_type="application/json", **bearer(read_only)
    )
    assert response.status_code == 403


def test_openapi_document_and_docs_page(client):
    document = client.get("/api/openapi.json").json()
    assert document["info"]["title"] == "Mestring API"
    assert document["components"]["securitySchemes"]["TokenAuth"]["scheme"] == "bearer"
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            assert operation["security"] == [{"TokenAuth": []}], (method, path)
            assert {"401", "403", "422"} <= set(operation["responses"]), (method, path)
    try:
        from openapi_spec_validator import validate
    except ImportError:  # pragma: no cover
        pass
    else:
        validate(document)
    page = client.get("/api/docs")
    html = page.content.decode()
    assert page.status_code == 200
    assert "<script>" not in html and "https://" not in html
    assert "api/docs-init.js" in html
