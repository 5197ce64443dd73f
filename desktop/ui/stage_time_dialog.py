"""Record a time a stage's clock needs: when an event happened, or when to review the stage."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QWidget

from desktop.procedures.workdays import LONDON
from desktop.ui import form_widgets as fw


class StageTimeDialog(QDialog):
    """A date and time (London time), with what it is for said in words."""

    def __init__(self, title: str, explanation: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("stageTimeDialog")
        self.setWindowTitle(title)
        self.at = fw.when("stageTime", title)
        form = QFormLayout(self)
        form.addRow(fw.note(explanation, "stageTimeExplanation"))
        form.addRow("&When:", self.at)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def when(self) -> dt.datetime:
        """Return the time chosen, as an aware time."""
        return dt.datetime.fromisoformat(fw.london_iso(self.at)).replace(tzinfo=LONDON)

    @classmethod
    def ask(cls, parent: QWidget | None, title: str, explanation: str) -> dt.datetime | None:
        """Show the dialog; return the time chosen, or None if cancelled."""
        dialog = cls(title, explanation, parent)
        return dialog.when() if dialog.exec() == QDialog.DialogCode.Accepted else None
