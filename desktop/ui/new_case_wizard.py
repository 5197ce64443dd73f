"""Open a case: immediate risk, redirects, procedure and track, child, parties, then a review."""

from __future__ import annotations

import datetime as dt
import html

from PySide6.QtWidgets import (
    QButtonGroup,
    QGroupBox,
    QRadioButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from desktop.casework.case_opening import (
    NewCase,
    Party,
    decision_date_problems,
    entry_stage,
    new_case_defaults,
    open_new_case,
)
from desktop.casework.suggestions import read_suggestions
from desktop.errors import KnownError
from desktop.procedures.catalogue import Procedure
from desktop.text.dates import day_text
from desktop.ui import form_widgets as fw
from desktop.ui.discard_guard import DiscardGuard
from desktop.ui.new_case_people import PLAN_LABELS, ChildPage, PartiesPage
from desktop.ui.new_case_review import ReviewPage, ReviewSection
from desktop.ui.new_case_words import risk_html
from desktop.ui.procedure_words import quoted_html
from desktop.ui.screen_fit import open_fitting
from desktop.ui.services import Services
from desktop.ui.track_page import TrackPage
from desktop.ui.wizard_page import FormPage, enter_goes_forward, focus_first_input
from desktop.ui.wrapped_tick import WrappedTick


def _party_words(party: Party) -> list[str]:
    return [value for value in (party.name, party.role, party.agency) if value]


class RiskPage(FormPage):
    """The procedure, and whether a child is at immediate risk (with its guidance)."""

    def __init__(self, services: Services, default: str) -> None:
        super().__init__("Immediate risk", "Answer this first: safety comes before recording.")
        procedures = services.catalogue.current()
        self.procedure = fw.combo(
            "procedureChoice",
            "Partnership procedure",
            [(f"{p.partnership} ({p.version})", p) for p in procedures],
            long_items=True,
        )
        ids = [p.id for p in procedures]
        if default in ids:
            self.procedure.setCurrentIndex(ids.index(default))
        self.yes = QRadioButton("&Yes")
        self.yes.setObjectName("riskYes")
        self.no = QRadioButton("N&o")  # Alt+N is Next
        self.no.setObjectName("riskNo")
        group = QButtonGroup(self)
        for button in (self.yes, self.no):
            group.addButton(button)
        # The question is the group's title, so each answer is announced with it.
        answers = QGroupBox("Is a child at risk of immediate or significant harm?")
        answers.setObjectName("riskQuestion")
        row = QVBoxLayout(answers)
        row.addWidget(self.yes)
        row.addWidget(self.no)
        self.guidance = fw.note("", "riskGuidance")
        self.guidance.setVisible(False)
        self.principles = fw.note("", "procedurePrinciples")
        self.form.addRow("&Procedure:", self.procedure)
        self.form.addRow(self.principles)
        self.form.addRow(answers)
        self.form.addRow(self.guidance)
        self.yes.toggled.connect(self._on_yes_toggled)
        self.procedure.currentIndexChanged.connect(self._on_yes_toggled)
        self._on_yes_toggled()

    def chosen(self) -> Procedure:
        """Return the chosen procedure."""
        procedure: Procedure = self.procedure.currentData()
        return procedure

    def _on_yes_toggled(self) -> None:
        self.principles.setText(quoted_html(self.chosen().description))
        self.guidance.setText(risk_html(self.chosen()))
        self.guidance.setVisible(self.yes.isChecked())

    def problems(self) -> list[str]:
        """Return what is missing."""
        if not (self.yes.isChecked() or self.no.isChecked()):
            return ["Answer whether a child is at risk of immediate or significant harm."]
        return []


class RedirectPage(FormPage):
    """Situations the procedure sends elsewhere (LADO, complaints, whistleblowing...)."""

    def __init__(self, risk: RiskPage) -> None:
        super().__init__(
            "Is this the right route?",
            "Some concerns belong to another process. Check before you go on.",
        )
        self._risk = risk
        self.listing = fw.note("", "redirectList")
        confirm = WrappedTick(
            "This is a disagreement between professionals about a child's safety, and none "
            "of the above applies",
            "redirectConfirm",
        )
        self.confirm = confirm.box
        self.form.addRow(self.listing)
        self.form.addRow(confirm)

    def initializePage(self) -> None:
        """Show the chosen procedure's redirects."""
        starting = self._risk.chosen().redirects_at("start")
        others = [r for r in starting if r.kind != "immediate-risk"]
        self.listing.setText(
            "".join(
                f"<p><b>• {html.escape(r.title)}</b></p>{quoted_html(r.guidance, r.advice)}"
                for r in others
            )
            or "This procedure names no other routes."
        )

    def problems(self) -> list[str]:
        """Return what is missing."""
        return (
            []
            if self.confirm.isChecked()
            else [
                "Confirm that this is a professional disagreement, or cancel and use the "
                "route shown."
            ]
        )


class NewCaseWizard(QWizard):
    """The guided new-case form; nothing is written until Finish on its review page.

    Cancel, Escape and closing the window ask before discarding what was typed,
    and never write.
    """

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("newCaseWizard")
        self.setWindowTitle("New escalation")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        open_fitting(self, 760, 620)
        self._services = services
        self.case_id: int | None = None
        defaults = new_case_defaults(services.vault)
        suggestions = read_suggestions(services.vault)
        self.risk = RiskPage(services, defaults.procedure_id)
        self.redirects = RedirectPage(self.risk)
        self.track = TrackPage(self.risk.chosen, self.risk.yes.isChecked, defaults.reference)
        self.child = ChildPage(services)
        self.parties = PartiesPage(defaults.raised_by, suggestions)
        self.parties.more_problems = self._decision_date_problems
        self.review = ReviewPage(self.review_sections)
        self.review.change_requested.connect(self.go_back_to)
        for page in (self.risk, self.redirects, self.track, self.child, self.parties, self.review):
            self.addPage(page)
        enter_goes_forward(self)
        focus_first_input(self)
        self.guard = DiscardGuard(self, "this new case")

    def new_case(self) -> NewCase:
        """Return the case the pages describe."""
        return NewCase(
            reference=self.track.reference.text().strip(),
            procedure_id=self.risk.chosen().id,
            procedure_version=self.risk.chosen().version,
            track_id=self.track.chosen_track().id,
            child=self.child.details(),
            area=self.track.area_value(),
            raised_by=self.parties.party(self.parties.mine),
            other_party=self.parties.party(self.parties.theirs),
            opened_at=dt.datetime.now(dt.UTC),
            urgent=self.track.urgent.isChecked() and self.track.urgent.isEnabled(),
            summary=self.parties.summary.toPlainText().strip(),
            decision_challenged=self.parties.decision.toPlainText().strip(),
            decision_date=self.parties.decision_date.day(),
            decision_time=self.parties.decision_time.text().strip(),
            priority=self.track.priority_value(),
            at_risk=self.risk.yes.isChecked(),
            entry_stage=self.track.entry_value(),
        )

    def _decision_date_problems(self) -> list[str]:
        """Ask for the decision's date where the first stage's clock counts from it."""
        new = self.new_case()
        try:
            entry = entry_stage(self.risk.chosen(), self.track.chosen_track(), new)
        except KnownError:
            return []  # said when the case is opened
        return decision_date_problems(entry, new.decision_date)

    def review_sections(self) -> list[ReviewSection]:
        """Say in plain words what the pages hold, each part with the page that changes it."""
        new = self.new_case()
        return [*self._about_the_case(new), *self._about_the_people(new)]

    def _about_the_case(self, new: NewCase) -> list[ReviewSection]:
        procedure = self.risk.chosen()
        return [
            ReviewSection(
                "Procedure and risk",
                (
                    ("Procedure", f"{procedure.partnership} ({procedure.version})"),
                    ("A child at immediate risk", "Yes" if self.risk.yes.isChecked() else "No"),
                ),
                self.risk,
            ),
            ReviewSection(
                "The disagreement",
                (
                    ("Reference", new.reference),
                    ("Track", self.track.chosen_track().title),
                    ("Area", self.track.area_title()),
                    ("Urgent", "Yes" if new.urgent else "No"),
                    *((("Priority", self.track.priority.currentText()),) if new.priority else ()),
                    *((("Starts at", self.track.entry.currentText()),) if new.entry_stage else ()),
                ),
                self.track,
            ),
        ]

    def _about_the_people(self, new: NewCase) -> list[ReviewSection]:
        child, plans = new.child, {value: label for label, value in PLAN_LABELS}
        born = day_text(child.date_of_birth) if child.date_of_birth else "not given"
        decided = day_text(new.decision_date) if new.decision_date else "not given"
        recorded = " (already recorded)" if self.child.known else ""
        return [
            ReviewSection(
                "The child",
                (
                    ("Identifier", child.identifier + recorded),
                    ("Initials", child.initials),
                    ("Date of birth", born),
                    ("Plan", plans.get(child.plan_status, str(child.plan_status))),
                ),
                self.child,
            ),
            ReviewSection(
                "The decision and the parties",
                (
                    ("Decision challenged", new.decision_challenged),
                    ("Date of the decision", decided),
                    ("Time of the decision", new.decision_time or "not given"),
                    ("Summary", new.summary or "none given"),
                    ("Raised by", ", ".join(_party_words(new.raised_by))),
                    ("Other party", ", ".join(_party_words(new.other_party))),
                ),
                self.parties,
            ),
        ]

    def go_back_to(self, page: QWizardPage) -> None:
        """Go back to ``page`` (from the review page), keeping everything typed."""
        while self.currentPage() is not page and self.currentId() != self.startId():
            self.back()

    def accept(self) -> None:
        """Open the case from the review page; on a problem, say it there and stay.

        Finish reaches this override directly: the page is checked here, before
        anything is written, not after (QWizard.accept checks it only then).
        """
        if self.currentPage() is not self.review or not self.validateCurrentPage():
            return
        try:
            self.case_id = open_new_case(
                self._services.vault, self._services.catalogue, self.new_case()
            )
        except KnownError as error:
            self.review.error.setText(error.message)
            return
        super().accept()

    def reject(self) -> None:
        """Close without writing anything; ask first when something was typed."""
        if self.guard.allows_discard():
            super().reject()

    @classmethod
    def ask(cls, parent: QWidget | None, services: Services) -> int | None:
        """Show the wizard; return the new case's id, or None if cancelled."""
        wizard = cls(services, parent)
        wizard.exec()
        return wizard.case_id
