"""The allocation office's rules: applications for services, decisions per service with
scope and the assessment requirement, changes, stops and appeals."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from mestring.access.models import AuditEvent
from mestring.casework import services
from mestring.casework.models import (
    AppealStatus,
    ApplicationLine,
    CaseStatus,
    CaseStatusChange,
    Decision,
    DecisionChange,
    DecisionState,
)
from mestring.catalogue.models import Assignment, WaitingListEntry
from mestring.kernel.states import TransitionNotAllowed
from mestring.tenancy.context import activate
from tests import factories
from tests.casework.helpers import actor_for, apply, days_ago, may_see
from tests.casework.service_helpers import decide, make_assessment, register, service

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def worker(world):
    return world.caseworker


@pytest.fixture
def assessed(world, worker, frozen):
    return make_assessment(worker, world.person, assessed_on=days_ago(2))


def _refused(staff, call, **kwargs):
    with activate(staff.municipality), pytest.raises(services.CaseworkError) as info:
        call(actor=actor_for(staff), **kwargs)
    return str(info.value)


def test_register_application(world, worker, frozen):
    assert not may_see(worker, world.person)
    case = register(
        worker,
        world.person,
        ["hverdagsrehabilitering", "korttidsopphold"],
        applicant="parorende",
        received_on=days_ago(3),
    )
    assert (case.kind, case.status, case.applicant) == ("tjeneste", "mottatt", "parorende")
    assert sorted(
        ApplicationLine.all_objects.filter(case=case).values_list("service__code", flat=True)
    ) == [
        "hverdagsrehabilitering",
        "korttidsopphold",
    ]
    assert list(
        CaseStatusChange.all_objects.filter(case=case).values_list("to_status", flat=True)
    ) == ["mottatt"]
    assert may_see(worker, world.person)  # the caseworker of an open case
    assert AuditEvent.all_objects.filter(
        object_type="case", object_id=case.pk, action="create", person=world.person
    ).exists()


def test_register_refusals(world, worker, frozen):
    call = services.service_application_register
    base = {"person": world.person, "applicant": "personen", "received_on": days_ago(1)}
    assert _refused(worker, call, services=[], **base) == "Søknaden må gjelde minst én tjeneste."
    future = {**base, "received_on": days_ago(-1)}
    assert _refused(
        worker, call, services=[service(world.municipality, "avlastning")], **future
    ) == ("Mottatt-datoen kan ikke være fram i tid.")
    assert (
        _refused(
            worker,
            call,
            services=[service(world.municipality, "avlastning")],
            **{**base, "applicant": "nabo"},
        )
        == "Velg hvem som søker."
    )
    other = factories.make_municipality("9002", "Annenkommune")
    assert _refused(worker, call, services=[service(other, "avlastning")], **base) == (
        "Velg blant kommunens egne enheter og ansatte."
    )
    gone = service(world.municipality, "ledsagerbevis")
    gone.is_active = False
    gone.save()
    assert _refused(worker, call, services=[gone], **base) == (
        "Tjenesten er ikke i bruk lenger: Ledsagerbevis."
    )


def test_status_history_through_every_status(world, worker, assessed):
    case = register(worker, world.person, ["hverdagsrehabilitering", "korttidsopphold"])
    actor = actor_for(worker)
    with activate(world.municipality):
        services.case_start_assessment(actor=actor, case=case)
    decide(worker, case, "hverdagsrehabilitering")
    case.refresh_from_db()
    assert case.status == CaseStatus.ASSESSING  # one service still undecided
    decide(worker, case, "korttidsopphold", hours_per_week=None, days=14)
    case.refresh_from_db()
    assert (case.status, case.decided_on) == (CaseStatus.DECIDED, D(2026, 6, 15))
    with activate(world.municipality):
        for status in (CaseStatus.WAITING, CaseStatus.ASSIGNED, CaseStatus.CLOSED):
            services.case_transition(actor=actor, case=case, to_status=status)
    assert list(
        CaseStatusChange.all_objects.filter(case=case).values_list("from_status", "to_status")
    ) == [
        ("", "mottatt"),
        ("mottatt", "kartlegging"),
        ("kartlegging", "vedtak"),
        ("vedtak", "venteliste"),
        ("venteliste", "tildelt"),
        ("tildelt", "avsluttet"),
    ]
    # The caseworker's relation lasted as long as the case.
    assert not may_see(worker, world.person)
    with activate(world.municipality), pytest.raises(TransitionNotAllowed):
        services.case_start_assessment(actor=actor, case=case)


def test_start_assessment_only_for_service_cases(world, lead, frozen):
    case = apply(lead, world.person)
    assert _refused(lead, services.case_start_assessment, case=case) == (
        "Kartlegging startes bare i saker om helse- og omsorgstjenester."
    )


def test_decision_rules(world, worker, assessed):
    case = register(
        worker, world.person, ["stottekontakt", "korttidsopphold", "hverdagsrehabilitering"]
    )

    def refused(code, **extra):
        with pytest.raises(services.CaseworkError) as info:
            decide(worker, case, code, **extra)
        return str(info.value)

    assert refused("avlastning") == "Saken gjelder ikke søknad om Avlastning."
    assert refused("stottekontakt", hours_per_week=None, days=3) == (
        "Skriv hvor mange timer per uke Støttekontakt innvilges."
    )
    assert refused("korttidsopphold") == (
        "Skriv hvor mange døgn Korttidsopphold (utredning/behandling) innvilges."
    )
    assert refused("hverdagsrehabilitering", hours_per_week=None) == (
        "Skriv omfanget av det som innvilges: timer per uke eller antall døgn."
    )
    assert refused("stottekontakt", outcome="avslag") == (
        "Et avslag skal ikke ha timer eller døgn. Fjern omfanget."
    )
    assert refused("stottekontakt", hours_per_week=Decimal(200)) == (
        "Timer per uke må være mellom 0 og 168."
    )
    assert refused("stottekontakt", valid_from=None) == "Skriv fra hvilken dato tjenesten gjelder."
    assert refused("stottekontakt", reasons="  ") == "Vedtaket må ha en begrunnelse."
    assert refused("stottekontakt", decided_on=days_ago(-1)) == "Datoen kan ikke være fram i tid."
    assert refused("stottekontakt", outcome="kanskje") == "Ukjent vedtakstype eller resultat."
    refusal = decide(
        worker,
        case,
        "stottekontakt",
        outcome="avslag",
        hours_per_week=None,
        valid_from=None,
        valid_to=None,
    )
    assert (refusal.subject, refusal.status, refusal.hours_per_week) == (
        "tjeneste",
        "gjeldende",
        None,
    )
    assert refused("stottekontakt") == (
        "Det er allerede fattet vedtak om Støttekontakt i denne saken. "
        "Endre eller stans det vedtaket i stedet."
    )
    # IP cases are decided with decision_make, service cases with service_decision_make.
    ip_case = apply(worker, world.person)
    with pytest.raises(services.CaseworkError, match="Saken er ikke en søknad om helse"):
        decide(worker, ip_case, "stottekontakt")


def test_assessment_required_for_nationally_reported_service(world, worker, frozen):
    case = register(worker, world.person, ["hverdagsrehabilitering", "ledsagerbevis"])
    message = (
        "Hverdagsrehabilitering rapporteres nasjonalt og krever en fullført kartlegging av "
        "personen, gjort senest på vedtaksdatoen. Registrer kartleggingen før vedtaket fattes."
    )
    with pytest.raises(services.AssessmentRequired) as info:
        decide(worker, case, "hverdagsrehabilitering")
    assert str(info.value) == message
    make_assessment(worker, world.person, assessed_on=days_ago(1), complete=False)
    with pytest.raises(services.AssessmentRequired):
        decide(worker, case, "hverdagsrehabilitering")
    make_assessment(worker, world.person, assessed_on=days_ago(-1))  # after the decision day
    with pytest.raises(services.AssessmentRequired):
        decide(worker, case, "hverdagsrehabilitering")
    # Not nationally reported: no assessment needed.
    decide(worker, case, "ledsagerbevis", hours_per_week=None, days=1)
    make_assessment(worker, world.person, assessed_on=days_ago(1))
    decision = decide(worker, case, "hverdagsrehabilitering")
    assert decision.outcome == "innvilget"
    assert Decision.all_objects.filter(case=case).count() == 2


def _granted(world, worker, code="stottekontakt"):
    case = register(worker, world.person, [code])
    return decide(worker, case, code)


def test_change_creates_a_new_decision_with_history(world, worker, assessed):
    old = _granted(world, worker)
    unit = factories.UnitFactory(municipality=world.municipality)
    assignment = Assignment.all_objects.create(
        municipality=world.municipality, decision=old, unit=unit, starts_on=days_ago(1)
    )
    with activate(world.municipality):
        new = services.decision_change(
            actor=actor_for(worker),
            decision=old,
            changed_on=days_ago(0),
            reason="Behovet har økt etter fall.",
            hours_per_week=Decimal(10),
        )
    old.refresh_from_db()
    assert (old.status, new.status, new.replaces_id) == ("endret", "gjeldende", old.pk)
    assert (new.hours_per_week, new.service_id, new.reasons) == (
        Decimal(10),
        old.service_id,
        old.reasons,
    )
    change = DecisionChange.all_objects.get(decision=old)
    assert (change.from_status, change.to_status, change.reason) == (
        "gjeldende",
        "endret",
        "Behovet har økt etter fall.",
    )
    assert (change.changed_on, change.changed_by_id) == (days_ago(0), worker.user_id)
    assignment.refresh_from_db()
    assert (assignment.decision_id, assignment.ends_on) == (new.pk, None)
    assert AuditEvent.all_objects.filter(
        object_type="decision", object_id=new.pk, action="change"
    ).exists()
    call = services.decision_change
    assert _refused(worker, call, decision=old, changed_on=days_ago(0), reason="x") == (
        "Vedtaket er erstattet av nytt vedtak og kan ikke endres eller stanses."
    )
    assert _refused(worker, call, decision=new, changed_on=days_ago(0), reason=" ") == (
        "Skriv hvorfor vedtaket endres eller stanses."
    )
    assert _refused(worker, call, decision=new, changed_on=days_ago(5), reason="x") == (
        "Datoen kan ikke være før vedtaket ble fattet."
    )
    assert _refused(worker, call, decision=new, changed_on=days_ago(0), reason="x", colour=1) == (
        "Ukjent felt i endringen: colour."
    )
    # A change to a refusal ends the service.
    with activate(world.municipality):
        refused = services.decision_change(
            actor=actor_for(worker),
            decision=new,
            changed_on=days_ago(0),
            reason="Flyttet.",
            outcome="avslag",
            hours_per_week=None,
            valid_from=None,
            valid_to=None,
        )
    assignment.refresh_from_db()
    assert (refused.outcome, assignment.ends_on) == ("avslag", days_ago(0))


def test_stop_ends_assignments_and_waiting(world, worker, assessed):
    decision = _granted(world, worker)
    unit = factories.UnitFactory(municipality=world.municipality)
    assignment = Assignment.all_objects.create(
        municipality=world.municipality, decision=decision, unit=unit, starts_on=days_ago(1)
    )
    entry = WaitingListEntry.all_objects.create(
        municipality=world.municipality,
        decision=decision,
        service=decision.service,
        added_on=days_ago(1),
    )
    stop_on = days_ago(-7)
    with activate(world.municipality):
        services.decision_stop(
            actor=actor_for(worker),
            decision=decision,
            stopped_on=stop_on,
            reason="Ønsker ikke tjenesten.",
        )
    decision.refresh_from_db()
    assignment.refresh_from_db()
    entry.refresh_from_db()
    assert (decision.status, decision.stopped_on) == (DecisionState.STOPPED, stop_on)
    assert assignment.ends_on == stop_on
    assert (entry.removed_on, entry.removal_reason) == (stop_on, "annet")
    assert list(
        DecisionChange.all_objects.filter(decision=decision).values_list("to_status", "reason")
    ) == [("stanset", "Ønsker ikke tjenesten.")]
    assert _refused(
        worker, services.decision_stop, decision=decision, stopped_on=stop_on, reason="x"
    ) == ("Vedtaket er stanset og kan ikke endres eller stanses.")
    assert AuditEvent.all_objects.filter(
        object_type="decision", object_id=decision.pk, action="stop"
    ).exists()


def test_appeal_flow(world, worker, assessed):
    decision = _granted(world, worker)
    actor = actor_for(worker)
    assert _refused(
        worker, services.appeal_register, decision=decision, received_on=days_ago(0), grounds=" "
    ) == ("Skriv hva klagen gjelder.")
    assert _refused(
        worker, services.appeal_register, decision=decision, received_on=days_ago(1), grounds="x"
    ) == ("Klagen kan ikke være mottatt før vedtaket ble fattet.")
    with activate(world.municipality):
        appeal = services.appeal_register(
            actor=actor, decision=decision, received_on=days_ago(0), grounds="For få timer."
        )
    assert _refused(
        worker, services.appeal_register, decision=decision, received_on=days_ago(0), grounds="x"
    ) == ("Det er allerede en åpen klage på dette vedtaket.")
    with activate(world.municipality):
        with pytest.raises(TransitionNotAllowed):
            services.appeal_transition(
                actor=actor, appeal=appeal, to_status=AppealStatus.UPHELD, on=days_ago(0)
            )
        with pytest.raises(services.CaseworkError, match=r"Skriv hva utfallet av klagen ble\."):
            services.appeal_transition(
                actor=actor, appeal=appeal, to_status=AppealStatus.REVERSED, on=days_ago(0)
            )
        services.appeal_transition(
            actor=actor, appeal=appeal, to_status=AppealStatus.SENT, on=days_ago(0)
        )
        services.appeal_transition(
            actor=actor,
            appeal=appeal,
            to_status=AppealStatus.UPHELD,
            on=days_ago(0),
            note="Stadfestet.",
        )
        with pytest.raises(TransitionNotAllowed):
            services.appeal_transition(
                actor=actor, appeal=appeal, to_status=AppealStatus.WITHDRAWN, on=days_ago(0)
            )
    appeal.refresh_from_db()
    assert (appeal.status, appeal.sent_on, appeal.outcome_on, appeal.outcome_note) == (
        "stadfestet",
        days_ago(0),
        days_ago(0),
        "Stadfestet.",
    )
    actions = AuditEvent.all_objects.filter(
        object_type="appeal", object_id=appeal.pk, person=world.person
    )
    assert sorted(actions.values_list("action", flat=True)) == [
        "create",
        "status_oversendt",
        "status_stadfestet",
    ]
