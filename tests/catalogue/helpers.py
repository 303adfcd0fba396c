"""Shared helpers for the catalogue tests (no fixtures, so guard_ids can import it)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from mestring.casework.models import Case, CaseStatus, Decision, DecisionState, LegalBasis
from mestring.catalogue.models import Service, ServiceProvider
from mestring.people.models import Person, Staff, Unit
from tests import factories


def service(municipality: object, code: str) -> Service:
    return Service.all_objects.get(municipality=municipality, code=code)


def provider(service: Service, unit: Unit, capacity: str | None) -> ServiceProvider:
    return ServiceProvider.all_objects.create(
        municipality=service.municipality,
        service=service,
        unit=unit,
        capacity=None if capacity is None else Decimal(capacity),
    )


def service_decision(
    person: Person,
    service: Service,
    decided_by: Staff,
    *,
    outcome: str = "innvilget",
    hours: str | None = None,
    status: str = CaseStatus.DECIDED,
    decision_status: str = DecisionState.IN_FORCE,
    **extra: object,
) -> Decision:
    """A decided service application of `person` (case status «vedtak fattet»); `status`
    is the case's, `decision_status` the decision's."""
    municipality = person.municipality
    case = Case.all_objects.create(
        municipality=municipality,
        person=person,
        kind="tjeneste",
        received_on=datetime.date(2026, 1, 5),
        status=status,
    )
    return Decision.all_objects.create(
        municipality=municipality,
        case=case,
        subject="tjeneste",
        service=service,
        outcome=outcome,
        reasons="Behov for tjenesten.",
        legal_basis=LegalBasis.all_objects.filter(municipality=municipality).first(),
        decided_on=datetime.date(2026, 1, 20),
        decided_by=decided_by,
        hours_per_week=None if hours is None else Decimal(hours),
        status=decision_status,
        **extra,
    )


def new_person(municipality: object, name: str) -> Person:
    return factories.PersonFactory(municipality=municipality, family_name=name)
