"""A tick box whose words wrap: a procedure's long sentence never widens or cuts off a window.

Qt's check box keeps its text on one line, so a record label or a referral in
the procedure's words made forms wider than a laptop's screen. Here the box
has the words as its accessible name, and a wrapped label beside it shows them;
a click on the words ticks the box, as a click on a check box's text does.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QStyle, QWidget


class _Words(QLabel):
    """The tick's words: wrapped, and a click on them ticks the box."""

    def __init__(self, text: str, box: QCheckBox) -> None:
        super().__init__(text)
        self._box = box
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)  # by the box
        self.setBuddy(box)  # its Alt key goes to the box

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        """Tick or untick the box, as a click on a check box's own text would."""
        if event.button() == Qt.MouseButton.LeftButton and self._box.isEnabled():
            self._box.setFocus(Qt.FocusReason.MouseFocusReason)
            self._box.toggle()
        super().mouseReleaseEvent(event)


class WrappedTick(QWidget):
    """A check box (``box``) and its words as written, wrapped at the width they are given."""

    def __init__(self, text: str, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)  # as the box: a form finds the field, or its box, by name
        self.setAccessibleName(text)
        self.box = QCheckBox()
        self.box.setObjectName(name)
        self.box.setAccessibleName(text)
        self.words = _Words(text.replace("&", "&&"), self.box)  # words as written, no Alt key
        self.words.setObjectName(f"{name}Words")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self._spacing = self.style().pixelMetric(QStyle.PixelMetric.PM_CheckBoxLabelSpacing)
        row.setSpacing(self._spacing)
        row.addWidget(self.box, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(self.words, 1)

    def indent(self) -> int:
        """Return where the words start, to set what belongs to the tick under them."""
        return self.box.sizeHint().width() + self._spacing
