"""Demo data for stays the allocation office assigns: a few recent decisions on
korttids- and rehabiliteringsopphold, assigned to Lokalmedisinsk senter from a day in
the coming two weeks. Runs after the institutions demo, once the unit has its beds,
so each assignment puts a planned arrival on the bed board (the institutions app's
receiver, `institutions/provision.py`), as assigning does on the pages; the one
arriving today the ward admits from the board (`planned_stay_admit`).

The two years of earlier stay decisions (`demo_services.py`) were assigned before the
unit's beds were registered in the demo, so they made no plans: their stays are the
bed history the institutions demo lays down. Decided and assigned by the caseworker
(`demo/actors.py`), who keeps the cases while they are open; admitted by the nurse who
admits in the institutions demo."""

from __future__ import annotations

import datetime
import random

from mestring.assessments.models import FunctionVariable
from mestring.casework.models import (
    Case,
    CaseStatus,
    CaseStatusChange,
    Decision,
    DecisionOutcome,
    DecisionSubject,
    LegalBasis,
)
from mestring.casework.services import case_assign
from mestring.catalogue.models import Assignment, Service
from mestring.catalogue.services import decision_assign
from mestring.demo.actors import demo_actor
from mestring.demo.demo_services import _Application, _application
from mestring.institutions.models import PlannedStay, Stay
from mestring.institutions.services import planned_stay_admit
from mestring.people.models import Person, Staff, Unit

UNIT = "Lokalmedisinsk senter"
# service code, days from today to the planned arrival, nights granted. The first
# arrives today and the ward admits it from the board; the others are planned. Within
# the catalogue's places (korttid 2, rehabilitering 1) on every day.
PLANNED = [
    ("korttidsopphold", 0, 10),
    ("korttidsopphold", 3, 21),
    ("rehabiliteringsopphold", 6, 28),
    ("korttidsopphold", 12, 14),
]


def build_stays_demo(
    rng: random.Random,
    persons: list[Person],
    caseworker: Staff,
    ward: Staff,
    today: datetime.date,
) -> None:
    """`caseworker` decides and assigns; `ward` admits the one arriving today."""
    if PlannedStay.objects.exists():
        return
    unit = Unit.objects.filter(name=UNIT).first()
    basis = LegalBasis.objects.order_by("pk").first()
    if unit is None or basis is None:
        return
    actor = demo_actor(caseworker)
    busy = set(
        Stay.objects.filter(discharged_on__isnull=True).values_list("person_id", flat=True)
    ) | set(Case.objects.exclude(status=CaseStatus.CLOSED).values_list("person_id", flat=True))
    candidates = [p for p in persons if p.pk not in busy]
    variables = list(FunctionVariable.objects.filter(is_active=True))
    services = {s.code: s for s in Service.objects.filter(code__in=[c for c, _d, _n in PLANNED])}
    for (code, days_ahead, nights), person in zip(
        PLANNED, rng.sample(candidates, len(PLANNED)), strict=True
    ):
        received = today - datetime.timedelta(days=rng.randint(8, 16))
        decided = received + datetime.timedelta(days=rng.randint(3, 6))
        starts = today + datetime.timedelta(days=days_ahead)
        case = _application(
            rng,
            caseworker,
            _Application(person, services[code], unit, received, open_case=True),
            variables,
        )
        decision = Decision.objects.create(
            case=case,
            subject=DecisionSubject.SERVICE,
            service=services[code],
            outcome=DecisionOutcome.GRANTED,
            reasons="Kartleggingen viser behov for et tidsavgrenset opphold.",
            legal_basis=basis,
            legal_basis_title=basis.title,
            legal_basis_text=basis.text,
            decided_on=decided,
            letter_sent_on=decided,
            valid_from=starts,
            valid_to=starts + datetime.timedelta(days=nights),
            days=nights,
            decided_by=caseworker,
        )
        case.status, case.decided_on = CaseStatus.DECIDED, decided
        case.save(update_fields=["status", "decided_on"])
        CaseStatusChange.objects.create(
            case=case, from_status=CaseStatus.ASSESSING, to_status=CaseStatus.DECIDED
        )
        case_assign(actor=actor, case=case, caseworker=caseworker)
        made = decision_assign(
            actor=actor,
            decision=decision,
            unit=unit,
            starts_on=starts,
            ends_on=decision.valid_to,
        )
        if not isinstance(made, Assignment):
            raise RuntimeError(f"Demodataene: {code} fikk ikke plass fra {starts}.")
        planned = PlannedStay.objects.filter(assignment=made).first()
        if planned is not None and starts <= today:
            planned_stay_admit(actor=demo_actor(ward), planned=planned, admitted_on=starts)
