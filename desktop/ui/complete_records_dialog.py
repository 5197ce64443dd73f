"""Complete the records a stage ended without: a new entry linked to it, the original kept."""

from __future__ import annotations

import datetime as dt
import html
from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QVBoxLayout,
    QWidget,
)

from desktop.casework.transitions import complete_records, completion_form
from desktop.errors import KnownError
from desktop.procedures import fields
from desktop.ui import form_widgets as fw
from desktop.ui.field_editor import FieldEditor
from desktop.ui.field_widgets import editor_for
from desktop.ui.screen_fit import open_whole, scrolling
from desktop.ui.services import Services


class CompleteRecordsDialog(QDialog):
    """Show the records a stage is missing, and save them as a completing entry."""

    def __init__(self, services: Services, record_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("completeRecordsDialog")
        self._services = services
        self.record_id = record_id
        shown = completion_form(services.vault, services.catalogue, record_id)
        self.setWindowTitle(f"Complete the records of {shown.reference}: {shown.stage.title}")
        form = QFormLayout()
        because = shown.incomplete_because.rstrip(".")
        form.addRow(
            fw.note(
                "This stage ended with records the procedure requires still missing, because: "
                f"{because}. What you add here is saved as a new entry linked to the stage; the "
                "stage as it ended is kept unchanged."
            )
        )
        self.editors: list[FieldEditor] = []
        for name in shown.missing:
            editor = editor_for(fields.named(name), shown.stage)
            form.addRow(fw.note(f"<b>{html.escape(editor.label)}</b>"))
            editor.add_to(form)
            self.editors.append(editor)
        self.note = fw.area("completedBecause", "Note on the completion (optional)")
        form.addRow("&Note on the completion (optional):", self.note)
        holder = QWidget()
        holder.setLayout(form)
        scroll = scrolling(holder)  # Tab goes to each record, not to the scrolling part
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
        open_whole(self, scroll)  # as large as the records need, within the screen

    def values(self) -> dict[str, Any]:
        """Return the records typed."""
        merged: dict[str, Any] = {}
        for editor in self.editors:
            merged.update(editor.values())
        return {k: v for k, v in merged.items() if k in fields.NAMES}

    def _on_buttons_accepted(self) -> None:
        try:
            complete_records(
                self._services.vault,
                self._services.catalogue,
                self.record_id,
                self.values(),
                self.note.toPlainText(),
                dt.datetime.now(dt.UTC),
            )
        except KnownError as error:
            self.error.setText(error.message)
            return
        self.accept()

    @classmethod
    def ask(cls, parent: QWidget | None, services: Services, record_id: int) -> bool:
        """Show the dialog; return whether the records were completed."""
        return cls(services, record_id, parent).exec() == QDialog.DialogCode.Accepted
