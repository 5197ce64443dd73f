"""The dashboard: what is due or overdue, and every case, filtered, searched and sorted."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.casework.dashboard import CaseFilter, read_due_summary
from desktop.ui import form_widgets as fw
from desktop.ui.case_table_model import SNIPPET_COLUMN, CaseTableModel
from desktop.ui.empty_dashboard import EmptyDashboardHint
from desktop.ui.screen_fit import text_width
from desktop.ui.services import Services

STATUS_CHOICES = (
    ("Open", "open"),
    ("Overdue", "overdue"),
    ("Resolved", "resolved"),
    ("Withdrawn", "withdrawn"),
    ("Closed", "closed"),
    ("All", "all"),
    ("Records incomplete", "incomplete"),
)
# The usual widest text of each column; the stage's (and a search's words) take the rest.
COLUMN_SAMPLES = (
    "ESC-2026-00000",
    "W.W. (DEMO-C000000)",
    "Four Stage Dispute undated",
    "Level 2: line managers",
    "Wed 30 Dec 2026 15:46",
    "OVERDUE · unresolved",
)
STAGE_COLUMN = 3


def summary_text(open_cases: int, overdue: int, due_soon: int) -> str:
    """Say in words what needs attention."""
    if open_cases == 0:
        return "No open escalations."
    parts = [f"{open_cases} open"]
    parts.append(f"{overdue} overdue" if overdue else "none overdue")
    parts.append(f"{due_soon} due within the next working day")
    return "Escalations: " + ", ".join(parts) + "."


class Dashboard(QWidget):
    """The case list with its filters and the due/overdue greeting."""

    case_opened = Signal(int)

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dashboard")
        self._services = services
        self.summary = QLabel()
        self.summary.setObjectName("dueSummary")
        self.summary.setWordWrap(True)
        font = self.summary.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.summary.setFont(font)
        self.status = fw.combo("statusFilter", "Show cases", STATUS_CHOICES)
        procedures = [("All procedures", "")] + [
            (f"{p.partnership} ({p.version})", p.id) for p in services.catalogue.current()
        ]
        self.procedure = fw.combo("procedureFilter", "Procedure", procedures)
        # Sized for a short title, not the longest: the window can then shrink to fit.
        self.procedure.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.procedure.setMinimumContentsLength(16)
        self.agency = fw.line("agencyFilter", "Agency", hint="Agency contains…")
        self.search = fw.line(
            "searchBox",
            "Search references, children's identifiers and notes",
            hint="Reference, child or words…",
        )
        self.search.setToolTip("Search references, children's identifiers and notes (Ctrl+F)")
        self.table = QTableView()
        self.table.setObjectName("caseTable")
        self.table.setAccessibleName("Cases")
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; arrow keys move within
        self.model = CaseTableModel(services, self)
        self.table.setModel(self.model)
        self.table.horizontalHeader().setSortIndicator(4, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self._size_columns()
        for stretched in (STAGE_COLUMN, SNIPPET_COLUMN):  # the spare width goes to long words
            header.setSectionResizeMode(stretched, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnHidden(SNIPPET_COLUMN, True)  # until something is searched
        self.table.activated.connect(self._on_table_activated)
        self.empty_hint = EmptyDashboardHint(self.table, self.model, self.current_filter)
        self.counts = QLabel()
        self.counts.setObjectName("caseCounts")
        filters = QHBoxLayout()
        for label, widget in (
            ("&Show:", self.status),
            ("&Procedure:", self.procedure),
            ("A&gency:", self.agency),
            ("Sea&rch:", self.search),
        ):
            caption = QLabel(label)
            caption.setBuddy(widget)
            filters.addWidget(caption)
            filters.addWidget(widget, 1 if widget in (self.agency, self.search) else 0)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.counts)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(250)
        self._debounce.timeout.connect(self._on_debounce_timeout)
        self.status.currentIndexChanged.connect(self._on_filter_changed)
        self.procedure.currentIndexChanged.connect(self._on_filter_changed)
        self.agency.textChanged.connect(self._debounce.start)
        self.search.textChanged.connect(self._debounce.start)
        self.table.setSortingEnabled(True)  # sorts once: the first load
        self._refresh_summary()
        self._update_counts()

    def _size_columns(self) -> None:
        """Size each column for its usual widest text, in bold (overdue rows), in this font."""
        for column, sample in enumerate(COLUMN_SAMPLES):
            self.table.setColumnWidth(column, text_width(self.table, sample, bold=True))

    def current_filter(self) -> CaseFilter:
        """Return the filter the controls describe."""
        return CaseFilter(
            status=self.status.currentData(),
            procedure_id=self.procedure.currentData() or None,
            agency=self.agency.text(),
            search=self.search.text(),
        )

    def refresh(self) -> None:
        """Reload the greeting, the list and the counts (after a change to the records)."""
        self._refresh_summary()
        self.model.reload()
        self._update_counts()

    def _refresh_summary(self) -> None:
        summary = read_due_summary(self._services.vault, dt.datetime.now(dt.UTC))
        self.summary.setText(summary_text(summary.open, summary.overdue, summary.due_soon))

    def _update_counts(self) -> None:
        total = self.model.total
        self.counts.setText(f"{total:,} case{'s' if total != 1 else ''} match.")

    def _on_filter_changed(self) -> None:
        self.model.set_filter(self.current_filter())
        self.table.setColumnHidden(SNIPPET_COLUMN, not self.search.text().strip())
        self._update_counts()

    def _on_debounce_timeout(self) -> None:
        self._on_filter_changed()

    def _on_table_activated(self, index: QModelIndex) -> None:
        self.case_opened.emit(self.model.case_id(index.row()))
