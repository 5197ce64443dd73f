"""Resolve or withdraw a case, saying how it ended and what it leaves; or reopen a closed one.

Closing confirms in words what happens: the stage is finalised and the case
closes; it can be reopened later as a new entry linked to it. The learning
and policy gaps the procedure names are offered here, at the close.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QVBoxLayout,
    QWidget,
)

from desktop.casework.closing import NOTE_NEEDED, Closing
from desktop.casework.transitions import Transition
from desktop.models import StageOutcome
from desktop.ui import form_widgets as fw
from desktop.ui.closing_box import ClosingBox
from desktop.ui.escalate_dialog import (
    INCOMPLETE_LABEL,
    INCOMPLETE_NAME,
    missing_html,
    reason_problems,
)
from desktop.ui.screen_fit import open_whole, scrolling

CONFIRM = {
    StageOutcome.RESOLVED: "&Close the case as resolved",
    StageOutcome.WITHDRAWN: "&Withdraw the case",
}


@dataclass(frozen=True)
class CloseChoice:
    """How the case ended, and why any required record is incomplete."""

    closing: Closing
    incomplete_because: str | None


class CloseCaseDialog(QDialog):
    """Ask how a case ended, its learning and referrals; say what closing it does."""

    def __init__(
        self, transition: Transition, outcome: StageOutcome, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("closeCaseDialog")
        verb = "Resolve" if outcome is StageOutcome.RESOLVED else "Withdraw"
        self.setWindowTitle(f"{verb} {transition.reference}")
        self._transition, self._outcome = transition, outcome
        stage = transition.stage
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.addWidget(
            fw.note(
                f"This closes case {transition.reference} as {outcome.value}. “{stage.title}” is "
                "finalised and can no longer be changed; you can reopen the case later, as a new "
                "entry linked to it.",
                "closeConsequence",
            )
        )
        self.box = ClosingBox(transition.closing_offers, ask_learning=True)
        self.box.set_outcome(outcome)
        ended = QGroupBox("How the case ended")  # apart from the records still missing below
        QVBoxLayout(ended).addWidget(self.box)
        layout.addWidget(ended)
        self.reason = fw.area("incompleteBecause", INCOMPLETE_NAME)
        if transition.missing:
            layout.addWidget(fw.note(missing_html(transition.missing), "missingRecords"))
            form = QFormLayout()
            form.addRow(INCOMPLETE_LABEL, self.reason)
            layout.addLayout(form)
        scroll = scrolling(body)  # the closing questions scroll; Tab goes to each one
        self.error = fw.error_label()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.go = buttons.addButton(CONFIRM[outcome], QDialogButtonBox.ButtonRole.AcceptRole)
        self.go.setObjectName("closeConfirm")
        buttons.accepted.connect(self._on_buttons_accepted)
        buttons.rejected.connect(self.reject)
        outer = QVBoxLayout(self)
        outer.addWidget(scroll, 1)
        outer.addWidget(self.error)
        outer.addWidget(buttons)
        open_whole(self, scroll)  # as large as the questions need, within the screen

    def choice(self) -> CloseChoice:
        """Return what the dialog holds."""
        reason = self.reason.toPlainText().strip()
        return CloseChoice(self.box.closing(), reason if self._transition.missing else None)

    def problems(self) -> list[str]:
        """Say what the dialog still needs."""
        found = []
        if self._outcome in NOTE_NEEDED and not self.box.closing().note:
            found.append(NOTE_NEEDED[self._outcome])
        return found + reason_problems(self._transition, self.reason.toPlainText())

    def _on_buttons_accepted(self) -> None:
        found = self.problems()
        self.error.setText(" ".join(found))
        if not found:
            self.accept()

    @classmethod
    def ask(
        cls, parent: QWidget | None, transition: Transition, outcome: StageOutcome
    ) -> CloseChoice | None:
        """Show the dialog; return what it says, or None if cancelled."""
        dialog = cls(transition, outcome, parent)
        return dialog.choice() if dialog.exec() == QDialog.DialogCode.Accepted else None


class ReopenDialog(QDialog):
    """Ask why a closed case is reopened; say what reopening does."""

    def __init__(self, reference: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reopenDialog")
        self.setWindowTitle(f"Reopen {reference}")
        self.reason = fw.area("reopenReason", "Why the case is reopened")
        self.error = fw.error_label()
        form = QFormLayout(self)
        form.addRow(
            fw.note(
                f"Case {reference} opens again at the stage it ended at, as a new entry linked "
                "to it; what was recorded before stays as it was."
            )
        )
        form.addRow("&Why the case is reopened:", self.reason)
        form.addRow(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        go = buttons.addButton("Re&open the case", QDialogButtonBox.ButtonRole.AcceptRole)
        go.setObjectName("reopenConfirm")
        buttons.accepted.connect(self._on_buttons_accepted)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def _on_buttons_accepted(self) -> None:
        if not self.reason.toPlainText().strip():
            self.error.setText("Say why the case is reopened: the reason stays with the case.")
            return
        self.accept()

    @classmethod
    def ask(cls, parent: QWidget | None, reference: str) -> str | None:
        """Show the dialog; return the reason, or None if cancelled."""
        dialog = cls(reference, parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.reason.toPlainText().strip()
