"""Print a PDF page by page at its true size, on the GUI thread, between turns of the loop.

PDFium and Qt's printing are used on the GUI thread only (see ui.pdf_pages):
each page (drawn at up to 300 dpi) takes about a fifth of a second, and the
window stays responsive between pages.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QPainter
from PySide6.QtPrintSupport import QPrinter

from desktop.errors import KnownError
from desktop.ui.pdf_pages import PRINT_DPI, open_pdf, print_page


class PagePrinter(QObject):
    """One print run of one PDF: ``progressed(page, pages)``, then ``finished`` or ``failed``."""

    progressed = Signal(int, int)
    finished = Signal(int)  # how many pages were printed
    failed = Signal(str)  # the one sentence to show

    def __init__(self, pdf: bytes, printer: QPrinter, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pdf, self._printer = pdf, printer
        self._painter = QPainter()
        self._document: Any = None
        self._next = 0

    @property
    def running(self) -> bool:
        """Whether pages are still to be printed."""
        return self._document is not None

    def start(self) -> None:
        """Begin with the first page at the next turn of the event loop."""
        try:
            self._document = open_pdf(self._pdf)
        except KnownError as error:
            self.failed.emit(error.message)
            return
        self._printer.setFullPage(True)
        self._next = 0
        QTimer.singleShot(0, self, self._print_next)

    def _print_next(self) -> None:
        if self._document is None:
            return
        pages = len(self._document)
        try:
            print_page(self._document, self._next, self._printer, self._painter, PRINT_DPI)
        except KnownError as error:
            self._stop(aborted=True)
            self.failed.emit(error.message)
            return
        self._next += 1
        if self._next < pages:
            self.progressed.emit(self._next + 1, pages)
            QTimer.singleShot(0, self, self._print_next)
            return
        self._stop(aborted=False)
        self.finished.emit(pages)

    def abort(self) -> None:
        """Stop a run part-way (the window is closing): the printer drops what it was given."""
        if self.running:
            self._stop(aborted=True)

    def _stop(self, aborted: bool) -> None:
        if aborted and self._painter.isActive():
            self._printer.abort()
        if self._painter.isActive():
            self._painter.end()
        if self._document is not None:
            self._document.close()
            self._document = None
