"""Reads about the action plan: versions, actions with their statuses, progress."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.db.models import Prefetch, QuerySet

from mestring.actionplan.models import (
    Action,
    ActionStatus,
    ActionStatusChange,
    MunicipalPlan,
    PlanGoal,
    PlanStatus,
)


def plan_versions() -> QuerySet[MunicipalPlan]:
    return MunicipalPlan.objects.all().order_by("-start_year", "-pk")


def active_plan() -> MunicipalPlan | None:
    return MunicipalPlan.objects.filter(status=PlanStatus.ACTIVE).first()


def plan_actions(plan: MunicipalPlan) -> QuerySet[Action]:
    return (
        Action.objects.filter(plan=plan)
        .select_related("responsible_unit")
        .prefetch_related(
            "year_statuses", Prefetch("goals", queryset=PlanGoal.objects.order_by("number"))
        )
    )


def plan_goals(plan: MunicipalPlan) -> QuerySet[PlanGoal]:
    return PlanGoal.objects.filter(plan=plan)


def status_in(action: Action, year: int) -> str | None:
    """The action's status for the year (from the prefetched rows); not started when
    the year is one of its years and nothing is set; None outside its years."""
    for row in action.year_statuses.all():
        if row.year == year:
            return row.status
    return ActionStatus.NOT_STARTED if action.from_year <= year <= action.to_year else None


def latest_status(action: Action) -> str:
    rows = sorted(action.year_statuses.all(), key=lambda row: row.year)
    return rows[-1].status if rows else ActionStatus.NOT_STARTED


STATUS_LABELS = dict(ActionStatus.choices)


def action_rows(plan: MunicipalPlan, year: int) -> list[dict[str, Any]]:
    """One row per action in the layout of the plan's table (Nr., Tiltak, Ansvar …)."""
    rows = []
    for action in plan_actions(plan):
        status = status_in(action, year)
        rows.append(
            {
                "action": action,
                "number": action.number,
                "title": action.title,
                "responsible": action.responsible,
                "years": action.years_label,
                "cost_nok": action.cost_nok,
                "financing": action.get_financing_display() if action.financing else "",
                "status": str(STATUS_LABELS[status]) if status else "",
                "status_code": status or "",
                "goals": [goal.number for goal in action.goals.all()],
            }
        )
    return rows


def progress(plan: MunicipalPlan) -> dict[str, Any]:
    """Per year of the plan: the actions planned that year counted by status; per goal:
    its actions and how many are done (latest status)."""
    actions = list(plan_actions(plan))
    years = []
    for year in plan.years:
        counts: Counter[str] = Counter()
        for action in actions:
            status = status_in(action, year)
            if status:
                counts[status] += 1
        total = sum(counts.values())
        years.append(
            {
                "year": year,
                "counts": [
                    {"status": code, "label": label, "count": counts.get(code, 0)}
                    for code, label in ActionStatus.choices
                ],
                "total": total,
                "done": counts.get(ActionStatus.DONE, 0),
            }
        )
    goals = []
    for goal in plan_goals(plan):
        mine = [a for a in actions if any(g.pk == goal.pk for g in a.goals.all())]
        done = sum(1 for a in mine if latest_status(a) == ActionStatus.DONE)
        goals.append(
            {
                "goal": goal,
                "actions": len(mine),
                "done": done,
                "percent": round(done * 100 / len(mine)) if mine else None,
            }
        )
    return {"years": years, "goals": goals}


def status_history(action: Action) -> QuerySet[ActionStatusChange]:
    return ActionStatusChange.objects.filter(action=action).select_related("changed_by")
