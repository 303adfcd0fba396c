"""CSV download of the lists and tables in the web interface (`?format=csv`).

A list page offers its table as CSV through the same view: the same decorators (so the
same permission check, refusal and audit row), the same filters and the same selector.
Only pagination differs: the CSV holds every row. `render_or_csv` renders the page's
own template and turns its tables into CSV, so the file has exactly the columns the page
shows and nothing more (action columns, whose header is only read aloud, are left out).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from django.core.paginator import Page
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify

from mestring.core.downloads import content_disposition
from mestring.core.pagination import PAGE_SIZE, paginate
from mestring.core.spreadsheet import csv_row

BOM = "\ufeff"  # so that Excel reads the file as UTF-8
ALL_ROWS = 10**9


def wants_csv(request: HttpRequest) -> bool:
    # Only a read: a form posted to a page (shown again with its errors) stays a page.
    return request.method in ("GET", "HEAD") and request.GET.get("format") == "csv"


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_response(
    filename: str, header: Sequence[object], rows: Iterable[Sequence[object]]
) -> StreamingHttpResponse:
    """A streamed CSV file (semicolon-separated, as Excel expects in Norway, UTF-8 with BOM).

    The rows are read in full first: the view's query then runs inside its transaction
    and the active municipality, not while the server sends the response. Every cell
    goes through `spreadsheet.csv_row`, so text is never read as a formula."""
    materialised = [csv_row(row) for row in rows]
    writer = csv.writer(_Echo(), delimiter=";")

    def lines() -> Iterator[str]:
        yield BOM + writer.writerow(csv_row(header))
        for row in materialised:
            yield writer.writerow(row)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition(filename)
    return response


def page_or_all(
    request: HttpRequest,
    queryset: QuerySet | Sequence[Any],
    per_page: int = PAGE_SIZE,
    *,
    param: str = "side",
) -> Page:
    """The requested page of the list, or every row (as one page) for the CSV file."""
    if wants_csv(request):
        return paginate(queryset, 1, per_page=ALL_ROWS)
    return paginate(queryset, request.GET.get(param), per_page=per_page)


def default_filename(request: HttpRequest) -> str:
    name = slugify(request.path.strip("/").replace("/", "-")) or "liste"
    return f"{name}-{timezone.localdate().isoformat()}.csv"


def render_or_csv(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    *,
    filename: str | None = None,
    status: int = 200,
) -> HttpResponse | StreamingHttpResponse:
    """The page, or with `?format=csv` the page's table(s) as CSV."""
    if not wants_csv(request):
        return render(request, template, context, status=status)
    html = render_to_string(template, context, request=request)
    header, rows = tables_to_rows(html_tables(html))
    return csv_response(filename or default_filename(request), header, rows)


# --- Tables of a rendered page


ACTION_HEADERS = {"handling", "handlinger"}


@dataclass
class Table:
    title: str = ""
    header: list[str] = field(default_factory=list)
    hidden_columns: set[int] = field(default_factory=set)
    rows: list[list[str]] = field(default_factory=list)
    controls: list[set[int]] = field(default_factory=list)  # per row: columns with a form

    def finish(self) -> None:
        """Leaves out columns that are only actions: a header only read aloud or named
        "Handling", or a column that holds nothing but form controls."""
        for index, name in enumerate(self.header):
            if name.lower() in ACTION_HEADERS or self._only_controls(index):
                self.hidden_columns.add(index)

    def _only_controls(self, index: int) -> bool:
        return bool(self.rows) and all(
            index in controls and not "".join(row[index : index + 1])
            for row, controls in zip(self.rows, self.controls, strict=True)
        )

    def visible(self, row: list[str]) -> list[str]:
        width = max(len(self.header), len(row))
        row = row + [""] * (width - len(row))
        return [value for i, value in enumerate(row) if i not in self.hidden_columns]


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
SKIPPED = {"button", "select", "textarea", "script", "style", "svg", "label", "template"}
CONTROLS = {"form", "input", "button", "select", "textarea"}


class _TableParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[Table] = []
        self.stack: list[tuple[str, bool, bool]] = []  # tag, skipped, screen-reader only
        self.region_label = ""
        self.table: Table | None = None
        self.depth = 0  # nested tables are read as text of their cell
        self.section = ""
        # per cell: (text, visible text, colspan, has a form control)
        self.row: list[tuple[str, str, int, bool]] | None = None
        self.row_is_header = True
        self.cell: list[list[str]] | None = None  # [all parts, visible parts]
        self.colspan = 1
        self.cell_control = False

    # -- state helpers
    def _skipping(self) -> bool:
        return any(skipped for _tag, skipped, _sr in self.stack)

    def _sr_only(self) -> bool:
        return any(sr for _tag, _skipped, sr in self.stack)

    def _close_cell(self) -> None:
        if self.cell is not None and self.row is not None:
            text = " ".join("".join(self.cell[0]).split())
            visible = " ".join("".join(self.cell[1]).split())
            self.row.append((text, visible, self.colspan, self.cell_control))
        self.cell = None

    def _close_row(self) -> None:
        self._close_cell()
        if self.row is None or self.table is None:
            self.row = None
            return
        table, row = self.table, self.row
        self.row = None
        if not row:
            return
        if not table.header and (self.section == "thead" or self.row_is_header):
            for _text, visible, span, _control in row:
                for extra in range(span):
                    if not visible:
                        table.hidden_columns.add(len(table.header))
                    table.header.append(visible if extra == 0 else "")
            return
        width = len(table.header)
        if len(row) == 1 and row[0][2] > 1 and width > 1 and row[0][2] >= width:
            return  # "nothing to show" row spanning the whole table
        cells: list[str] = []
        controls: set[int] = set()
        for text, visible, span, control in row:
            if control:
                controls.add(len(cells))
            # What the page shows; a screen-reader text only where nothing is shown.
            cells.append(visible or text)
            cells.extend([""] * (span - 1))
        table.rows.append(cells)
        table.controls.append(controls)

    # -- parser callbacks
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "table":
            if self.table is not None:
                self.depth += 1
                return
            self.table = Table(title=self.region_label)
            self.section = ""
        elif self.table is not None and self.depth == 0:
            if tag in ("thead", "tbody", "tfoot"):
                self._close_row()
                self.section = tag
            elif tag == "tr":
                self._close_row()
                self.row = []
                self.row_is_header = True
            elif tag in ("td", "th") and self.row is not None:
                self._close_cell()
                self.cell = [[], []]
                self.cell_control = False
                if tag == "td":
                    self.row_is_header = False
                try:
                    self.colspan = max(1, int(attributes.get("colspan") or 1))
                except ValueError:
                    self.colspan = 1
            elif self.cell is not None:
                if tag == "br":
                    self.cell[0].append(" ")
                    self.cell[1].append(" ")
                if tag in CONTROLS and attributes.get("type") != "hidden":
                    self.cell_control = True
        elif attributes.get("aria-label") and attributes.get("role") == "region":
            self.region_label = attributes.get("aria-label") or ""
        if tag in VOID:
            return
        classes = (attributes.get("class") or "").split()
        skipped = (
            tag in SKIPPED
            or "data-csv-skip" in attributes
            or (tag == "form" and self.cell is not None)
        )
        self.stack.append((tag, skipped, "ds-sr-only" in classes))

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            if self.depth:
                self.depth -= 1
            elif self.table is not None:
                self._close_row()
                self.table.finish()
                self.tables.append(self.table)
                self.table = None
        elif self.table is not None and self.depth == 0:
            if tag == "tr":
                self._close_row()
            elif tag in ("td", "th"):
                self._close_cell()
        if tag in VOID:
            return
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                break

    def handle_data(self, data: str) -> None:
        if self.cell is None or self._skipping():
            return
        self.cell[0].append(data)
        if not self._sr_only():
            self.cell[1].append(data)


def html_tables(html: str) -> list[Table]:
    parser = _TableParser()
    parser.feed(html)
    parser.close()
    return parser.tables


def tables_to_rows(tables: list[Table]) -> tuple[list[str], list[list[str]]]:
    """One table: its header and rows. Several: one block per table, each with its title,
    header and rows, separated by an empty line."""
    if not tables:
        return [], []
    if len(tables) == 1:
        table = tables[0]
        return table.visible(table.header), [table.visible(row) for row in table.rows]
    rows: list[list[str]] = []
    for index, table in enumerate(tables):
        if index:
            rows.append([])
        rows.append([table.title])
        rows.append(table.visible(table.header))
        rows.extend(table.visible(row) for row in table.rows)
    first = rows.pop(0)
    return first, rows
