"""Plain, accessible PDF documents in Norwegian (decision letters, plans).

Built with ReportLab's flowables: a title, headed sections of paragraphs, simple
tables. The document carries a title, author and language so screen readers and
archives can tell what it is.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
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


def text(value: object) -> str:
    """Escape user text for ReportLab's mini-markup and keep its line breaks."""
    return escape(str(value or "")).replace("\n", "<br/>")


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
        data = [[Paragraph(f"<b>{text(k)}</b>", BODY), Paragraph(text(v), BODY)] for k, v in rows]
        if data:
            table = Table(data, colWidths=[50 * mm, 120 * mm])
            table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
            self.story.append(table)

    def table(self, header: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
        data = [[Paragraph(f"<b>{text(h)}</b>", BODY) for h in header]]
        data += [[Paragraph(text(cell), BODY) for cell in row] for row in rows]
        table = Table(data, repeatRows=1)
        table.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E8EEF5")),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
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
