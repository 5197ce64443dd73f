"""One case: its timeline, the current stage's guidance, what comes next, and actions."""

from __future__ import annotations

import datetime as dt
import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
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
from desktop.casework.timeline import CaseDetail, view_case
from desktop.casework.workflow import end_case, escalate_case
from desktop.errors import KnownError
from desktop.models import StageOutcome
from desktop.procedures.catalogue import DOCUMENTS, RECORD_FIELDS
from desktop.procedures.workdays import to_london
from desktop.text.display import visible
from desktop.ui.correction_dialog import CorrectionDialog
from desktop.ui.documents_panel import DocumentsPanel
from desktop.ui.now_text import now_html
from desktop.ui.screen_fit import text_width
from desktop.ui.services import Services

# The usual widest text of each timeline column after the stage's (they follow the font).
TIMELINE_SAMPLES = (
    "28 Nov 2026 11:14",
    "28 Nov 2026 11:14",
    "28 Nov 2026 11:14",
    "unresolved",
)


def _when(value: dt.datetime | None) -> str:
    return to_london(value).strftime("%d %b %Y %H:%M") if value else "—"


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
        self.timeline.setWordWrap(True)
        self.timeline.setUniformRowHeights(False)
        header = self.timeline.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)  # the stage takes the rest
        for column, sample in enumerate(TIMELINE_SAMPLES, 1):
            self.timeline.setColumnWidth(column, text_width(self.timeline, sample))
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
        buttons = QHBoxLayout()
        for button in (
            self.record_button,
            self.escalate_button,
            self.resolve_button,
            self.withdraw_button,
            self.correct_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(back)
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(self.guidance)
        history_box = QWidget()
        history_layout = QVBoxLayout(history_box)
        history_layout.setContentsMargins(0, 0, 0, 0)
        history_layout.addWidget(QLabel("Audit history"))
        history_layout.addWidget(self.history)
        right.addWidget(history_box)
        split = QSplitter()
        split.addWidget(self.timeline)
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
            label = f"{entry.stage_id}. {entry.title}"
            if entry.corrects_id:
                label += " (correction)"
            item = QTreeWidgetItem(
                [
                    label,
                    _when(entry.opened_at),
                    _when(entry.due_at),
                    _when(entry.closed_at),
                    entry.outcome or "open",
                ]
            )
            finalised = entry.closed_at is not None
            item.setData(0, Qt.ItemDataRole.UserRole, entry.record_id if finalised else None)
            for at, mode, people, notes in entry.discussions:
                QTreeWidgetItem(
                    item, [f"Discussion ({mode}) with {people}: {notes}", _when(at), "", "", ""]
                )
            for action, owner, due in entry.actions:
                QTreeWidgetItem(item, [f"Action: {action} — {owner}", "", _when(due), "", ""])
            for field, value in entry.fields.items():
                if field in RECORD_FIELDS and isinstance(value, str) and value.strip():
                    QTreeWidgetItem(item, [f"{RECORD_FIELDS[field]}: {value}", "", "", "", ""])
            self.timeline.addTopLevelItem(item)
            item.setToolTip(0, label)
            for index in range(item.childCount()):
                child = item.child(index)
                if child is not None:
                    child.setToolTip(0, child.text(0))
        for at, what in detail.received:  # from another party: a transfer, a kept document
            received = QTreeWidgetItem([visible(what), _when(at), "", "", ""])
            received.setToolTip(0, received.text(0))
            self.timeline.addTopLevelItem(received)
        self.timeline.expandAll()
        self.guidance.setHtml(self._guidance_html(detail))
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
        self._on_timeline_current_changed(self.timeline.currentItem(), None)
        self.message.clear()

    @staticmethod
    def _guidance_html(detail: CaseDetail) -> str:
        parts = [
            f"<p>{now_html(what_to_do_now(detail))}</p>",  # what to do now, first
            f"<p><b>Area:</b> {html.escape(detail.area)}<br><b>Raised by:</b> "
            f"{html.escape(detail.raised_by)}<br><b>Other party:</b> "
            f"{html.escape(detail.other_party)}</p>",
        ]
        stage = detail.current
        if stage is not None:
            due = f" Due {_when(detail.state.due_at)}." if detail.state.due_at else ""
            parts.append(
                f"<h3>Now: {html.escape(stage.title)}</h3><p>"
                f"{html.escape(stage.raising_role)} ↔ "
                f"{html.escape(stage.receiving_role)}. "
                f"{html.escape(stage.timescale.describe().capitalize())}.{due}</p>"
            )
            if stage.rule:
                parts.append(f"<p><b>Rule:</b> {html.escape(stage.rule)}</p>")
            for milestone in stage.milestones:
                parts.append(
                    f"<p><b>Also:</b> {html.escape(milestone.title)}, "
                    f"{html.escape(milestone.timescale.describe())}.</p>"
                )
            produces = ", ".join(DOCUMENTS[d] for d in stage.produces)
            if produces:
                parts.append(
                    f"<p><b>Documents this stage produces:</b> {html.escape(produces)}</p>"
                )
            paragraphs = "".join(
                f"<p><i>{html.escape(p)}</i></p>" for p in stage.guidance.split("\n\n")
            )
            parts.append(f"<p><b>What the procedure says:</b></p>{paragraphs}")
        for option in detail.next_options:
            parts.append(
                f"<h3>If unresolved, next: {html.escape(option.title)}</h3>"
                f"<p>Contact: {html.escape(option.receiving_role)}</p>"
            )
        if detail.contacts and detail.next_options:
            rows = "".join(
                f"<li>{html.escape(c.role)}, {html.escape(c.agency)}"
                + (f" — {html.escape(c.name)}" if c.name else "")
                + (f", {html.escape(c.phone)}" if c.phone else "")
                + (f", {html.escape(c.email)}" if c.email else "")
                + "</li>"
                for c in detail.contacts
            )
            parts.append(f"<p><b>Directory for this procedure:</b></p><ul>{rows}</ul>")
        if detail.track_rule:
            parts.append(f"<p><b>Special rule:</b> {html.escape(detail.track_rule)}</p>")
        if detail.draft:
            parts.append("<p><b>A draft of this stage's form is saved.</b></p>")
        return "".join(parts)

    def _act(self, action: str) -> None:
        if self.detail is None:
            return
        vault, catalogue = self._services.vault, self._services.catalogue
        case_id, now = self.detail.case_id, dt.datetime.now(dt.UTC)
        try:
            if action == "escalate":
                escalate_case(vault, catalogue, case_id, now)
            else:
                end_case(vault, case_id, StageOutcome(action), now)
        except KnownError as error:
            self.message.setText(error.message)
            return
        self.case_changed.emit(self.detail.case_id)
        self.show_case(self.detail.case_id)

    def _on_timeline_current_changed(
        self, current: QTreeWidgetItem | None, _previous: QTreeWidgetItem | None
    ) -> None:
        while current is not None and current.parent() is not None:
            current = current.parent()
        record_id = current.data(0, Qt.ItemDataRole.UserRole) if current else None
        self.correct_button.setEnabled(record_id is not None)

    def _on_correct_clicked(self) -> None:
        item = self.timeline.currentItem()
        while item is not None and item.parent() is not None:
            item = item.parent()
        record_id = item.data(0, Qt.ItemDataRole.UserRole) if item else None
        if record_id is None or self.detail is None:
            return
        if CorrectionDialog.ask(self, self._services, int(record_id)):
            self.case_changed.emit(self.detail.case_id)
            self.show_case(self.detail.case_id)

    def _on_record_clicked(self) -> None:
        if self.detail is not None:
            self.record_stage_requested.emit(self.detail.case_id)

    def _on_escalate_clicked(self) -> None:
        self._act("escalate")

    def _on_resolve_clicked(self) -> None:
        self._act("resolved")

    def _on_withdraw_clicked(self) -> None:
        self._act("withdrawn")
