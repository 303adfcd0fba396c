"""(M3) Spreadsheet cells: text that looks like a formula is written as text, in CSV (with a
leading apostrophe) and in XLSX (a string cell with the quote prefix); numbers stay
numbers."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from openpyxl import Workbook

from mestring.actionplan.chapter import PlanChapterReport
from mestring.core.reporting import Report
from mestring.core.spreadsheet import append_row, csv_cell, csv_row, is_formula_like

pytestmark = pytest.mark.attack

FORMULA = '=HYPERLINK("http://x","y")'


@pytest.mark.parametrize(
    "value",
    [FORMULA, "+47 22 33 44 55", "-2+3+cmd|' /C calc'!A0", "@SUM(A1)", "\tx", "\rx", "=1"],
)
def test_text_that_could_run_is_quoted_in_csv(value):
    assert is_formula_like(value)
    assert csv_cell(value) == "'" + value


@pytest.mark.parametrize(
    "value",
    [-3, -2.5, 0, 1200, "-3", "-1 200", "-12,5", "+4", "-5 %", "Plan", "a=b", "", "1-2", "-"],
)
def test_numbers_and_plain_text_are_unchanged(value):
    assert not is_formula_like(value)
    assert csv_cell(value) == value


def test_none_is_an_empty_cell():
    assert csv_row([None, 1, FORMULA]) == ["", 1, "'" + FORMULA]


def test_xlsx_cells_are_strings_not_formulas_and_numbers_stay_numbers():
    workbook = Workbook()
    sheet = workbook.active
    append_row(sheet, [FORMULA, "#N/A", -5, 2.5, "Vanlig tekst", "-7", "kontroll\x01tegn"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    row = next(openpyxl.load_workbook(io.BytesIO(buffer.getvalue())).active.iter_rows())
    formula, error_code, negative, decimal, plain, negative_text, control = row
    assert (formula.value, formula.data_type) == (FORMULA, "s")
    assert formula.quotePrefix
    assert (error_code.value, error_code.data_type) == ("#N/A", "s")
    assert (negative.value, negative.data_type) == (-5, "n")
    assert (decimal.value, decimal.data_type) == (2.5, "n")
    assert (plain.value, plain.quotePrefix) == ("Vanlig tekst", False)
    assert (negative_text.value, negative_text.quotePrefix) == ("-7", False)
    assert control.value == "kontrolltegn"


class _OneRowReport(Report):
    name = "test"
    title = "Test"
    definition = "Test"
    parameters = ()

    def table(self, result):
        return ["Navn", "Antall"], [[FORMULA, -4]]


def test_report_csv_quotes_formulas():
    rows = list(csv.reader(io.StringIO(_OneRowReport().as_csv({}))))
    assert rows == [["Navn", "Antall"], ["'" + FORMULA, "-4"]]


def test_statistics_chapter_xlsx_and_csv_are_inert():
    result = {
        "year": 2025,
        "sections": [
            {
                "key": "enheter",
                "title": "Enheter",
                "definition": FORMULA,
                "result": {"rows": [{"enhet": FORMULA, "antall": -3}]},
            }
        ],
    }
    report = PlanChapterReport(year=2025)
    sheet = openpyxl.load_workbook(io.BytesIO(report.as_xlsx(result))).active
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    texts = [cell for cell in cells if cell.value == FORMULA]
    assert len(texts) == 2  # the definition and the unit
    assert all(cell.data_type == "s" and cell.quotePrefix for cell in texts)
    assert -3 in [cell.value for cell in cells]
    rows = list(csv.reader(io.StringIO(report.as_csv(result))))
    assert ["enheter", "rows.0.enhet", "'" + FORMULA] in rows
    assert ["enheter", "rows.0.antall", "-3"] in rows
