"""Escalate a case: the next stage in the procedure's words (never chosen silently), and any gap.

Where the procedure offers more than one next stage, each is shown with the
procedure's own words and none is chosen for the user. Where a record the
stage requires is still missing, the dialog names it and asks why it is
incomplete: urgent safeguarding never waits for paperwork.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QRadioButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from desktop.casework.stage_entry import NextOption
from desktop.casework.transitions import Transition
from desktop.ui import form_widgets as fw
from desktop.ui.procedure_words import quoted_html
from desktop.ui.screen_fit import open_whole, scrolling

INCOMPLETE_NAME = "Records incomplete because"
INCOMPLETE_LABEL = "Records &incomplete because:"


@dataclass(frozen=True)
class EscalateChoice:
    """Where to escalate to, and why any required record is incomplete."""

    to_stage: str | None
    incomplete_because: str | None


def reason_problems(transition: Transition, reason: str) -> list[str]:
    """Ask for the reason when the stage ends with required records missing."""
    if transition.missing and not reason.strip():
        return ["Say why the records are incomplete, or record them first."]
    return []


def missing_html(missing: tuple[str, ...]) -> str:
    """Say which required records are still missing, as a list."""
    items = "".join(f"<li>{html.escape(m)}</li>" for m in missing)
    return (
        f"<p><b>Still to record at this stage:</b></p><ul>{items}</ul><p>Urgent safeguarding "
        "never waits for paperwork: you can go on now and complete them later, saying why "
        "they are incomplete.</p>"
    )


def _indent(button: QRadioButton) -> int:
    """Return where a choice's words start, to set what belongs to it under them."""
    style = button.style()
    return style.pixelMetric(QStyle.PixelMetric.PM_ExclusiveIndicatorWidth) + style.pixelMetric(
        QStyle.PixelMetric.PM_RadioButtonLabelSpacing
    )


class EscalateDialog(QDialog):
    """Ask where to escalate (where there is a choice) and why any records are incomplete."""

    def __init__(self, transition: Transition, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("escalateDialog")
        self.setWindowTitle(f"Escalate {transition.reference}")
        self._transition = transition
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(
            fw.note(
                f"“{transition.stage.title}” ends unresolved and is kept as it is; the case "
                "moves on to the next stage.",
                "escalateIntro",
            )
        )
        self.choices = QButtonGroup(self)
        self._offer(layout, transition.next_options)
        self.reason = fw.area("incompleteBecause", INCOMPLETE_NAME)
        if transition.missing:
            layout.addWidget(fw.note(missing_html(transition.missing), "missingRecords"))
            form = QFormLayout()
            form.addRow(INCOMPLETE_LABEL, self.reason)
            layout.addLayout(form)
        layout.addStretch(1)
        self.error = fw.error_label()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.go = buttons.addButton("&Escalate", QDialogButtonBox.ButtonRole.AcceptRole)
        self.go.setObjectName("escalateConfirm")
        buttons.accepted.connect(self._on_buttons_accepted)
        buttons.rejected.connect(self.reject)
        outer = QVBoxLayout(self)
        scroll = scrolling(body)  # with a large font on a small screen the words scroll
        outer.addWidget(scroll, 1)
        outer.addWidget(self.error)
        outer.addWidget(buttons)
        open_whole(self, scroll)

    def _offer(self, layout: QVBoxLayout, options: tuple[NextOption, ...]) -> None:
        """Show the next stage; where there is a choice, each with the procedure's words."""
        if len(options) == 1:
            layout.addWidget(fw.note(f"Next: {options[0].stage_id}. {options[0].title}"))
        if len(options) < 2:
            return
        box = QGroupBox("Where the procedure sends it next (choose one)")
        rows = QVBoxLayout(box)
        rows.setSpacing(2)
        for option in options:
            button = QRadioButton(f"{option.stage_id}: {option.title}")
            button.setObjectName(f"escalateTo_{option.stage_id}")
            button.setProperty("stage", option.stage_id)
            self.choices.addButton(button)
            rows.addWidget(button)
            if option.words == option.title:  # no heading of the procedure's: nothing quoted
                continue
            under = QVBoxLayout()  # the procedure's words, under their choice
            under.setContentsMargins(_indent(button), 0, 0, 8)
            under.addWidget(fw.note(quoted_html(option.words)))
            rows.addLayout(under)
        layout.addWidget(box)

    def choice(self) -> EscalateChoice:
        """Return what the dialog holds."""
        checked = self.choices.checkedButton()
        single = self._transition.next_options
        to = (
            checked.property("stage")
            if checked
            else (single[0].stage_id if len(single) == 1 else None)
        )
        reason = self.reason.toPlainText().strip()
        return EscalateChoice(to, reason if self._transition.missing else None)

    def problems(self) -> list[str]:
        """Say what the dialog still needs."""
        found = []
        if len(self._transition.next_options) > 1 and self.choices.checkedButton() is None:
            found.append("Choose where the procedure sends the case next.")
        return found + reason_problems(self._transition, self.reason.toPlainText())

    def _on_buttons_accepted(self) -> None:
        found = self.problems()
        self.error.setText(" ".join(found))
        if not found:
            self.accept()

    @classmethod
    def ask(cls, parent: QWidget | None, transition: Transition) -> EscalateChoice | None:
        """Show the dialog; return the choice, or None if cancelled."""
        dialog = cls(transition, parent)
        return dialog.choice() if dialog.exec() == QDialog.DialogCode.Accepted else None
