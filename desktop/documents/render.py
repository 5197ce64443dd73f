"""Lay out the four documents on A4 with reportlab: marking, reference, page N of M."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from desktop.documents.fonts import BODY, BOLD, markup, register_fonts
from desktop.procedures.workdays import to_london

MARGIN = 18 * mm
SIGNATURE_HEIGHT = 62


@dataclass(frozen=True)
class Header:
    """What every page carries."""

    reference: str
    organisation: str
    generated_at: dt.datetime
    audit_head: str
    title: str


@dataclass
class SignatureSlots:
    """Where the signature boxes ended up: (page index, x1, y1, x2, y2) per party."""

    boxes: list[tuple[int, int, int, int, int]] = field(default_factory=list)


def styles() -> dict[str, ParagraphStyle]:
    """Return the paragraph styles, in the embedded fonts."""
    register_fonts()
    base = ParagraphStyle("body", fontName=BODY, fontSize=10, leading=13.5, spaceAfter=4)
    return {
        "body": base,
        "small": ParagraphStyle(
            "small", parent=base, fontSize=8.5, leading=11, textColor=colors.HexColor("#333333")
        ),
        "title": ParagraphStyle(
            "title", parent=base, fontName=BOLD, fontSize=16, leading=20, spaceAfter=8
        ),
        "h2": ParagraphStyle(
            "h2", parent=base, fontName=BOLD, fontSize=12, leading=15, spaceBefore=10, spaceAfter=4
        ),
        "h3": ParagraphStyle(
            "h3",
            parent=base,
            fontName=BOLD,
            fontSize=10.5,
            leading=13.5,
            spaceBefore=6,
            spaceAfter=2,
        ),
        "cell": ParagraphStyle("cell", parent=base, fontSize=9, leading=11.5, spaceAfter=0),
        "quote": ParagraphStyle(
            "quote",
            parent=base,
            fontName="DejaVuSans-Oblique",
            fontSize=9,
            leading=12,
            leftIndent=10,
            textColor=colors.HexColor("#333333"),
        ),
    }


def when(value: dt.datetime | None) -> str:
    """Show a time in London time, or a dash."""
    return to_london(value).strftime("%d %b %Y %H:%M") if value else "—"


def para(text: str, style: ParagraphStyle) -> Paragraph:
    """Return a Paragraph of user text, escaped and with font fallbacks."""
    return Paragraph(markup(text), style)


def facts(rows: list[tuple[str, str]], st: dict[str, ParagraphStyle]) -> Table:
    """Return a two-column table of labels and user values."""
    data = [
        [Paragraph(f"<b>{markup(k)}</b>", st["cell"]), para(v or "—", st["cell"])] for k, v in rows
    ]
    table = Table(data, colWidths=[45 * mm, None], hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#bbbbbb")),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return table


def grid(
    header: list[str],
    rows: list[list[str]],
    widths: list[float | None],
    st: dict[str, ParagraphStyle],
) -> Table:
    """Return a ruled table with a header row; cells wrap."""
    data = [[Paragraph(f"<b>{markup(h)}</b>", st["cell"]) for h in header]]
    data += [[para(c or "—", st["cell"]) for c in row] for row in rows]
    table = Table(data, colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#999999")),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
            ]
        )
    )
    return table


class SignatureBlocks(Flowable):
    """Signature blocks for the parties; records where it was drawn for the signer."""

    def __init__(self, parties: list[tuple[str, str]], slots: SignatureSlots) -> None:
        super().__init__()
        self.parties = parties
        self.slots = slots
        self.width, self.height = A4[0] - 2 * MARGIN, SIGNATURE_HEIGHT + 36

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        """Take the full width and a fixed height."""
        return self.width, self.height

    def draw(self) -> None:
        """Draw labelled boxes; remember their absolute page positions."""
        canvas = self.canv
        column = (self.width - 10) / 2
        self.slots.boxes.clear()
        for index, (label, who) in enumerate(self.parties[:2]):
            x = index * (column + 10)
            canvas.setFont(BOLD, 9)
            canvas.drawString(x, self.height - 10, label)
            canvas.setFont(BODY, 8)
            for line_number, line in enumerate(simpleSplit(who, BODY, 8, column)[:2]):
                canvas.drawString(x, self.height - 21 - 9 * line_number, line)
            canvas.setStrokeColor(colors.HexColor("#999999"))
            canvas.rect(x, 0, column, SIGNATURE_HEIGHT)
            ax, ay = canvas.absolutePosition(x, 0)
            bx, by = canvas.absolutePosition(x + column, SIGNATURE_HEIGHT)
            self.slots.boxes.append(
                (canvas.getPageNumber() - 1, int(ax) + 2, int(ay) + 2, int(bx) - 2, int(by) - 2)
            )


def organisation_lines(
    organisation: str, beside: float, page_width: float
) -> list[tuple[float, float, str]]:
    """Where the header puts the organisation: (font size, mm from the top, text) per line.

    Beside the marking when it fits there; otherwise on its own line under it,
    across the page, smaller (down to 6 pt), and wrapped onto a second line if
    even that is too long. Nothing is cut off and nothing overlaps the marking.
    """
    register_fonts()
    if stringWidth(organisation, BODY, 8) <= beside:
        return [(8, 10, organisation)]
    across = page_width - 2 * MARGIN
    for size in (7.5, 7, 6.5, 6):
        if stringWidth(organisation, BODY, size) <= across:
            return [(size, 14, organisation)]
    lines = simpleSplit(organisation, BODY, 6, across)
    return [(6, 14 + 2.6 * index, line) for index, line in enumerate(lines[:3])]


def _numbered_canvas(header: Header) -> type[Canvas]:
    class NumberedCanvas(Canvas):
        """Draws the marking, reference and 'page N of M' once the page count is known."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802 - reportlab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self._decorate(total)
                super().showPage()
            super().save()

        def _decorate(self, total: int) -> None:
            width, height = A4
            self.setFont(BOLD, 10)
            self.setFillColor(colors.black)
            self.drawCentredString(width / 2, height - 10 * mm, "OFFICIAL-SENSITIVE")
            marking = stringWidth("OFFICIAL-SENSITIVE", BOLD, 10)
            self.setFont(BODY, 8)
            self.drawRightString(width - MARGIN, height - 10 * mm, header.reference)
            beside = (width - marking) / 2 - MARGIN - 4 * mm
            for size, y, line in organisation_lines(header.organisation, beside, width):
                self.setFont(BODY, size)
                self.drawString(MARGIN, height - y * mm, line)
            self.drawString(
                MARGIN, 14 * mm, f"Generated {when(header.generated_at)} (Europe/London)"
            )
            self.drawRightString(width - MARGIN, 14 * mm, f"Page {self.getPageNumber()} of {total}")
            self.setFont(BOLD, 10)
            self.drawCentredString(width / 2, 9 * mm, "OFFICIAL-SENSITIVE")
            self.setFont(BODY, 6)
            self.drawCentredString(width / 2, 5 * mm, f"Audit trail head {header.audit_head}")

    return NumberedCanvas


def build_pdf(header: Header, story: list[Flowable], keywords: str = "") -> bytes:
    """Lay out ``story`` on A4 and return the PDF's bytes (nothing touches the disk)."""
    register_fonts()
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN + 4 * mm,
        bottomMargin=MARGIN + 2 * mm,
        title=header.title,
        author=header.organisation,
        subject=f"{header.reference}; audit head {header.audit_head}",
        creator="Escalation Recorder",
        keywords=keywords,
        invariant=True,
    )
    maker: Callable[..., Canvas] = _numbered_canvas(header)
    document.build(story, canvasmaker=maker)
    return buffer.getvalue()


def title_block(title: str, subtitle: str, st: dict[str, ParagraphStyle]) -> list[Flowable]:
    """Return the document's title and a one-line subtitle."""
    centred = ParagraphStyle("sub", parent=st["small"], alignment=TA_CENTER)
    return [para(title, st["title"]), para(subtitle, centred), Spacer(1, 4 * mm)]


def keep(*items: Flowable) -> KeepTogether:
    """Keep a heading with what follows it."""
    return KeepTogether(list(items))
