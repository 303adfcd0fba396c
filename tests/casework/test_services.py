"""Rules for cases and decisions: applications, decisions, provisional replies, letters,
caseworker access, status history and audit rows."""

from __future__ import annotations

import datetime

import pytest

from mestring.access.actor import system_actor
from mestring.access.models import AuditEvent, CareRelation
from mestring.casework import services
from mestring.casework.models import Case, CaseStatusChange, Decision, LegalBasis
from mestring.kernel.states import TransitionNotAllowed
from mestring.tenancy.context import activate
from tests import factories
from tests.casework.helpers import (
    actor_for,
    apply,
    days_ago,
    decide_subject,
    legal_basis,
    make_lead,
    may_see,
)

pytestmark = pytest.mark.django_db
D = datetime.date


def test_application_must_request_plan_or_coordinator(world, lead, frozen):
    with pytest.raises(services.CaseworkError) as error:
        apply(lead, world.person, requests_individual_plan=False, requests_coordinator=False)
    assert str(error.value) == "Søknaden må gjelde individuell plan, koordinator eller begge."
    with pytest.raises(services.CaseworkError) as error:
        apply(lead, world.person, received_on=frozen + datetime.timedelta(days=1))
    assert str(error.value) == "Mottatt-datoen kan ikke være fram i tid."
    assert not Case.all_objects.exists()
    assert not AuditEvent.all_objects.filter(object_type="case").exists()


def test_caseworker_sees_the_person_while_the_case_is_open(world, lead, frozen):
    caseworker = world.caseworker
    assert not may_see(caseworker, world.person)
    case = apply(lead, world.person, caseworker=caseworker)
    assert may_see(caseworker, world.person)
    relation = CareRelation.all_objects.get(staff=caseworker, person=world.person)
    assert relation.kind == "saksbehandler" and relation.valid_to is None
    decide_subject(lead, case, "individuell_plan")
    decide_subject(lead, case, "koordinator")
    case.refresh_from_db()
    assert case.status == "vedtak"
    assert may_see(caseworker, world.person)  # the letter still has to go out
    with activate(world.municipality):
        services.case_close(actor=actor_for(lead), case=case)
    assert not may_see(caseworker, world.person)
    relation.refresh_from_db()
    assert relation.valid_to is not None


def test_reassignment_moves_access_to_the_new_caseworker(world, lead, frozen):
    case = apply(lead, world.person, caseworker=world.caseworker)
    with activate(world.municipality):
        services.case_assign(actor=actor_for(lead), case=case, caseworker=lead)
    assert not may_see(world.caseworker, world.person)
    assert may_see(lead, world.person)
    case.refresh_from_db()
    assert case.caseworker == lead
    with activate(world.municipality), pytest.raises(services.CaseworkError) as error:
        services.case_assign(actor=actor_for(lead), case=case, caseworker=lead)
    assert "er allerede saksbehandler" in str(error.value)
    with activate(world.municipality):
        services.case_close(actor=actor_for(lead), case=case, reason="Søknaden er trukket.")
        assert not may_see(lead, world.person)
        with pytest.raises(services.CaseworkError) as error:
            services.case_assign(actor=actor_for(lead), case=case, caseworker=world.caseworker)
    assert str(error.value) == "Saken er avsluttet og kan ikke få ny saksbehandler."


def test_access_stays_while_another_case_of_the_person_is_open(world, lead, frozen):
    first = apply(lead, world.person, caseworker=world.caseworker)
    apply(lead, world.person, caseworker=world.caseworker, requests_coordinator=False)
    with activate(world.municipality):
        services.case_close(actor=actor_for(lead), case=first, reason="Feilregistrert.")
    assert may_see(world.caseworker, world.person)


def test_status_history_records_every_change(world, lead, frozen):
    case = apply(lead, world.person, received_on=D(2026, 5, 4), caseworker=lead)
    with activate(world.municipality):
        services.case_transition(actor=actor_for(lead), case=case, to_status="kartlegging")
    decide_subject(lead, case, "individuell_plan", decided_on=D(2026, 6, 1))
    case.refresh_from_db()
    assert case.status == "kartlegging" and case.decided_on is None  # one of two decided
    decide_subject(lead, case, "koordinator", decided_on=D(2026, 6, 3))
    case.refresh_from_db()
    assert case.status == "vedtak" and case.decided_on == D(2026, 6, 3)
    assert case.processing_days() == 30  # 04.05 to 03.06, not to today
    with activate(world.municipality):
        services.case_close(actor=actor_for(lead), case=case)
        with pytest.raises(TransitionNotAllowed):
            services.case_transition(actor=actor_for(lead), case=case, to_status="kartlegging")
    history = list(
        CaseStatusChange.all_objects.filter(case=case).values_list("from_status", "to_status")
    )
    assert history == [
        ("", "mottatt"),
        ("mottatt", "kartlegging"),
        ("kartlegging", "vedtak"),
        ("vedtak", "avsluttet"),
    ]
    assert set(CaseStatusChange.all_objects.values_list("changed_by", flat=True)) == {lead.user_id}
    case.refresh_from_db()
    assert case.closed_on == frozen


def test_closing_without_a_decision_needs_a_reason(world, lead, frozen):
    case = apply(lead, world.person)
    with activate(world.municipality), pytest.raises(services.CaseworkError) as error:
        services.case_close(actor=actor_for(lead), case=case, reason="  ")
    assert str(error.value) == "Skriv hvorfor saken avsluttes uten vedtak."
    case.refresh_from_db()
    assert case.status == "mottatt"


@pytest.fixture
def other_municipality_basis(world):
    municipality_b = factories.make_municipality("9002", "Annenkommune")
    return legal_basis(municipality_b)


REFUSALS = {
    "closed": "Saken er avsluttet. En ny søknad må behandles i en ny sak.",
    "not_requested": "Saken gjelder ikke søknad om koordinator.",
    "duplicate": (
        "Det er allerede fattet vedtak om individuell plan i denne saken. "
        "En endring behandles i en ny sak."
    ),
    "no_reasons": "Vedtaket må ha en begrunnelse.",
    "inactive_basis": "Velg en hjemmel som er i bruk i kommunen.",
    "other_municipality_basis": "Velg en hjemmel som er i bruk i kommunen.",
    "before_received": "Vedtaksdatoen kan ikke være før saken ble mottatt.",
    "future": "Datoen kan ikke være fram i tid.",
    "period": "Sluttdatoen kan ikke være før startdatoen.",
}


@pytest.mark.parametrize("rule", sorted(REFUSALS))
def test_decision_refusals(world, lead, frozen, other_municipality_basis, rule):
    case = apply(lead, world.person, received_on=D(2026, 6, 1), requests_coordinator=False)
    subject, extra = "individuell_plan", {}
    if rule == "closed":
        with activate(world.municipality):
            services.case_close(actor=actor_for(lead), case=case, reason="Trukket.")
    elif rule == "not_requested":
        subject = "koordinator"
    elif rule == "duplicate":
        decide_subject(lead, case, subject)
    elif rule == "no_reasons":
        extra = {"reasons": " \n "}
    elif rule == "inactive_basis":
        LegalBasis.all_objects.filter(code="individuell-plan").update(is_active=False)
        extra = {"legal_basis": legal_basis(world.municipality)}
    elif rule == "other_municipality_basis":
        extra = {"legal_basis": other_municipality_basis}
    elif rule == "before_received":
        extra = {"decided_on": D(2026, 5, 31)}
    elif rule == "future":
        extra = {"decided_on": D(2026, 6, 16)}
    elif rule == "period":
        extra = {"valid_from": D(2026, 7, 1), "valid_to": D(2026, 6, 30)}
    decisions_before = Decision.all_objects.count()
    events_before = AuditEvent.all_objects.count()
    with pytest.raises(services.CaseworkError) as error:
        decide_subject(lead, case, subject, **extra)
    assert str(error.value) == REFUSALS[rule]
    assert Decision.all_objects.count() == decisions_before
    assert AuditEvent.all_objects.count() == events_before


def test_only_staff_make_decisions(world, lead, frozen):
    case = apply(lead, world.person)
    with activate(world.municipality), pytest.raises(services.CaseworkError) as error:
        services.decision_make(
            actor=system_actor(world.municipality),
            case=case,
            subject="individuell_plan",
            outcome="avslag",
            reasons="x",
            legal_basis=legal_basis(world.municipality),
            decided_on=frozen,
        )
    assert str(error.value) == "Bare ansatte kan fatte vedtak."


def test_appeal_deadline_is_three_weeks_from_sent_or_decided(world, lead, frozen):
    case = apply(lead, world.person, received_on=D(2026, 5, 20))
    decision = decide_subject(lead, case, "individuell_plan", decided_on=D(2026, 6, 2))
    assert decision.appeal_deadline == D(2026, 6, 23)
    with activate(world.municipality):
        with pytest.raises(services.CaseworkError) as error:
            services.decision_mark_letter_sent(
                actor=actor_for(lead), decision=decision, sent_on=D(2026, 6, 1)
            )
        assert str(error.value) == "Brevet kan ikke være sendt før vedtaket ble fattet."
        services.decision_mark_letter_sent(
            actor=actor_for(lead), decision=decision, sent_on=D(2026, 6, 5)
        )
        decision.refresh_from_db()
        assert decision.appeal_deadline == D(2026, 6, 26)
        with pytest.raises(services.CaseworkError) as error:
            services.decision_mark_letter_sent(
                actor=actor_for(lead), decision=decision, sent_on=D(2026, 6, 6)
            )
        assert str(error.value) == "Brevet er allerede registrert sendt 05.06.2026."


def test_provisional_reply_rules(world, lead, frozen):
    case = apply(lead, world.person, received_on=D(2026, 5, 10))
    actor = actor_for(lead)
    with activate(world.municipality):
        with pytest.raises(services.CaseworkError) as error:
            services.case_record_provisional_reply(actor=actor, case=case, sent_on=D(2026, 5, 9))
        assert str(error.value) == "Foreløpig svar kan ikke være sendt før saken ble mottatt."
        with pytest.raises(services.CaseworkError) as error:
            services.case_record_provisional_reply(
                actor=actor, case=case, sent_on=D(2026, 6, 10), expected_by=D(2026, 6, 10)
            )
        assert "må være etter at svaret ble sendt" in str(error.value)
        services.case_record_provisional_reply(
            actor=actor, case=case, sent_on=D(2026, 6, 10), expected_by=D(2026, 7, 1)
        )
        case.refresh_from_db()
        assert (case.provisional_reply_sent_on, case.provisional_reply_expected_by) == (
            D(2026, 6, 10),
            D(2026, 7, 1),
        )
        with pytest.raises(services.CaseworkError) as error:
            services.case_record_provisional_reply(actor=actor, case=case, sent_on=D(2026, 6, 11))
        assert str(error.value) == "Foreløpig svar er allerede registrert sendt 10.06.2026."
    decided = apply(lead, world.person, requests_coordinator=False)
    decide_subject(lead, decided, "individuell_plan")
    decided.refresh_from_db()
    with activate(world.municipality), pytest.raises(services.CaseworkError) as error:
        services.case_record_provisional_reply(actor=actor, case=decided, sent_on=frozen)
    assert str(error.value) == "Foreløpig svar kan bare registreres i saker som ikke er avgjort."


def test_every_write_leaves_one_audit_row(world, lead, frozen):
    case = apply(lead, world.person, received_on=days_ago(40), caseworker=world.caseworker)
    actor = actor_for(lead)
    with activate(world.municipality):
        services.case_record_provisional_reply(actor=actor, case=case, sent_on=frozen)
        services.case_assign(actor=actor, case=case, caseworker=lead)
    first = decide_subject(lead, case, "individuell_plan")
    decide_subject(lead, case, "koordinator")
    with activate(world.municipality):
        services.decision_mark_letter_sent(actor=actor, decision=first, sent_on=frozen)
        services.case_close(actor=actor, case=case)
    rows = list(
        AuditEvent.all_objects.order_by("seq").values_list("action", "object_type", "person_id")
    )
    person = world.person.pk
    assert rows == [
        ("grant", "care_relation", person),  # the caseworker's access
        ("create", "case", person),
        ("provisional_reply", "case", person),
        ("end", "care_relation", person),  # the old caseworker's access ends
        ("grant", "care_relation", person),  # and the new one's starts
        ("assign", "case", person),
        ("create", "decision", person),
        ("create", "decision", person),
        ("status_vedtak", "case", person),
        ("letter_sent", "decision", person),
        ("end", "care_relation", person),
        ("status_avsluttet", "case", person),
    ]
    assert set(AuditEvent.all_objects.values_list("username", flat=True)) == {lead.user.username}


def test_legal_basis_save_is_audited_and_decisions_keep_their_text(world, frozen):
    admin = actor_for(world.admin)
    lead = make_lead(world.municipality)
    case = apply(lead, world.person, requests_coordinator=False)
    decision = decide_subject(lead, case, "individuell_plan")
    old_text = decision.legal_basis.text
    with activate(world.municipality):
        basis = legal_basis(world.municipality)
        services.legal_basis_save(
            actor=admin,
            legal_basis=basis,
            data={"title": "Ny hjemmel", "text": "Ny tekst etter omnummerering."},
        )
        new = services.legal_basis_save(
            actor=admin,
            legal_basis=None,
            data={"code": "ny-kode", "title": "Tittel", "text": "Tekst", "is_active": True},
        )
        with pytest.raises(services.CaseworkError) as error:
            services.legal_basis_save(
                actor=admin,
                legal_basis=None,
                data={"code": "ny-kode", "title": "T", "text": "T"},
            )
        assert str(error.value) == "Det finnes allerede en hjemmel med denne koden."
        with pytest.raises(services.CaseworkError) as error:
            services.legal_basis_save(
                actor=admin, legal_basis=new, data={"title": " ", "text": "T"}
            )
        assert str(error.value) == "Hjemmelen må ha kode, tittel og tekst."
    decision.refresh_from_db()
    assert decision.legal_basis.text == "Ny tekst etter omnummerering."
    assert decision.cited_text == old_text  # the letter says what was decided
    rows = list(
        AuditEvent.all_objects.filter(object_type="legal_basis").values_list(
            "action", "object_id", "purpose"
        )
    )
    assert rows == [
        ("update", str(basis.pk), "administration"),
        ("create", str(new.pk), "administration"),
    ]
    # A code may be reused in another municipality: the texts are per municipality.
    municipality_b = factories.make_municipality("9002", "Annenkommune")
    assert LegalBasis.all_objects.filter(code="individuell-plan").count() == 2
    assert legal_basis(municipality_b).text == old_text
