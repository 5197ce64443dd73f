"""Record a time a stage's clock needs: when an event happened, or when to review the stage."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QWidget

from desktop.procedures.workdays import LONDON
from desktop.ui import form_widgets as fw
from desktop.ui.date_field import DateField

NO_TIME = "Type the date and time (dd/mm/yyyy hh:mm), or press Alt+Down for a calendar."


class StageTimeDialog(QDialog):
    """A date and time (London time), with what it is for said in words."""

    def __init__(self, title: str, explanation: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("stageTimeDialog")
        self.setWindowTitle(title)
        self.at = DateField("stageTime", title, with_time=True)
        form = QFormLayout(self)
        form.addRow(fw.note(explanation, "stageTimeExplanation"))
        form.addRow("&When:", self.at)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._on_save)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def _on_save(self) -> None:
        """Close only when a whole date and time is typed; otherwise say what is wrong."""
        if not self.at.check():
            return
        if self.at.moment() is None:
            self.at.message.setText(NO_TIME)
            self.at.message.setVisible(True)
            self.at.setFocus()
            return
        self.accept()

    def when(self) -> dt.datetime:
        """Return the time chosen, as an aware time (London)."""
        moment = self.at.moment()
        if moment is None:
            raise ValueError("no time chosen")
        return moment.replace(tzinfo=LONDON)

    @classmethod
    def ask(cls, parent: QWidget | None, title: str, explanation: str) -> dt.datetime | None:
        """Show the dialog; return the time chosen, or None if cancelled."""
        dialog = cls(title, explanation, parent)
        return dialog.when() if dialog.exec() == QDialog.DialogCode.Accepted else None
