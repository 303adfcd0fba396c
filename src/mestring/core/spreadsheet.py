"""Cells of CSV and XLSX downloads that a spreadsheet shows as text and never runs.

Text that users type (a plan's title, a measure, a unit's name) ends up in files that
staff open in Excel or LibreOffice. There a cell starting with =, +, -, @, a tab or a
carriage return may be read as a formula, and a formula can open web addresses or run
programs (`=HYPERLINK(...)`, DDE). Every CSV and XLSX writer in Mestring passes its
cells through this module, so the rule lives in one place:

- CSV: such text gets a leading apostrophe, which spreadsheets take as "this is text".
- XLSX: such text is written as a string cell with the quote-prefix style, so it is
  neither stored as a formula nor turned into one when someone edits the cell.

Numbers stay numbers: an int or a float is written as it is, and text that is only a
number, such as "-3" or "-1 200,5", is left alone, since a minus sign alone runs nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.worksheet.worksheet import Worksheet

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A plain number as the pages show it: sign, digits in groups of three (space or
# no-break space), a decimal part with comma or point, an optional percent sign.
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:[ \u00a0\u202f]\d{3})*(?:[.,]\d+)?(?:[ \u00a0]?%)?")


def is_formula_like(value: object) -> bool:
    """True for text a spreadsheet could read as a formula. A lone "-" (a page's "no
    value") or "=" is shown as typed, so only longer text counts."""
    return (
        isinstance(value, str)
        and len(value) > 1
        and value.startswith(FORMULA_STARTS)
        and _PLAIN_NUMBER.fullmatch(value) is None
    )


# --- CSV


def csv_cell(value: object) -> object:
    """The value as a CSV writer should get it: None as empty, risky text quoted."""
    if value is None:
        return ""
    if is_formula_like(value):
        return "'" + str(value)
    return value


def csv_row(values: Iterable[object]) -> list[object]:
    return [csv_cell(value) for value in values]


# --- XLSX


def xlsx_cell(sheet: Worksheet, value: Any) -> Cell:
    """A cell for `sheet` holding `value`; text is always a string cell.

    openpyxl makes a formula of any text starting with "=" and an error cell of text
    such as "#N/A", so text is bound first and its type set back to string. Characters
    that XML cannot hold (control characters other than tab and line breaks) are
    removed, since openpyxl would refuse the whole file for them.
    """
    if not isinstance(value, str):
        return Cell(sheet, value=value)  # type: ignore[call-arg]  # row, column are optional
    text = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell = Cell(sheet, value=text)  # type: ignore[call-arg]  # row, column are optional
    cell.data_type = "s"
    if is_formula_like(text):
        cell.quotePrefix = True
    return cell


def append_row(sheet: Worksheet, values: Iterable[Any]) -> None:
    """`sheet.append(values)` with every cell made by `xlsx_cell`."""
    sheet.append([xlsx_cell(sheet, value) for value in values])
