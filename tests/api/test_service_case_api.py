"""Registering an application for services over the API, as the web's
«Registrer søknad om tjenester»: the web's form and service, JSON refusals."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from mestring.access.models import AuditEvent, CareRelation
from mestring.casework.models import ApplicationLine, Case, CaseStatusChange
from tests import factories
from tests.api.helpers import bearer, make_token
from tests.casework.service_helpers import service

pytestmark = pytest.mark.django_db
REFUSED = "Du har ikke tilgang til denne personen, eller personen finnes ikke."
JSON = "application/json"
WRITE = ["cases:read", "cases:write"]


def _url(person) -> str:
    return f"/api/persons/{person.pk}/service-cases/"


def _post(client, url: str, raw: str, payload: dict):
    return client.post(url, data=payload, content_type=JSON, **bearer(raw))


def _events_since(before: int) -> list[AuditEvent]:
    return list(AuditEvent.all_objects.order_by("seq")[before:])


def _errors(response) -> list[dict[str, str]]:
    return response.json()["errors"]


@pytest.fixture
def worker(world):
    """The caseworker, with a care relation to the person."""
    factories.grant_relation(world.caseworker, world.person)
    return world.caseworker


@pytest.fixture
def raw(worker) -> str:
    return make_token(worker, WRITE)


def _payload(world, *codes: str, **extra: object) -> dict:
    return {
        "applicant": "parorende",
        "received_on": (timezone.localdate() - datetime.timedelta(days=3)).isoformat(),
        "service_ids": [service(world.municipality, code).pk for code in codes],
        **extra,
    }


def test_registers_the_application_through_the_service(world, worker, raw, client):
    bpa = service(world.municipality, "bpa")
    stotte = service(world.municipality, "stottekontakt")
    payload = _payload(
        world, "stottekontakt", "bpa", "bpa", caseworker_id=world.outsider.pk
    )  # a repeated id counts once, as on the web
    before = AuditEvent.all_objects.count()
    response = _post(client, _url(world.person), raw, payload)
    assert response.status_code == 201, response.content
    body = response.json()
    case = Case.all_objects.get(pk=body["id"])
    assert (case.person_id, case.kind, case.status, case.applicant) == (
        world.person.pk,
        "tjeneste",
        "mottatt",
        "parorende",
    )
    assert case.received_on.isoformat() == payload["received_on"]
    assert case.caseworker_id == world.outsider.pk
    lines = ApplicationLine.all_objects.filter(case=case).order_by("pk")
    assert {line.service_id for line in lines} == {bpa.pk, stotte.pk}
    assert lines.count() == 2
    assert CaseStatusChange.all_objects.filter(case=case, to_status="mottatt").count() == 1
    assert (body["kind"], body["status"], body["applicant"]) == ("tjeneste", "mottatt", "parorende")
    assert (body["caseworker_id"], body["responsible_unit_id"]) == (world.outsider.pk, None)
    assert body["services"] == [
        {"service_id": line.service_id, "service": line.service.name, "decided": False}
        for line in lines.select_related("service")
    ]
    assert body["decisions"] == []
    # The chosen caseworker sees the person while the case is open, as on the web; the
    # service audits the new case and that grant.
    relation = CareRelation.all_objects.get(staff=world.outsider, person=world.person)
    events = _events_since(before)
    assert sorted((e.action, e.object_type, e.object_id, e.person_id) for e in events) == [
        ("create", "case", str(case.pk), world.person.pk),
        ("grant", "care_relation", str(relation.pk), world.person.pk),
    ]
    assert (
        client.get(
            f"/api/persons/{world.person.pk}/cases/{case.pk}/",
            **bearer(make_token(world.outsider, ["cases:read"])),
        ).status_code
        == 200
    )


def test_one_audit_row_without_caseworker(world, worker, raw, client):
    unit = factories.UnitFactory(municipality=world.municipality, name="Tjenestekontoret")
    payload = _payload(world, "hjemmesykepleie", applicant="personen", responsible_unit_id=unit.pk)
    before = AuditEvent.all_objects.count()
    response = _post(client, _url(world.person), raw, payload)
    assert response.status_code == 201, response.content
    case = Case.all_objects.get(pk=response.json()["id"])
    assert (case.applicant, case.responsible_unit_id, case.caseworker_id) == (
        "personen",
        unit.pk,
        None,
    )
    assert response.json()["responsible_unit_id"] == unit.pk
    events = _events_since(before)
    assert [(e.action, e.object_type, e.object_id, e.outcome) for e in events] == [
        ("create", "case", str(case.pk), "allowed")
    ]


def test_invalid_input_is_422_under_the_api_field_names(world, worker, raw, client):
    url = _url(world.person)
    inactive = service(world.municipality, "avlastning")
    inactive.is_active = False
    inactive.save()
    future = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    cases = [
        ({"service_ids": []}, "service_ids", "Kryss av for minst én tjeneste."),
        ({"service_ids": [999999]}, "service_ids", "Velg tjenester fra listen."),
        ({"service_ids": [inactive.pk]}, "service_ids", "Velg tjenester fra listen."),
        ({"received_on": future}, "received_on", "Datoen kan ikke være fram i tid."),
        ({"received_on": "1999-12-31"}, "received_on", "Velg en dato fra år 2000 til 2100."),
        ({"applicant": "nabo"}, "applicant", "Velg en av de tillatte verdiene."),
        ({"service_ids": "bpa"}, "service_ids", "Skriv en liste."),
        ({"service_ids": [0]}, "service_ids.0", "Tallet er for lite (minst 1)."),
        ({"caseworker_id": 999999}, "caseworker_id", None),
        ({"responsible_unit_id": 999999}, "responsible_unit_id", None),
        ({"extra": 1}, "extra", "Feltet er ukjent."),
    ]
    for change, field, message in cases:
        response = _post(client, url, raw, {**_payload(world, "bpa"), **change})
        assert response.status_code == 422, (change, response.content)
        errors = _errors(response)
        assert errors[0]["field"] == field, (change, errors)
        if message is not None:
            assert errors[0]["message"] == message, (change, errors)
    missing = _post(client, url, raw, {"applicant": "personen"})
    assert missing.status_code == 422
    assert {e["field"] for e in _errors(missing)} == {"received_on", "service_ids"}
    assert Case.all_objects.count() == 0
    assert ApplicationLine.all_objects.count() == 0


def test_other_municipalitys_ids_are_refused(world, worker, raw, client):
    other = factories.make_municipality("9002", "Annenkommune")
    theirs = service(other, "bpa")
    their_staff = factories.StaffFactory(municipality=other)
    their_unit = factories.UnitFactory(municipality=other)
    url = _url(world.person)
    for change, field in [
        ({"service_ids": [theirs.pk]}, "service_ids"),
        ({"caseworker_id": their_staff.pk}, "caseworker_id"),
        ({"responsible_unit_id": their_unit.pk}, "responsible_unit_id"),
    ]:
        response = _post(client, url, raw, {**_payload(world, "bpa"), **change})
        assert response.status_code == 422, (change, response.content)
        assert _errors(response)[0]["field"] == field
    # Their person: the same refusal as a missing person.
    stranger = factories.PersonFactory(municipality=other)
    response = _post(client, _url(stranger), raw, _payload(world, "bpa"))
    assert (response.status_code, response.json()["detail"]) == (403, REFUSED)
    assert Case.all_objects.count() == 0


def test_refusals(world, worker, client):
    url = _url(world.person)
    payload = _payload(world, "bpa")
    no_scope = _post(client, url, make_token(worker, ["cases:read"]), payload)
    assert no_scope.status_code == 403
    assert "cases:write" in no_scope.json()["detail"]
    # The coordinator has the care relation but may not handle cases, as on the web.
    owner = _post(client, url, make_token(world.owner, WRITE), payload)
    assert owner.status_code == 403
    # The caseworker without a care relation to the person is refused.
    CareRelation.all_objects.filter(staff=worker, person=world.person).delete()
    refused = _post(client, url, make_token(worker, WRITE), payload)
    assert (refused.status_code, refused.json()["detail"]) == (403, REFUSED)
    assert _post(client, url, make_token(world.outsider, WRITE), payload).status_code == 403
    missing = _post(
        client, "/api/persons/999999/service-cases/", make_token(worker, WRITE), payload
    )
    assert (missing.status_code, missing.json()["detail"]) == (403, REFUSED)
    assert Case.all_objects.count() == 0


def test_the_operation_is_documented(client):
    schema = client.get("/api/openapi.json").json()
    operation = schema["paths"]["/api/persons/{person_id}/service-cases/"]["post"]
    assert "cases:write" in operation["description"]
    assert "person.register" in operation["description"]
    assert set(operation["responses"]) == {"201", "400", "401", "403", "404", "409", "422"}
