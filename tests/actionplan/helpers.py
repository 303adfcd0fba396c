"""Shared helpers for the action-plan tests."""

from __future__ import annotations

from mestring.access.actor import Actor
from mestring.access.models import StaffRole
from mestring.actionplan import services
from mestring.actionplan.models import Action, MunicipalPlan, PlanGoal
from mestring.people.models import Staff
from mestring.tenancy.context import activate
from tests.conftest import make_staff


def actor_for(staff: Staff) -> Actor:
    roles = list(StaffRole.all_objects.filter(staff=staff).select_related("role"))
    return Actor(
        municipality=staff.municipality,
        user=staff.user,
        staff=staff,
        role_codes=tuple(a.role.code for a in roles),
        permissions=frozenset(p for a in roles for p in a.role.permissions),
    )


def planner_editor(world) -> Staff:
    """A planner: the role may read the figures and change the plan."""
    return make_staff(world.municipality, "planlegger", "planredaktor")


def make_plan(
    staff: Staff, *, actions: int = 3, start: int = 2023, end: int = 2026
) -> tuple[MunicipalPlan, list[PlanGoal], list[Action]]:
    actor = actor_for(staff)
    with activate(staff.municipality):
        plan = services.plan_create(
            actor=actor, title="Plan for rehabilitering", start_year=start, end_year=end
        )
        goals = [
            services.goal_save(actor=actor, plan=plan, goal=None, number=n, text=f"Mål {n}")
            for n in (1, 2)
        ]
        made = []
        for n in range(1, actions + 1):
            made.append(
                services.action_save(
                    actor=actor,
                    plan=plan,
                    action=None,
                    data={
                        "number": str(n),
                        "title": f"Tiltak nummer {n}",
                        "description": "",
                        "responsible_unit": None,
                        "responsible_text": "Alle",
                        "from_year": start,
                        "to_year": end,
                        "cost_nok": 1000 * n,
                        "financing": "omstilling",
                    },
                    goals=[goals[n % 2]],
                )
            )
    return plan, goals, made
