"""Demo data for the allocation office: providers and capacity for the catalogue,
assessments, service applications, decisions, assignments and a waiting list. All
invented, from a fixed seed; built once."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.utils import timezone

from mestring.access.models import CareRelation, CareRelationKind
from mestring.assessments.models import Assessment, AssessmentScore, FunctionVariable
from mestring.casework.models import (
    ApplicationLine,
    Case,
    CaseKind,
    CaseStatus,
    CaseStatusChange,
    Decision,
    DecisionOutcome,
    DecisionSubject,
    LegalBasis,
)
from mestring.catalogue.models import Assignment, Service, ServiceProvider, WaitingListEntry
from mestring.people.models import Person, Staff, Unit

# service code → (providing unit, capacity)
PROVIDERS = {
    "hverdagsrehabilitering": ("Fysio- og ergoterapitjenesten", Decimal(3)),
    "korttidsopphold": ("Lokalmedisinsk senter", Decimal(2)),
    "rehabiliteringsopphold": ("Lokalmedisinsk senter", Decimal(3)),
    "praktisk-bistand": ("Hjemmetjenesten", Decimal(120)),
    "hjemmesykepleie": ("Hjemmetjenesten", Decimal(400)),
    "stottekontakt": ("Miljøterapitjenesten", Decimal(60)),
    "dagplass": ("Miljøterapitjenesten", Decimal(2)),
    "psykisk-helse-rus": ("Rus og psykisk helse", Decimal(80)),
}


def build_services_demo(rng: random.Random, persons: list[Person], caseworker: Staff) -> None:
    if Case.objects.filter(kind=CaseKind.SERVICE).exists():
        return
    today = timezone.localdate()
    units = {u.name: u for u in Unit.objects.all()}
    services = {s.code: s for s in Service.objects.all()}
    for code, (unit_name, capacity) in PROVIDERS.items():
        ServiceProvider.objects.get_or_create(
            service=services[code], unit=units[unit_name], defaults={"capacity": capacity}
        )
    basis = LegalBasis.objects.order_by("pk").first()
    if basis is None:
        raise RuntimeError("Demodataene for tjenester trenger en hjemmel (LegalBasis).")
    variables = list(FunctionVariable.objects.filter(is_active=True))
    used: dict[tuple[int, str], int] = {}
    for index, person in enumerate(rng.sample(persons, 40)):
        received = today - datetime.timedelta(days=rng.randint(5, 700))
        code = rng.choice(list(PROVIDERS))
        service, (unit_name, capacity) = services[code], PROVIDERS[code]
        assessment = Assessment.objects.create(
            person=person,
            assessed_on=received + datetime.timedelta(days=5),
            next_assessment_on=received + datetime.timedelta(days=365),
            what_matters="Å klare meg mest mulig selv hjemme.",
            assessed_by=caseworker,
        )
        AssessmentScore.objects.bulk_create(
            [
                AssessmentScore(
                    municipality=person.municipality,
                    assessment=assessment,
                    variable=variable,
                    score=rng.choice([1, 2, 3, 4, 5, 9]),
                )
                for variable in variables
            ]
        )
        open_case = index % 8 == 0
        # Every other open case is an application from Min side nobody has taken yet,
        # so the allocation office's queue has work in it; the rest are the
        # caseworker's, who sees the person while the case is open, as taking it gives.
        unassigned = open_case and index % 16 == 0
        case = Case.objects.create(
            person=person,
            kind=CaseKind.SERVICE,
            received_on=received,
            caseworker=None if unassigned else caseworker,
            status=CaseStatus.ASSESSING if open_case else CaseStatus.DECIDED,
        )
        if open_case and not unassigned:
            CareRelation.objects.get_or_create(
                person=person,
                staff=caseworker,
                kind=CareRelationKind.CASEWORKER,
                defaults={"reason": "Saksbehandler på åpen sak"},
            )
        ApplicationLine.objects.create(case=case, service=service)
        CaseStatusChange.objects.create(case=case, from_status="", to_status=CaseStatus.RECEIVED)
        assessment.case = case
        assessment.save(update_fields=["case"])
        if open_case:
            continue
        decided = received + datetime.timedelta(days=rng.randint(3, 45))
        outcome = rng.choice(
            [DecisionOutcome.GRANTED] * 6 + [DecisionOutcome.PARTLY, DecisionOutcome.REFUSED]
        )
        hourly = service.capacity_kind == "timer_per_uke"
        valid_to = decided + datetime.timedelta(days=rng.choice([42, 90, 365]))
        decision = Decision.objects.create(
            case=case,
            subject=DecisionSubject.SERVICE,
            service=service,
            outcome=outcome,
            reasons="Kartleggingen viser behov for tjenesten.",
            legal_basis=basis,
            legal_basis_title=basis.title,
            legal_basis_text=basis.text,
            decided_on=decided,
            letter_sent_on=decided,
            valid_from=decided,
            valid_to=valid_to,
            hours_per_week=Decimal(rng.choice([2, 4, 6]))
            if hourly and outcome != "avslag"
            else None,
            days=None if hourly or outcome == "avslag" else rng.choice([14, 21, 42]),
            decided_by=caseworker,
        )
        case.decided_on = decided
        case.save(update_fields=["decided_on"])
        CaseStatusChange.objects.create(
            case=case, from_status=CaseStatus.RECEIVED, to_status=CaseStatus.DECIDED
        )
        if outcome == DecisionOutcome.REFUSED:
            continue
        key = (service.pk, unit_name)
        load = used.get(key, 0) + (int(decision.hours_per_week or 0) if hourly else 1)
        if load <= capacity:
            used[key] = load
            Assignment.objects.create(
                decision=decision,
                unit=units[unit_name],
                starts_on=decided,
                ends_on=valid_to if valid_to < today else None,
            )
            status = CaseStatus.ASSIGNED
        else:
            WaitingListEntry.objects.create(
                decision=decision,
                service=service,
                unit=units[unit_name],
                added_on=decided,
                priority=rng.choice([1, 2, 2, 3]),
            )
            status = CaseStatus.WAITING
        case.status = status
        case.save(update_fields=["status"])
        CaseStatusChange.objects.create(case=case, from_status=CaseStatus.DECIDED, to_status=status)
