"""The widgets of a stage record's fields, chosen by the field's kind (never by its name)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from types import MappingProxyType

from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QRadioButton,
    QVBoxLayout,
)

from desktop.procedures.catalogue import Stage
from desktop.procedures.fields import ESCALATE_TO, INCOMPLETE_BECAUSE, Field, Kind
from desktop.ui import form_widgets as fw
from desktop.ui.actions_table import ActionsTable
from desktop.ui.date_field import DateField
from desktop.ui.field_editor import FieldEditor
from desktop.ui.field_editor import container as _container
from desktop.ui.field_editor import mapping as _mapping
from desktop.ui.field_editor import set_when as _set_when
from desktop.ui.parties_editor import PartiesEditor
from desktop.ui.wrapped_tick import WrappedTick

OUTCOME_CHOICES = (
    ("", "Not yet: keep this stage open and save what I have"),
    ("resolved", "Resolved"),
    ("unresolved", "Unresolved: escalate to the next stage"),
    ("withdrawn", "Withdrawn"),
)
OUTCOME_QUESTION = "How does this stage end?"
LAST_STAGE_UNRESOLVED = "Unresolved: this is the last stage; the case closes unresolved"
DISCUSSION_MODES = ("telephone", "meeting", "video call", "email", "professionals meeting")
SHORT_LABEL = 48  # a longer label goes above its passage, which keeps the form's width
SENDING_MODES = ("secure email", "email", "letter", "by hand")


class PassageEditor(FieldEditor):
    """A passage of text."""

    def __init__(self, spec: Field, stage: Stage) -> None:
        super().__init__(spec, stage)
        self.area = fw.area(spec.name, self.label)
        self.widget = self.area
        self.changes = (self.area.textChanged,)

    def add_to(self, form: QFormLayout) -> None:
        """Add the passage beside its label, or under it when the label is long."""
        if len(self.label) <= SHORT_LABEL:
            form.addRow(f"{self.label}:", self.area)
            return
        caption = fw.note(f"{self.label}:")
        caption.setBuddy(self.area)
        form.addRow(caption)
        form.addRow(self.area)

    def values(self) -> dict[str, object]:
        """Return the text."""
        return {self.spec.name: self.area.toPlainText()}

    def _show(self, value: object) -> None:
        self.area.setPlainText(str(value))


class TickEditor(FieldEditor):
    """A yes-or-no tick."""

    def __init__(self, spec: Field, stage: Stage) -> None:
        super().__init__(spec, stage)
        ticked = WrappedTick(self.label, spec.name)  # the procedure's words may be long
        self.tick = ticked.box
        self.widget = ticked
        self.changes = (self.tick.toggled,)

    def values(self) -> dict[str, object]:
        """Return whether it is ticked."""
        return {self.spec.name: self.tick.isChecked()}

    def _show(self, value: object) -> None:
        self.tick.setChecked(bool(value))


class DiscussionEditor(FieldEditor):
    """When and how a discussion happened, who took part, and what was said."""

    def __init__(self, spec: Field, stage: Stage) -> None:
        super().__init__(spec, stage)
        self.widget, rows = _container(spec, self.label)
        self.at = DateField("discussionAt", "When the discussion happened", with_time=True)
        self.mode = fw.combo("discussionMode", "How", [(m, m) for m in DISCUSSION_MODES])
        self.mode.setEditable(True)
        self.people = fw.line("participants", "Who took part (; between names)")
        self.people.setAccessibleDescription("Who took part, their names separated by semicolons")
        self.notes = fw.area("discussionNotes", "What was said")
        self.notes.setAccessibleDescription("What was discussed")
        rows.addRow("&When:", self.at)
        rows.addRow("&How:", self.mode)
        rows.addRow("Who took &part (; between names):", self.people)
        rows.addRow("What was &said:", self.notes)
        self.changes = (
            self.at.changed,
            self.mode.currentTextChanged,
            self.people.textChanged,
            self.notes.textChanged,
        )

    def refused(self) -> list[str]:
        """Say why the time typed is not one."""
        return [] if self.at.check() else [f"When the discussion happened: {self.at.problem()}"]

    def values(self) -> dict[str, object]:
        """Return the discussion as the stage form keeps it."""
        return {
            self.spec.name: {
                "at": self.at.iso(),
                "mode": self.mode.currentText(),
                "participants": self.people.text(),
                "notes": self.notes.toPlainText(),
            }
        }

    def _show(self, value: object) -> None:
        talk = _mapping(value)
        self.mode.setCurrentText(str(talk.get("mode", "")))
        self.people.setText(str(talk.get("participants", "")))
        self.notes.setPlainText(str(talk.get("notes", "")))
        _set_when(self.at, talk.get("at"))


class ActionsEditor(FieldEditor):
    """Agreed actions, each with an owner and a due date."""

    def __init__(self, spec: Field, stage: Stage) -> None:
        super().__init__(spec, stage)
        self.actions = ActionsTable()
        self.actions.setObjectName(spec.name)
        self.actions.setAccessibleName(self.label)
        self.widget = self.actions
        self.changes = (self.actions.table.itemChanged,)

    def values(self) -> dict[str, object]:
        """Return the rows typed."""
        return {self.spec.name: self.actions.rows()}

    def refused(self) -> list[str]:
        """Say which due dates typed are not dates."""
        return self.actions.refused()

    def _show(self, value: object) -> None:
        self.actions.set_rows(value)


class OutcomeEditor(FieldEditor):
    """How the stage ends (or that it stays open), where it escalates to, and any gap's reason."""

    def __init__(self, spec: Field, stage: Stage) -> None:
        super().__init__(spec, stage)
        self.widget, rows = _container(spec, self.label)
        self.group = QButtonGroup(self.widget)
        box = QGroupBox(OUTCOME_QUESTION)  # each choice is announced with the question
        box.setObjectName("outcomeChoices")
        choices = QVBoxLayout(box)
        for value, text in OUTCOME_CHOICES:
            last = value == "unresolved" and not stage.next
            button = QRadioButton(LAST_STAGE_UNRESOLVED if last else text)
            button.setObjectName(f"outcome_{value or 'open'}")
            button.setProperty("value", value)
            self.group.addButton(button)
            choices.addWidget(button)
        self.group.buttons()[0].setChecked(True)
        next_stages = [(s, s) for s in stage.next]
        self.target = fw.combo("escalateTo", "Escalate to stage", next_stages, long_items=True)
        self.target.setEnabled(len(stage.next) > 1)
        if len(stage.next) > 1:  # a real choice: none is made for the user
            self.target.insertItem(0, "Choose where the procedure sends it…", None)
            self.target.setCurrentIndex(0)
        self.incomplete = fw.area("incompleteBecause", "Records incomplete because")
        self.incomplete.setAccessibleDescription("Why a record the procedure requires is missing")
        self.incomplete.setMaximumHeight(90)
        self.incomplete_note = fw.note(
            "If a record the procedure requires is still missing, say why (the stage then "
            "shows as incomplete until it is completed):"
        )
        self._rows = rows
        rows.addRow(box)
        rows.addRow("Escalate &to stage:", self.target)
        rows.addRow(self.incomplete_note)
        rows.addRow("Records &incomplete because:", self.incomplete)
        self.group.buttonToggled.connect(self._show_what_applies)
        self._show_what_applies()
        self.changes = (
            *(button.toggled for button in self.group.buttons()),
            self.target.currentIndexChanged,
            self.incomplete.textChanged,
        )

    def _show_what_applies(self) -> None:
        """Ask where to escalate only when unresolved; why records are missing only at an end."""
        outcome = self.values()[self.spec.name]
        self._rows.setRowVisible(self.target, outcome == "unresolved" and self.target.count() > 0)
        for widget in (self.incomplete_note, self.incomplete):
            self._rows.setRowVisible(widget, bool(outcome))

    def offer(self, options: Sequence[tuple[str, str]]) -> None:
        """Name each next stage in the procedure's words: (stage id, words)."""
        for stage_id, words in options:
            index = self.target.findData(stage_id)
            if index >= 0:
                self.target.setItemText(index, f"{stage_id}: {words.strip().strip(chr(34))}")

    def values(self) -> dict[str, object]:
        """Return the outcome chosen, the stage chosen to escalate to, and any gap's reason."""
        checked = self.group.checkedButton()
        outcome = checked.property("value") if checked is not None else ""
        return {
            self.spec.name: outcome,
            ESCALATE_TO: self.target.currentData(),
            INCOMPLETE_BECAUSE: self.incomplete.toPlainText().strip(),
        }

    def show(self, values: Mapping[str, object]) -> None:
        """Show the outcome, the stage chosen and the reason kept in a draft."""
        super().show(values)
        index = self.target.findData(values.get(ESCALATE_TO))
        if index >= 0:
            self.target.setCurrentIndex(index)
        self.incomplete.setPlainText(str(values.get(INCOMPLETE_BECAUSE) or ""))

    def _show(self, value: object) -> None:
        for button in self.group.buttons():
            button.setChecked(button.property("value") == value)


class ConfirmationEditor(FieldEditor):
    """Whether a confirmation or a request in writing was sent, and when, how and to whom."""

    def __init__(self, spec: Field, stage: Stage) -> None:
        super().__init__(spec, stage)
        self.widget, rows = _container(spec, self.label)
        rows.addRow(fw.note(self.label))
        self.sent = QCheckBox(spec.sent_label or "&Sent")
        self.sent.setObjectName(f"{spec.name}_sent")
        self.at = DateField(f"{spec.name}_at", "When it was sent", with_time=True)
        self.how = fw.combo(f"{spec.name}_how", "Sent by", [(m, m) for m in SENDING_MODES])
        self.how.setEditable(True)
        self.to = fw.line(f"{spec.name}_to", "Sent to (whom)")
        self.to.setAccessibleDescription("To whom it was sent")
        rows.addRow(self.sent)
        rows.addRow("Sent &on:", self.at)
        rows.addRow("Sent b&y:", self.how)
        rows.addRow("Sent to (&whom):", self.to)
        self.changes = (
            self.sent.toggled,
            self.at.changed,
            self.how.currentTextChanged,
            self.to.textChanged,
        )

    def refused(self) -> list[str]:
        """Say why the time typed is not one (read only when it was sent)."""
        if not self.sent.isChecked() or self.at.check():
            return []
        return [f"When it was sent: {self.at.problem()}"]

    def values(self) -> dict[str, object]:
        """Return the confirmation as the stage form keeps it."""
        return {
            self.spec.name: {
                "sent": self.sent.isChecked(),
                "when": self.at.iso(),
                "how": self.how.currentText(),
                "to": self.to.text(),
            }
        }

    def _show(self, value: object) -> None:
        sent = _mapping(value)
        self.sent.setChecked(bool(sent.get("sent")))
        self.how.setCurrentText(str(sent.get("how", "")))
        self.to.setText(str(sent.get("to", "")))
        _set_when(self.at, sent.get("when"))


EDITORS: Mapping[Kind, Callable[[Field, Stage], FieldEditor]] = MappingProxyType(
    {
        Kind.TEXT: PassageEditor,
        Kind.TICK: TickEditor,
        Kind.DISCUSSION: DiscussionEditor,
        Kind.ACTIONS: ActionsEditor,
        Kind.OUTCOME: OutcomeEditor,
        Kind.CONFIRMATION: ConfirmationEditor,
        Kind.PARTIES: PartiesEditor,
    }
)


def editor_for(spec: Field, stage: Stage) -> FieldEditor:
    """Return the widgets that show ``spec`` on the form of ``stage``, chosen by its kind."""
    return EDITORS[spec.kind](spec, stage)
