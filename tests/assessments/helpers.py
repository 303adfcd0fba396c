"""Shared helpers for the assessment tests (no fixtures, so guard_ids can import it)."""

from __future__ import annotations

import datetime

from mestring.access.actor import Actor
from mestring.access.models import StaffRole
from mestring.assessments import services
from mestring.assessments.models import Assessment, FunctionVariable
from mestring.people.models import Person, Staff
from mestring.tenancy.context import activate

DAY = datetime.date(2026, 3, 2)


def actor_for(staff: Staff) -> Actor:
    """The actor the middleware would build for this staff member."""
    roles = list(StaffRole.all_objects.filter(staff=staff).select_related("role"))
    return Actor(
        municipality=staff.municipality,
        user=staff.user,
        staff=staff,
        role_codes=tuple(a.role.code for a in roles),
        permissions=frozenset(p for a in roles for p in a.role.permissions),
    )


def variables(municipality: object) -> list[FunctionVariable]:
    return list(
        FunctionVariable.all_objects.filter(municipality=municipality, is_active=True).order_by(
            "position", "pk"
        )
    )


def all_scores(municipality: object, score: int = 2) -> dict[int, int]:
    return {variable.pk: score for variable in variables(municipality)}


def record(
    staff: Staff,
    person: Person,
    *,
    on: datetime.date = DAY,
    scores: dict[int, int | None] | None = None,
    next_on: datetime.date | None = None,
    what_matters: str = "Å gå tur med hunden hver dag.",
) -> Assessment:
    with activate(staff.municipality):
        return services.assessment_record(
            actor=actor_for(staff),
            person=person,
            assessed_on=on,
            next_assessment_on=next_on,
            what_matters=what_matters,
            scores=all_scores(person.municipality) if scores is None else scores,
        )
