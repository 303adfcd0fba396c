"""The action plan as XLSX and PDF, in the layout of municipal plans' action tables:
Nr., Tiltak, Ansvar, År, Kostnad, Finansiering, Status."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, TableStyle

from mestring.actionplan import selectors
from mestring.actionplan.models import MunicipalPlan
from mestring.core.pdf import BODY, PdfDocument, split_table, text
from mestring.core.spreadsheet import append_row

TABLE_TEXT = ParagraphStyle("ActionTable", parent=BODY, fontSize=8.5, leading=11)
# Nr., Tiltak, Ansvar, År, Kostnad, Finansiering, Status: 170 mm, the width of A4's text.
PDF_WIDTHS_MM = (10, 42, 27, 22, 17, 27, 25)


def header(year: int) -> list[str]:
    return [
        _("Nr."),
        _("Tiltak"),
        _("Ansvar"),
        _("År"),
        _("Kostnad (kr)"),
        _("Finansiering"),
        _("Status %(year)s") % {"year": year},
    ]


def money(value: int | None) -> str:
    return "" if value is None else f"{value:,}".replace(",", " ")


def plan_xlsx(plan: MunicipalPlan, year: int) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    # A new workbook has one sheet, a worksheet, and it is the active one.
    assert isinstance(sheet, Worksheet)
    sheet.title = _("Tiltak")
    append_row(sheet, [str(plan)])
    sheet["A1"].font = Font(bold=True, size=14)
    append_row(sheet, [])
    append_row(sheet, header(year))
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    for row in selectors.action_rows(plan, year):
        append_row(
            sheet,
            [
                row["number"],
                row["title"],
                row["responsible"],
                row["years"],
                row["cost_nok"],
                row["financing"],
                row["status"],
            ],
        )
    for column, width in zip("ABCDEFG", (8, 50, 28, 12, 14, 24, 16), strict=True):
        sheet.column_dimensions[column].width = width
    for cells in sheet.iter_rows(min_row=4):
        cells[1].alignment = Alignment(wrap_text=True, vertical="top")
    goals = workbook.create_sheet(_("Mål"))
    append_row(goals, [_("Nr."), _("Mål")])
    for goal in selectors.plan_goals(plan):
        append_row(goals, [goal.number, goal.text])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def plan_pdf(plan: MunicipalPlan, year: int) -> bytes:
    document = PdfDocument(title=str(plan), subject=_("Tiltaksplan"))
    facts = [(_("Planperiode"), f"{plan.start_year}–{plan.end_year}")]
    if plan.adopted_on:
        facts.append((_("Vedtatt"), plan.adopted_on.strftime("%d.%m.%Y")))
    facts.append((_("Status"), plan.get_status_display()))
    document.facts(facts)
    goals = list(selectors.plan_goals(plan))
    if goals:
        document.heading(_("Mål"))
        document.table([_("Nr."), _("Mål")], [[goal.number, goal.text] for goal in goals])
    document.heading(_("Oversikt over tiltak"))
    rows = [
        [
            row["number"],
            row["title"],
            row["responsible"],
            row["years"],
            money(row["cost_nok"]),
            row["financing"],
            row["status"],
        ]
        for row in selectors.action_rows(plan, year)
    ]
    data = [[Paragraph(f"<b>{text(h)}</b>", TABLE_TEXT) for h in header(year)]]
    data += [[Paragraph(text(value), TABLE_TEXT) for value in row] for row in rows]
    table = split_table(data, col_widths=[w * mm for w in PDF_WIDTHS_MM], repeat_rows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E8EEF5")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    document.story.append(table)
    return document.render()
