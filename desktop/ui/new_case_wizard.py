"""Open a case: immediate risk first, then redirects, procedure and track, child, parties."""

from __future__ import annotations

import datetime as dt
import html

from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
    QWizard,
)

from desktop.casework.case_opening import (
    ChildDetails,
    NewCase,
    Party,
    child_problems,
    decision_problems,
    decision_time_problems,
    new_case_defaults,
    open_new_case,
    party_problems,
)
from desktop.errors import KnownError
from desktop.models.cases import PlanStatus
from desktop.procedures.catalogue import Procedure
from desktop.ui import form_widgets as fw
from desktop.ui.new_case_words import risk_html
from desktop.ui.procedure_words import quoted_html
from desktop.ui.services import Services
from desktop.ui.track_page import TrackPage
from desktop.ui.wizard_page import FormPage as _Page

PLAN_LABELS = (
    ("None", PlanStatus.NONE),
    ("Early help", PlanStatus.EARLY_HELP),
    ("Child in need", PlanStatus.CHILD_IN_NEED),
    ("Child protection", PlanStatus.CHILD_PROTECTION),
    ("Looked after", PlanStatus.LOOKED_AFTER),
)


class RiskPage(_Page):
    """The procedure, and whether a child is at immediate risk (with its guidance)."""

    def __init__(self, services: Services, default: str) -> None:
        super().__init__("Immediate risk", "Answer this first: safety comes before recording.")
        procedures = services.catalogue.current()
        self.procedure = fw.combo(
            "procedureChoice",
            "Partnership procedure",
            [(f"{p.partnership} ({p.version})", p) for p in procedures],
        )
        ids = [p.id for p in procedures]
        if default in ids:
            self.procedure.setCurrentIndex(ids.index(default))
        self.yes = QRadioButton("&Yes")
        self.yes.setObjectName("riskYes")
        self.no = QRadioButton("&No")
        self.no.setObjectName("riskNo")
        group = QButtonGroup(self)
        for button in (self.yes, self.no):
            group.addButton(button)
        answers = QWidget()
        row = QVBoxLayout(answers)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.yes)
        row.addWidget(self.no)
        self.guidance = fw.note("", "riskGuidance")
        self.guidance.setVisible(False)
        self.principles = fw.note("", "procedurePrinciples")
        self.form.addRow("&Procedure:", self.procedure)
        self.form.addRow(self.principles)
        self.form.addRow(fw.note("Is a child at risk of immediate or significant harm?"))
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


class RedirectPage(_Page):
    """Situations the procedure sends elsewhere (LADO, complaints, whistleblowing...)."""

    def __init__(self, risk: RiskPage) -> None:
        super().__init__(
            "Is this the right route?",
            "Some concerns belong to another process. Check before you go on.",
        )
        self._risk = risk
        self.listing = fw.note("", "redirectList")
        self.confirm = QCheckBox(
            "This is a disagreement between professionals about a "
            "child's safety, and none of the above applies"
        )
        self.confirm.setObjectName("redirectConfirm")
        self.form.addRow(self.listing)
        self.form.addRow(self.confirm)

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


class ChildPage(_Page):
    """The child, pseudonymised: identifier, initials, date of birth, plan status."""

    def __init__(self) -> None:
        super().__init__(
            "The child", "Use your own pseudonymised identifier; no names or addresses."
        )
        self.identifier = fw.line("childIdentifier", "Child identifier")
        self.initials = fw.line("childInitials", "Child initials")
        self.born = fw.day("childBirth", "Date of birth", dt.date.today() - dt.timedelta(3650))
        self.born_unknown = QCheckBox("Date of birth not known")
        self.born_unknown.setObjectName("birthUnknown")
        self.plan = fw.combo("planStatus", "Plan status", list(PLAN_LABELS))
        self.form.addRow("&Identifier:", self.identifier)
        self.form.addRow("&Initials:", self.initials)
        self.form.addRow("Date of &birth:", self.born)
        self.form.addRow("", self.born_unknown)
        self.form.addRow("&Plan:", self.plan)
        self.born_unknown.toggled.connect(self.born.setDisabled)

    def details(self) -> ChildDetails:
        """Return the child as entered."""
        born = None if self.born_unknown.isChecked() else fw.to_date(self.born)
        return ChildDetails(
            self.identifier.text().strip(),
            self.initials.text().strip(),
            born,
            self.plan.currentData(),
        )

    def problems(self) -> list[str]:
        """Return what is missing or wrong."""
        return child_problems(self.details(), dt.date.today())


class PartiesPage(_Page):
    """The decision or inaction challenged, and the two parties."""

    def __init__(self, me: Party) -> None:
        super().__init__("The decision and the parties")
        self.decision = fw.area("decision", "Decision or inaction challenged")
        self.decision_date = fw.day("decisionDate", "Date of the decision")
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
        self.decision_time = fw.line("decisionTime", "Time of the decision", hint="HH:MM, if known")
        self.form.addRow("&Decision challenged:", self.decision)
        self.form.addRow("Its &date:", self.decision_date)
        self.form.addRow("Its ti&me (HH:MM):", self.decision_time)
        self.form.addRow("&Summary:", self.summary)
        for caption, fields in (("Raised by", self.mine), ("Other party", self.theirs)):
            self.form.addRow(QLabel(f"<b>{caption}</b>"))
            for label, field in zip(("Name:", "Role:", "Agency:"), fields, strict=True):
                self.form.addRow(label, field)

    def party(self, fields: list[QLineEdit]) -> Party:
        """Return a party as entered."""
        name, role, agency = (f.text().strip() for f in fields)
        return Party(name, role, agency)

    def problems(self) -> list[str]:
        """Return what is missing or wrong."""
        return (
            decision_problems(self.decision.toPlainText())
            + decision_time_problems(self.decision_time.text())
            + party_problems(self.party(self.mine), self.party(self.theirs))
        )


class NewCaseWizard(QWizard):
    """The guided new-case form."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("newCaseWizard")
        self.setWindowTitle("New escalation")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.resize(760, 620)
        self._services = services
        self.case_id: int | None = None
        defaults = new_case_defaults(services.vault)
        self.risk = RiskPage(services, defaults.procedure_id)
        self.redirects = RedirectPage(self.risk)
        self.track = TrackPage(self.risk.chosen, self.risk.yes.isChecked, defaults.reference)
        self.child = ChildPage()
        self.parties = PartiesPage(defaults.raised_by)
        for page in (self.risk, self.redirects, self.track, self.child, self.parties):
            self.addPage(page)

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
            decision_date=fw.to_date(self.parties.decision_date),
            decision_time=self.parties.decision_time.text().strip(),
            priority=self.track.priority_value(),
            at_risk=self.risk.yes.isChecked(),
            entry_stage=self.track.entry_value(),
        )

    def accept(self) -> None:
        """Open the case once the last page is complete; on a problem, say it there and stay.

        Finish reaches this override directly: the page is checked here, before
        anything is written, not after (QWizard.accept checks it only then).
        """
        if not self.validateCurrentPage():
            return
        try:
            self.case_id = open_new_case(
                self._services.vault, self._services.catalogue, self.new_case()
            )
        except KnownError as error:
            self.parties.error.setText(error.message)
            return
        super().accept()

    @classmethod
    def ask(cls, parent: QWidget | None, services: Services) -> int | None:
        """Show the wizard; return the new case's id, or None if cancelled."""
        wizard = cls(services, parent)
        wizard.exec()
        return wizard.case_id
