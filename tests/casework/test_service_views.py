"""The allocation office's pages: registering an application, the service case page
(assessment, decisions, change, stop, appeals) and the deadline lists."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mestring.access.models import AuditEvent, CareRelation
from mestring.casework.models import Appeal, Case, Decision, LegalBasis
from tests import factories
from tests.casework.helpers import days_ago
from tests.casework.service_helpers import decide, make_assessment, register, service

pytestmark = pytest.mark.django_db


def text(delta: int = 0) -> str:
    return (timezone.localdate() + datetime.timedelta(days=delta)).strftime("%d.%m.%Y")


@pytest.fixture
def worker(world):
    return world.caseworker


@pytest.fixture
def worker_client(world, worker, client_for):
    return client_for(worker)


def detail(case: Case) -> str:
    return reverse("casework:case_detail", args=[case.person_id, case.pk])


def decision_post(svc, **extra: str) -> dict[str, str]:
    prefix = f"tjeneste-{svc.pk}"
    basis = LegalBasis.all_objects.get(municipality=svc.municipality, code="tjenester")
    data = {
        "outcome": "innvilget",
        "hours_per_week": "7,5",
        "days": "",
        "valid_from": text(),
        "valid_to": text(60),
        "reasons": "Kartleggingen viser behov.",
        "legal_basis": str(basis.pk),
        "decided_on": text(),
        **extra,
    }
    return {"handling": prefix, **{f"{prefix}-{k}": v for k, v in data.items()}}


def test_register_service_application(world, worker, worker_client, frozen):
    factories.grant_relation(worker, world.person)
    url = reverse("casework:service_application_create", args=[world.person.pk])
    page = worker_client.get(url).content.decode()
    assert "Hverdagsrehabilitering" in page and f'value="{text()}"' in page
    response = worker_client.post(url, {"applicant": "parorende", "received_on": text(-2)})
    body = response.content.decode()
    assert "Kryss av for minst én tjeneste." in body and f'value="{text(-2)}"' in body
    assert not Case.all_objects.exists()
    services_ = [service(world.municipality, c) for c in ("avlastning", "dagplass")]
    response = worker_client.post(
        url,
        {
            "applicant": "parorende",
            "received_on": text(-2),
            "services": [s.pk for s in services_],
            "caseworker": worker.pk,
        },
    )
    case = Case.all_objects.get()
    assert response.status_code == 302 and response.url == detail(case)
    assert (case.kind, case.applicant) == ("tjeneste", "parorende")
    page = worker_client.get(detail(case)).content.decode()
    assert "Avlastning" in page and "Dagplass / dagaktivitet" in page
    assert "Start kartlegging" in page


def test_outsider_and_reader_refused(world, worker, client_for, frozen):
    case = register(worker, world.person, ["avlastning"])
    outsider = client_for(world.outsider)
    for url in (
        reverse("casework:service_application_create", args=[world.person.pk]),
        detail(case),
    ):
        assert outsider.get(url).status_code == 403
    assert outsider.get(reverse("casework:deadlines")).status_code == 403
    # The coordinator sees the person but may not handle the case.
    owner = client_for(world.owner)
    response = owner.post(detail(case), {"handling": "kartlegging"})
    assert response.status_code == 403
    case.refresh_from_db()
    assert case.status == "mottatt"


def test_case_page_assessment_decision_change_stop_appeal(world, worker, worker_client, frozen):
    case = register(worker, world.person, ["avlastning", "stottekontakt"], received_on=days_ago(40))
    url = detail(case)
    page = worker_client.get(url).content.decode()
    assert "Send foreløpig svar" in page  # older than a month, no reply yet
    assert worker_client.post(url, {"handling": "kartlegging"}).status_code == 302
    case.refresh_from_db()
    assert case.status == "kartlegging"
    avlastning = service(world.municipality, "avlastning")
    response = worker_client.post(url, decision_post(avlastning, hours_per_week="", days="12"))
    body = response.content.decode()
    assert "Avlastning rapporteres nasjonalt og krever en fullført kartlegging" in body
    assert 'value="Kartleggingen viser behov."' not in body  # textarea, kept as content:
    assert "Kartleggingen viser behov.</textarea>" in body
    make_assessment(worker, world.person, assessed_on=days_ago(1))
    body = worker_client.post(url, decision_post(avlastning)).content.decode()
    assert "Skriv hvor mange døgn Avlastning innvilges." in body
    response = worker_client.post(url, decision_post(avlastning, hours_per_week="", days="12"))
    assert response.status_code == 302
    decision = Decision.all_objects.get(service=avlastning)
    assert decision.days == 12
    page = worker_client.get(url).content.decode()
    assert reverse("casework:decision_letter", args=[world.person.pk, decision.pk]) in page
    # Change it.
    prefix = f"endre-{decision.pk}"
    change = {
        "handling": prefix,
        f"{prefix}-reason": "Mer avlastning trengs.",
        f"{prefix}-changed_on": text(),
        f"{prefix}-outcome": "innvilget",
        f"{prefix}-days": "20",
        f"{prefix}-hours_per_week": "",
        f"{prefix}-valid_from": text(),
        f"{prefix}-valid_to": "",
        f"{prefix}-reasons": "Økt behov.",
        f"{prefix}-legal_basis": str(decision.legal_basis_id),
    }
    assert worker_client.post(url, change).status_code == 302
    new = Decision.all_objects.get(replaces=decision)
    assert new.days == 20
    # The old decision has no change form any more.
    assert worker_client.post(url, change).status_code == 302  # refused: form not offered
    assert Decision.all_objects.filter(replaces=decision).count() == 1
    # Appeal on the new one: register, send, decide.
    prefix = f"klage-ny-{new.pk}"
    body = worker_client.post(
        url, {"handling": prefix, f"{prefix}-received_on": text(), f"{prefix}-grounds": ""}
    ).content.decode()
    assert "Skriv hva klagen gjelder." in body
    worker_client.post(
        url,
        {"handling": prefix, f"{prefix}-received_on": text(), f"{prefix}-grounds": "Vil ha mer."},
    )
    appeal = Appeal.all_objects.get()
    prefix = f"klage-{appeal.pk}"
    worker_client.post(
        url, {"handling": prefix, f"{prefix}-to_status": "oversendt", f"{prefix}-on": text()}
    )
    worker_client.post(
        url,
        {
            "handling": prefix,
            f"{prefix}-to_status": "opphevet",
            f"{prefix}-on": text(),
            f"{prefix}-note": "",
        },
    ).content.decode()
    appeal.refresh_from_db()
    assert appeal.status == "oversendt"  # a note is needed when overturned
    worker_client.post(
        url,
        {
            "handling": prefix,
            f"{prefix}-to_status": "opphevet",
            f"{prefix}-on": text(),
            f"{prefix}-note": "Ny vurdering.",
        },
    )
    appeal.refresh_from_db()
    assert (appeal.status, appeal.outcome_note) == ("opphevet", "Ny vurdering.")
    # Stop it.
    prefix = f"stans-{new.pk}"
    worker_client.post(
        url,
        {
            "handling": prefix,
            f"{prefix}-stopped_on": text(7),
            f"{prefix}-reason": "Trenger ikke mer.",
        },
    )
    new.refresh_from_db()
    assert new.status == "stanset"
    page = worker_client.get(url).content.decode()
    assert "?brev=stans" in page and "Trenger ikke mer." in page
    assert AuditEvent.all_objects.filter(object_type="appeal", person=world.person).count() == 3


def test_deadlines_page_tabs_csv_and_queries(world, worker, lead_client_factory, frozen):
    client = lead_client_factory
    url = reverse("casework:deadlines")
    make_assessment(worker, world.person, assessed_on=days_ago(100), next_on=days_ago(1))

    def add(n: int) -> None:
        for _ in range(n):
            person = factories.PersonFactory(municipality=world.municipality)
            make_assessment(worker, person, assessed_on=days_ago(50), next_on=days_ago(2))
            case = register(worker, person, ["stottekontakt"], received_on=days_ago(45))
            register(worker, person, ["avlastning"], received_on=days_ago(35))
            decide(worker, case, "stottekontakt", valid_to=days_ago(-10))

    add(1)
    counts = []
    for tab in ("overtid", "utloper", "ny-kartlegging", "klager"):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url, {"vis": tab}).status_code == 200
        counts.append(len(ctx.captured_queries))
    add(3)
    more = []
    for tab in ("overtid", "utloper", "ny-kartlegging", "klager"):
        with CaptureQueriesContext(connection) as ctx:
            body = client.get(url, {"vis": tab}).content.decode()
        more.append(len(ctx.captured_queries))
    assert counts == more
    body = client.get(url, {"vis": "utloper"}).content.decode()
    assert body.count("Støttekontakt</a>") == 4
    csv = client.get(url, {"vis": "overtid", "format": "csv"})
    assert csv["Content-Type"].startswith("text/csv")
    lines = csv.content.decode().strip().splitlines()
    assert lines[0] == "Person;Sakstype;Mottatt;Behandlingstid (dager);Saksbehandler"
    assert len(lines) == 1 + 4  # header and the 4 undecided at 35 days (45-day ones decided)
    assert AuditEvent.all_objects.filter(object_type="deadlines").exists()


@pytest.fixture
def lead_client_factory(world, client_for):
    return client_for(world.caseworker)


def test_caseworker_relation_on_register(world, worker, frozen):
    register(worker, world.person, ["avlastning"])
    assert CareRelation.all_objects.filter(
        staff=worker, person=world.person, kind="saksbehandler"
    ).exists()


def test_refusal_links_to_the_assessment_page(world, worker, worker_client, frozen):
    case = register(worker, world.person, ["avlastning"])
    body = worker_client.post(
        detail(case),
        decision_post(service(world.municipality, "avlastning"), hours_per_week="", days="3"),
    ).content.decode()
    assert "krever en fullført kartlegging" in body
    url = reverse("assessments:assessment_create", kwargs={"person_id": world.person.pk})
    assert f'href="{url}">Gå til kartlegging av personen' in body
