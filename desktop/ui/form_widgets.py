"""Small builders for labelled, accessible inputs shared by the wizards and dialogs."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)

from desktop.errors import KnownError, describe_os_error


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


def combo(name: str, accessible: str, items: Sequence[tuple[str, object]]) -> QComboBox:
    """Return a named drop-down of (label, value) items."""
    widget = QComboBox()
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
