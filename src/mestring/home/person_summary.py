"""What the person overview shows from the other domains, in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass

from mestring.casework.models import OPEN_CASE_STATUSES, Case
from mestring.people.models import Person
from mestring.plans import selectors as plan_selectors
from mestring.plans.models import CoordinatorAssignment, IndividualPlan
from mestring.referrals.models import OPEN_REFERRAL_STATUSES, Referral
from mestring.teams import selectors as team_selectors
from mestring.teams.models import ResponsibilityGroup


@dataclass(frozen=True)
class PersonSummary:
    plan: IndividualPlan | None
    coordinator: CoordinatorAssignment | None
    group: ResponsibilityGroup | None
    open_cases: int
    open_referrals: int


def person_summary(person: Person) -> PersonSummary:
    return PersonSummary(
        plan=plan_selectors.active_plan(person),
        coordinator=plan_selectors.current_coordinator(person),
        group=team_selectors.current_group(person),
        open_cases=Case.objects.filter(person=person, status__in=OPEN_CASE_STATUSES).count(),
        open_referrals=Referral.objects.filter(
            person=person, status__in=OPEN_REFERRAL_STATUSES
        ).count(),
    )
