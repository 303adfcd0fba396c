"""Action-plan services: create, revise (old version kept unchanged), status per year,
evaluation, and one audit row per write."""

from __future__ import annotations

import datetime

import pytest

from mestring.access.models import AuditEvent
from mestring.actionplan import selectors, services
from mestring.actionplan.demo import build_actionplan_demo
from mestring.actionplan.models import (
    Action,
    ActionStatusChange,
    ActionYearStatus,
    MunicipalPlan,
    MunicipalPlanStatusChange,
    PlanGoal,
    PlanStatus,
)
from mestring.kernel.states import TransitionNotAllowed
from mestring.tenancy.context import activate
from tests.actionplan.helpers import actor_for, make_plan, planner_editor

pytestmark = pytest.mark.django_db


def events(object_type: str, action: str | None = None) -> int:
    rows = AuditEvent.all_objects.filter(object_type=object_type)
    return rows.filter(action=action).count() if action else rows.count()


def test_create_writes_one_audit_row_each(world):
    editor = planner_editor(world)
    plan, _goals, _actions = make_plan(editor, actions=3)
    assert events("action_plan", "create") == 1
    assert events("action_plan_goal", "create") == 2
    assert events("action_plan_action", "create") == 3
    assert plan.status == PlanStatus.ACTIVE


def test_only_one_active_plan(world):
    editor = planner_editor(world)
    make_plan(editor, actions=0)
    with activate(world.municipality), pytest.raises(services.ActionPlanError, match="gjeldende"):
        services.plan_create(actor=actor_for(editor), title="Ny", start_year=2027, end_year=2030)


def test_action_years_must_be_inside_the_plan(world):
    editor = planner_editor(world)
    plan, _goals, _actions = make_plan(editor, actions=1)
    data = {
        "number": "9",
        "title": "Utenfor",
        "from_year": 2022,
        "to_year": 2024,
    }
    with activate(world.municipality), pytest.raises(services.ActionPlanError, match="innenfor"):
        services.action_save(actor=actor_for(editor), plan=plan, action=None, data=data)
    data.update(from_year=2024, number="1")
    with activate(world.municipality), pytest.raises(services.ActionPlanError, match="allerede"):
        services.action_save(actor=actor_for(editor), plan=plan, action=None, data=data)


def test_status_per_year_with_history_and_audit(world):
    editor = planner_editor(world)
    _plan, _goals, actions = make_plan(editor, actions=1)
    action = actions[0]
    actor = actor_for(editor)
    with activate(world.municipality):
        services.action_status_set(actor=actor, action=action, year=2024, status="pagar")
        services.action_status_set(
            actor=actor, action=action, year=2024, status="gjennomfort", note="Ferdig"
        )
        services.action_status_set(actor=actor, action=action, year=2025, status="utsatt")
        with pytest.raises(TransitionNotAllowed):
            services.action_status_set(actor=actor, action=action, year=2024, status="utsatt")
        with pytest.raises(services.ActionPlanError, match="planperioden"):
            services.action_status_set(actor=actor, action=action, year=2030, status="pagar")
        with pytest.raises(services.ActionPlanError, match="uendret"):
            services.action_status_set(actor=actor, action=action, year=2025, status="utsatt")
    rows = {r.year: r for r in ActionYearStatus.all_objects.filter(action=action)}
    assert rows[2024].status == "gjennomfort" and rows[2024].note == "Ferdig"
    assert rows[2025].status == "utsatt"
    history = list(
        ActionStatusChange.all_objects.filter(action=action)
        .order_by("pk")
        .values_list("year", "from_status", "to_status")
    )
    assert history == [
        (2024, "ikke_startet", "pagar"),
        (2024, "pagar", "gjennomfort"),
        (2025, "ikke_startet", "utsatt"),
    ]
    assert events("action_plan_action", "status_change") == 3


def test_evaluation(world):
    editor = planner_editor(world)
    _plan, _goals, actions = make_plan(editor, actions=1)
    with activate(world.municipality):
        services.action_evaluate(
            actor=actor_for(editor),
            action=actions[0],
            evaluation_on=datetime.date(2025, 6, 1),
            evaluation_result="Virket godt.",
        )
    action = Action.all_objects.get(pk=actions[0].pk)
    assert action.evaluation_on == datetime.date(2025, 6, 1)
    assert action.evaluation_result == "Virket godt."
    assert events("action_plan_action", "evaluate") == 1


def snapshot(plan: MunicipalPlan) -> list[tuple]:
    rows = []
    for action in Action.all_objects.filter(plan=plan).order_by("pk"):
        statuses = tuple(
            ActionYearStatus.all_objects.filter(action=action)
            .order_by("year")
            .values_list("year", "status", "note")
        )
        goals = tuple(action.goals.order_by("pk").values_list("pk", flat=True))
        rows.append(
            (
                action.pk,
                action.number,
                action.title,
                action.from_year,
                action.to_year,
                action.cost_nok,
                action.financing,
                statuses,
                goals,
            )
        )
    return rows


def test_revision_keeps_the_old_version_and_copies_goals_and_open_actions(world):
    editor = planner_editor(world)
    plan, _goals, actions = make_plan(editor, actions=3)
    actor = actor_for(editor)
    with activate(world.municipality):
        services.action_status_set(actor=actor, action=actions[0], year=2026, status="gjennomfort")
        services.action_status_set(actor=actor, action=actions[1], year=2025, status="avlyst")
        services.action_status_set(actor=actor, action=actions[2], year=2026, status="pagar")
    with activate(world.municipality):
        before = snapshot(plan)
    goals_before = list(PlanGoal.all_objects.filter(plan=plan).values_list("pk", "number", "text"))
    with activate(world.municipality):
        new = services.plan_revise(
            actor=actor, plan=plan, title="Revidert plan", start_year=2027, end_year=2030
        )
    old = MunicipalPlan.all_objects.get(pk=plan.pk)
    assert old.status == PlanStatus.ARCHIVED and old.archived_at is not None
    assert new.previous_id == old.pk and new.status == PlanStatus.ACTIVE
    with activate(world.municipality):
        assert snapshot(old) == before
        assert [g.plan_id for g in Action.objects.get(plan=new).goals.all()] == [new.pk]
    assert list(PlanGoal.all_objects.filter(plan=old).values_list("pk", "number", "text")) == (
        goals_before
    )
    new_goals = list(PlanGoal.all_objects.filter(plan=new).values_list("number", "text"))
    assert new_goals == [(1, "Mål 1"), (2, "Mål 2")]
    copied = list(Action.all_objects.filter(plan=new))
    assert [a.number for a in copied] == ["3"]  # done and cancelled are not copied
    assert copied[0].copied_from_id == actions[2].pk
    assert (copied[0].from_year, copied[0].to_year) == (2027, 2027)
    assert not ActionYearStatus.all_objects.filter(action__plan=new).exists()
    assert events("action_plan", "revise") == 1
    # the archived version is read-only
    with activate(world.municipality):
        with pytest.raises(services.ActionPlanError, match="arkivert"):
            services.action_status_set(actor=actor, action=actions[2], year=2026, status="utsatt")
        with pytest.raises(services.ActionPlanError, match="arkivert"):
            services.goal_save(actor=actor, plan=old, goal=None, number=5, text="x")
        versions = list(selectors.plan_versions())
    assert [v.pk for v in versions] == [new.pk, old.pk]


def test_revision_must_start_later(world):
    editor = planner_editor(world)
    plan, _goals, _actions = make_plan(editor, actions=0)
    with activate(world.municipality), pytest.raises(services.ActionPlanError, match="etter"):
        services.plan_revise(
            actor=actor_for(editor), plan=plan, title="x", start_year=2023, end_year=2026
        )


def test_progress_counts_by_year_and_goal(world):
    editor = planner_editor(world)
    plan, _goals, actions = make_plan(editor, actions=3)
    actor = actor_for(editor)
    with activate(world.municipality):
        services.action_status_set(actor=actor, action=actions[0], year=2024, status="pagar")
        services.action_status_set(actor=actor, action=actions[1], year=2024, status="gjennomfort")
        result = selectors.progress(plan)
    year_2024 = next(y for y in result["years"] if y["year"] == 2024)
    counts = {row["status"]: row["count"] for row in year_2024["counts"]}
    assert counts == {"ikke_startet": 1, "pagar": 1, "gjennomfort": 1, "utsatt": 0, "avlyst": 0}
    assert year_2024["total"] == 3
    # actions 1 and 3 → goal 2 (index 1); action 2 → goal 1; done = action 2 latest status
    by_goal = {row["goal"].number: (row["actions"], row["done"]) for row in result["goals"]}
    assert by_goal == {1: (1, 1), 2: (2, 0)}


def test_demo_is_idempotent(world):
    import random

    with activate(world.municipality):
        build_actionplan_demo(random.Random(1), datetime.date(2026, 5, 1))
        build_actionplan_demo(random.Random(1), datetime.date(2026, 5, 1))
        plans = list(MunicipalPlan.objects.order_by("start_year"))
        assert [(p.start_year, p.end_year, p.status) for p in plans] == [
            (2019, 2022, "archived"),
            (2023, 2026, "active"),
        ]
        assert plans[1].goals.count() == 4
        assert plans[1].actions.count() == 12
        assert plans[1].actions.exclude(evaluation_on=None).count() == 1
        assert ActionYearStatus.objects.filter(action__plan=plans[1]).exists()


def test_a_new_note_alone_is_a_history_row_of_the_year(world):
    editor = planner_editor(world)
    _plan, _goals, actions = make_plan(editor, actions=1)
    actor = actor_for(editor)
    with activate(world.municipality):
        row = services.action_status_set(actor=actor, action=actions[0], year=2024, status="pagar")
        services.action_status_set(
            actor=actor, action=actions[0], year=2024, status="pagar", note="Godt i gang"
        )
    history = list(
        ActionStatusChange.all_objects.filter(year_status=row)
        .order_by("pk")
        .values_list("from_status", "to_status", "reason", "changed_by")
    )
    assert history == [
        ("ikke_startet", "pagar", "", editor.user_id),
        ("pagar", "pagar", "Godt i gang", editor.user_id),
    ]


def test_plan_versions_have_a_status_history(world):
    editor = planner_editor(world)
    plan, _goals, _actions = make_plan(editor, actions=0)
    with activate(world.municipality):
        new = services.plan_revise(
            actor=actor_for(editor), plan=plan, title="Ny", start_year=2027, end_year=2030
        )
    old_history = list(
        MunicipalPlanStatusChange.all_objects.filter(plan=plan).values_list(
            "from_status", "to_status", "changed_by"
        )
    )
    assert old_history == [("", "active", editor.user_id), ("active", "archived", editor.user_id)]
    new_history = MunicipalPlanStatusChange.all_objects.filter(plan=new)
    assert list(new_history.values_list("from_status", "to_status")) == [("", "active")]
