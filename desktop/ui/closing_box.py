"""What closing a case asks: how it ended, the learning, and where learning and gaps are referred.

Shown by the resolve and withdraw dialog and by the stage form when its outcome
closes the case. Each referral the procedure offers at the close is shown with
its words quoted, and the app's advice apart.
"""

from __future__ import annotations

import html

from PySide6.QtWidgets import QCheckBox, QFormLayout, QLabel, QPlainTextEdit, QWidget

from desktop.casework.closing import Closing
from desktop.models import StageOutcome
from desktop.procedures.catalogue import Redirect
from desktop.ui import form_widgets as fw
from desktop.ui.procedure_words import quoted_html
from desktop.ui.wrapped_tick import WrappedTick

NOTE_LABELS = {
    StageOutcome.RESOLVED: "How it was &resolved (the outcome agreed):",
    StageOutcome.WITHDRAWN: "&Reason it is withdrawn (needed):",
    StageOutcome.UNRESOLVED: "How the case ends (optional):",
}


class ClosingBox(QWidget):
    """The closing questions: a note, the learning, and the referrals the procedure offers."""

    def __init__(
        self, offers: tuple[Redirect, ...], ask_learning: bool, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("closingBox")
        self.note = fw.area("closingNote", "How the case ended")
        self.note.setMaximumHeight(90)
        self.learning: QPlainTextEdit | None = None
        self.refer: dict[str, QCheckBox] = {}
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        self.note_label = QLabel(NOTE_LABELS[StageOutcome.RESOLVED])
        self.note_label.setBuddy(self.note)
        form.addRow(self.note_label, self.note)
        if ask_learning:
            self.learning = fw.area(
                "closingLearning", "Learning identified (or say there was none)"
            )
            self.learning.setMaximumHeight(90)
            form.addRow("&Learning identified (or say there was none):", self.learning)
        for redirect in offers:
            tick = WrappedTick(f"Refer: {redirect.title}", f"refer_{redirect.id}")
            self.refer[redirect.id] = tick.box
            form.addRow(tick)
            to = f"<p>To: {html.escape(redirect.notify)}</p>" if redirect.notify else ""
            words = fw.note(to + quoted_html(redirect.guidance, redirect.advice))
            words.setContentsMargins(tick.indent(), 0, 0, 0)  # under its tick's words
            form.addRow(words)
        self.set_outcome(StageOutcome.RESOLVED)

    def set_outcome(self, outcome: StageOutcome) -> None:
        """Ask the note the way this outcome needs it."""
        self.note_label.setText(NOTE_LABELS[outcome])
        self.note.setAccessibleName(html.unescape(NOTE_LABELS[outcome].replace("&", "")))

    def closing(self) -> Closing:
        """Return what the box says."""
        return Closing(
            self.note.toPlainText().strip(),
            self.learning.toPlainText().strip() if self.learning is not None else "",
            tuple(ident for ident, tick in self.refer.items() if tick.isChecked()),
        )
