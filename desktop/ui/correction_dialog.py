"""Correct a finalised stage: a new entry linked to the old one, which stays as it was."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.casework.timeline import correction_form
from desktop.casework.workflow import correct_stage_record, correction_problem
from desktop.errors import KnownError
from desktop.ui import form_widgets as fw
from desktop.ui.discard_guard import DiscardGuard
from desktop.ui.screen_fit import keep_title_whole, open_fitting, scrolling
from desktop.ui.services import Services


class CorrectionDialog(QDialog):
    """Edit a copy of a finalised stage's written fields and save it as a linked correction."""

    def __init__(self, services: Services, record_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("correctionDialog")
        open_fitting(self, 720, 620)
        self._services = services
        self.record_id = record_id
        shown = correction_form(services.vault, services.catalogue, record_id)
        self.setWindowTitle(f"Correct {shown.reference}: {shown.stage_title}")
        keep_title_whole(self)
        self.inputs: dict[str, QPlainTextEdit] = {}
        form = QFormLayout()
        form.addRow(
            fw.note(
                "The finalised record is kept unchanged. Your correction is saved "
                "as a new entry linked to it, with the reason."
            )
        )
        for field, label, text in shown.editable:
            box = fw.area(field, label, text)
            self.inputs[field] = box
            form.addRow(f"{label}:", box)
        self.reason = fw.area("correctionReason", "Reason for the correction")
        form.addRow("&Reason for the correction:", self.reason)
        self._others: dict[str, Any] = shown.kept
        holder = QWidget()
        holder.setLayout(form)
        scroll = scrolling(holder)
        self.error = fw.error_label()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._on_buttons_accepted)
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.StandardButton.Save).setDefault(True)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setAutoDefault(False)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.guard = DiscardGuard(self, "this correction")

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
        try:
            correct_stage_record(
                self._services.vault, self.record_id, fields, dt.datetime.now(dt.UTC)
            )
        except KnownError as error:
            self.error.setText(error.message)
            return
        self.accept()

    def reject(self) -> None:
        """Close without saving; ask first when something was typed."""
        if self.guard.allows_discard():
            super().reject()

    @classmethod
    def ask(cls, parent: QWidget | None, services: Services, record_id: int) -> bool:
        """Show the dialog; return whether a correction was saved."""
        return cls(services, record_id, parent).exec() == QDialog.DialogCode.Accepted
