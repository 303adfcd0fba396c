"""The case pages: forms keep input and show rules in Norwegian, lists run a fixed
number of queries, the letter is an audited PDF, legal texts stay in their municipality."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mestring.access.models import AuditEvent, CareRelation
from mestring.casework import services
from mestring.casework.defaults import DEFAULT_LEGAL_BASES
from mestring.casework.models import Case, Decision, LegalBasis
from mestring.tenancy.context import activate
from tests import factories
from tests.casework.helpers import (
    actor_for,
    apply,
    days_ago,
    decide_subject,
    legal_basis,
    may_see,
)

pytestmark = pytest.mark.django_db


def today_text(delta: int = 0) -> str:
    return (timezone.localdate() + datetime.timedelta(days=delta)).strftime("%d.%m.%Y")


@pytest.fixture
def lead_client(world, lead, client_for):
    factories.grant_relation(lead, world.person)
    return client_for(lead)


def detail_url(case: Case) -> str:
    return reverse("casework:case_detail", args=[case.person_id, case.pk])


def decision_post(subject: str, **extra: str) -> dict[str, str]:
    prefix = f"vedtak-{subject}"
    code = "individuell-plan" if subject == "individuell_plan" else "koordinator"
    data = {
        "handling": prefix,
        "outcome": "innvilget",
        "reasons": "Flere tjenester over lang tid.",
        "legal_basis": str(LegalBasis.all_objects.get(municipality__number="9001", code=code).pk),
        "decided_on": today_text(),
        "valid_from": "",
        "valid_to": "",
        **extra,
    }
    return {f"{prefix}-{k}" if k != "handling" else k: v for k, v in data.items()}


def test_register_application_keeps_input_and_opens_case(world, lead, lead_client):
    url = reverse("casework:case_create", args=[world.person.pk])
    page = lead_client.get(url)
    assert page.status_code == 200 and f'value="{today_text()}"' in page.content.decode()
    response = lead_client.post(url, {"received_on": today_text(-3), "caseworker": lead.pk})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Kryss av for individuell plan, koordinator eller begge." in body
    assert f'value="{today_text(-3)}"' in body
    response = lead_client.post(url, {"received_on": today_text(1), "requests_coordinator": "on"})
    assert "Datoen kan ikke være fram i tid." in response.content.decode()
    assert not Case.all_objects.exists()
    response = lead_client.post(
        url,
        {
            "received_on": today_text(-3),
            "requests_individual_plan": "on",
            "caseworker": world.caseworker.pk,
        },
    )
    case = Case.all_objects.get()
    assert response.status_code == 302 and response.url == detail_url(case)
    assert (case.requests_individual_plan, case.requests_coordinator) == (True, False)
    assert case.caseworker == world.caseworker
    assert CareRelation.all_objects.filter(staff=world.caseworker, kind="saksbehandler").exists()


def test_staff_without_casework_permission_cannot_write(world, client_for):
    owner = client_for(world.owner)  # a coordinator with a care relation
    url = reverse("casework:case_create", args=[world.person.pk])
    assert "Søknader registreres av koordinerende enhet" in owner.get(url).content.decode()
    before = AuditEvent.all_objects.count()
    response = owner.post(url, {"received_on": today_text(), "requests_coordinator": "on"})
    assert response.status_code == 403
    assert not Case.all_objects.exists()
    refusal = AuditEvent.all_objects.order_by("-seq").first()
    assert AuditEvent.all_objects.count() == before + 1
    assert (refusal.outcome, refusal.person_id) == ("refused", world.person.pk)


def test_case_page_provisional_reply_and_decisions(world, lead, lead_client):
    case = apply(lead, world.person, received_on=days_ago(35), caseworker=lead)
    url = detail_url(case)
    body = lead_client.get(url).content.decode()
    assert "Send foreløpig svar" in body
    assert "Vedtak om individuell plan" in body and "Vedtak om koordinator" in body
    response = lead_client.post(url, {"handling": "svar", "svar-sent_on": today_text(-36)})
    assert "Foreløpig svar kan ikke være sendt før saken ble mottatt." in response.content.decode()
    response = lead_client.post(
        url, {"handling": "svar", "svar-sent_on": today_text(), "svar-expected_by": today_text(20)}
    )
    assert response.status_code == 302
    body = lead_client.get(url).content.decode()
    assert "Send foreløpig svar" not in body
    assert f"svar kan ventes innen {today_text(20)}" in body

    response = lead_client.post(url, decision_post("individuell_plan", reasons="  "))
    body = response.content.decode()
    assert "Skriv en begrunnelse." in body
    assert f'value="{today_text()}"' in body  # the decision date typed stays
    response = lead_client.post(url, decision_post("individuell_plan"))
    assert response.status_code == 302
    response = lead_client.post(url, decision_post("individuell_plan"))  # form is gone now
    assert response.status_code == 302
    assert Decision.all_objects.count() == 1
    lead_client.post(url, decision_post("koordinator", outcome="avslag"))
    case.refresh_from_db()
    assert case.status == "vedtak"
    body = lead_client.get(url).content.decode()
    assert "Vedtak om individuell plan" not in body.split("Vedtak i saken")[0].split("</dl>")[1]
    assert "Vedtaksbrev (PDF): Koordinator" in body


def test_another_municipalitys_legal_text_is_neither_offered_nor_accepted(world, lead, lead_client):
    municipality_b = factories.make_municipality("9002", "Annenkommune")
    LegalBasis.all_objects.filter(municipality=municipality_b).update(title="TITTEL-FRA-B")
    basis_b = legal_basis(municipality_b)
    case = apply(lead, world.person)
    page = lead_client.get(detail_url(case))
    assert "TITTEL-FRA-B" not in page.content.decode()
    for form in page.context["decision_forms"]:
        with activate(world.municipality):
            offered = {choice.pk for choice in form.fields["legal_basis"].queryset}
        assert offered == set(
            LegalBasis.all_objects.filter(municipality=world.municipality).values_list(
                "pk", flat=True
            )
        )
    response = lead_client.post(
        detail_url(case), decision_post("individuell_plan", legal_basis=str(basis_b.pk))
    )
    assert "Velg en hjemmel fra listen." in response.content.decode()
    assert not Decision.all_objects.exists()


def test_reassign_and_close_from_the_case_page(world, lead, lead_client):
    case = apply(lead, world.person, caseworker=lead)
    url = detail_url(case)
    response = lead_client.post(
        url, {"handling": "saksbehandler", "saksbehandler-caseworker": lead.pk}
    )
    assert "er allerede saksbehandler." in response.content.decode()
    lead_client.post(
        url, {"handling": "saksbehandler", "saksbehandler-caseworker": world.caseworker.pk}
    )
    case.refresh_from_db()
    assert case.caseworker == world.caseworker
    response = lead_client.post(url, {"handling": "avslutt", "avslutt-reason": ""})
    assert "Skriv hvorfor saken avsluttes uten vedtak." in response.content.decode()
    lead_client.post(url, {"handling": "avslutt", "avslutt-reason": "Søknaden er trukket."})
    case.refresh_from_db()
    assert case.status == "avsluttet"
    assert not may_see(world.caseworker, world.person)
    response = lead_client.post(url, {"handling": "utredning"})
    assert response.status_code == 302  # not offered on a closed case: nothing happens
    case.refresh_from_db()
    assert case.status == "avsluttet"


def test_decision_page_next_step_and_letter_sent(world, lead, lead_client):
    case = apply(lead, world.person, received_on=days_ago(10))
    decision = decide_subject(lead, case, "koordinator", decided_on=timezone.localdate())
    url = reverse("casework:decision_detail", args=[world.person.pk, decision.pk])
    body = lead_client.get(url).content.decode()
    assert "Neste steg" in body and "Oppnevn en koordinator" in body
    response = lead_client.post(url, {"sent_on": today_text(-1)})
    assert "Brevet kan ikke være sendt før vedtaket ble fattet." in response.content.decode()
    response = lead_client.post(url, {"sent_on": today_text()})
    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.letter_sent_on == timezone.localdate()
    body = lead_client.get(url).content.decode()
    deadline = (timezone.localdate() + datetime.timedelta(days=21)).strftime("%d.%m.%Y")
    assert deadline in body and "Registrer brevet som sendt" not in body


def test_letter_is_an_audited_pdf(world, lead, lead_client):
    case = apply(lead, world.person)
    decision = decide_subject(lead, case, "individuell_plan")
    url = reverse("casework:decision_letter", args=[world.person.pk, decision.pk])
    before = AuditEvent.all_objects.count()
    response = lead_client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="vedtak-{decision.pk}.pdf"'
    assert response.content.startswith(b"%PDF")
    rows = list(AuditEvent.all_objects.filter(seq__gt=0).order_by("seq")[before:])
    assert [(r.action, r.object_type, r.object_id, r.person_id) for r in rows] == [
        ("export", "decision_letter", str(decision.pk), world.person.pk)
    ]
    other_person = factories.PersonFactory(municipality=world.municipality)
    factories.grant_relation(lead, other_person)
    wrong = reverse("casework:decision_letter", args=[other_person.pk, decision.pk])
    assert lead_client.get(wrong).status_code == 404


def test_case_list_filters_links_and_prompt(world, lead, client_for):
    client = client_for(lead)
    factories.grant_relation(lead, world.person)
    mine = apply(lead, world.person, received_on=days_ago(31))
    stranger = factories.PersonFactory(
        municipality=world.municipality, given_name="Ukjent", family_name="Utenfor"
    )
    replied = apply(lead, stranger, received_on=days_ago(40))
    with activate(world.municipality):
        services.case_record_provisional_reply(
            actor=actor_for(lead), case=replied, sent_on=timezone.localdate()
        )
    apply(lead, factories.PersonFactory(municipality=world.municipality), received_on=days_ago(2))
    url = reverse("casework:case_list")
    body = client.get(url).content.decode()
    for label in ("Alle åpne (3)", "Forfalt (2)", "Mangler foreløpig svar (1)"):
        assert label in body
    assert detail_url(mine) in body  # the lead may open this person
    assert detail_url(replied) not in body and "Utenfor, Ukjent" in body  # but not this one
    assert body.count("Send foreløpig svar") == 1
    awaiting = client.get(url, {"vis": "mangler_svar"})
    assert [c.pk for c in awaiting.context["page"].object_list] == [mine.pk]
    event = AuditEvent.all_objects.order_by("-seq").first()
    assert (event.object_type, event.action) == ("case_list", "view")
    assert client.get(url, {"vis": "tull", "sort": "tull"}).status_code == 200


def test_case_list_is_for_casework_roles_only(world, client_for):
    for staff in (world.outsider, world.owner, world.read_only, world.admin):
        assert client_for(staff).get(reverse("casework:case_list")).status_code == 403
    assert client_for(world.caseworker).get(reverse("casework:case_list")).status_code == 200


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def test_lists_run_a_fixed_number_of_queries(world, lead, lead_client):
    list_url = reverse("casework:case_list")
    person_url = reverse("casework:person_cases", args=[world.person.pk])

    def add_cases(count: int) -> None:
        for n in range(count):
            other = factories.PersonFactory(municipality=world.municipality)
            apply(lead, other, received_on=days_ago(n * 3), caseworker=world.caseworker)
            case = apply(lead, world.person, received_on=days_ago(n), caseworker=lead)
            decide_subject(lead, case, "individuell_plan")

    add_cases(2)
    few = (_queries(lead_client, list_url), _queries(lead_client, person_url))
    add_cases(12)
    many = (_queries(lead_client, list_url), _queries(lead_client, person_url))
    assert few == many


def test_legal_texts_admin(world, client_for):
    admin = client_for(world.admin)
    municipality_b = factories.make_municipality("9002", "Annenkommune")
    LegalBasis.all_objects.filter(municipality=municipality_b).update(title="TITTEL-FRA-B")
    list_url = reverse("casework:legal_basis_list")
    body = admin.get(list_url).content.decode()
    assert "Helse- og omsorgstjenesteloven § 7-2" in body and "TITTEL-FRA-B" not in body
    basis_b = legal_basis(municipality_b)
    edit_b = reverse("casework:legal_basis_edit", args=[basis_b.pk])
    assert admin.get(edit_b).status_code == 404
    assert admin.post(edit_b, {"code": "x", "title": "x", "text": "x"}).status_code == 404
    assert legal_basis(municipality_b).title == "TITTEL-FRA-B"

    basis = legal_basis(world.municipality, "koordinator")
    url = reverse("casework:legal_basis_edit", args=[basis.pk])
    response = admin.post(url, {"code": "individuell-plan", "title": "Ny", "text": ""})
    body = response.content.decode()
    assert "Det finnes allerede en hjemmel med denne koden." in body
    assert "Skriv inn teksten til vedtaksbrevet." in body
    assert 'value="Ny"' in body
    response = admin.post(
        url, {"code": "koordinator", "title": "Ny tittel", "text": "Ny tekst", "is_active": "on"}
    )
    assert response.status_code == 302
    basis.refresh_from_db()
    assert (basis.title, basis.text) == ("Ny tittel", "Ny tekst")
    create = reverse("casework:legal_basis_create")
    response = admin.post(
        create, {"code": "hol-3-2", "title": "Hol. § 3-2", "text": "Tekst", "is_active": "on"}
    )
    assert response.status_code == 302
    expected = len(DEFAULT_LEGAL_BASES) + 1
    assert LegalBasis.all_objects.filter(municipality=world.municipality).count() == expected
    rows = AuditEvent.all_objects.filter(object_type="legal_basis")
    assert list(rows.values_list("action", "purpose")) == [
        ("update", "administration"),
        ("create", "administration"),
    ]
    for staff in (world.outsider, world.owner, world.caseworker):
        assert client_for(staff).get(list_url).status_code == 403
        assert client_for(staff).post(url, {"title": "x"}).status_code == 403
