"""(M3) A plan or action title that looks like a spreadsheet formula comes out of the
action plan's XLSX and CSV downloads as inert text."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from mestring.actionplan.models import Action, MunicipalPlan
from mestring.core import csvexport
from tests.actionplan.helpers import make_plan, planner_editor

pytestmark = [pytest.mark.django_db, pytest.mark.attack]

FORMULA = '=HYPERLINK("http://x","y")'


def test_formula_titles_are_text_in_xlsx_and_csv(world, client_for):
    editor = planner_editor(world)
    plan, _goals, actions = make_plan(editor)
    MunicipalPlan.all_objects.filter(pk=plan.pk).update(title=FORMULA)
    Action.all_objects.filter(pk=actions[0].pk).update(title=FORMULA)
    client = client_for(world.read_only)

    response = client.get(reverse("actionplan:plan_xlsx", args=[plan.pk]))
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    title, action_title = sheet["A1"], sheet["B4"]
    assert title.value.startswith(FORMULA) and title.data_type == "s" and title.quotePrefix
    assert (action_title.value, action_title.data_type) == (FORMULA, "s")
    assert action_title.quotePrefix
    assert sheet["E4"].value == 1000  # the cost is still a number

    response = client.get(reverse("actionplan:plan_detail", args=[plan.pk]), {"format": "csv"})
    content = b"".join(response.streaming_content).decode().removeprefix(csvexport.BOM)
    cells = [cell for row in csv.reader(io.StringIO(content), delimiter=";") for cell in row]
    assert "'" + FORMULA in cells
    assert FORMULA not in cells
    assert not [cell for cell in cells if cell.startswith(("=", "@", "+"))]
