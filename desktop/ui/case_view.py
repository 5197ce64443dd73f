"""One case: its timeline, the current stage's guidance, what comes next, and actions."""

from __future__ import annotations

import datetime as dt
import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.casework.guidance import what_to_do_now
from desktop.casework.history import history_lines
from desktop.casework.stage_times import record_event, set_review_time
from desktop.casework.timeline import CaseDetail, TimelineEntry, view_case
from desktop.casework.transitions import check_transition, end_case, escalate_case, reopen_case
from desktop.errors import KnownError
from desktop.models import StageOutcome
from desktop.procedures import fields
from desktop.text.display import visible
from desktop.ui.case_guidance import guidance_html
from desktop.ui.case_guidance import when as _when
from desktop.ui.close_case_dialog import CloseCaseDialog, ReopenDialog
from desktop.ui.complete_records_dialog import CompleteRecordsDialog
from desktop.ui.correction_dialog import CorrectionDialog
from desktop.ui.documents_panel import DocumentsPanel
from desktop.ui.escalate_dialog import EscalateDialog
from desktop.ui.now_text import now_html
from desktop.ui.services import Services
from desktop.ui.stage_time_dialog import StageTimeDialog
from desktop.ui.wrapped_rows import WrappedRows

# The usual widest text of each timeline column after the stage's (they follow the font).
TIMELINE_SAMPLES = (
    "28 Nov 2026 11:14",
    "28 Nov 2026 11:14",
    "28 Nov 2026 11:14",
    "records incomplete",  # "unresolved — records incomplete" in two lines
)


def entry_label(entry: TimelineEntry) -> str:
    """Say a timeline entry: its stage, and what kind of entry it is."""
    label = f"{entry.stage_id}. {entry.title}"
    return f"{label} ({entry.kind})" if entry.kind else label


def entry_outcome(entry: TimelineEntry) -> str:
    """Say how a stage ended, and whether it ended with required records missing."""
    outcome = entry.outcome or "open"
    return f"{outcome} — records incomplete" if entry.incomplete_because else outcome


class CaseView(QWidget):
    """The case's timeline, guidance, next stage and the buttons to act."""

    record_stage_requested = Signal(int)
    case_changed = Signal(int)
    back_requested = Signal()

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("caseView")
        self._services = services
        self.detail: CaseDetail | None = None
        self.heading = QLabel()
        self.heading.setObjectName("caseHeading")
        self.heading.setWordWrap(True)
        self.timeline = QTreeWidget()
        self.timeline.setObjectName("timeline")
        self.timeline.setAccessibleName("Timeline of stages")
        self.timeline.setHeaderLabels(["Stage", "Opened", "Due", "Closed", "Outcome"])
        WrappedRows(self.timeline, TIMELINE_SAMPLES)  # long titles and reasons wrap, never cut
        self.guidance = QTextBrowser()
        self.guidance.setObjectName("guidance")
        self.guidance.setAccessibleName("Guidance and next steps")
        self.history = QListWidget()
        self.history.setObjectName("auditHistory")
        self.history.setAccessibleName("Audit history of this case")
        self.record_button = self._button("recordStage", "&Record this stage…")
        self.escalate_button = self._button("escalate", "&Escalate now")
        self.resolve_button = self._button("resolve", "Mark re&solved")  # Alt+R: Record
        self.withdraw_button = self._button("withdraw", "&Withdraw")
        self.correct_button = self._button("correctStage", "&Correct selected stage…")
        self.correct_button.clicked.connect(self._on_correct_clicked)
        self.complete_button = self._button("completeRecords", "Com&plete records…")
        self.complete_button.clicked.connect(self._on_complete_clicked)
        self.reopen_button = self._button("reopen", "Re&open…")
        self.reopen_button.clicked.connect(self._on_reopen_clicked)
        self.event_button = self._button("recordEvent", "Record ti&me…")
        self.event_button.clicked.connect(self._on_event_clicked)
        self.review_button = self._button("setReview", "Set rev&iew time…")
        self.review_button.clicked.connect(self._on_review_clicked)

        self.timeline.currentItemChanged.connect(self._on_timeline_current_changed)
        back = self._button("back", "&Back to dashboard")
        self.record_button.clicked.connect(self._on_record_clicked)
        self.escalate_button.clicked.connect(self._on_escalate_clicked)
        self.resolve_button.clicked.connect(self._on_resolve_clicked)
        self.withdraw_button.clicked.connect(self._on_withdraw_clicked)
        back.clicked.connect(self.back_requested)
        self.message = QLabel()
        self.message.setObjectName("caseMessage")
        self.message.setWordWrap(True)
        buttons = QHBoxLayout()  # what moves the case on: only what applies now is shown
        for button in (
            self.record_button,
            self.event_button,
            self.review_button,
            self.escalate_button,
            self.resolve_button,
            self.withdraw_button,
            self.reopen_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(back)
        entry_row = QHBoxLayout()  # what works on the stage selected in the timeline
        entry_row.addWidget(self.correct_button)
        entry_row.addWidget(self.complete_button)
        entry_row.addStretch(1)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.timeline, 1)
        left_layout.addLayout(entry_row)
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(self.guidance)
        history_box = QWidget()
        history_layout = QVBoxLayout(history_box)
        history_layout.setContentsMargins(0, 0, 0, 0)
        history_layout.addWidget(QLabel("Audit history"))
        history_layout.addWidget(self.history)
        right.addWidget(history_box)
        split = QSplitter()
        split.addWidget(left)
        split.addWidget(right)
        split.setSizes([800, 380])
        right.setSizes([460, 140])
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(split, 1)
        self.documents = DocumentsPanel(services)
        layout.addWidget(self.documents)
        layout.addWidget(self.message)
        layout.addLayout(buttons)

    def _button(self, name: str, text: str) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        return button

    def show_case(self, case_id: int) -> None:
        """Load and show a case (the view is audited)."""
        services = self._services
        self.detail = view_case(
            services.vault, services.catalogue, case_id, dt.datetime.now(dt.UTC)
        )
        self._render(self.detail)

    def _render(self, detail: CaseDetail) -> None:
        state = detail.state
        overdue = " — OVERDUE" if state.overdue else ""
        self.heading.setText(
            f"<h2>{html.escape(detail.reference)} · {html.escape(detail.child)}</h2>"
            f"{html.escape(detail.procedure)} · {html.escape(detail.track)}<br>"
            f"Status: <b>{html.escape(state.status)}{overdue}</b>"
        )
        self.timeline.clear()
        for entry in detail.entries:
            self._add_entry(entry)
        for at, what in detail.received:  # from another party: a transfer, a kept document
            received = QTreeWidgetItem([visible(what), _when(at), "", "", ""])
            received.setToolTip(0, received.text(0))
            self.timeline.addTopLevelItem(received)
        self.timeline.expandAll()
        self.guidance.setHtml(f"<p>{now_html(what_to_do_now(detail))}</p>" + guidance_html(detail))
        latest = detail.entries[-1].stage_id if detail.entries else None
        self.documents.show_case(detail.case_id, detail.reference, latest)
        self.history.clear()
        for at, text in history_lines(detail.history):  # plain words, autosaves folded
            self.history.addItem(f"{_when(at)}  {text}")
        is_open = state.status == "open"
        self.record_button.setEnabled(is_open and state.current_stage is not None)
        self.escalate_button.setEnabled(is_open and bool(state.next_stages))
        self.resolve_button.setEnabled(is_open)
        self.withdraw_button.setEnabled(is_open)
        self.reopen_button.setEnabled(not is_open)
        stage = detail.current
        self.event_button.setEnabled(bool(is_open and stage and stage.events))
        if stage and stage.events:
            self.event_button.setToolTip(f"Record when: {stage.events[0].title}")
        self.review_button.setEnabled(detail.review)
        self._show_only_what_applies(is_open)
        self._on_timeline_current_changed(self.timeline.currentItem(), None)
        self.message.clear()

    def _show_only_what_applies(self, is_open: bool) -> None:
        """Hide the actions that cannot apply to this case now (a closed case is only reopened)."""
        for button in (self.record_button, self.resolve_button, self.withdraw_button):
            button.setVisible(is_open)
        self.escalate_button.setVisible(is_open)
        self.reopen_button.setVisible(not is_open)
        self.event_button.setVisible(self.event_button.isEnabled())
        self.review_button.setVisible(self.review_button.isEnabled())

    def _add_entry(self, entry: TimelineEntry) -> None:
        label = entry_label(entry)
        item = QTreeWidgetItem(
            [
                label,
                _when(entry.opened_at),
                _when(entry.due_at),
                _when(entry.closed_at),
                entry_outcome(entry),
            ]
        )
        finalised = entry.closed_at is not None
        item.setData(0, Qt.ItemDataRole.UserRole, entry.record_id if finalised else None)
        item.setData(0, Qt.ItemDataRole.UserRole + 1, bool(entry.incomplete_because))
        rows = [f"Records incomplete because: {entry.incomplete_because}"]
        rows = rows if entry.incomplete_because else []
        rows += [f"{title}: {_when(at)}" for title, at in entry.events]
        for at, mode, people, notes in entry.discussions:
            rows.append(f"Discussion ({mode}, {_when(at)}) with {people}: {notes}")
        for action, owner, due in entry.actions:
            rows.append(f"Action: {action} — {owner}, due {_when(due)}")
        for field, value in entry.fields.items():
            if isinstance(value, str) and value.strip() and fields.label(field) != field:
                rows.append(f"{fields.label(field)}: {value}")
        for row in rows:
            child = QTreeWidgetItem(item, [row, "", "", "", ""])
            child.setToolTip(0, row)
        self.timeline.addTopLevelItem(item)
        for index in range(item.childCount()):  # a detail takes the row's whole width
            detail = item.child(index)
            if detail is not None:
                detail.setFirstColumnSpanned(True)
        item.setToolTip(0, label)

    def _act(self, action: str) -> None:
        """Ask what the transition needs, then escalate, resolve or withdraw through its service."""
        if self.detail is None:
            return
        vault, catalogue = self._services.vault, self._services.catalogue
        case_id, now = self.detail.case_id, dt.datetime.now(dt.UTC)
        try:
            transition = check_transition(vault, catalogue, case_id)
            if action == "escalate":
                choice = EscalateDialog.ask(self, transition)
                if choice is None:
                    return
                escalate_case(
                    vault, catalogue, case_id, now, choice.to_stage, choice.incomplete_because
                )
            else:
                outcome = StageOutcome(action)
                said = CloseCaseDialog.ask(self, transition, outcome)
                if said is None:
                    return
                end_case(
                    vault, catalogue, case_id, outcome, now, said.closing, said.incomplete_because
                )
        except KnownError as error:
            self.message.setText(error.message)
            return
        self._changed()

    def _changed(self) -> None:
        if self.detail is not None:
            self.case_changed.emit(self.detail.case_id)
            self.show_case(self.detail.case_id)

    def _on_reopen_clicked(self) -> None:
        if self.detail is None:
            return
        reason = ReopenDialog.ask(self, self.detail.reference)
        if reason is None:
            return
        services, now = self._services, dt.datetime.now(dt.UTC)
        try:
            reopen_case(services.vault, services.catalogue, self.detail.case_id, reason, now)
        except KnownError as error:
            self.message.setText(error.message)
            return
        self._changed()

    def _on_event_clicked(self) -> None:
        stage = self.detail.current if self.detail else None
        if self.detail is None or stage is None or not stage.events:
            return
        event = stage.events[0]
        explanation = (
            f"When did this happen: {event.title}? The procedure's clocks that count from it "
            "start then."
        )
        when = StageTimeDialog.ask(self, event.title, explanation)
        if when is None:
            return
        services, now = self._services, dt.datetime.now(dt.UTC)
        try:
            record_event(
                services.vault, services.catalogue, self.detail.case_id, event.id, when, now
            )
        except KnownError as error:
            self.message.setText(error.message)
            return
        self._changed()

    def _on_review_clicked(self) -> None:
        stage = self.detail.current if self.detail else None
        if self.detail is None or stage is None:
            return
        explanation = (
            f"The procedure gives this stage no number: “{stage.timescale.describe()}”. The app "
            "sets no deadline of its own; choose when you want to review the stage."
        )
        when = StageTimeDialog.ask(self, "Review time", explanation)
        if when is None:
            return
        services = self._services
        try:
            set_review_time(services.vault, services.catalogue, self.detail.case_id, when)
        except KnownError as error:
            self.message.setText(error.message)
            return
        self._changed()

    def _selected_record(self) -> int | None:
        item = self.timeline.currentItem()
        while item is not None and item.parent() is not None:
            item = item.parent()
        record_id = item.data(0, Qt.ItemDataRole.UserRole) if item else None
        return int(record_id) if record_id is not None else None

    def _on_timeline_current_changed(
        self, current: QTreeWidgetItem | None, _previous: QTreeWidgetItem | None
    ) -> None:
        while current is not None and current.parent() is not None:
            current = current.parent()
        record_id = current.data(0, Qt.ItemDataRole.UserRole) if current else None
        incomplete = bool(current.data(0, Qt.ItemDataRole.UserRole + 1)) if current else False
        self.correct_button.setEnabled(record_id is not None)
        self.complete_button.setEnabled(record_id is not None and incomplete)

    def _on_correct_clicked(self) -> None:
        record_id = self._selected_record()
        if record_id is not None and CorrectionDialog.ask(self, self._services, record_id):
            self._changed()

    def _on_complete_clicked(self) -> None:
        record_id = self._selected_record()
        if record_id is not None and CompleteRecordsDialog.ask(self, self._services, record_id):
            self._changed()

    def _on_record_clicked(self) -> None:
        if self.detail is not None:
            self.record_stage_requested.emit(self.detail.case_id)

    def _on_escalate_clicked(self) -> None:
        self._act("escalate")

    def _on_resolve_clicked(self) -> None:
        self._act("resolved")

    def _on_withdraw_clicked(self) -> None:
        self._act("withdrawn")
