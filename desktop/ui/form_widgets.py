"""Small builders for labelled, accessible inputs shared by the wizards and dialogs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from PySide6.QtCore import QDate, QDateTime, QTime
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDateTimeEdit,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)

from desktop.errors import KnownError, describe_os_error
from desktop.procedures.workdays import LONDON


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


def when(name: str, accessible: str, value: dt.datetime | None = None) -> QDateTimeEdit:
    """Return a named date-and-time input in London time (now by default)."""
    widget = QDateTimeEdit()
    widget.setObjectName(name)
    widget.setAccessibleName(accessible)
    widget.setCalendarPopup(True)
    widget.setDisplayFormat("dd/MM/yyyy HH:mm")
    local = (value or dt.datetime.now(dt.UTC)).astimezone(LONDON)
    widget.setDateTime(
        QDateTime(QDate(local.year, local.month, local.day), QTime(local.hour, local.minute))
    )
    return widget


def day(name: str, accessible: str, value: dt.date | None = None) -> QDateEdit:
    """Return a named date input (today by default)."""
    widget = QDateEdit()
    widget.setObjectName(name)
    widget.setAccessibleName(accessible)
    widget.setCalendarPopup(True)
    widget.setDisplayFormat("dd/MM/yyyy")
    chosen = value or dt.date.today()
    widget.setDate(QDate(chosen.year, chosen.month, chosen.day))
    return widget


def london_iso(widget: QDateTimeEdit) -> str:
    """Return the widget's time as ISO 8601 local time (no offset: London time)."""
    value = widget.dateTime()
    date, time = value.date(), value.time()
    return dt.datetime(
        date.year(), date.month(), date.day(), time.hour(), time.minute()
    ).isoformat()


def to_date(widget: QDateEdit) -> dt.date:
    """Return the widget's date."""
    value = widget.date()
    return dt.date(value.year(), value.month(), value.day())


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
