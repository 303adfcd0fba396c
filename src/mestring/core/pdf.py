"""Plain, accessible PDF documents in Norwegian (decision letters, plans).

Built with ReportLab's flowables: a title, headed sections of paragraphs, simple
tables. The document carries a title, author and language so screen readers and
archives can tell what it is.

Any text people typed must print, however it looks: hundreds of line breaks, a word
of thousands of letters. So runs of blank lines are shortened to one blank line, a
word wider than its column is broken over several lines (ReportLab's splitLongWords,
with columns that never grow to fit such a word), and a table row taller than a page
continues on the next page instead of failing the whole document.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

_styles = getSampleStyleSheet()
TITLE = ParagraphStyle("MTitle", parent=_styles["Title"], alignment=0, fontSize=18, leading=22)
HEADING = ParagraphStyle("MHeading", parent=_styles["Heading2"], fontSize=13, leading=16)
BODY = ParagraphStyle("MBody", parent=_styles["BodyText"], fontSize=10.5, leading=14)
SMALL = ParagraphStyle("MSmall", parent=BODY, fontSize=9, leading=12, textColor=colors.grey)


# A page's text width: A4 less the 20 mm margins and the frame's 6 pt padding each side.
TEXT_WIDTH = A4[0] - 40 * mm - 12
# Three or more line breaks with only spaces between them: more than one blank line.
_BLANK_LINES = re.compile(r"\n(?:[^\S\n]*\n){2,}")


def plain_lines(value: object) -> str:
    """The text with Windows and old Mac line ends as \\n and at most one blank line in
    a row: blank lines carry nothing, and thousands of them only make empty pages."""
    lines = str(value or "").replace("\r\n", "\n").replace("\r", "\n")
    return _BLANK_LINES.sub("\n\n", lines).strip("\n")


def text(value: object) -> str:
    """Escape user text for ReportLab's mini-markup and keep its line breaks."""
    return escape(plain_lines(value)).replace("\n", "<br/>")


class CellParagraph(Paragraph):
    """A paragraph in a table column whose width ReportLab works out itself.

    ReportLab sizes such a column so that the cell's longest word fits on one line,
    and a table with a very long word grows wider than the page and cannot be laid
    out. The paragraph reports at most `widest` as its smallest width instead; the
    long word is then broken over several lines of the column (splitLongWords).
    """

    widest: float = TEXT_WIDTH / 4

    def minWidth(self) -> float:  # noqa: N802 - ReportLab's name
        return min(super().minWidth(), self.widest)


def cell_paragraph(value: str, style: ParagraphStyle, *, widest: float) -> CellParagraph:
    paragraph = CellParagraph(value, style)
    paragraph.widest = widest
    return paragraph


# A cell of more lines than this goes on in a row of its own below. ReportLab measures a
# row again each time it splits it across pages, so a single row of a thousand lines
# takes seconds; rows of at most this many lines split cheaply between them.
LINES_PER_ROW = 40


def row_parts(row: Sequence[object]) -> list[list[str]]:
    """One table row as one or more rows, each cell at most LINES_PER_ROW lines long."""
    cells = [plain_lines(value).split("\n") for value in row]
    count = max((-(-len(lines) // LINES_PER_ROW) for lines in cells), default=1)
    return [
        ["\n".join(lines[part * LINES_PER_ROW : (part + 1) * LINES_PER_ROW]) for lines in cells]
        for part in range(count)
    ]


def joined_rows(count: int, continued: set[int], line: tuple | None) -> list[tuple]:
    """Style commands that show a row and the rows continuing it as one: no padding
    and (with `line`, the table's grid line) no line between them."""
    commands: list[tuple] = []
    for index in range(count):
        if index in continued:
            commands.append(("TOPPADDING", (0, index), (-1, index), 0))
        if index + 1 in continued:
            commands.append(("BOTTOMPADDING", (0, index), (-1, index), 0))
        elif line is not None:
            commands.append(("LINEBELOW", (0, index), (-1, index), *line))
    return commands


def split_table(
    data: list, *, col_widths: Sequence[float] | None = None, repeat_rows: int = 0
) -> Table:
    """A table whose rows may be split across pages: a row taller than what is left
    of the page (or than a whole page) continues on the next one, header repeated."""
    return Table(data, colWidths=col_widths, repeatRows=repeat_rows, splitInRow=1)


@dataclass
class PdfDocument:
    title: str
    author: str = "Mestring"
    subject: str = ""
    story: list = field(default_factory=list)

    def heading(self, value: str) -> None:
        self.story.append(Paragraph(text(value), HEADING))

    def paragraph(self, value: str, *, small: bool = False) -> None:
        self.story.append(Paragraph(text(value), SMALL if small else BODY))

    def facts(self, rows: Iterable[tuple[str, object]]) -> None:
        data: list[list[Paragraph]] = []
        continued: set[int] = set()
        for key, value in rows:
            for part, (label, lines) in enumerate(row_parts([key, value])):
                if part:
                    continued.add(len(data))
                label_cell = Paragraph(f"<b>{text(label)}</b>", BODY)
                data.append([label_cell, Paragraph(text(lines), BODY)])
        if data:
            table = split_table(data, col_widths=[50 * mm, 120 * mm])
            style = [("VALIGN", (0, 0), (-1, -1), "TOP")]
            table.setStyle(TableStyle(style + joined_rows(len(data), continued, None)))
            self.story.append(table)

    def table(self, header: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
        # Each column may ask for at most its share of the page for its longest word.
        widest = (TEXT_WIDTH - 12 * len(header)) / max(len(header), 1)
        data = [[cell_paragraph(f"<b>{text(h)}</b>", BODY, widest=widest) for h in header]]
        continued: set[int] = set()
        for row in rows:
            for part, cells in enumerate(row_parts(row)):
                if part:
                    continued.add(len(data))
                data.append([cell_paragraph(text(cell), BODY, widest=widest) for cell in cells])
        table = split_table(data, repeat_rows=1)
        grid = (0.4, colors.grey)
        style: list[tuple[Any, ...]] = [
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E8EEF5")),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ]
        if continued:
            # The grid without the lines inside a row that goes on over several rows.
            style += [("BOX", (0, 0), (-1, -1), *grid), ("LINEBEFORE", (1, 0), (-1, -1), *grid)]
            style += joined_rows(len(data), continued, grid)
        else:
            style.append(("GRID", (0, 0), (-1, -1), *grid))
        table.setStyle(TableStyle(style))
        self.story.append(table)

    def space(self, height_mm: float = 4) -> None:
        self.story.append(Spacer(1, height_mm * mm))

    def render(self) -> bytes:
        buffer = io.BytesIO()
        document = SimpleDocTemplate(
            buffer,
            pagesize=A4,
            title=self.title,
            author=self.author,
            subject=self.subject,
            lang="nb-NO",
            leftMargin=20 * mm,
            rightMargin=20 * mm,
            topMargin=20 * mm,
            bottomMargin=20 * mm,
        )
        document.build([Paragraph(text(self.title), TITLE), Spacer(1, 4 * mm), *self.story])
        return buffer.getvalue()
