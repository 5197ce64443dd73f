"""What an empty dashboard says: how to start, or that the filters hide everything."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractItemView, QLabel

from desktop.casework.dashboard import CaseFilter
from desktop.ui.case_table_model import CaseTableModel

HOW_TO_START = (
    "No open escalations.\n\nTo record one, choose File › New escalation… (Ctrl+N).\n"
    "Press F1 for the getting-started guide."
)
NOTHING_IN = {
    "overdue": "Nothing is overdue.",
    "resolved": "No escalation has been resolved yet.",
    "closed": "No escalation has been closed yet.",
}


def empty_text(filt: CaseFilter) -> str:
    """Say why the list is empty and what to do, for the filter that made it so."""
    if filt.search.strip() or filt.agency.strip() or filt.procedure_id:
        return "No cases match. Clear the search or the filters to see more."
    return NOTHING_IN.get(filt.status, HOW_TO_START)


class EmptyDashboardHint(QLabel):
    """Words over the case table while it is empty; out of the way once it has a row."""

    def __init__(
        self,
        table: QAbstractItemView,
        model: CaseTableModel,
        current_filter: Callable[[], CaseFilter],
    ) -> None:
        super().__init__(table.viewport())
        self.setObjectName("emptyDashboard")
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self._table, self._model, self._filter = table, model, current_filter
        model.modelReset.connect(self._on_model_reset)
        table.viewport().installEventFilter(self)
        self._on_model_reset()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Cover the table's viewport as it is resized."""
        if event.type() == QEvent.Type.Resize:
            self.setGeometry(self._table.viewport().rect())
        return False

    def _on_model_reset(self) -> None:
        empty = self._model.total == 0
        if empty:
            self.setText(empty_text(self._filter()))
            self.setAccessibleName(self.text())
            self.setGeometry(self._table.viewport().rect())
        self.setVisible(empty)
