"""The dashboard's table: pages of cases fetched lazily, sorted and filtered in SQL."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from desktop.dashboard import CaseFilter, CaseRow, case_page, count_cases
from desktop.ui.services import Services
from desktop.workdays import to_london

COLUMNS = (
    ("Reference", "reference"),
    ("Child", "child"),
    ("Procedure", "procedure"),
    ("Current stage", "stage"),
    ("Next due", "due"),
    ("Status", "status"),
)
PAGE = 200
Index = QModelIndex | QPersistentModelIndex


class CaseTableModel(QAbstractTableModel):
    """Cases for the dashboard; holds only the pages the view has scrolled to."""

    def __init__(self, services: Services, parent: Any = None) -> None:
        super().__init__(parent)
        self._services = services
        self._rows: list[CaseRow] = []
        self._total = 0
        self._filter = CaseFilter()
        self._sort, self._descending = "due", False
        self._now = dt.datetime.now(dt.UTC)
        # Nothing is read until the view sorts or a filter is set: one load, not three.

    @property
    def total(self) -> int:
        """How many cases match the filter (not how many are loaded)."""
        return self._total

    @property
    def loaded(self) -> int:
        """How many rows are loaded so far."""
        return len(self._rows)

    def set_filter(self, case_filter: CaseFilter) -> None:
        """Show the cases that match ``case_filter`` (nothing is read if it is unchanged)."""
        if case_filter == self._filter and self._rows:
            return
        self._filter = case_filter
        self.reload()

    def reload(self) -> None:
        """Drop what is loaded and fetch the first page again."""
        self.beginResetModel()
        self._now = dt.datetime.now(dt.UTC)
        with self._services.vault.sessions() as session:
            self._total = count_cases(session, self._filter, self._now)
            self._rows = self._page(session, 0)
        self.endResetModel()

    def _page(self, session: Any, offset: int) -> list[CaseRow]:
        return case_page(
            session,
            self._services.catalogue,
            self._filter,
            self._now,
            self._sort,
            self._descending,
            offset,
            PAGE,
        )

    def case_id(self, row: int) -> int:
        """Return the case id shown on ``row``."""
        return self._rows[row].case_id

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        """Return the loaded rows."""
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        """Return the number of columns."""
        return 0 if parent.isValid() else len(COLUMNS)

    def canFetchMore(self, parent: Index) -> bool:
        """Say whether more matching cases wait to be loaded."""
        return not parent.isValid() and len(self._rows) < self._total

    def fetchMore(self, parent: Index) -> None:
        """Load the next page."""
        if parent.isValid():
            return
        with self._services.vault.sessions() as session:
            more = self._page(session, len(self._rows))
        if not more:
            self._total = len(self._rows)
            return
        self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows) + len(more) - 1)
        self._rows.extend(more)
        self.endInsertRows()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort in the database by ``column``."""
        self._sort = COLUMNS[column][1]
        self._descending = order == Qt.SortOrder.DescendingOrder
        self.reload()

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        """Return column titles."""
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section][0]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Return a cell; overdue rows say OVERDUE in words and are bold, not only red."""
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._text(row, index.column())
        if role == Qt.ItemDataRole.FontRole and row.overdue:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ForegroundRole and row.overdue and index.column() >= 4:
            return QBrush(QColor("#b00020"))
        return None

    @staticmethod
    def _text(row: CaseRow, column: int) -> str:
        if column == 4:
            if row.due_at is None:
                return "—"
            return to_london(row.due_at).strftime("%a %d %b %Y %H:%M")
        if column == 5:
            return f"OVERDUE · {row.status}" if row.overdue else row.status
        return (row.reference, row.child, row.procedure, row.stage)[column]
