"""A horizontal bar chart drawn with QPainter: a label, a bar and the count on each row."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QSizePolicy, QWidget

from desktop.casework.report import Figure

MAX_ROWS = 12


class BarChart(QWidget):
    """Shows up to twelve figures, largest first; the accessible text lists every figure."""

    def __init__(self, name: str, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setAccessibleName(title)
        self.figures: tuple[Figure, ...] = ()
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def show_figures(self, figures: tuple[Figure, ...]) -> None:
        """Replace the figures and redraw."""
        self.figures = figures
        self.setAccessibleDescription("; ".join(f"{f.label}: {f.count}" for f in figures))
        self.setToolTip("\n".join(f"{f.label}: {f.count}" for f in figures[MAX_ROWS:]) or "")
        self.setFixedHeight(self.sizeHint().height())
        self.update()

    def row_height(self) -> int:
        """Return a row's height: the font's line and some room (so any font size fits)."""
        return self.fontMetrics().height() + 8

    def sizeHint(self) -> QSize:
        """One row per figure shown, plus a line saying how many more there are."""
        rows = min(len(self.figures), MAX_ROWS) or 1
        more = 1 if len(self.figures) > MAX_ROWS else 0
        return QSize(600, (rows + more) * self.row_height() + 6)

    def paintEvent(self, event: QPaintEvent) -> None:
        """Draw labels in the left 40%, bars scaled to the largest figure, counts after."""
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        text = self.palette().color(QPalette.ColorRole.WindowText)
        bar = self.palette().color(QPalette.ColorRole.Highlight)
        width, row_height = self.width(), self.row_height()
        label_width = int(width * 0.4)
        shown = self.figures[:MAX_ROWS]
        if not shown:
            painter.setPen(text)
            painter.drawText(4, row_height - 6, "Nothing to count in this period.")
            return
        top = max(f.count for f in shown) or 1
        metrics = painter.fontMetrics()
        count_width = metrics.horizontalAdvance("00000")
        for row, figure in enumerate(shown):
            y = row * row_height + 3
            label = metrics.elidedText(figure.label, Qt.TextElideMode.ElideRight, label_width - 8)
            painter.setPen(text)
            painter.drawText(
                QRectF(0, y, label_width - 8, row_height - 4),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                label,
            )
            length = (width - label_width - count_width - 6) * figure.count / top
            painter.fillRect(
                QRectF(label_width, y + 3, max(length, 1), row_height - 10), QColor(bar)
            )
            painter.drawText(
                QRectF(label_width + length + 6, y, count_width, row_height - 4),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                str(figure.count),
            )
        if len(self.figures) > MAX_ROWS:
            painter.setPen(text)
            painter.drawText(
                QRectF(label_width, MAX_ROWS * row_height + 3, width - label_width, row_height - 4),
                Qt.AlignmentFlag.AlignVCenter,
                f"… and {len(self.figures) - MAX_ROWS} more (hover to see them; all are in the "
                "saved report)",
            )
