"""Reads of coordinators and plans, each in a fixed number of queries."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, Max, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from mestring.access.models import Consent, ConsentKind
from mestring.casework.models import Decision
from mestring.people.models import Person, Staff
from mestring.plans.models import (
    CoordinatorAssignment,
    CoordinatorProfile,
    Evaluation,
    Goal,
    IndividualPlan,
    Measure,
    PlanParticipant,
    PlanRevision,
    PlanStatus,
)


def current_coordinator(person: Person) -> CoordinatorAssignment | None:
    return (
        CoordinatorAssignment.objects.filter(person=person, ended_on__isnull=True)
        .select_related("coordinator__user", "decision")
        .first()
    )


def active_plan(person: Person) -> IndividualPlan | None:
    return IndividualPlan.objects.filter(person=person, status=PlanStatus.ACTIVE).first()


# --- Coordinators


def coordinator_pool(*, active_only: bool = False) -> QuerySet[CoordinatorProfile]:
    """The pool with each coordinator's current caseload, in one query (plus units).

    Max is unaffected by the joins; the caseload counts distinct assignments so the
    training and supervision joins cannot inflate it.
    """
    pool = (
        CoordinatorProfile.objects.select_related("staff__user")
        .prefetch_related("staff__units")
        .annotate(
            caseload=Count(
                "staff__assignments",
                filter=Q(staff__assignments__ended_on__isnull=True),
                distinct=True,
            ),
            last_training=Max("trainings__completed_on"),
            last_supervision=Max("supervisions__held_on"),
        )
        .order_by("-is_active", "staff__user__last_name", "staff__user__first_name", "pk")
    )
    return pool.filter(is_active=True) if active_only else pool


def coordinator_choices() -> QuerySet[Staff]:
    """Staff who may be appointed: active, and active in the coordinator pool."""
    return (
        Staff.objects.filter(
            is_active=True,
            coordinator_profiles__is_active=True,
        )
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "pk")
    )


def coordinator_persons(staff: Staff) -> QuerySet[CoordinatorAssignment]:
    """The persons a coordinator has now, with the next revision of their active plan."""
    plans = IndividualPlan.objects.filter(person=OuterRef("person"), status=PlanStatus.ACTIVE)
    return (
        CoordinatorAssignment.objects.filter(coordinator=staff, ended_on__isnull=True)
        .select_related("person")
        .annotate(
            has_plan=Exists(plans),
            next_revision_on=Subquery(plans.values("next_revision_on")[:1]),
        )
        .order_by("person__family_name", "person__given_name", "pk")
    )


def person_assignments(person: Person) -> list[CoordinatorAssignment]:
    return list(
        CoordinatorAssignment.objects.filter(person=person)
        .select_related("coordinator__user", "decision")
        .order_by("-started_on", "-pk")
    )


def person_decisions(person: Person) -> QuerySet[Decision]:
    return Decision.objects.filter(case__person=person).order_by("-decided_on", "-pk")


# --- Plans


def revision_overdue(today: datetime.date | None = None) -> QuerySet[IndividualPlan]:
    """Active plans whose revision date has passed, with their current coordinator."""
    today = today or timezone.localdate()
    current = CoordinatorAssignment.objects.filter(ended_on__isnull=True).select_related(
        "coordinator__user"
    )
    return (
        IndividualPlan.objects.filter(status=PlanStatus.ACTIVE, next_revision_on__lt=today)
        .select_related("person", "responsible_unit")
        .prefetch_related(
            Prefetch("person__coordinator_assignments", queryset=current, to_attr="current")
        )
        .order_by("next_revision_on", "pk")
    )


def plan_for_person(person: Person) -> IndividualPlan | None:
    """The active plan, otherwise the one closed last."""
    plans = IndividualPlan.objects.filter(person=person).select_related(
        "person", "responsible_unit", "decision", "consent"
    )
    return plans.filter(status=PlanStatus.ACTIVE).first() or (
        plans.filter(status=PlanStatus.CLOSED).order_by("-closed_on", "-pk").first()
    )


def person_plans(person: Person) -> list[IndividualPlan]:
    return list(IndividualPlan.objects.filter(person=person).order_by("-start_date", "-pk"))


def individual_plan_consents(person: Person) -> list[Consent]:
    return list(
        Consent.objects.filter(person=person, kind=ConsentKind.INDIVIDUAL_PLAN).order_by(
            "-given_on", "-pk"
        )
    )


def consents_in_force(person: Person) -> QuerySet[Consent]:
    return Consent.objects.in_force().filter(person=person, kind=ConsentKind.INDIVIDUAL_PLAN)


@dataclass
class PlanContent:
    """Everything the plan page, its PDF and its revision snapshot show."""

    plan: IndividualPlan
    goals: list[Goal]
    measures: list[Measure]
    participants: list[PlanParticipant]
    evaluations: list[Evaluation]
    consents: list[Consent]
    coordinator: CoordinatorAssignment | None
    latest_revision: PlanRevision | None

    @property
    def consent_in_force(self) -> bool:
        today = timezone.localdate()
        return any(
            c.given_on <= today
            and (c.expires_on is None or c.expires_on >= today)
            and (c.withdrawn_on is None or c.withdrawn_on > today)
            for c in self.consents
        )


def plan_content(plan: IndividualPlan) -> PlanContent:
    """Seven queries whatever the size of the plan."""
    person = plan.person
    return PlanContent(
        plan=plan,
        goals=list(Goal.objects.filter(plan=plan).order_by("position", "pk")),
        measures=list(
            Measure.objects.filter(plan=plan)
            .select_related("goal", "responsible_unit", "responsible_staff__user", "decision")
            .order_by("start_on", "pk")
        ),
        participants=list(
            PlanParticipant.objects.filter(plan=plan)
            .select_related("staff__user", "unit", "relative")
            .order_by("pk")
        ),
        evaluations=list(
            Evaluation.objects.filter(plan=plan)
            .select_related("goal", "evaluated_by__user")
            .order_by("-evaluated_on", "-pk")
        ),
        consents=individual_plan_consents(person),
        coordinator=current_coordinator(person),
        latest_revision=(
            PlanRevision.objects.filter(plan=plan)
            .select_related("saved_by")
            .order_by("-number")
            .first()
        ),
    )


def plan_revisions(plan: IndividualPlan) -> QuerySet[PlanRevision]:
    return (
        PlanRevision.objects.filter(plan=plan)
        .select_related("saved_by")
        .defer("snapshot")
        .order_by("-number")
    )


def revision_pair(plan: IndividualPlan, number: int) -> tuple[PlanRevision, PlanRevision | None]:
    """A revision and the one before it (None for the first); raises DoesNotExist."""
    found = {
        r.number: r
        for r in PlanRevision.objects.filter(
            plan=plan, number__in=[number, number - 1]
        ).select_related("saved_by")
    }
    if number not in found:
        raise PlanRevision.DoesNotExist
    return found[number], found.get(number - 1)


def revision_snapshots(plan: IndividualPlan, numbers: list[int]) -> dict[int, dict]:
    rows = PlanRevision.objects.filter(plan=plan, number__in=numbers).values_list(
        "number", "snapshot"
    )
    return dict(rows)


# --- What waits for a coordinator (the start page and the reminder scan)


def new_assignments_for(staff: Staff, since: datetime.date) -> QuerySet[CoordinatorAssignment]:
    """The staff member's current appointments as coordinator that start on `since` or
    later (one starting ahead is news too), newest first."""
    return (
        CoordinatorAssignment.objects.filter(
            coordinator=staff, ended_on__isnull=True, started_on__gte=since
        )
        .select_related("person")
        .order_by("-started_on", "-pk")
    )


def revisions_due_for(staff: Staff, until: datetime.date) -> QuerySet[IndividualPlan]:
    """Active plans of the persons the staff member coordinates now whose revision date
    is `until` or earlier (those past it too), the earliest first."""
    coordinated = CoordinatorAssignment.objects.filter(
        coordinator=staff, ended_on__isnull=True
    ).values("person_id")
    return (
        IndividualPlan.objects.filter(
            status=PlanStatus.ACTIVE, next_revision_on__lte=until, person_id__in=coordinated
        )
        .select_related("person")
        .order_by("next_revision_on", "pk")
    )


def measures_ending_for(
    staff: Staff, today: datetime.date, until: datetime.date
) -> QuerySet[Measure]:
    """Measures of active plans the staff member is responsible for that end between
    `today` and `until`: the time to evaluate them with the person, soonest first."""
    return (
        Measure.objects.filter(
            responsible_staff=staff,
            plan__status=PlanStatus.ACTIVE,
            end_on__gte=today,
            end_on__lte=until,
        )
        .select_related("plan__person")
        .order_by("end_on", "pk")
    )
