"""Closure days (training days, snow days): picked from a calendar or typed, listed dd/mm/yyyy."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from desktop.text.dates import day_text
from desktop.ui import form_widgets as fw
from desktop.ui.date_field import DateField


class ClosureDays(QWidget):
    """The days the office is closed besides bank holidays: a list, and a day to add to it.

    A day picked from the calendar is added at once; a typed one is added with
    Enter or "Add day" (Enter here adds the day, it does not save the settings).
    """

    changed = Signal()

    def __init__(self, days: frozenset[dt.date], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._days = set(days)
        self.listing = QListWidget()
        self.listing.setObjectName("closureList")
        self.listing.setAccessibleName("Closure days")
        self.listing.setMaximumHeight(self.fontMetrics().height() * 5)
        self.day = DateField("closureDay", "Closure day to add")
        self.day.edit.day_picked.connect(self.add_typed)
        self.day.edit.keeps_enter = True  # Enter adds the day; it does not save the settings
        self.day.edit.entered.connect(self.add_typed)
        add = fw.button("addClosure", "&Add day", self.add_typed)
        remove = fw.button("removeClosure", "Re&move day", self._on_remove_clicked)
        for button in (add, remove):
            button.setAutoDefault(False)
        line = QHBoxLayout()
        line.addWidget(self.day, 1)
        line.addWidget(add)
        line.addWidget(remove)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.listing)
        layout.addLayout(line)
        self.setFocusProxy(self.day)
        self._show()

    def days(self) -> frozenset[dt.date]:
        """Return the days listed."""
        return frozenset(self._days)

    def add_typed(self) -> None:
        """Add the day typed or picked; a day that is not one is refused under the field."""
        if not self.day.check():
            return
        day = self.day.day()
        if day is None:
            return
        self._days.add(day)
        self.day.set_day(None)
        self._show()
        self.changed.emit()

    def _on_remove_clicked(self) -> None:
        item = self.listing.currentItem()
        if item is None:
            return
        self._days.discard(item.data(Qt.ItemDataRole.UserRole))
        self._show()
        self.changed.emit()

    def _show(self) -> None:
        self.listing.clear()
        for day in sorted(self._days):
            item = QListWidgetItem(f"{day_text(day)} ({day:%A})")
            item.setData(Qt.ItemDataRole.UserRole, day)
            self.listing.addItem(item)
