"""Helpers for the allocation office's tests: services, assessments and applications."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from mestring.assessments.models import Assessment, AssessmentScore, FunctionVariable
from mestring.casework import services
from mestring.casework.models import Case, Decision
from mestring.catalogue.models import Service
from mestring.people.models import Person, Staff
from mestring.tenancy.context import activate
from tests.casework.helpers import actor_for, legal_basis


def service(municipality: object, code: str) -> Service:
    return Service.all_objects.get(municipality=municipality, code=code)


def make_assessment(
    staff: Staff,
    person: Person,
    *,
    assessed_on: datetime.date | None = None,
    next_on: datetime.date | None = None,
    complete: bool = True,
) -> Assessment:
    """An assessment scored on every active variable (or all but one when incomplete)."""
    assessment = Assessment.all_objects.create(
        municipality=person.municipality,
        person=person,
        assessed_on=assessed_on or timezone.localdate(),
        next_assessment_on=next_on,
        assessed_by=staff,
    )
    variables = list(
        FunctionVariable.all_objects.filter(municipality=person.municipality, is_active=True)
    )
    assert variables, "the municipality starts with the standard variables"
    if not complete:
        variables = variables[1:]
    AssessmentScore.all_objects.bulk_create(
        [
            AssessmentScore(
                municipality=person.municipality, assessment=assessment, variable=v, score=2
            )
            for v in variables
        ]
    )
    return assessment


def register(staff: Staff, person: Person, codes: list[str], **extra: Any) -> Case:
    data = {
        "applicant": "personen",
        "received_on": timezone.localdate(),
        "services": [service(staff.municipality, code) for code in codes],
        "caseworker": staff,
        **extra,
    }
    with activate(staff.municipality):
        return services.service_application_register(actor=actor_for(staff), person=person, **data)


def decide(staff: Staff, case: Case, code: str, **extra: Any) -> Decision:
    today = timezone.localdate()
    data = {
        "outcome": "innvilget",
        "reasons": "Behovet er kartlagt og dokumentert.",
        "legal_basis": legal_basis(case.municipality, "tjenester"),
        "decided_on": today,
        "valid_from": today,
        "valid_to": today + datetime.timedelta(days=90),
        "hours_per_week": Decimal("7.5"),
        **extra,
    }
    with activate(staff.municipality):
        return services.service_decision_make(
            actor=actor_for(staff), case=case, service=service(case.municipality, code), **data
        )
