"""What a signature box shows: who signed, when, and what they confirm, in the document's fonts.

pyHanko's own text stamp uses Courier, a standard font that cannot show
"Zażółć" or "Ελληνικά", and it shrinks long lines until they are unreadable.
The stamp is instead laid out by reportlab, as the document is (DejaVu Sans
with its fallbacks, wrapped to the box), in memory, and pyHanko places that
page in the signature's box.
"""

from __future__ import annotations

import binascii
import datetime as dt
import io
import uuid
from collections.abc import Sequence

from pyhanko import stamp
from pyhanko.pdf_utils import layout
from pyhanko.pdf_utils.content import PdfContent
from pyhanko.pdf_utils.layout import BoxConstraints
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.writer import BasePdfFileWriter
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Frame, Paragraph

from desktop.documents.fonts import BODY, BOLD, markup, register_fonts
from desktop.procedures.workdays import to_london

PADDING = 4
LARGEST, SMALLEST = 8.0, 5.0


class _PageInMemory(PdfContent):
    """A PDF page held in memory, placed as a form XObject (pyHanko's own reads a file)."""

    def __init__(self, pdf: bytes) -> None:
        super().__init__()
        self._pdf = pdf

    def render(self) -> bytes:
        """Import the page into the document being signed and draw it."""
        writer: BasePdfFileWriter = self._ensure_writer
        xobject = writer.import_page_as_xobject(PdfFileReader(io.BytesIO(self._pdf)), page_ix=0)
        name = "/Stamp" + binascii.hexlify(uuid.uuid4().bytes).decode("ascii")
        self.resources.xobject[name] = xobject
        x1, y1, x2, y2 = xobject.get_object()["/BBox"]
        self.box = BoxConstraints(width=abs(x1 - x2), height=abs(y1 - y2))
        return name.encode("ascii") + b" Do"


def stamp_lines(heading: str, signed_at: dt.datetime, statement: str) -> list[str]:
    """The stamp's lines: who signed (in bold), when (London time), what they confirm."""
    return [heading, f"{to_london(signed_at):%d %b %Y %H:%M} (UK time)", statement]


def _paragraphs(lines: Sequence[str], size: float) -> list[Paragraph]:
    style = ParagraphStyle("stamp", fontName=BODY, fontSize=size, leading=size * 1.22)
    first = ParagraphStyle("stampHead", parent=style, fontName=BOLD)
    return [
        Paragraph(markup(line), first if index == 0 else style)
        for index, line in enumerate(lines)
        if line
    ]


def _fits(lines: Sequence[str], size: float, width: float, height: float) -> bool:
    needed: float = sum(p.wrap(width, height)[1] for p in _paragraphs(lines, size))
    return needed <= height


def stamp_page(lines: Sequence[str], width: float, height: float) -> bytes:
    """Lay out ``lines`` on one page the size of the box, as large as fits (down to 5 pt)."""
    register_fonts()
    inner_w, inner_h = width - 2 * PADDING, height - 2 * PADDING
    size = LARGEST
    while size > SMALLEST and not _fits(lines, size, inner_w, inner_h):
        size -= 0.5
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=(width, height), invariant=True)
    canvas.setFillColor(colors.HexColor("#f3f6fa"))
    canvas.rect(0, 0, width, height, stroke=0, fill=1)
    canvas.setFillColor(colors.black)
    frame = Frame(PADDING, PADDING, inner_w, inner_h, 0, 0, 0, 0, showBoundary=0)
    frame.addFromList(_paragraphs(lines, size), canvas)
    canvas.showPage()
    canvas.save()
    return out.getvalue()


def stamp_style(lines: Sequence[str], width: float, height: float) -> stamp.StaticStampStyle:
    """A pyHanko stamp style that draws ``lines`` in a box of this size."""
    return stamp.StaticStampStyle(
        background=_PageInMemory(stamp_page(lines, width, height)),
        background_opacity=1.0,
        background_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MIN,
            y_align=layout.AxisAlignment.ALIGN_MIN,
            inner_content_scaling=layout.InnerScaling.NO_SCALING,
        ),
        border_width=0,
    )
