"""`mestring import actions`: good file, bad rows named, twice no change."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from mestring.access.actor import system_actor
from mestring.actionplan.importers import ActionImporter
from mestring.actionplan.models import Action, MunicipalPlan
from mestring.core.importing import run_import
from mestring.tenancy.context import activate
from tests import factories
from tests.actionplan.helpers import make_plan, planner_editor

pytestmark = pytest.mark.django_db

GOOD = """number,title,responsible,years,cost_nok,financing
1,Hverdagsrehabilitering,Hjemmetjenesten,2024-2026,250000,omstilling
1.2,Forebyggende hjemmebesøk,Alle,2025,,ekstern_finansiering
2,Frisklivskurs,hjemmetjenesten,2024–2025,10 000,okt_budsjettramme
"""


def run(world, text):
    with activate(world.municipality):
        return run_import(ActionImporter(system_actor(world.municipality)), text)


def test_good_file_creates_a_plan_when_none_and_twice_changes_nothing(world, tmp_path):
    path = tmp_path / "tiltak.csv"
    path.write_text(GOOD, encoding="utf-8")
    call_command("import", "actions", str(path), "--municipality", "9001")
    plan = MunicipalPlan.all_objects.get()
    assert (plan.start_year, plan.end_year, plan.status) == (2024, 2026, "active")
    actions = {a.number: a for a in Action.all_objects.filter(plan=plan)}
    assert set(actions) == {"1", "1.2", "2"}
    assert actions["1"].responsible_unit.name == "Hjemmetjenesten"
    assert actions["1.2"].responsible_unit is None and actions["1.2"].responsible_text == "Alle"
    assert (actions["1.2"].from_year, actions["1.2"].to_year) == (2025, 2025)
    assert actions["2"].cost_nok == 10000 and actions["2"].financing == "okt_budsjettramme"
    assert actions["2"].responsible_unit.name == "Hjemmetjenesten"  # case-insensitive
    before = list(Action.all_objects.order_by("pk").values())
    result = run(world, GOOD)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 3)
    assert list(Action.all_objects.order_by("pk").values()) == before
    assert MunicipalPlan.all_objects.count() == 1


def test_imports_into_the_active_plan_and_updates_on_number(world):
    editor = planner_editor(world)
    plan, _goals, _actions = make_plan(editor, actions=2)
    text = GOOD.replace("1,Hverdagsrehabilitering", "1,Nytt navn")
    result = run(world, text)
    assert result.ok
    assert (result.created, result.updated) == (1, 2)
    assert Action.all_objects.get(plan=plan, number="1").title == "Nytt navn"
    assert Action.all_objects.filter(plan=plan).count() == 3


def test_bad_rows_are_named_and_nothing_is_written(world):
    text = """number,title,responsible,years,cost_nok,financing
1,Greit,Alle,2024-2026,100,omstilling
2,Feil år,Alle,2026-2024,,
3,Feil beløp,Alle,2025,mye,
4,Feil finansiering,Alle,2025,,gave
,Uten nummer,Alle,2025,,
1,Dobbel,Alle,2025,,
6,Rare år,Alle,neste år,,
"""
    result = run(world, text)
    assert not result.ok
    where = {(e.row, e.column) for e in result.errors}
    assert {
        (3, "years"),
        (4, "cost_nok"),
        (5, "financing"),
        (6, "number"),
        (8, "years"),
    } <= where
    assert not Action.all_objects.exists()
    assert not MunicipalPlan.all_objects.exists()


def test_years_outside_the_active_plan_are_refused(world):
    editor = planner_editor(world)
    make_plan(editor, actions=0, start=2023, end=2026)
    result = run(world, "number,title,responsible,years,cost_nok,financing\n9,X,,2027,,\n")
    assert [(e.row, e.column) for e in result.errors] == [(2, "years")]


def test_missing_column_is_reported(world, tmp_path):
    path = tmp_path / "tiltak.csv"
    path.write_text("number,title\n1,x\n", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import", "actions", str(path), "--municipality", "9001")
    assert not Action.all_objects.exists()


def test_other_municipality_units_are_not_matched(world):
    other = factories.make_municipality("9002", "Annenkommune")
    factories.UnitFactory(municipality=other, name="Bare i B")
    run(world, "number,title,responsible,years,cost_nok,financing\n1,X,Bare i B,2025,,\n")
    action = Action.all_objects.get()
    assert action.responsible_unit is None and action.responsible_text == "Bare i B"


def test_duplicate_numbers_are_named(world):
    text = "number,title,responsible,years,cost_nok,financing\n1,A,,2025,,\n1,B,,2025,,\n"
    result = run(world, text)
    assert [(e.row, e.column) for e in result.errors] == [(3, "number")]
    assert not Action.all_objects.exists()
