"""Small builders for labelled, accessible inputs shared by the wizards and dialogs."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QSize
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)

from desktop.errors import KnownError, describe_os_error

# How many characters a drop-down of long items shows at its narrowest.
SHORTEST_ITEM = 24


def line(name: str, accessible: str, text: str = "", *, hint: str = "") -> QLineEdit:
    """Return a named one-line input; with a ``hint``, a placeholder and a clear button."""
    widget = QLineEdit(text)
    widget.setObjectName(name)
    widget.setAccessibleName(accessible)
    if hint:
        widget.setPlaceholderText(hint)
        widget.setClearButtonEnabled(True)
    return widget


def area(name: str, accessible: str, text: str = "") -> QPlainTextEdit:
    """Return a named multi-line input where Tab moves on (not into the text)."""
    widget = QPlainTextEdit(text)
    widget.setObjectName(name)
    widget.setAccessibleName(accessible)
    widget.setTabChangesFocus(True)
    widget.setMinimumHeight(70)
    return widget


class LongItemsCombo(QComboBox):
    """A drop-down as wide as its longest item where there is room, and narrower where not."""

    def __init__(self) -> None:
        super().__init__()
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(SHORTEST_ITEM)  # the least it shrinks to

    def sizeHint(self) -> QSize:
        """Return the width the longest item needs (Qt's hint is for the shortest width)."""
        hint = super().sizeHint()
        metrics = self.fontMetrics()
        frame = hint.width() - SHORTEST_ITEM * metrics.horizontalAdvance("X")
        longest = max(
            (metrics.horizontalAdvance(self.itemText(i)) for i in range(self.count())), default=0
        )
        return QSize(max(hint.width(), frame + longest), hint.height())


def combo(
    name: str, accessible: str, items: Sequence[tuple[str, object]], *, long_items: bool = False
) -> QComboBox:
    """Return a named drop-down of (label, value) items.

    With ``long_items`` (a procedure's own words) it is as wide as its longest item
    where there is room and narrower where not, so a form is never wider than the screen.
    """
    widget = LongItemsCombo() if long_items else QComboBox()
    widget.setObjectName(name)
    widget.setAccessibleName(accessible)
    for label, value in items:
        widget.addItem(label, value)
    return widget


def note(text: str, name: str = "") -> QLabel:
    """Return a wrapped explanatory label."""
    label = QLabel(text)
    label.setWordWrap(True)
    if name:
        label.setObjectName(name)
    return label


def error_label(parent: QWidget | None = None) -> QLabel:
    """Return the label where a page says what is missing."""
    label = QLabel(parent)
    label.setObjectName("errorLabel")
    label.setWordWrap(True)
    label.setStyleSheet("font-weight: bold;")
    return label


def button(name: str, text: str, slot: object) -> QPushButton:
    """Return a named push button connected to ``slot``."""
    widget = QPushButton(text)
    widget.setObjectName(name)
    widget.clicked.connect(slot)
    return widget


def problem(error: KnownError | OSError) -> str:
    """The one sentence a window shows for an error from the world."""
    return error.message if isinstance(error, KnownError) else describe_os_error(error)
