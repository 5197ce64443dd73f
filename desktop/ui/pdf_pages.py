"""A PDF's pages as pictures, drawn by PDFium (pypdfium2): to preview and to print.

PDFium is not safe to use from two threads, and its objects are freed by
finalisers that run on whichever thread collects them: every call here is made
on the GUI thread (the preview draws its pages when it opens; printing goes a
page per turn of the event loop, ui.page_printer).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pypdfium2 as pdfium
from PySide6.QtCore import QMarginsF, QRectF, QSizeF
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter
from PySide6.QtPrintSupport import QPrinter

from desktop.errors import InvalidInput, KnownError

POINTS_PER_INCH = 72
PRINT_DPI = 300  # plenty for text and signatures; a page stays about 25 MB while drawn


def open_pdf(pdf: bytes) -> Any:
    """Open ``pdf`` with PDFium (close it after); one sentence if it cannot be read."""
    try:
        document = pdfium.PdfDocument(pdf)
        document.init_forms()  # else the signature boxes are drawn empty
    except pdfium.PdfiumError:
        raise InvalidInput("This PDF could not be read to show or print it.") from None
    return document


@contextmanager
def opened(pdf: bytes) -> Iterator[Any]:
    """Open ``pdf`` with PDFium for the length of a ``with``."""
    document = open_pdf(pdf)
    try:
        yield document
    finally:
        document.close()


def page_image(document: Any, index: int, dpi: float) -> QImage:
    """Draw page ``index`` at ``dpi`` (white behind, annotations and signatures included)."""
    page, bitmap = document[index], None
    try:
        bitmap = page.render(scale=dpi / POINTS_PER_INCH, rev_byteorder=True)  # RGB, 3 bytes
        image = QImage(
            bytes(bitmap.buffer),
            bitmap.width,
            bitmap.height,
            bitmap.stride,
            QImage.Format.Format_RGB888,
        )
        return image.copy()  # own the pixels: the buffer above goes with this call
    finally:
        if bitmap is not None:
            bitmap.close()
        page.close()


def page_images(pdf: bytes, dpi: float) -> list[QImage]:
    """Draw every page of ``pdf`` at ``dpi``."""
    with opened(pdf) as document:
        return [page_image(document, index, dpi) for index in range(len(document))]


def page_texts(pdf: bytes) -> list[str]:
    """Return each page's text, for screen readers (the pictures carry no words)."""
    texts = []
    with opened(pdf) as document:
        for index in range(len(document)):
            page = document[index]
            textpage = page.get_textpage()
            texts.append(str(textpage.get_text_bounded()))
            textpage.close()
            page.close()
    return texts


def _page_size(width: float, height: float) -> tuple[QPageSize, QPageLayout.Orientation]:
    """A PDF page's size for the printer, named when it is a standard one (A4)."""
    portrait = QSizeF(min(width, height), max(width, height))
    size = QPageSize(portrait, QPageSize.Unit.Point, "", QPageSize.SizeMatchPolicy.FuzzyMatch)
    landscape = width > height
    return size, (
        QPageLayout.Orientation.Landscape if landscape else QPageLayout.Orientation.Portrait
    )


def print_page(document: Any, index: int, printer: QPrinter, painter: QPainter, dpi: int) -> None:
    """Print page ``index`` at its true size: the sheet set to the page's own size, no margins.

    The first page begins the painter on the printer; each later one starts a
    new sheet. The page is drawn at the printer's resolution, at most ``dpi``.

    Raises:
        KnownError: the printer could not be started.
    """
    width, height = document.get_page_size(index)
    size, orientation = _page_size(width, height)
    printer.setPageLayout(QPageLayout(size, orientation, QMarginsF(0, 0, 0, 0)))
    started = printer.newPage() if painter.isActive() else painter.begin(printer)
    if not started:
        raise KnownError("The printer could not be started; nothing more was printed.")
    resolution = printer.resolution()
    image = page_image(document, index, min(resolution, dpi))
    inches = QSizeF(width, height) / POINTS_PER_INCH
    target = QRectF(0, 0, inches.width() * resolution, inches.height() * resolution)
    painter.drawImage(target, image)
