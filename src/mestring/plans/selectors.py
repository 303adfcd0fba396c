"""Reads of coordinators and plans."""

from __future__ import annotations

from mestring.people.models import Person
from mestring.plans.models import CoordinatorAssignment, IndividualPlan, PlanStatus


def current_coordinator(person: Person) -> CoordinatorAssignment | None:
    return (
        CoordinatorAssignment.objects.filter(person=person, ended_on__isnull=True)
        .select_related("coordinator__user")
        .first()
    )


def active_plan(person: Person) -> IndividualPlan | None:
    return IndividualPlan.objects.filter(person=person, status=PlanStatus.ACTIVE).first()
