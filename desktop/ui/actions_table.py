"""The agreed actions of a stage: action, owner and due date, one row each."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QStyle,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.procedures import fields
from desktop.text.dates import day_problem, day_text, read_day
from desktop.ui import form_widgets as fw
from desktop.ui.date_field import DayDelegate
from desktop.ui.screen_fit import text_width


class ActionsTable(QWidget):
    """Agreed actions: action, owner and due date (dd/mm/yyyy), rows added and removed.

    A due date that is not one is kept as typed, marked, and said under the table
    at once; the page does not move on until it is put right.
    """

    DUE = 2  # the due date's column

    def __init__(self) -> None:
        super().__init__()
        self.table = QTableWidget(0, 3)
        self.table.setObjectName("actionsTable")
        self.table.setAccessibleName("Agreed actions")
        self.table.setHorizontalHeaderLabels(["Action", "Owner", "Due (dd/mm/yyyy)"])
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setColumnWidth(0, text_width(self.table, "Send the chronology of disclosures"))
        self.table.setColumnWidth(1, text_width(self.table, "Designated lead"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; arrows move within
        self.table.setItemDelegateForColumn(self.DUE, DayDelegate(self.table))
        self.table.itemChanged.connect(self._on_table_item_changed)
        add = fw.button("addAction", "&Add action", self._on_add_clicked)
        remove = fw.button("removeAction", "Re&move action", self._on_remove_clicked)
        self.message = fw.error_label()
        self.message.setObjectName("actionsProblem")
        buttons = QHBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(remove)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        layout.addWidget(self.message)
        layout.addLayout(buttons)

    def add_row(self, action: str = "", owner: str = "", due: str = "") -> None:
        """Append a row."""
        row = self.table.rowCount()
        self.table.insertRow(row)
        for column, value in enumerate((action, owner, due)):
            self.table.setItem(row, column, QTableWidgetItem(value))

    def _on_add_clicked(self) -> None:
        """Add a row and start typing its action there."""
        self.add_row()
        item = self.table.item(self.table.rowCount() - 1, 0)
        assert item is not None  # add_row made it
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        self.table.setCurrentItem(item)
        self.table.editItem(item)

    def _on_remove_clicked(self) -> None:
        row = self.table.currentRow()
        if row >= 0:
            self.table.removeRow(row)
            self._say_refused()

    def _on_table_item_changed(self, item: QTableWidgetItem) -> None:
        """Check a due date as soon as it is typed; write a good one in full."""
        if item.column() != self.DUE:
            return
        problem = day_problem(item.text())
        icon = self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        day = None if problem else read_day(item.text())
        with QSignalBlocker(self.table):  # marking the cell is not another change
            item.setData(Qt.ItemDataRole.DecorationRole, icon if problem else None)
            item.setToolTip(problem)
            if day is not None:
                item.setText(day_text(day))
        self.table.viewport().update()
        self._say_refused()

    def refused(self) -> list[str]:
        """Say which due dates typed are not dates."""
        found = []
        for row in range(self.table.rowCount()):
            problem = day_problem(self._cell(row, self.DUE))
            if problem:
                found.append(f"Agreed action {row + 1}, due date: {problem}")
        return found

    def _say_refused(self) -> None:
        found = self.refused()
        self.message.setText(found[0] if found else "")

    def rows(self) -> list[dict[str, str]]:
        """Return the rows, due dates as ISO times at the close of that day."""
        result = []
        for row in range(self.table.rowCount()):
            cells = [self._cell(row, column) for column in range(3)]
            if any(cells):
                action, owner, due = cells
                result.append({"action": action, "owner": owner, "due": fields.due_from_text(due)})
        return result

    def _cell(self, row: int, column: int) -> str:
        item = self.table.item(row, column)
        return item.text().strip() if item is not None else ""

    def set_rows(self, rows: object) -> None:
        """Show saved rows."""
        self.table.setRowCount(0)
        for item in rows if isinstance(rows, list) else []:
            row = item if isinstance(item, Mapping) else {}
            due = fields.due_as_text(row.get("due"))
            self.add_row(str(row.get("action", "")), str(row.get("owner", "")), due)
