"""Open a case: immediate risk first, then redirects, procedure and track, child, parties."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from desktop.casework.case_opening import (
    ChildDetails,
    NewCase,
    Party,
    child_problems,
    decision_problems,
    new_case_defaults,
    open_new_case,
    party_problems,
    reference_problems,
)
from desktop.errors import KnownError
from desktop.models.cases import PlanStatus
from desktop.procedures.catalogue import Procedure, Track
from desktop.ui import form_widgets as fw
from desktop.ui.screen_fit import open_fitting, scrolling
from desktop.ui.services import Services

PLAN_LABELS = (
    ("None", PlanStatus.NONE),
    ("Early help", PlanStatus.EARLY_HELP),
    ("Child in need", PlanStatus.CHILD_IN_NEED),
    ("Child protection", PlanStatus.CHILD_PROTECTION),
    ("Looked after", PlanStatus.LOOKED_AFTER),
)
OTHER_AREA = "__other__"


class _Page(QWizardPage):
    """A page with a form, an error line and a validation hook."""

    def __init__(self, title: str, subtitle: str = "") -> None:
        super().__init__()
        self.setTitle(title)
        if subtitle:
            self.setSubTitle(subtitle)
        self.form = QFormLayout()
        self.error = fw.error_label()
        content = QWidget()
        self.box = QVBoxLayout(content)
        self.box.setContentsMargins(0, 0, 0, 0)
        self.box.addLayout(self.form)
        self.box.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scrolling(content), 1)  # Back, Next and Finish stay on a small screen
        layout.addWidget(self.error)

    def problems(self) -> list[str]:
        """Return what is missing on this page, in plain words."""
        return []

    def validatePage(self) -> bool:
        """Say what is missing instead of moving on."""
        found = self.problems()
        self.error.setText(" ".join(found))
        return not found


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
        self.no = QRadioButton("N&o")  # Alt+N is the wizard's Next
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
        self.form.addRow("&Procedure:", self.procedure)
        self.form.addRow(answers)
        self.form.addRow(self.guidance)
        self.yes.toggled.connect(self._on_yes_toggled)
        self.procedure.currentIndexChanged.connect(self._on_yes_toggled)

    def chosen(self) -> Procedure:
        """Return the chosen procedure."""
        procedure: Procedure = self.procedure.currentData()
        return procedure

    def _on_yes_toggled(self) -> None:
        urgent = [r for r in self.chosen().redirects if r.kind == "immediate-risk"]
        text = "\n\n".join(f"{r.title}: {r.route}\n{r.guidance}" for r in urgent) or (
            "Act now under your own agency's safeguarding procedures; "
            "dial 999 if a child is in immediate danger."
        )
        self.guidance.setText("Act first. " + text + "\n\nYou can still record the case now.")
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
        others = [r for r in self._risk.chosen().redirects if r.kind != "immediate-risk"]
        self.listing.setText(
            "\n\n".join(f"• {r.title} → {r.route}" for r in others)
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


class TrackPage(_Page):
    """Track, area of disagreement, urgency and reference."""

    def __init__(self, risk: RiskPage, suggested: str) -> None:
        super().__init__("The disagreement", "Which part of the procedure applies?")
        self._risk = risk
        self.reference = fw.line("reference", "Case reference", suggested)
        self.track = fw.combo("trackChoice", "Track", [])
        self.area = fw.combo("areaChoice", "Area of disagreement", [])
        self.other_area = fw.line("otherArea", "Other area of disagreement")
        self.urgent = QCheckBox("&Urgent: start at the level the procedure allows")
        self.urgent.setObjectName("urgentCheck")
        self.urgent_note = fw.note("", "urgentGuidance")
        self.form.addRow("&Reference:", self.reference)
        self.form.addRow("&Track:", self.track)
        self.form.addRow("&Area:", self.area)
        self.form.addRow("Other area:", self.other_area)
        self.form.addRow(self.urgent)
        self.form.addRow(self.urgent_note)
        self.track.currentIndexChanged.connect(self._on_track_changed)
        self.area.currentIndexChanged.connect(self._on_area_changed)

    def initializePage(self) -> None:
        """Offer the chosen procedure's tracks and areas."""
        procedure = self._risk.chosen()
        self.track.clear()
        for track in procedure.tracks:
            self.track.addItem(track.title, track)
        self.area.clear()
        for item in procedure.areas:
            self.area.addItem(item.title, item.id)
        self.area.addItem("Other (describe)", OTHER_AREA)
        self.urgent.setChecked(self._risk.yes.isChecked())
        self._on_area_changed()

    def chosen_track(self) -> Track:
        """Return the chosen track."""
        track: Track = self.track.currentData()
        return track

    def area_value(self) -> str:
        """Return the area id, or the free text typed for Other."""
        value = self.area.currentData()
        return self.other_area.text().strip() if value == OTHER_AREA else str(value)

    def _on_track_changed(self) -> None:
        track = self.track.currentData()
        if track is None:
            return
        entry = track.urgent_entry
        self.urgent.setEnabled(entry is not None)
        self.urgent_note.setText(
            f"Urgent cases start at stage {entry}. {track.urgent_guidance}"
            if entry
            else "This track has no urgent entry point: an urgent case starts at the first stage "
            "and moves through the stages quickly."
        )

    def _on_area_changed(self) -> None:
        self.other_area.setEnabled(self.area.currentData() == OTHER_AREA)

    def problems(self) -> list[str]:
        """Return what is missing or wrong."""
        return reference_problems(self.reference.text().strip(), self.area_value())


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
        self.form.addRow("Initi&als:", self.initials)
        self.form.addRow("Date of bi&rth:", self.born)  # Alt+B is the wizard's Back
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
        self.form.addRow("&Decision or inaction challenged:", self.decision)
        self.form.addRow("Da&te of the decision:", self.decision_date)
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
        return decision_problems(self.decision.toPlainText()) + party_problems(
            self.party(self.mine), self.party(self.theirs)
        )


class NewCaseWizard(QWizard):
    """The guided new-case form."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("newCaseWizard")
        self.setWindowTitle("New escalation")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        open_fitting(self, 760, 620)
        self._services = services
        self.case_id: int | None = None
        defaults = new_case_defaults(services.vault)
        self.risk = RiskPage(services, defaults.procedure_id)
        self.redirects = RedirectPage(self.risk)
        self.track = TrackPage(self.risk, defaults.reference)
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
