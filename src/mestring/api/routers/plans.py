"""Individual plans with goals and measures; add a goal, change a goal's status."""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Path, Query, Router, Status

from mestring.api.auth import context, endpoint
from mestring.api.errors import ApiError, Conflict
from mestring.api.pagination import Paging, page_of
from mestring.api.schemas import (
    MAX_ID,
    GoalIn,
    GoalOut,
    GoalStatusIn,
    PlanOut,
    PlanPage,
    responses,
)
from mestring.people.models import Person
from mestring.plans import services as plan_services
from mestring.plans.models import Goal, IndividualPlan, Measure

router = Router(tags=["Individuelle planer"])


def _plans(person: Person):
    measures = Measure.objects.select_related(
        "responsible_unit", "responsible_staff__user"
    ).order_by("start_on", "pk")
    return (
        IndividualPlan.objects.filter(person=person)
        .prefetch_related(
            Prefetch("goals", queryset=Goal.objects.order_by("position", "pk")),
            Prefetch("measures", queryset=measures),
        )
        .order_by("-start_date", "-pk")
    )


def goal_out(goal: Goal) -> dict:
    return {
        "id": goal.pk,
        "plan_id": goal.plan_id,
        "text": goal.text,
        "status": goal.status,
        "achievement": goal.achievement,
        "target_date": goal.target_date,
        "position": goal.position,
    }


def _responsible(measure: Measure) -> str:
    if measure.responsible_staff is not None:
        user = measure.responsible_staff.user
        return user.get_full_name() or user.username
    if measure.responsible_unit is not None:
        return measure.responsible_unit.name
    return measure.responsible_other


def measure_out(measure: Measure) -> dict:
    return {
        "id": measure.pk,
        "plan_id": measure.plan_id,
        "goal_id": measure.goal_id,
        "title": measure.title,
        "scope": measure.scope,
        "how": measure.how,
        "responsible": _responsible(measure),
        "start_on": measure.start_on,
        "end_on": measure.end_on,
    }


def plan_out(plan: IndividualPlan) -> dict:
    return {
        "id": plan.pk,
        "person_id": plan.person_id,
        "status": plan.status,
        "version": plan.version,
        "start_date": plan.start_date,
        "end_date": plan.end_date,
        "next_revision_on": plan.next_revision_on,
        "what_matters": plan.what_matters,
        "closed_on": plan.closed_on,
        "goals": [goal_out(g) for g in plan.goals.all()],
        "measures": [measure_out(m) for m in plan.measures.all()],
    }


def _rule_error(exc: plan_services.PlanRuleError) -> ApiError:
    if isinstance(exc, plan_services.PlanChanged):
        return Conflict(str(exc))
    return ApiError(str(exc))


@router.get(
    "/{person_id}/plans/",
    response=responses({200: PlanPage}),
    summary="Personens individuelle planer med mål og tiltak",
    description="Tilgang: `plans:read`, og tjenstlig behov for personen.",
)
@endpoint(scope="plans:read", object_type="plan", person=True)
def plan_list(
    request: HttpRequest,
    paging: Query[Paging],
    person_id: int = Path(..., ge=1, le=MAX_ID),
    *,
    person: Person,
) -> dict:
    return page_of(_plans(person), paging, plan_out)


@router.get(
    "/{person_id}/plans/{plan_id}/",
    response=responses({200: PlanOut}),
    summary="Én individuell plan med mål og tiltak",
    description="Tilgang: `plans:read`, og tjenstlig behov for personen.",
)
@endpoint(scope="plans:read", object_type="plan", person=True)
def plan_read(
    request: HttpRequest,
    person_id: int = Path(..., ge=1, le=MAX_ID),
    plan_id: int = Path(..., ge=1, le=MAX_ID),
    *,
    person: Person,
) -> dict:
    return plan_out(get_object_or_404(_plans(person), pk=plan_id))


@router.post(
    "/{person_id}/plans/{plan_id}/goals/",
    response=responses({201: GoalOut}),
    summary="Legg til et mål i planen",
    description=(
        "Som i nettløsningen: planen må være aktiv og samtykket gjelde. Med "
        "`expected_version` avvises lagringen (409) hvis noen har endret planen i mellomtiden. "
        "Tilgang: `plans:write`, og tjenstlig behov for personen."
    ),
)
@endpoint(scope="plans:write", object_type="plan", person=True, action="update")
def goal_create(
    request: HttpRequest,
    data: GoalIn,
    person_id: int = Path(..., ge=1, le=MAX_ID),
    plan_id: int = Path(..., ge=1, le=MAX_ID),
    *,
    person: Person,
) -> Status:
    plan = get_object_or_404(IndividualPlan, pk=plan_id, person=person)
    try:
        goal = plan_services.goal_add(
            actor=context(request).actor,
            plan=plan,
            text=data.text,
            status=data.status,
            target_date=data.target_date,
            expected_version=data.expected_version,
        )
    except plan_services.PlanRuleError as exc:
        raise _rule_error(exc) from exc
    return Status(201, goal_out(goal))


@router.post(
    "/{person_id}/plans/{plan_id}/goals/{goal_id}/status/",
    response=responses({200: GoalOut}),
    summary="Endre et måls status (og måloppnåelse)",
    description=(
        "Statusendringer følger de samme reglene som i nettløsningen (409 ellers). "
        "`expected_version` er planens versjon. Tilgang: `plans:write`, og tjenstlig behov."
    ),
)
@endpoint(scope="plans:write", object_type="plan", person=True, action="update")
def goal_status(
    request: HttpRequest,
    data: GoalStatusIn,
    person_id: int = Path(..., ge=1, le=MAX_ID),
    plan_id: int = Path(..., ge=1, le=MAX_ID),
    goal_id: int = Path(..., ge=1, le=MAX_ID),
    *,
    person: Person,
) -> dict:
    goal = get_object_or_404(
        Goal.objects.select_related("plan__person"),
        pk=goal_id,
        plan_id=plan_id,
        plan__person=person,
    )
    changes: dict = {"status": data.status}
    if data.achievement is not None:
        changes["achievement"] = data.achievement
    try:
        goal = plan_services.goal_update(
            actor=context(request).actor,
            goal=goal,
            expected_version=data.expected_version,
            data=changes,
        )
    except plan_services.PlanRuleError as exc:
        raise _rule_error(exc) from exc
    return goal_out(goal)
