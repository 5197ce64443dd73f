"""The widgets of a stage record's fields, chosen by the field's kind (never by its name)."""

from __future__ import annotations

import abc
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any

from PySide6.QtCore import SignalInstance
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from desktop.procedures import fields
from desktop.procedures.catalogue import Stage
from desktop.procedures.fields import ESCALATE_TO, Field, Kind
from desktop.procedures.workdays import LONDON
from desktop.ui import form_widgets as fw
from desktop.ui.actions_table import ActionsTable
from desktop.ui.date_field import DateField

OUTCOME_CHOICES = (
    ("", "Not yet: keep this stage open and save what I have"),
    ("resolved", "Resolved"),
    ("unresolved", "Unresolved: escalate to the next stage"),
    ("withdrawn", "Withdrawn"),
)
OUTCOME_QUESTION = "How does this stage end?"
LAST_STAGE_UNRESOLVED = "Unresolved: this is the last stage; the case closes unresolved"
DISCUSSION_MODES = ("telephone", "meeting", "video call", "email", "professionals meeting")
SENDING_MODES = ("secure email", "email", "letter", "by hand")


def _mapping(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _set_when(field: DateField, value: object) -> None:
    """Show a stored time (ISO, London time) in a date-and-time field; leave it if not one."""
    instant = fields.instant(value)
    if instant is not None:
        field.set_moment(instant.astimezone(LONDON).replace(tzinfo=None))


def _container(spec: Field) -> tuple[QWidget, QFormLayout]:
    """Return a widget named for ``spec`` (its accessible name the label) and its form."""
    box = QWidget()
    box.setObjectName(spec.name)
    box.setAccessibleName(spec.label)
    rows = QFormLayout(box)
    rows.setContentsMargins(0, 0, 0, 0)
    return box, rows


class FieldEditor(abc.ABC):
    """One field's widgets on a stage-form page: shown, read and set as plain values.

    ``widget`` holds them all; its accessible name is the field's label.
    """

    widget: QWidget

    def __init__(self, spec: Field) -> None:
        self.spec = spec
        self.changes: tuple[SignalInstance, ...] = ()

    def add_to(self, form: QFormLayout) -> None:
        """Add the widget to a page's form."""
        form.addRow(self.widget)

    @abc.abstractmethod
    def values(self) -> dict[str, object]:
        """Return the field's value (an outcome also gives the stage to escalate to)."""

    def refused(self) -> list[str]:
        """Say what typed here cannot be read (a date that is not one), marking it; [] if none."""
        return []

    def show(self, values: Mapping[str, object]) -> None:
        """Show the field's value from a saved draft, if it has one."""
        value = values.get(self.spec.name)
        if value is not None:
            self._show(value)

    @abc.abstractmethod
    def _show(self, value: object) -> None:
        """Show a value the draft holds for this field."""


class PassageEditor(FieldEditor):
    """A passage of text."""

    def __init__(self, spec: Field, _stage: Stage) -> None:
        super().__init__(spec)
        self.area = fw.area(spec.name, spec.label)
        self.widget = self.area
        self.changes = (self.area.textChanged,)

    def add_to(self, form: QFormLayout) -> None:
        """Add the passage under its label."""
        form.addRow(f"{self.spec.label}:", self.area)

    def values(self) -> dict[str, object]:
        """Return the text."""
        return {self.spec.name: self.area.toPlainText()}

    def _show(self, value: object) -> None:
        self.area.setPlainText(str(value))


class TickEditor(FieldEditor):
    """A yes-or-no tick."""

    def __init__(self, spec: Field, _stage: Stage) -> None:
        super().__init__(spec)
        self.tick = QCheckBox(spec.label)
        self.tick.setObjectName(spec.name)
        self.tick.setAccessibleName(spec.label)
        self.widget = self.tick
        self.changes = (self.tick.toggled,)

    def values(self) -> dict[str, object]:
        """Return whether it is ticked."""
        return {self.spec.name: self.tick.isChecked()}

    def _show(self, value: object) -> None:
        self.tick.setChecked(bool(value))


class DiscussionEditor(FieldEditor):
    """When and how a discussion happened, who took part, and what was said."""

    def __init__(self, spec: Field, _stage: Stage) -> None:
        super().__init__(spec)
        self.widget, rows = _container(spec)
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

    def __init__(self, spec: Field, _stage: Stage) -> None:
        super().__init__(spec)
        self.actions = ActionsTable()
        self.actions.setObjectName(spec.name)
        self.actions.setAccessibleName(spec.label)
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
    """How the stage ends (or that it stays open), and where it escalates to."""

    def __init__(self, spec: Field, stage: Stage) -> None:
        super().__init__(spec)
        self.widget, rows = _container(spec)
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
        self.target = fw.combo("escalateTo", "Escalate to", [(s, s) for s in stage.next])
        self.target.setEnabled(len(stage.next) > 1)
        rows.addRow(box)
        rows.addRow("Escalate &to stage:", self.target)
        self.changes = tuple(button.toggled for button in self.group.buttons())

    def values(self) -> dict[str, object]:
        """Return the outcome chosen and the stage chosen to escalate to."""
        checked = self.group.checkedButton()
        outcome = checked.property("value") if checked is not None else ""
        return {self.spec.name: outcome, ESCALATE_TO: self.target.currentData()}

    def _show(self, value: object) -> None:
        for button in self.group.buttons():
            button.setChecked(button.property("value") == value)


class ConfirmationEditor(FieldEditor):
    """Whether written confirmation was sent, and when, how and to whom."""

    def __init__(self, spec: Field, _stage: Stage) -> None:
        super().__init__(spec)
        self.widget, rows = _container(spec)
        self.sent = QCheckBox("Written confirmation was &sent")
        self.sent.setObjectName("confirmationSent")
        self.at = DateField("confirmationAt", "When it was sent", with_time=True)
        self.how = fw.combo("confirmationHow", "Sent by", [(m, m) for m in SENDING_MODES])
        self.how.setEditable(True)
        self.to = fw.line("confirmationTo", "Sent to (whom)")
        self.to.setAccessibleDescription("To whom the written confirmation was sent")
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
        """Say why the time typed is not one (read only when confirmation was sent)."""
        if not self.sent.isChecked() or self.at.check():
            return []
        return [f"When the confirmation was sent: {self.at.problem()}"]

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
    }
)


def editor_for(spec: Field, stage: Stage) -> FieldEditor:
    """Return the widgets that show ``spec`` on the form of ``stage``, chosen by its kind."""
    return EDITORS[spec.kind](spec, stage)
