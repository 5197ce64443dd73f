"""The dashboard's table: every matching case as a row, read a page at a time, in SQL order."""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QTimer
from PySide6.QtGui import QBrush, QFont, QGuiApplication

from desktop.casework.dashboard import (
    CaseFilter,
    CaseRow,
    read_case_page,
    read_first_page,
    read_snippets,
)
from desktop.errors import KnownError
from desktop.procedures.workdays import to_london
from desktop.ui.palette_colours import overdue_colour
from desktop.ui.services import Services

COLUMNS = (
    ("Reference", "reference"),
    ("Child", "child"),
    ("Procedure", "procedure"),
    ("Current stage", "stage"),
    ("Next due", "due"),
    ("Status", "status"),
    ("Where it matched", "snippet"),  # shown only while searching; sorts by reference
)
SNIPPET_COLUMN = len(COLUMNS) - 1
SNIPPET_ROLES = (
    Qt.ItemDataRole.DisplayRole,
    Qt.ItemDataRole.AccessibleTextRole,
    Qt.ItemDataRole.ToolTipRole,
)
PAGE = 200
KEEP_PAGES = 16  # at most 3,200 rows in memory, whatever the vault holds
Index = QModelIndex | QPersistentModelIndex


class CaseTableModel(QAbstractTableModel):
    """Cases for the dashboard: one row per match, but only the pages in view are read.

    The view's scroll bar spans every match from the start (the count is one
    query); the page under the viewport is read when first shown, from the end of
    the sorted list when it is nearer the end, so jumping to the last row costs
    what the first page does. The sixteen pages used last are kept.

    While searching, where each case matched is read just after its rows are
    shown, for the rows held (one query), and fills in its column.
    """

    def __init__(self, services: Services, parent: Any = None) -> None:
        super().__init__(parent)
        self._services = services
        self._pages: OrderedDict[int, list[CaseRow]] = OrderedDict()
        self._total = 0
        self._filter = CaseFilter()
        self._sort, self._descending = "due", False
        self._now = dt.datetime.now(dt.UTC)
        self._overdue = QBrush(overdue_colour(QGuiApplication.palette()))
        self._snippets: dict[int, str] = {}
        self._snippet_read = QTimer(self)
        self._snippet_read.setSingleShot(True)
        self._snippet_read.setInterval(0)  # once the rows are painted
        self._snippet_read.timeout.connect(self._read_snippets)
        # Nothing is read until the view sorts or a filter is set: one load, not three.

    @property
    def total(self) -> int:
        """How many cases match the filter (not how many are loaded)."""
        return self._total

    @property
    def loaded(self) -> int:
        """How many rows are held in memory now."""
        return sum(len(rows) for rows in self._pages.values())

    def set_filter(self, case_filter: CaseFilter) -> None:
        """Show the cases that match ``case_filter`` (nothing is read if it is unchanged)."""
        if case_filter == self._filter and self._pages:
            return
        self._filter = case_filter
        self.reload()

    def reload(self) -> None:
        """Count the matches again and read the first page."""
        self.beginResetModel()
        self._now = dt.datetime.now(dt.UTC)
        self._overdue = QBrush(overdue_colour(QGuiApplication.palette()))  # the theme may change
        self._pages.clear()
        self._snippets.clear()
        rows, self._total = read_first_page(
            self._services.vault,
            self._services.catalogue,
            self._filter,
            self._now,
            self._sort,
            self._descending,
            PAGE,
        )
        if rows:
            self._pages[0] = rows
        self.endResetModel()

    def _read(self, page: int) -> list[CaseRow]:
        first = page * PAGE
        size = max(0, min(PAGE, self._total - first))
        from_end = first + size / 2 > self._total / 2
        return read_case_page(
            self._services.vault,
            self._services.catalogue,
            self._filter,
            self._now,
            self._sort,
            self._descending,
            self._total - first - size if from_end else first,
            size,
            from_end=from_end,
        )

    def row(self, number: int) -> CaseRow | None:
        """Return the case on row ``number``, reading its page if it is not held."""
        page, within = divmod(number, PAGE)
        rows = self._pages.get(page)
        if rows is None:
            rows = self._pages[page] = self._read(page)
            while len(self._pages) > KEEP_PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(page)
        return rows[within] if within < len(rows) else None

    def _read_snippets(self) -> None:
        """Read where the search matched the rows held that have no snippet yet."""
        waiting = [r.case_id for rows in self._pages.values() for r in rows]
        waiting = [case_id for case_id in waiting if case_id not in self._snippets]
        if not waiting or not self._filter.search.strip():
            return
        try:
            found = read_snippets(self._services.vault, self._filter.search, waiting)
        except KnownError:  # locked meanwhile: the view is going away with the vault
            return
        self._snippets.update({case_id: found.get(case_id, "") for case_id in waiting})
        last = self.index(self._total - 1, SNIPPET_COLUMN)
        self.dataChanged.emit(self.index(0, SNIPPET_COLUMN), last)

    def snippet(self, row: CaseRow) -> str:
        """Where the search matched ``row`` ("" until read, or when not searching)."""
        found = self._snippets.get(row.case_id)
        if found is None and self._filter.search.strip():
            self._snippet_read.start()
        return found or ""

    def case_id(self, row: int) -> int:
        """Return the case id shown on ``row``."""
        shown = self.row(row)
        if shown is None:
            raise IndexError(row)
        return shown.case_id

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        """Return every matching case (rows are read when shown)."""
        return 0 if parent.isValid() else self._total

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        """Return the number of columns."""
        return 0 if parent.isValid() else len(COLUMNS)

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
        """Return a cell; overdue rows say OVERDUE in words and are bold, not only red.

        The red comes from the palette: 4.5:1 or better on the table's background.
        """
        if not index.isValid():
            return None
        row = self.row(index.row())
        if row is None:  # the records changed since the count; a refresh follows
            return None
        if index.column() == SNIPPET_COLUMN and role in SNIPPET_ROLES:
            return self.snippet(row) or None  # also the tooltip: where the column cuts it
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._text(row, index.column())
        if role == Qt.ItemDataRole.FontRole and row.overdue:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ForegroundRole and row.overdue and index.column() >= 4:
            return self._overdue
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
