"""Opening a case from a message of need over the API, as the web's «Opprett
sak»: the web's OpenCaseForm and referrals.services.referral_open_case."""

from __future__ import annotations

import datetime

import pytest

from mestring.access.models import AuditEvent, CareRelation
from mestring.casework.models import Case, CaseStatusChange
from mestring.people.models import Person
from mestring.referrals.models import Referral, ReferralStatusChange
from tests import factories
from tests.api.helpers import bearer, make_token
from tests.plans.helpers import home_unit

pytestmark = pytest.mark.django_db
REFUSED = "Du har ikke tilgang til denne personen, eller personen finnes ikke."
JSON = "application/json"
RECEIVED = datetime.date(2026, 1, 5)


def _referral(person: Person, **fields: object) -> Referral:
    values = {
        "source": "fastlege",
        "received_on": RECEIVED,
        "description": "Trenger hjelp",
        **fields,
    }
    return Referral.all_objects.create(municipality=person.municipality, person=person, **values)


def _url(person: Person, referral: Referral) -> str:
    return f"/api/persons/{person.pk}/referrals/{referral.pk}/case/"


def _post(client, url: str, raw: str, payload: dict):
    return client.post(url, data=payload, content_type=JSON, **bearer(raw))


def _events_since(before: int) -> list[AuditEvent]:
    return list(AuditEvent.all_objects.order_by("seq")[before:])


def test_case_opened_through_the_service(world, client):
    referral = _referral(world.person, status="under_vurdering")
    raw = make_token(world.owner, ["cases:read", "cases:write"])
    unit = home_unit(world)
    payload = {
        "requests_individual_plan": True,
        "responsible_unit_id": unit.pk,
        "caseworker_id": world.caseworker.pk,
    }
    before = AuditEvent.all_objects.count()
    response = _post(client, _url(world.person, referral), raw, payload)
    assert response.status_code == 201, response.content
    body = response.json()
    case = Case.all_objects.get(pk=body["id"])
    assert body == {
        "id": case.pk,
        "person_id": world.person.pk,
        "kind": "ip_koordinator",
        "status": "mottatt",
        "received_on": "2026-01-05",  # the message's date, which starts the clock
        "requests_individual_plan": True,
        "requests_coordinator": False,
        "decided_on": None,
        "closed_on": None,
        "decisions": [],
    }
    assert (case.referral_id, case.responsible_unit_id, case.caseworker_id) == (
        referral.pk,
        unit.pk,
        world.caseworker.pk,
    )
    assert CaseStatusChange.all_objects.filter(case=case, to_status="mottatt").count() == 1
    referral.refresh_from_db()
    assert referral.status == "sak_opprettet"
    change = ReferralStatusChange.all_objects.get(referral=referral, to_status="sak_opprettet")
    assert (change.from_status, change.changed_by_id) == ("under_vurdering", world.owner.user_id)
    # The caseworker now has a care relation, and everything is in the audit log.
    assert CareRelation.all_objects.filter(
        person=world.person, staff=world.caseworker, kind="saksbehandler"
    ).exists()
    actions = [(e.action, e.object_type, e.object_id) for e in _events_since(before)]
    assert ("create", "case", str(case.pk)) in actions
    assert ("status_sak_opprettet", "referral", str(referral.pk)) in actions
    assert all(e.person_id == world.person.pk for e in _events_since(before))
    caseworker = make_token(world.caseworker, ["cases:read"])
    listed = client.get(f"/api/persons/{world.person.pk}/cases/", **bearer(caseworker))
    assert [item["id"] for item in listed.json()["items"]] == [case.pk]

    # Once the case is opened the message is finished: a second attempt is a conflict.
    again = _post(client, _url(world.person, referral), raw, {"requests_coordinator": True})
    assert again.status_code == 409
    assert again.json()["detail"] == (
        "Meldingen er ferdig behandlet (Sak opprettet), og det kan ikke opprettes en sak fra den."
    )
    assert Case.all_objects.count() == 1


def test_case_from_referral_validation_is_the_web_forms(world, client):
    referral = _referral(world.person)
    raw = make_token(world.owner, ["cases:write"])
    url = _url(world.person, referral)
    neither = _post(client, url, raw, {})
    assert neither.status_code == 422
    assert neither.json()["errors"] == [
        {
            "field": "requests_individual_plan",
            "message": "Kryss av for individuell plan, koordinator eller begge.",
        }
    ]
    unknown_staff = _post(
        client, url, raw, {"requests_coordinator": True, "caseworker_id": 999_999}
    )
    assert unknown_staff.status_code == 422
    assert [e["field"] for e in unknown_staff.json()["errors"]] == ["caseworker_id"]
    # Another municipality's unit is not one of the choices.
    elsewhere = factories.make_municipality("9002", "Annenkommune")
    their_unit = factories.UnitFactory(municipality=elsewhere)
    foreign_unit = _post(
        client, url, raw, {"requests_coordinator": True, "responsible_unit_id": their_unit.pk}
    )
    assert foreign_unit.status_code == 422
    assert [e["field"] for e in foreign_unit.json()["errors"]] == ["responsible_unit_id"]
    wrong_type = _post(client, url, raw, {"requests_coordinator": "kanskje"})
    assert wrong_type.json()["errors"] == [
        {"field": "requests_coordinator", "message": "Skriv true eller false."}
    ]
    extra = _post(client, url, raw, {"requests_coordinator": True, "received_on": "2026-02-01"})
    assert extra.json()["errors"] == [{"field": "received_on", "message": "Feltet er ukjent."}]
    assert Case.all_objects.count() == 0
    assert Referral.all_objects.get(pk=referral.pk).status == "mottatt"


def test_finished_message_gives_no_case(world, client):
    raw = make_token(world.owner, ["cases:write"])
    for status in ("avsluttet", "videresendt"):
        referral = _referral(world.person, status=status)
        response = _post(client, _url(world.person, referral), raw, {"requests_coordinator": True})
        assert response.status_code == 409
        assert "ferdig behandlet" in response.json()["detail"]
        assert Referral.all_objects.get(pk=referral.pk).status == status
    assert Case.all_objects.count() == 0


def test_case_from_referral_refusals(world, client):
    referral = _referral(world.person)
    url = _url(world.person, referral)
    payload = {"requests_coordinator": True}
    # Without the scope: refused, even with the referral scopes.
    no_scope = _post(
        client, url, make_token(world.owner, ["cases:read", "referrals:write"]), payload
    )
    assert no_scope.status_code == 403
    assert "cases:write" in no_scope.json()["detail"]
    # Without a care relation: refused (and audited), as on the web.
    outsider_token = make_token(world.outsider)
    before = AuditEvent.all_objects.count()
    outsider = _post(client, url, outsider_token, payload)
    assert (outsider.status_code, outsider.json()["detail"]) == (403, REFUSED)
    assert [(e.outcome, e.person_id) for e in _events_since(before)] == [
        ("refused", world.person.pk)
    ]
    raw = make_token(world.owner)
    # Another person's message (same municipality) under this person: not found.
    second = factories.PersonFactory(municipality=world.municipality)
    factories.grant_relation(world.owner, second)
    theirs = _referral(second)
    assert _post(client, _url(world.person, theirs), raw, payload).status_code == 404
    # Another municipality: the person is refused, the message not found here.
    elsewhere = factories.make_municipality("9002", "Annenkommune")
    stranger = factories.PersonFactory(municipality=elsewhere)
    foreign = _referral(stranger)
    response = _post(client, _url(stranger, foreign), raw, payload)
    assert (response.status_code, response.json()["detail"]) == (403, REFUSED)
    assert _post(client, _url(world.person, foreign), raw, payload).status_code == 404
    assert Case.all_objects.count() == 0
    assert set(Referral.all_objects.values_list("status", flat=True)) == {"mottatt"}
