"""Correct a finalised stage: a new entry linked to the old one, which stays as it was."""

from __future__ import annotations

import datetime as dt
import json

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QPlainTextEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop.casework.stage_entry import TEXT_FIELDS
from desktop.casework.workflow import correct_stage, procedure_of
from desktop.errors import KnownError
from desktop.models import Case, StageRecord
from desktop.procedures.catalogue import RECORD_FIELDS
from desktop.ui import form_widgets as fw
from desktop.ui.services import Services


def correction_problem(reason: str) -> str | None:
    """Return what is missing from a correction, in plain words, or None."""
    if not reason.strip():
        return "Say why the record needs correcting: the reason stays with the correction."
    return None


class CorrectionDialog(QDialog):
    """Edit a copy of a finalised stage's written fields and save it as a linked correction."""

    def __init__(self, services: Services, record_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("correctionDialog")
        self.resize(720, 620)
        self._services = services
        self.record_id = record_id
        with services.vault.sessions() as session:
            record = session.get(StageRecord, record_id)
            assert record is not None
            case = session.get(Case, record.case_id)
            assert case is not None
            _procedure, track = procedure_of(services.catalogue, case)
            stage = track.stage(record.stage_id)
            fields = json.loads(record.fields_json or "{}")
        self.setWindowTitle(f"Correct {case.reference}: {stage.title}")
        self.inputs: dict[str, QPlainTextEdit] = {}
        form = QFormLayout()
        form.addRow(
            fw.note(
                "The finalised record is kept unchanged. Your correction is saved "
                "as a new entry linked to it, with the reason."
            )
        )
        for field in (f for f in stage.record if f in TEXT_FIELDS):
            box = fw.area(field, RECORD_FIELDS[field], str(fields.get(field, "")))
            self.inputs[field] = box
            form.addRow(f"{RECORD_FIELDS[field]}:", box)
        self.reason = fw.area("correctionReason", "Reason for the correction")
        form.addRow("&Reason for the correction:", self.reason)
        self._others = {k: v for k, v in fields.items() if k not in self.inputs}
        holder = QWidget()
        holder.setLayout(form)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(holder)
        self.error = fw.error_label()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._on_buttons_accepted)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def _on_buttons_accepted(self) -> None:
        problem = correction_problem(self.reason.toPlainText())
        if problem:
            self.error.setText(problem)
            return
        fields = {
            **self._others,
            **{k: w.toPlainText() for k, w in self.inputs.items()},
            "correction_reason": self.reason.toPlainText(),
        }
        vault = self._services.vault
        try:
            with vault.sessions.begin() as session:
                record = session.get(StageRecord, self.record_id)
                assert record is not None
                correct_stage(session, vault.audit_key, record, fields, dt.datetime.now(dt.UTC))
        except KnownError as error:
            self.error.setText(error.message)
            return
        self.accept()

    @classmethod
    def ask(cls, parent: QWidget | None, services: Services, record_id: int) -> bool:
        """Show the dialog; return whether a correction was saved."""
        return cls(services, record_id, parent).exec() == QDialog.DialogCode.Accepted
