"""The guided stage form, generated from the stage's required fields in the procedure data."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QPushButton,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from desktop.casework.settings import working_calendar
from desktop.casework.stage_entry import TEXT_FIELDS, apply_entry, missing, pages_for, save_draft
from desktop.casework.workflow import effective_stages, procedure_of
from desktop.errors import KnownError
from desktop.models import Case, StageRecord
from desktop.procedures.catalogue import RECORD_FIELDS, Stage
from desktop.procedures.workdays import parse_instant
from desktop.ui import form_widgets as fw
from desktop.ui.services import Services

OUTCOME_CHOICES = (
    ("", "Not yet: keep this stage open and save what I have"),
    ("resolved", "Resolved"),
    ("unresolved", "Unresolved: escalate to the next stage"),
    ("withdrawn", "Withdrawn"),
)


class ActionsTable(QWidget):
    """Agreed actions: action, owner and due date (dd/mm/yyyy), rows added and removed."""

    def __init__(self) -> None:
        super().__init__()
        self.table = QTableWidget(0, 3)
        self.table.setObjectName("actionsTable")
        self.table.setAccessibleName("Agreed actions")
        self.table.setHorizontalHeaderLabels(["Action", "Owner", "Due (dd/mm/yyyy)"])
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setColumnWidth(0, 300)
        self.table.setColumnWidth(1, 160)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        add = QPushButton("&Add action")
        add.setObjectName("addAction")
        remove = QPushButton("Re&move action")
        remove.setObjectName("removeAction")
        add.clicked.connect(self.add_row)
        remove.clicked.connect(self._on_remove_clicked)
        buttons = QHBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(remove)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        layout.addLayout(buttons)

    def add_row(self, action: str = "", owner: str = "", due: str = "") -> None:
        """Append a row."""
        row = self.table.rowCount()
        self.table.insertRow(row)
        for column, value in enumerate((action, owner, due)):
            self.table.setItem(row, column, QTableWidgetItem(value))

    def _on_remove_clicked(self) -> None:
        row = self.table.currentRow()
        if row >= 0:
            self.table.removeRow(row)

    def rows(self) -> list[dict[str, str]]:
        """Return the rows, due dates as ISO times at the close of that day."""
        result = []
        for row in range(self.table.rowCount()):
            cells = [self._cell(row, column) for column in range(3)]
            if not any(cells):
                continue
            result.append({"action": cells[0], "owner": cells[1], "due": _due_iso(cells[2])})
        return result

    def _cell(self, row: int, column: int) -> str:
        item = self.table.item(row, column)
        return item.text().strip() if item is not None else ""

    def set_rows(self, rows: list[dict[str, str]]) -> None:
        """Show saved rows."""
        self.table.setRowCount(0)
        for row in rows:
            self.add_row(row.get("action", ""), row.get("owner", ""), _due_text(row.get("due")))


def _due_iso(text: str) -> str:
    try:
        day = dt.datetime.strptime(text, "%d/%m/%Y").date()
    except ValueError:
        return text  # kept as typed; validation names it
    return dt.datetime.combine(day, dt.time(17, 0)).isoformat()


def _due_text(value: str | None) -> str:
    if not value:
        return ""
    try:
        return dt.datetime.fromisoformat(value).strftime("%d/%m/%Y")
    except ValueError:
        return value


class _FieldsPage(QWizardPage):
    """One page of the form: the widgets for the fields the stage asks for on it."""

    changed = Signal()

    def __init__(self, title: str, fields: list[str], stage: Stage) -> None:
        super().__init__()
        self.setTitle(title)
        self.setSubTitle(stage.title)
        self.fields = fields
        self.widgets: dict[str, Any] = {}
        self.form = QFormLayout()
        self.error = fw.error_label()
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addStretch(1)
        layout.addWidget(self.error)
        for field in fields:
            self._build(field, stage)

    def _watch(self, signal: Any) -> None:
        signal.connect(self.changed)

    def _build(self, field: str, stage: Stage) -> None:
        label = RECORD_FIELDS[field]
        if field == "discussion":
            at = fw.when("discussionAt", "When the discussion happened")
            mode = fw.combo(
                "discussionMode",
                "How",
                [
                    (m, m)
                    for m in (
                        "telephone",
                        "meeting",
                        "video call",
                        "email",
                        "professionals meeting",
                    )
                ],
            )
            mode.setEditable(True)
            people = fw.line("participants", "Who took part (separate with ;)")
            notes = fw.area("discussionNotes", "What was discussed")
            self.widgets[field] = (at, mode, people, notes)
            for caption, widget in (
                ("&When:", at),
                ("&How:", mode),
                ("&With whom (; between names):", people),
                ("&Notes:", notes),
            ):
                self.form.addRow(caption, widget)
            for signal in (
                at.dateTimeChanged,
                mode.currentTextChanged,
                people.textChanged,
                notes.textChanged,
            ):
                self._watch(signal)
        elif field in TEXT_FIELDS:
            widget = fw.area(field, label)
            self.widgets[field] = widget
            self.form.addRow(f"{label}:", widget)
            self._watch(widget.textChanged)
        elif field == "agreed_actions":
            table = ActionsTable()
            self.widgets[field] = table
            self.form.addRow(table)
            self._watch(table.table.itemChanged)
        elif field == "outcome":
            self._build_outcome(stage)
        elif field == "written_confirmation":
            self._build_confirmation()
        else:
            tick = QCheckBox(label)
            tick.setObjectName(field)
            self.widgets[field] = tick
            self.form.addRow(tick)
            self._watch(tick.toggled)

    def _build_outcome(self, stage: Stage) -> None:
        group = QButtonGroup(self)
        box = QWidget()
        rows = QVBoxLayout(box)
        rows.setContentsMargins(0, 0, 0, 0)
        for value, text in OUTCOME_CHOICES:
            if value == "unresolved" and not stage.next:
                text = "Unresolved: this is the last stage; the case closes unresolved"
            button = QRadioButton(text)
            button.setObjectName(f"outcome_{value or 'open'}")
            button.setProperty("value", value)
            group.addButton(button)
            rows.addWidget(button)
            self._watch(button.toggled)
        group.buttons()[0].setChecked(True)
        target = fw.combo("escalateTo", "Escalate to", [(s, s) for s in stage.next])
        target.setEnabled(len(stage.next) > 1)
        self.widgets["outcome"] = (group, target)
        self.form.addRow("Outcome:", box)
        self.form.addRow("Escalate &to stage:", target)

    def _build_confirmation(self) -> None:
        sent = QCheckBox("Written confirmation was &sent")
        sent.setObjectName("confirmationSent")
        at = fw.when("confirmationAt", "When it was sent")
        how = fw.combo(
            "confirmationHow",
            "How it was sent",
            [(m, m) for m in ("secure email", "email", "letter", "by hand")],
        )
        how.setEditable(True)
        to = fw.line("confirmationTo", "To whom it was sent")
        self.widgets["written_confirmation"] = (sent, at, how, to)
        self.form.addRow(sent)
        self.form.addRow("Sent &on:", at)
        self.form.addRow("Sent &by:", how)
        self.form.addRow("Sent to:", to)
        for signal in (sent.toggled, at.dateTimeChanged, how.currentTextChanged, to.textChanged):
            self._watch(signal)

    def values(self) -> dict[str, Any]:
        """Return this page's values in the stage-entry form."""
        out: dict[str, Any] = {}
        for field, widget in self.widgets.items():
            if field == "discussion":
                at, mode, people, notes = widget
                out[field] = {
                    "at": fw.london_iso(at),
                    "mode": mode.currentText(),
                    "participants": people.text(),
                    "notes": notes.toPlainText(),
                }
            elif field in TEXT_FIELDS:
                out[field] = widget.toPlainText()
            elif field == "agreed_actions":
                out[field] = widget.rows()
            elif field == "outcome":
                group, target = widget
                out["outcome"] = group.checkedButton().property("value")
                out["escalate_to"] = target.currentData()
            elif field == "written_confirmation":
                sent, at, how, to = widget
                out[field] = {
                    "sent": sent.isChecked(),
                    "when": fw.london_iso(at),
                    "how": how.currentText(),
                    "to": to.text(),
                }
            else:
                out[field] = widget.isChecked()
        return out

    def set_values(self, values: dict[str, Any]) -> None:
        """Show a saved draft."""
        for field, widget in self.widgets.items():
            value = values.get(field)
            if value is None:
                continue
            if field == "discussion":
                at, mode, people, notes = widget
                mode.setCurrentText(value.get("mode", ""))
                people.setText(value.get("participants", ""))
                notes.setPlainText(value.get("notes", ""))
                _set_when(at, value.get("at"))
            elif field in TEXT_FIELDS:
                widget.setPlainText(str(value))
            elif field == "agreed_actions":
                widget.set_rows(value)
            elif field == "outcome":
                for button in widget[0].buttons():
                    button.setChecked(button.property("value") == value)
            elif field == "written_confirmation":
                sent, at, how, to = widget
                sent.setChecked(bool(value.get("sent")))
                how.setCurrentText(value.get("how", ""))
                to.setText(value.get("to", ""))
                _set_when(at, value.get("when"))
            else:
                widget.setChecked(bool(value))


def _set_when(widget: Any, value: str | None) -> None:
    if not value:
        return
    try:
        instant = parse_instant(value)
    except ValueError:
        return
    fresh = fw.when("", "", instant)
    widget.setDateTime(fresh.dateTime())


class StageForm(QWizard):
    """Record the current stage of a case: the fields its procedure requires, nothing else."""

    draft_saved = Signal(int)
    stage_saved = Signal(int)

    def __init__(self, services: Services, case_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("stageForm")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.resize(820, 640)
        self._services = services
        self.case_id = case_id
        with services.vault.sessions() as session:
            case = session.get(Case, case_id)
            assert case is not None
            record = effective_stages(case)[-1]
            self.record_id = record.id
            _procedure, track = procedure_of(services.catalogue, case)
            self.stage = track.stage(record.stage_id)
            draft = record.draft_json
        self.setWindowTitle(f"{case.reference}: {self.stage.title}")
        self._autosave = QTimer(self)
        self._autosave.setSingleShot(True)
        self._autosave.setInterval(2000)
        self._autosave.timeout.connect(self.save_draft)
        self.pages: list[_FieldsPage] = []
        for title, fields in pages_for(self.stage):
            page = _FieldsPage(title, fields, self.stage)
            page.changed.connect(self._on_page_changed)
            self.pages.append(page)
            self.addPage(page)
        if draft:
            saved = json.loads(draft)
            for page in self.pages:
                page.set_values(saved)
            self._autosave.stop()  # showing the draft is not a change

    def values(self) -> dict[str, Any]:
        """Return every page's values."""
        merged: dict[str, Any] = {}
        for page in self.pages:
            merged.update(page.values())
        return merged

    def _on_page_changed(self) -> None:
        self._autosave.start()

    def save_draft(self) -> None:
        """Keep what is typed inside the vault (also before an auto-lock)."""
        self._autosave.stop()
        vault = self._services.vault
        with vault.sessions.begin() as session:
            record = session.get(StageRecord, self.record_id)
            if record is None or record.finalised_at is not None:
                return
            save_draft(session, vault.audit_key, record, self.values())
        self.draft_saved.emit(self.record_id)

    def problems(self) -> list[str]:
        """Return what is missing before the stage can be saved."""
        values = self.values()
        return missing(self.stage, values, finalising=bool(values.get("outcome")))

    def validateCurrentPage(self) -> bool:
        """On the last page, say what is missing instead of finishing."""
        if self.currentId() != self.pageIds()[-1]:
            return True
        found = self.problems()
        self.pages[-1].error.setText(" ".join(found))
        return not found

    def accept(self) -> None:
        """Save the stage and act on its outcome; on a problem, say it and stay."""
        vault = self._services.vault
        values = self.values()
        try:
            with vault.sessions.begin() as session:
                case = session.get(Case, self.case_id)
                assert case is not None
                apply_entry(
                    session,
                    vault.audit_key,
                    self._services.catalogue,
                    working_calendar(session),
                    case,
                    values,
                    dt.datetime.now(dt.UTC),
                    values.get("escalate_to"),
                )
        except KnownError as error:
            self.pages[-1].error.setText(error.message)
            return
        self._autosave.stop()
        self.stage_saved.emit(self.case_id)
        super().accept()

    def reject(self) -> None:
        """Keep the draft when the form is closed without saving."""
        self.save_draft()
        super().reject()
