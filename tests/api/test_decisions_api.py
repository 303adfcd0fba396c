"""The decision work of the case page over the API: provisional reply,
caseworker, assessment, decisions, the letter, closing, change, stop and appeals. Every
write goes through the web's form and service; refusals are JSON."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from mestring.access.models import AuditEvent, CareRelation
from mestring.casework.models import Appeal, Case, CaseStatusChange, Decision, DecisionChange
from tests import factories
from tests.api.helpers import bearer, make_token
from tests.casework.helpers import apply, decide_subject, legal_basis
from tests.casework.service_helpers import decide, make_assessment, register, service
from tests.plans.helpers import make_decision

pytestmark = pytest.mark.django_db
REFUSED = "Du har ikke tilgang til denne personen, eller personen finnes ikke."
JSON = "application/json"
WRITE = ["cases:read", "cases:write"]


def _days_ago(n: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=n)


def _today() -> str:
    return timezone.localdate().isoformat()


def _events_since(before: int) -> list[AuditEvent]:
    return list(AuditEvent.all_objects.order_by("seq")[before:])


def _post(client, url: str, raw: str, payload: dict | None = None):
    return client.post(url, data=payload or {}, content_type=JSON, **bearer(raw))


@pytest.fixture
def worker(world):
    """The caseworker, with a care relation to the person."""
    factories.grant_relation(world.caseworker, world.person)
    return world.caseworker


@pytest.fixture
def raw(worker) -> str:
    return make_token(worker, WRITE)


def _ip_case(world, worker, **extra) -> Case:
    return apply(worker, world.person, received_on=_days_ago(40), **extra)


def _service_case(world, worker, codes: list[str]) -> Case:
    return register(worker, world.person, codes, received_on=_days_ago(40))


def _case_url(world, case: Case, action: str) -> str:
    return f"/api/persons/{world.person.pk}/cases/{case.pk}/{action}/"


def _decision_url(world, decision: Decision, action: str) -> str:
    return f"/api/persons/{world.person.pk}/decisions/{decision.pk}/{action}/"


def _errors(response) -> list[dict[str, str]]:
    return response.json()["errors"]


# --- The case


def test_provisional_reply(world, worker, raw, client):
    case = _ip_case(world, worker)
    url = _case_url(world, case, "provisional-reply")
    future = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    bad = _post(client, url, raw, {"sent_on": future})
    assert bad.status_code == 422
    assert _errors(bad) == [{"field": "sent_on", "message": "Datoen kan ikke være fram i tid."}]
    early = _post(client, url, raw, {"sent_on": _days_ago(50).isoformat()})
    assert early.status_code == 422
    assert (early.json()["detail"], early.json()["errors"]) == (
        "Foreløpig svar kan ikke være sendt før saken ble mottatt.",
        [],
    )
    wrong_year = _post(client, url, raw, {"sent_on": "1899-01-01"})
    assert _errors(wrong_year) == [
        {"field": "sent_on", "message": "Velg en dato fra år 2000 til 2100."}
    ]
    expected = (timezone.localdate() + datetime.timedelta(days=20)).isoformat()
    before = AuditEvent.all_objects.count()
    payload = {"sent_on": _days_ago(5).isoformat(), "expected_by": expected}
    response = _post(client, url, raw, payload)
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["provisional_reply_sent_on"], body["provisional_reply_expected_by"]) == (
        _days_ago(5).isoformat(),
        expected,
    )
    case.refresh_from_db()
    assert case.provisional_reply_sent_on == _days_ago(5)
    assert [(e.action, e.object_type, e.object_id, e.person_id) for e in _events_since(before)] == [
        ("provisional_reply", "case", str(case.pk), world.person.pk)
    ]
    # Already registered: the web no longer offers the form.
    again = _post(client, url, raw, payload)
    assert again.status_code == 409
    assert "allerede registrert" in again.json()["detail"]


def test_assign_caseworker(world, worker, raw, client):
    case = _ip_case(world, worker, caseworker=worker)
    url = _case_url(world, case, "caseworker")
    unknown = _post(client, url, raw, {"caseworker_id": 999999})
    assert unknown.status_code == 422
    assert [e["field"] for e in _errors(unknown)] == ["caseworker_id"]
    same = _post(client, url, raw, {"caseworker_id": worker.pk})
    assert same.status_code == 422
    assert "allerede saksbehandler" in same.json()["detail"]
    before = AuditEvent.all_objects.count()
    response = _post(client, url, raw, {"caseworker_id": world.outsider.pk})
    assert response.status_code == 200, response.content
    assert response.json()["caseworker_id"] == world.outsider.pk
    assert Case.all_objects.get(pk=case.pk).caseworker_id == world.outsider.pk
    assert ("assign", "case", str(case.pk)) in [
        (e.action, e.object_type, e.object_id) for e in _events_since(before)
    ]
    # Access moves with the case.
    assert CareRelation.all_objects.filter(
        person=world.person, staff=world.outsider, kind="saksbehandler"
    ).exists()


def test_start_assessment(world, worker, raw, client):
    ip_case = _ip_case(world, worker)
    service_case = _service_case(world, worker, ["ledsagerbevis"])
    for case in (ip_case, service_case):
        url = _case_url(world, case, "assessment")
        before = AuditEvent.all_objects.count()
        response = _post(client, url, raw)
        assert response.status_code == 200, response.content
        assert response.json()["status"] == "kartlegging"
        assert [(e.action, e.object_id) for e in _events_since(before)] == [
            ("status_kartlegging", str(case.pk))
        ]
        assert CaseStatusChange.all_objects.filter(case=case, to_status="kartlegging").exists()
        again = _post(client, url, raw)
        assert again.status_code == 409
        assert again.json()["detail"]


def test_make_ip_and_coordinator_decisions(world, worker, raw, client):
    case = _ip_case(world, worker)
    url = _case_url(world, case, "decisions")
    payload = {
        "subject": "individuell_plan",
        "outcome": "innvilget",
        "reasons": "Langvarige og koordinerte tjenester.",
        "decided_on": _today(),
    }
    blank = _post(client, url, raw, {**payload, "reasons": "   "})
    assert blank.status_code == 422
    assert _errors(blank) == [{"field": "reasons", "message": "Skriv en begrunnelse."}]
    unknown = _post(client, url, raw, {**payload, "outcome": "kanskje"})
    assert unknown.status_code == 422
    assert _errors(unknown)[0] == {
        "field": "outcome",
        "message": "Velg en av de tillatte verdiene.",
    }
    backwards = _post(
        client, url, raw, {**payload, "valid_from": "2026-05-01", "valid_to": "2026-04-01"}
    )
    assert _errors(backwards) == [
        {"field": "valid_to", "message": "Sluttdatoen kan ikke være før startdatoen."}
    ]
    other_basis = legal_basis(factories.make_municipality("9002", "Annenkommune"))
    foreign = _post(client, url, raw, {**payload, "legal_basis_id": other_basis.pk})
    assert _errors(foreign) == [
        {"field": "legal_basis_id", "message": "Velg en hjemmel fra listen."}
    ]
    assert not Decision.all_objects.filter(case=case).exists()

    before = AuditEvent.all_objects.count()
    response = _post(client, url, raw, payload)
    assert response.status_code == 201, response.content
    body = response.json()
    decision = Decision.all_objects.get(pk=body["id"])
    assert (decision.case_id, decision.subject, decision.outcome, decision.decided_by_id) == (
        case.pk,
        "individuell_plan",
        "innvilget",
        worker.pk,
    )
    # The municipality's suggested legal text, as the web form preselects.
    assert decision.legal_basis.code == "individuell-plan"
    assert body["legal_basis_title"] == decision.legal_basis.title
    assert [(e.action, e.object_type, e.object_id) for e in _events_since(before)] == [
        ("create", "decision", str(decision.pk))
    ]
    assert Case.all_objects.get(pk=case.pk).status == "mottatt"  # coordinator undecided
    twice = _post(client, url, raw, payload)
    assert twice.status_code == 409
    response = _post(client, url, raw, {**payload, "subject": "koordinator", "outcome": "avslag"})
    assert response.status_code == 201, response.content
    case.refresh_from_db()
    assert (case.status, case.decided_on) == ("vedtak", timezone.localdate())


def test_decision_only_for_what_the_case_asks(world, worker, raw, client):
    case = _ip_case(world, worker, requests_coordinator=False)
    payload = {
        "subject": "koordinator",
        "outcome": "innvilget",
        "reasons": "Begrunnelse.",
        "decided_on": _today(),
    }
    response = _post(client, _case_url(world, case, "decisions"), raw, payload)
    assert response.status_code == 422
    assert _errors(response) == [
        {"field": "subject", "message": "Saken gjelder ikke søknad om koordinator."}
    ]
    service_case = _service_case(world, worker, ["ledsagerbevis"])
    response = _post(client, _case_url(world, service_case, "decisions"), raw, payload)
    assert response.status_code == 409


def test_make_service_decision(world, worker, raw, client):
    case = _service_case(world, worker, ["ledsagerbevis", "stottekontakt"])
    url = _case_url(world, case, "service-decisions")
    ledsager = service(world.municipality, "ledsagerbevis")
    stotte = service(world.municipality, "stottekontakt")
    payload = {
        "service_id": ledsager.pk,
        "outcome": "innvilget",
        "days": 1,
        "valid_from": _today(),
        "reasons": "Behovet er dokumentert.",
        "decided_on": _today(),
    }
    not_applied = _post(
        client, url, raw, {**payload, "service_id": service(world.municipality, "bpa").pk}
    )
    assert not_applied.status_code == 422
    # The service's message, as on the web, under the field it is about.
    assert _errors(not_applied) == [
        {
            "field": "service_id",
            "message": "Saken gjelder ikke søknad om "
            "Brukerstyrt personlig assistanse (BPA) / personlig assistent.",
        }
    ]
    refusal_with_scope = _post(client, url, raw, {**payload, "outcome": "avslag"})
    assert refusal_with_scope.status_code == 422
    assert (refusal_with_scope.json()["detail"], refusal_with_scope.json()["errors"]) == (
        "Et avslag skal ikke ha timer eller døgn. Fjern omfanget.",
        [],
    )
    too_many_days = _post(client, url, raw, {**payload, "days": 2_000_000_000})
    assert _errors(too_many_days) == [
        {"field": "days", "message": "Antall døgn kan være høyst 3660 (ti år)."}
    ]
    hours = {**payload, "service_id": stotte.pk, "days": None, "hours_per_week": 7.25}
    too_precise = _post(client, url, raw, hours)
    assert _errors(too_precise) == [
        {"field": "hours_per_week", "message": "Skriv timer med høyst én desimal."}
    ]
    # A nationally reported service needs a complete assessment first, as on the web.
    unassessed = _post(client, url, raw, {**hours, "hours_per_week": 7.5})
    assert unassessed.status_code == 422
    assert "krever en fullført kartlegging" in unassessed.json()["detail"]
    assert not Decision.all_objects.filter(case=case).exists()

    before = AuditEvent.all_objects.count()
    response = _post(client, url, raw, payload)
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["service_id"], body["days"], body["subject"]) == (ledsager.pk, 1, "tjeneste")
    decision = Decision.all_objects.get(pk=body["id"])
    assert (decision.service_id, decision.days, decision.legal_basis.code) == (
        ledsager.pk,
        1,
        "tjenester",
    )
    assert [(e.action, e.object_type, e.object_id) for e in _events_since(before)] == [
        ("create", "decision", str(decision.pk))
    ]
    assert _post(client, url, raw, payload).status_code == 409
    make_assessment(worker, world.person, assessed_on=_days_ago(2))
    response = _post(client, url, raw, {**hours, "hours_per_week": 7.5})
    assert response.status_code == 201, response.content
    assert response.json()["hours_per_week"] == 7.5
    assert Case.all_objects.get(pk=case.pk).status == "vedtak"
    read = client.get(f"/api/persons/{world.person.pk}/cases/{case.pk}/", **bearer(raw))
    assert read.status_code == 200


def test_close_case(world, worker, raw, client):
    case = _ip_case(world, worker)
    url = _case_url(world, case, "close")
    no_reason = _post(client, url, raw, {})
    assert no_reason.status_code == 422
    assert (no_reason.json()["detail"], no_reason.json()["errors"]) == (
        "Skriv hvorfor saken avsluttes uten vedtak.",
        [],
    )
    too_long = _post(client, url, raw, {"reason": "x" * 501})
    assert _errors(too_long) == [
        {"field": "reason", "message": "Teksten er for lang (høyst 500 tegn)."}
    ]
    before = AuditEvent.all_objects.count()
    response = _post(client, url, raw, {"reason": "Søknaden er trukket"})
    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["closed_on"]) == ("avsluttet", _today())
    change = CaseStatusChange.all_objects.get(case=case, to_status="avsluttet")
    assert change.reason == "Søknaden er trukket"
    assert ("status_avsluttet", str(case.pk)) in [
        (e.action, e.object_id) for e in _events_since(before)
    ]
    # The caseworker's access ends with the case.
    assert not CareRelation.all_objects.filter(
        person=world.person, staff=worker, kind="saksbehandler", valid_to__isnull=True
    ).exists()
    assert _post(client, url, raw, {"reason": "Igjen"}).status_code == 409
    assert (
        _post(
            client, _case_url(world, case, "caseworker"), raw, {"caseworker_id": worker.pk}
        ).status_code
        == 409
    )


# --- One decision


def test_letter_sent(world, worker, raw, client):
    case = _ip_case(world, worker)
    decision = decide_subject(worker, case, "individuell_plan", decided_on=_days_ago(3))
    url = _decision_url(world, decision, "letter-sent")
    early = _post(client, url, raw, {"sent_on": _days_ago(4).isoformat()})
    assert early.status_code == 422
    assert (early.json()["detail"], early.json()["errors"]) == (
        "Brevet kan ikke være sendt før vedtaket ble fattet.",
        [],
    )
    missing = _post(client, url, raw, {})
    assert _errors(missing) == [{"field": "sent_on", "message": "Feltet må fylles ut."}]
    before = AuditEvent.all_objects.count()
    response = _post(client, url, raw, {"sent_on": _days_ago(2).isoformat()})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["letter_sent_on"] == _days_ago(2).isoformat()
    assert body["appeal_deadline"] == (_days_ago(2) + datetime.timedelta(weeks=3)).isoformat()
    assert Decision.all_objects.get(pk=decision.pk).letter_sent_on == _days_ago(2)
    assert [(e.action, e.object_id) for e in _events_since(before)] == [
        ("letter_sent", str(decision.pk))
    ]
    assert _post(client, url, raw, {"sent_on": _today()}).status_code == 409


def _service_decision(world, worker, **extra) -> Decision:
    case = _service_case(world, worker, ["ledsagerbevis"])
    data = {"hours_per_week": None, "days": 2, "decided_on": _days_ago(10)}
    data["valid_from"] = _days_ago(10)
    return decide(worker, case, "ledsagerbevis", **{**data, **extra})


def test_change_decision(world, worker, raw, client):
    old = _service_decision(world, worker)
    url = _decision_url(world, old, "change")
    no_reason = _post(client, url, raw, {"changed_on": _today(), "reason": " "})
    assert _errors(no_reason) == [{"field": "reason", "message": "Skriv hvorfor vedtaket endres."}]
    before = AuditEvent.all_objects.count()
    payload = {"changed_on": _today(), "reason": "Økt behov", "days": 5, "valid_to": None}
    response = _post(client, url, raw, payload)
    assert response.status_code == 201, response.content
    body = response.json()
    new = Decision.all_objects.get(pk=body["id"])
    # What was sent changed; the rest is carried over from the old decision.
    assert (new.replaces_id, new.days, new.valid_to, new.valid_from, new.reasons) == (
        old.pk,
        5,
        None,
        old.valid_from,
        old.reasons,
    )
    assert (body["replaces_id"], body["state"]) == (old.pk, "gjeldende")
    assert Decision.all_objects.get(pk=old.pk).status == "endret"
    assert DecisionChange.all_objects.filter(decision=old, to_status="endret").count() == 1
    assert [(e.action, e.object_type, e.object_id) for e in _events_since(before)] == [
        ("change", "decision", str(new.pk))
    ]
    # The old one is history now.
    again = _post(client, url, raw, payload)
    assert again.status_code == 409
    assert "kan ikke endres" in again.json()["detail"]
    ip = decide_subject(worker, _ip_case(world, worker), "individuell_plan")
    assert _post(client, _decision_url(world, ip, "change"), raw, payload).status_code == 409


def test_stop_decision(world, worker, raw, client):
    decision = _service_decision(world, worker)
    url = _decision_url(world, decision, "stop")
    early = _post(client, url, raw, {"stopped_on": _days_ago(20).isoformat(), "reason": "Flyttet"})
    assert early.status_code == 422
    assert (early.json()["detail"], early.json()["errors"]) == (
        "Datoen kan ikke være før vedtaket ble fattet.",
        [],
    )
    before = AuditEvent.all_objects.count()
    ahead = (timezone.localdate() + datetime.timedelta(days=7)).isoformat()
    response = _post(client, url, raw, {"stopped_on": ahead, "reason": "Flyttet"})
    assert response.status_code == 200, response.content
    assert (response.json()["state"], response.json()["stopped_on"]) == ("stanset", ahead)
    decision.refresh_from_db()
    assert (decision.status, decision.stopped_on.isoformat()) == ("stanset", ahead)
    assert [(e.action, e.object_id) for e in _events_since(before)] == [("stop", str(decision.pk))]
    again = _post(client, url, raw, {"stopped_on": _today(), "reason": "Igjen"})
    assert again.status_code == 409


# --- Appeals


def test_appeals(world, worker, raw, client):
    decision = _service_decision(world, worker)
    url = _decision_url(world, decision, "appeals")
    no_grounds = _post(client, url, raw, {"received_on": _today(), "grounds": ""})
    assert _errors(no_grounds) == [{"field": "grounds", "message": "Skriv hva klagen gjelder."}]
    before = AuditEvent.all_objects.count()
    response = _post(
        client, url, raw, {"received_on": _days_ago(3).isoformat(), "grounds": "Får for lite"}
    )
    assert response.status_code == 201, response.content
    appeal = Appeal.all_objects.get(pk=response.json()["id"])
    assert (appeal.decision_id, appeal.status, appeal.registered_by_id) == (
        decision.pk,
        "mottatt",
        worker.pk,
    )
    assert [(e.action, e.object_type, e.object_id) for e in _events_since(before)] == [
        ("create", "appeal", str(appeal.pk))
    ]
    second = _post(client, url, raw, {"received_on": _today(), "grounds": "Igjen"})
    assert second.status_code == 409

    listed = client.get(url, **bearer(make_token(worker, ["cases:read"])))
    assert listed.status_code == 200
    assert [(i["id"], i["is_open"]) for i in listed.json()["items"]] == [(appeal.pk, True)]

    status_url = f"{url}{appeal.pk}/status/"
    not_allowed = _post(client, status_url, raw, {"to_status": "stadfestet", "on": _today()})
    assert not_allowed.status_code == 409
    before = AuditEvent.all_objects.count()
    sent = _post(
        client, status_url, raw, {"to_status": "oversendt", "on": _days_ago(1).isoformat()}
    )
    assert sent.status_code == 200, sent.content
    assert (sent.json()["status"], sent.json()["sent_on"]) == (
        "oversendt",
        _days_ago(1).isoformat(),
    )
    assert [(e.action, e.object_id) for e in _events_since(before)] == [
        ("status_oversendt", str(appeal.pk))
    ]
    no_note = _post(client, status_url, raw, {"to_status": "opphevet", "on": _today()})
    assert no_note.status_code == 422
    assert (no_note.json()["detail"], no_note.json()["errors"]) == (
        "Skriv hva utfallet av klagen ble.",
        [],
    )
    done = _post(
        client, status_url, raw, {"to_status": "opphevet", "on": _today(), "note": "Mer hjelp"}
    )
    assert done.status_code == 200, done.content
    appeal.refresh_from_db()
    assert (appeal.status, appeal.outcome_note, appeal.is_open) == ("opphevet", "Mer hjelp", False)
    assert (
        _post(client, status_url, raw, {"to_status": "trukket", "on": _today()}).status_code == 409
    )
    # A decision on individual plan has no appeal form on the case page.
    ip = decide_subject(worker, _ip_case(world, worker), "individuell_plan")
    payload = {"received_on": _today(), "grounds": "Uenig"}
    assert _post(client, _decision_url(world, ip, "appeals"), raw, payload).status_code == 409


# --- Refusals


def test_refusals_scope_permission_relation(world, client):
    case = _ip_case(world, world.caseworker)
    url = _case_url(world, case, "provisional-reply")
    payload = {"sent_on": _today()}
    factories.grant_relation(world.caseworker, world.person)
    no_scope = _post(client, url, make_token(world.caseworker, ["cases:read"]), payload)
    assert no_scope.status_code == 403
    assert "cases:write" in no_scope.json()["detail"]
    # The coordinator has the care relation but may not handle cases, as on the web.
    owner = _post(client, url, make_token(world.owner, WRITE), payload)
    assert owner.status_code == 403
    CareRelation.all_objects.filter(staff=world.caseworker).delete()
    token = make_token(world.caseworker, WRITE)
    before = AuditEvent.all_objects.count()
    no_relation = _post(client, url, token, payload)
    assert (no_relation.status_code, no_relation.json()["detail"]) == (403, REFUSED)
    assert [e.outcome for e in _events_since(before)] == ["refused"]
    decision = make_decision(world.person, world.owner)
    appeals = f"/api/persons/{world.person.pk}/decisions/{decision.pk}/appeals/"
    outsider = client.get(appeals, **bearer(make_token(world.outsider)))
    assert (outsider.status_code, outsider.json()["detail"]) == (403, REFUSED)
    assert Case.all_objects.get(pk=case.pk).provisional_reply_sent_on is None


def test_other_persons_and_municipalities_objects_are_not_found(world, worker, raw, client):
    other_person = factories.PersonFactory(municipality=world.municipality)
    theirs = apply(worker, other_person, received_on=_days_ago(40))
    their_decision = make_decision(other_person, worker)
    municipality = factories.make_municipality("9002", "Annenkommune")
    stranger = factories.PersonFactory(municipality=municipality)
    foreign = make_decision(stranger, worker)
    base = f"/api/persons/{world.person.pk}"
    for case in (theirs, foreign.case):
        for action, payload in [
            ("provisional-reply", {"sent_on": _today()}),
            ("close", {"reason": "Feil"}),
            ("assessment", {}),
        ]:
            response = _post(client, f"{base}/cases/{case.pk}/{action}/", raw, payload)
            assert response.status_code == 404, (case, action)
    for decision in (their_decision, foreign):
        response = _post(
            client, f"{base}/decisions/{decision.pk}/letter-sent/", raw, {"sent_on": _today()}
        )
        assert response.status_code == 404
        assert (
            client.get(f"{base}/decisions/{decision.pk}/appeals/", **bearer(raw)).status_code == 404
        )
    mine = _service_decision(world, worker)
    appeal = Appeal.all_objects.create(
        municipality=world.municipality,
        decision=their_decision,
        received_on=_days_ago(1),
        grounds="Uenig",
        registered_by=worker,
    )
    wrong_pair = _post(
        client,
        f"{base}/decisions/{mine.pk}/appeals/{appeal.pk}/status/",
        raw,
        {"to_status": "trukket", "on": _today()},
    )
    assert wrong_pair.status_code == 404
    assert Case.all_objects.get(pk=theirs.pk).provisional_reply_sent_on is None
    assert Appeal.all_objects.get(pk=appeal.pk).status == "mottatt"


def test_openapi_document_lists_the_decision_endpoints(world, client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    base = "/api/persons/{person_id}"
    for path in [
        "/cases/{case_id}/provisional-reply/",
        "/cases/{case_id}/caseworker/",
        "/cases/{case_id}/assessment/",
        "/cases/{case_id}/decisions/",
        "/cases/{case_id}/service-decisions/",
        "/cases/{case_id}/close/",
        "/decisions/{decision_id}/letter-sent/",
        "/decisions/{decision_id}/change/",
        "/decisions/{decision_id}/stop/",
        "/decisions/{decision_id}/appeals/",
        "/decisions/{decision_id}/appeals/{appeal_id}/status/",
    ]:
        operations = paths[base + path]
        for operation in operations.values():
            assert "cases:" in operation["description"]
            assert {"401", "403", "404", "409", "422"} <= set(operation["responses"])
