"""The plan's statistics chapter: the figures and tables of a plan's
status chapter, each with its definition, assembled from the system's own reports.

Every section is computed by the same report class as its own page and command, so
the chapter cannot disagree with them. A part that is not available in this
installation (a report or the planning figures not yet installed) is left out with a
note instead of failing the whole chapter.
"""

from __future__ import annotations

import dataclasses
import datetime
import decimal
import io
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from mestring.core.pdf import PdfDocument
from mestring.core.reporting import Report, report_class
from mestring.core.spreadsheet import append_row

if TYPE_CHECKING:
    from mestring.people.models import Unit

Table = tuple[list[str], list[list[Any]]]

# The reports of the chapter, in the order a plan's status chapter usually takes.
YEAR_REPORTS = ("everyday-rehab", "frisklivsresept")


def jsonable(value: Any) -> Any:
    """Plain JSON values: the command prints the result with json.dumps."""
    if isinstance(value, dict):
        return {str(key): jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set):
        return [jsonable(item) for item in value]
    if isinstance(value, decimal.Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return jsonable(dataclasses.asdict(value))
    if isinstance(value, models.Model):
        return str(value)
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def flatten(value: Any, prefix: str = "") -> list[tuple[str, Any]]:
    """("rows.0.unit", "Hjemmetjenesten"), …: every leaf of a result with its path."""
    if isinstance(value, dict):
        pairs = []
        for key, item in value.items():
            pairs += flatten(item, f"{prefix}.{key}" if prefix else str(key))
        return pairs
    if isinstance(value, list):
        pairs = []
        for index, item in enumerate(value):
            pairs += flatten(item, f"{prefix}.{index}" if prefix else str(index))
        return pairs
    return [(prefix, value)]


def generic_table(result: Any) -> Table:
    """A table of a result whose report has none: rows of dicts as they are, else
    figure/value pairs."""
    rows = result.get("rows") if isinstance(result, dict) else result
    if isinstance(rows, list) and rows and all(isinstance(row, dict) for row in rows):
        header = list(rows[0])
        for row in rows[1:]:
            header += [key for key in row if key not in header]
        body = [[cell(row.get(key)) for key in header] for row in rows]
        return header, body
    return ["figure", "value"], [[path, cell(item)] for path, item in flatten(result)]


def population_rows(result: dict[str, Any]) -> Table:
    """Age groups down, years across, and the ratio 20–66 per 67+ last."""
    years = [str(year) for year in result.get("years") or []]
    counts = result.get("counts") or {}
    rows = [
        [group, *[counts.get(group, {}).get(year, "") for year in years]]
        for group in result.get("groups") or []
    ]
    ratio = result.get("ratio_working_to_67plus") or {}
    if ratio:
        rows.append([_("20–66 år per person 67+"), *[ratio.get(year, "") for year in years]])
    return [_("Aldersgruppe"), *years], rows


def need_rows(result: dict[str, Any]) -> Table:
    """Services down, projected recipients per year across."""
    services = result.get("services") or []
    years: list[str] = []
    for service in services:
        years += [year for year in service.get("projection", {}) if year not in years]
    years.sort()
    rows = [
        [
            service.get("service"),
            service.get("recipients_base"),
            *[service.get("projection", {}).get(year, "") for year in years],
        ]
        for service in services
    ]
    return [_("Tjeneste"), _("Mottakere i basisåret"), *years], rows


def cell(value: Any) -> Any:
    if isinstance(value, dict | list):
        return ", ".join(f"{path}={item}" for path, item in flatten(value))
    return "" if value is None else value


class PlanChapterReport(Report):
    name = "plan-chapter"
    parameters = ("year",)
    title = gettext_lazy("Statuskapittel til planen")
    definition = gettext_lazy(
        "Tallene i kapitlet er hentet fra de samme rapportene som har egne sider i "
        "Mestring, for det valgte året. Hver del oppgir hvordan tallene telles."
    )

    def __init__(self, *, year: int) -> None:
        self.year = int(year)
        self.tables: dict[str, Table] = {}
        self.notes: list[str] = []

    # -- assembling -----------------------------------------------------------------
    def compute(self) -> dict[str, Any]:
        self.tables, self.notes = {}, []
        sections: list[dict[str, Any]] = []
        year_end = datetime.date(self.year, 12, 31)
        self._report_section(sections, "individual-plans", lambda cls: cls(date=year_end))
        self._report_section(sections, "everyday-rehab", lambda cls: cls(year=self.year))
        for unit in self._bed_units():
            self._report_section(
                sections,
                "bed-occupancy",
                self._for_unit(unit),
                key=f"bed-occupancy:{unit.name}",
                suffix=unit.name,
            )
        self._report_section(sections, "frisklivsresept", lambda cls: cls(year=self.year))
        self._report_section(sections, "assistive-devices", self._build_by_parameters)
        self._report_section(sections, "decisions", lambda cls: cls(year=self.year))
        self._planning_sections(sections)
        result: dict[str, Any] = {"year": self.year, "sections": sections}
        if self.notes:
            result["notes"] = list(self.notes)
        return result

    def _build_by_parameters(self, cls: type[Report]) -> Report:
        kwargs: dict[str, Any] = {}
        for name in cls.parameters:
            if name == "year":
                kwargs["year"] = self.year
            elif name == "date":
                kwargs["date"] = datetime.date(self.year, 12, 31)
            else:
                raise TypeError(f"parameter {name}")
        return cls(**kwargs)

    def _for_unit(self, unit: Unit) -> Callable[[type[Report]], Report]:
        """Builds a report of one unit for the year."""
        return lambda cls: cls(year=self.year, unit=unit)

    @staticmethod
    def _bed_units() -> list[Unit]:
        from mestring.institutions.models import BedCapacity
        from mestring.people.models import Unit

        unit_ids = BedCapacity.objects.values_list("unit_id", flat=True)
        return list(Unit.objects.filter(pk__in=unit_ids).order_by("name"))

    def _report_section(
        self,
        sections: list[dict[str, Any]],
        name: str,
        build: Callable[[type[Report]], Report],
        *,
        key: str | None = None,
        suffix: str = "",
    ) -> None:
        try:
            cls = report_class(name)
            report = build(cls)
        except (ImportError, AttributeError, TypeError, KeyError):
            self.notes.append(
                _("Delen «%(name)s» er ikke tilgjengelig i denne installasjonen og er utelatt.")
                % {"name": name}
            )
            return
        result = jsonable(report.compute())
        key = key or name
        title = str(report.title) + (f" – {suffix}" if suffix else "")
        try:
            self.tables[key] = report.table(result)
        except (KeyError, TypeError, AttributeError, NotImplementedError):
            self.tables[key] = generic_table(result)
        sections.append(
            {"key": key, "title": title, "definition": str(report.definition), "result": result}
        )

    def _planning_sections(self, sections: list[dict[str, Any]]) -> None:
        try:
            from mestring.planning import selectors as planning

            population = planning.population_table()
            need = planning.projected_need(base_year=self.year)
        except (ImportError, AttributeError, TypeError):
            self.notes.append(
                _(
                    "Befolkningsframskriving og framskrevet behov er ikke tilgjengelig "
                    "og er utelatt."
                )
            )
            return
        population = {
            key: population.get(key)
            for key in (
                "region",
                "years",
                "groups",
                "counts",
                "projected_from",
                "ratio_working_to_67plus",
                "ratio_error",
            )
        }
        need = {key: need.get(key) for key in ("base_year", "services", "assumptions", "error")}
        population_definition = _(
            "Folkemengde per aldersgruppe og år slik den er importert fra SSB (registrert og "
            "framskrevet), og forholdet mellom personer 20–66 år og personer 67 år og eldre."
        )
        if population["projected_from"]:
            population_definition += " " + _("Tallene fra %(year)s er framskrevet.") % {
                "year": population["projected_from"]
            }
        need_definition = " ".join(
            [
                _("Framskrevne mottakere per tjeneste og år."),
                *[str(line) for line in need.get("assumptions") or []],
                str(need.get("error") or ""),
            ]
        ).strip()
        for key, title, definition, raw, table in (
            (
                "population",
                _("Befolkning og framskriving"),
                population_definition,
                population,
                population_rows,
            ),
            ("projected-need", _("Framskrevet behov"), need_definition, need, need_rows),
        ):
            result = jsonable(raw)
            try:
                self.tables[key] = table(result)
            except (KeyError, TypeError, AttributeError):
                self.tables[key] = generic_table(result)
            sections.append(
                {"key": key, "title": str(title), "definition": str(definition), "result": result}
            )

    # -- output ---------------------------------------------------------------------
    def section_table(self, section: dict[str, Any]) -> Table:
        return self.tables.get(section["key"]) or generic_table(section["result"])

    def table(self, result: dict[str, Any]) -> Table:
        rows = [
            [section["key"], path, value]
            for section in result["sections"]
            for path, value in flatten(section["result"])
        ]
        return ["section", "figure", "value"], rows

    def as_pdf(self, result: dict[str, Any]) -> bytes:
        document = PdfDocument(
            title=_("Statuskapittel %(year)s") % {"year": result["year"]},
            subject=str(self.title),
        )
        document.paragraph(str(self.definition))
        for section in result["sections"]:
            document.heading(section["title"])
            document.paragraph(section["definition"], small=True)
            document.space(2)
            header, rows = self.section_table(section)
            # PdfDocument drops falsy cells, so 0 is written out as text here.
            body = [
                ["–" if value in (None, "") else str(cell(value)) for value in row] for row in rows
            ]
            document.table(header, body or [["–"] * len(header)])
            document.space()
        for note in result.get("notes", []):
            document.paragraph(note, small=True)
        return document.render()

    def as_xlsx(self, result: dict[str, Any]) -> bytes:
        workbook = Workbook()
        # A new workbook has one sheet, the active one; each section adds its own instead.
        default = workbook.active
        assert default is not None
        workbook.remove(default)
        used: set[str] = set()
        for section in result["sections"]:
            sheet = workbook.create_sheet(sheet_name(section["title"], used))
            append_row(sheet, [section["title"]])
            sheet["A1"].font = Font(bold=True, size=13)
            append_row(sheet, [section["definition"]])
            sheet["A2"].alignment = Alignment(wrap_text=True, vertical="top")
            append_row(sheet, [])
            header, rows = self.section_table(section)
            append_row(sheet, header)
            for item in sheet[4]:
                item.font = Font(bold=True)
            for row in rows:
                append_row(sheet, [cell(value) for value in row])
            sheet.column_dimensions["A"].width = 40
        if not result["sections"]:
            workbook.create_sheet(_("Ingen data"))
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()


def sheet_name(title: str, used: set[str]) -> str:
    """An Excel sheet name: at most 31 characters, none of []:*?/\\, unique."""
    base = re.sub(r"[\[\]:*?/\\]", "-", title).strip()[:31] or "Ark"
    name, number = base, 1
    while name.lower() in used:
        number += 1
        tail = f" ({number})"
        name = base[: 31 - len(tail)] + tail
    used.add(name.lower())
    return name
