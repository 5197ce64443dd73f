"""The new case's child (a child already recorded is picked, not retyped) and its parties."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QStringListModel
from PySide6.QtWidgets import QLabel, QLineEdit

from desktop.casework.case_opening import (
    ChildDetails,
    Party,
    child_problems,
    decision_problems,
    decision_time_problems,
    party_problems,
)
from desktop.casework.suggestions import (
    KnownChild,
    Suggestions,
    read_children_starting,
    read_known_child,
)
from desktop.models.cases import PlanStatus
from desktop.ui import form_widgets as fw
from desktop.ui.date_field import DateField
from desktop.ui.people_completer import PeopleCompleter, completer
from desktop.ui.services import Services
from desktop.ui.wizard_page import FormPage

PLAN_LABELS = (
    ("None", PlanStatus.NONE),
    ("Early help", PlanStatus.EARLY_HELP),
    ("Child in need", PlanStatus.CHILD_IN_NEED),
    ("Child protection", PlanStatus.CHILD_PROTECTION),
    ("Looked after", PlanStatus.LOOKED_AFTER),
)


def _refused(field: DateField, label: str) -> list[str]:
    """Say under ``field`` why it is not a date, and return it for the page's error line."""
    return [] if field.check() else [f"{label}: {field.problem()}"]


class ChildPage(FormPage):
    """The child, pseudonymised: identifier, initials, date of birth (optional), plan status.

    Typing the identifier of a child already recorded fills in their initials
    and date of birth, which then stay as recorded (a case cannot give a child
    other ones).
    """

    def __init__(self, services: Services) -> None:
        super().__init__(
            "The child",
            "Use your own pseudonymised identifier; no names or addresses. "
            "A child already recorded is offered as you type.",
        )
        self._services = services
        self.known: KnownChild | None = None
        self.identifier = fw.line("childIdentifier", "Child identifier")
        self.offered = QStringListModel(self)  # the recorded identifiers starting as typed
        self.identifier.setCompleter(completer([], self.identifier))
        picker = self.identifier.completer()
        assert picker is not None  # set just above
        picker.setModel(self.offered)
        self.known_note = fw.note("", "knownChild")
        self.known_note.setVisible(False)
        self.initials = fw.line("childInitials", "Child initials")
        self.born = DateField("childBirth", "Date of birth (optional)")
        self.plan = fw.combo("planStatus", "Plan status", list(PLAN_LABELS))
        self.form.addRow("&Identifier:", self.identifier)
        self.form.addRow("", self.known_note)
        self.form.addRow("Ini&tials:", self.initials)
        self.form.addRow("&Date of birth (optional):", self.born)
        self.form.addRow("&Plan:", self.plan)
        self.identifier.textEdited.connect(self._on_identifier_text_edited)
        self.identifier.textChanged.connect(self._on_identifier_text_changed)

    def _on_identifier_text_edited(self, text: str) -> None:
        """Offer the recorded children whose identifier starts as typed (a few, from an index)."""
        found = list(read_children_starting(self._services.vault, text))
        self.offered.setStringList(found)
        picker = self.identifier.completer()
        if found and picker is not None:  # show the list just read, not the one before
            picker.setCompletionPrefix(text)
            picker.complete()

    def _on_identifier_text_changed(self, text: str) -> None:
        typed = text.strip()
        found = read_known_child(self._services.vault, typed) if typed else None
        if found == self.known:
            return
        if found is None:  # no longer a recorded child: what was filled in goes
            self.initials.clear()
            self.born.set_day(None)
        else:
            self.initials.setText(found.initials)
            self.born.set_day(found.date_of_birth)
            self.plan.setCurrentIndex(max(0, self.plan.findData(found.plan_status)))
            cases = f"{found.cases} case{'s' if found.cases != 1 else ''}"
            self.known_note.setText(
                f"Already recorded, with {cases}: the initials and date of birth come "
                "from the child's record."
            )
        self.known = found
        self.known_note.setVisible(found is not None)
        self.initials.setReadOnly(found is not None)
        self.born.edit.setReadOnly(found is not None)
        self.born.pick.setEnabled(found is None)

    def details(self) -> ChildDetails:
        """Return the child as entered."""
        return ChildDetails(
            self.identifier.text().strip(),
            self.initials.text().strip(),
            self.born.day(),
            self.plan.currentData(),
        )

    def problems(self) -> list[str]:
        """Return what is missing or wrong."""
        refused = _refused(self.born, "Date of birth")
        return child_problems(self.details(), dt.date.today()) + refused


class PartiesPage(FormPage):
    """The decision or inaction challenged, and the two parties (people named before offered)."""

    def __init__(self, me: Party, suggestions: Suggestions) -> None:
        super().__init__("The decision and the parties")
        self.decision = fw.area("decision", "Decision or inaction challenged")
        self.decision_date = DateField("decisionDate", "Date of the decision (optional)")
        self.summary = fw.area("summary", "Summary of the concern")
        self.mine = [
            fw.line("raisedName", "Your name", me.name),
            fw.line("raisedRole", "Your role", me.role),
            fw.line("raisedAgency", "Your agency", me.agency),
        ]
        self.theirs = [
            fw.line("otherName", "Other party's name"),
            fw.line("otherRole", "Other party's role"),
            fw.line("otherAgency", "Other party's agency"),
        ]
        self.more_problems: Callable[[], list[str]] = list  # what the chosen track adds
        self.form.addRow("&Decision or inaction challenged:", self.decision)
        self.decision_time = fw.line(
            "decisionTime", "Time of the decision (optional)", hint="HH:MM, if known"
        )
        self.form.addRow("Da&te of the decision (optional):", self.decision_date)
        self.form.addRow("Ti&me of the decision (optional):", self.decision_time)
        self.form.addRow("&Summary:", self.summary)
        for caption, fields in (("Raised by", self.mine), ("Other party", self.theirs)):
            self.form.addRow(QLabel(f"<b>{caption}</b>"))
            for label, field in zip(("Name:", "Role:", "Agency:"), fields, strict=True):
                self.form.addRow(label, field)
            PeopleCompleter(suggestions, *fields)

    def party(self, fields: list[QLineEdit]) -> Party:
        """Return a party as entered."""
        name, role, agency = (f.text().strip() for f in fields)
        return Party(name, role, agency)

    def problems(self) -> list[str]:
        """Return what is missing or wrong."""
        return (
            decision_problems(self.decision.toPlainText())
            + _refused(self.decision_date, "Date of the decision")
            + decision_time_problems(self.decision_time.text())
            + self.more_problems()
            + party_problems(self.party(self.mine), self.party(self.theirs))
        )
