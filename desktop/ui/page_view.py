"""A PDF's pages one under the other, as wide as the window, drawn from the PDF's own bytes."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QImage, QPalette, QPixmap
from PySide6.QtWidgets import QLabel, QScrollArea, QVBoxLayout, QWidget

from desktop.ui.pdf_pages import page_images, page_texts

SCREEN_DPI = 150  # drawn once at this resolution, then scaled to the window's width
MARGIN = 12


class PageView(QScrollArea):
    """The pages of ``pdf`` fitted to the width; arrow keys and Page Up/Down scroll.

    Each page is a picture with its text as the accessible description, so a
    screen reader can read what the picture shows.
    """

    def __init__(self, pdf: bytes, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pageView")
        self.setAccessibleName("Pages of the document")
        self.setWidgetResizable(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setBackgroundRole(QPalette.ColorRole.Dark)
        self.images: list[QImage] = page_images(pdf, SCREEN_DPI)
        texts = page_texts(pdf)
        inner = QWidget()
        inner.setBackgroundRole(QPalette.ColorRole.Dark)
        inner.setAutoFillBackground(True)
        column = QVBoxLayout(inner)
        column.setContentsMargins(MARGIN, MARGIN, MARGIN, MARGIN)
        column.setSpacing(MARGIN)
        self.pages: list[QLabel] = []
        count = len(self.images)
        for number, text in enumerate(texts, start=1):
            page = QLabel()
            page.setObjectName(f"page{number}")
            page.setAccessibleName(f"Page {number} of {count}")
            page.setAccessibleDescription(text)
            page.setAlignment(Qt.AlignmentFlag.AlignHCenter)
            column.addWidget(page)
            self.pages.append(page)
        column.addStretch(1)
        self.setWidget(inner)
        self._fit = QTimer(self)
        self._fit.setSingleShot(True)
        self._fit.setInterval(40)
        self._fit.timeout.connect(self._on_fit_timeout)
        self.viewport().installEventFilter(self)
        self._width = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Fit the pages again once the width has settled after a resize."""
        if watched is self.viewport() and event.type() == QEvent.Type.Resize:
            self._fit.start()
        return super().eventFilter(watched, event)

    def _on_fit_timeout(self) -> None:
        self.fit_width()

    def fit_width(self) -> None:
        """Scale every page to the viewport's width, at most its true size on this screen."""
        room = max(200, self.viewport().width() - 2 * MARGIN - self.verticalScrollBar().width())
        if room == self._width:
            return
        self._width = room
        ratio = self.devicePixelRatioF()
        for page, image in zip(self.pages, self.images, strict=True):
            true_width = image.width() / SCREEN_DPI * self.logicalDpiX()
            scaled = image.scaledToWidth(
                round(min(room, true_width) * ratio), Qt.TransformationMode.SmoothTransformation
            )
            pixmap = QPixmap.fromImage(scaled)
            pixmap.setDevicePixelRatio(ratio)
            page.setPixmap(pixmap)
