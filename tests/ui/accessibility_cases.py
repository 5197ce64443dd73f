"""The walker's windows about cases: the main window, the forms, and the dialogs that move a case.

Each generator opens its window (through ``Walk.shown``) and yields it once per
state worth checking.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from PySide6.QtWidgets import QRadioButton, QTableWidget, QWidget, QWizard

from desktop.models import StageOutcome
from tests.ui.accessibility_checks import settle
from tests.ui.accessibility_walk import Walk


def main_window(walk: Walk) -> Iterator[QWidget]:
    """The dashboard, an open case with a stage selected, a closed case, and the reports."""
    from desktop.ui.main_window import MainWindow

    window = MainWindow()
    window.show_vault(walk.services)
    yield walk.shown(window)
    window.open_case(walk.case_id)
    settle()
    yield window
    assert window.case_view is not None
    timeline = window.case_view.timeline
    timeline.setCurrentItem(timeline.topLevelItem(0))  # its actions show under the timeline
    settle()
    yield window
    window.open_case(walk.closed_id)
    settle()
    yield window
    window.reports_action.trigger()
    settle()
    yield window


def _last_page(form: QWizard) -> None:
    while form.currentId() != form.pageIds()[-1]:
        form.next()
    settle()


def _choose(form: QWidget, name: str) -> None:
    button = form.findChild(QRadioButton, name)
    assert button is not None, name
    button.setChecked(True)
    settle()


def stage_form(walk: Walk) -> Iterator[QWidget]:
    """Each page of the stage form; its last with the closing group; a choice of stage 4a or 4b."""
    from desktop.ui.stage_form import StageForm

    form = StageForm(walk.services, walk.case_id)
    for table in form.findChildren(QTableWidget):
        table.insertRow(0)  # an agreed action: Tab must still leave the table
    yield walk.shown(form)
    for _ in form.pages[1:]:
        form.next()
        settle()
        yield form
    _choose(form, "outcome_resolved")
    assert form.closing_group.isVisible()
    yield form
    choice = StageForm(walk.services, walk.choice_id)
    yield walk.shown(choice)  # the parties, in the procedure's long words for the roles
    _last_page(choice)
    _choose(choice, "outcome_unresolved")
    yield choice


def new_case_wizard(walk: Walk) -> Iterator[QWidget]:
    """Each page of the new-case wizard, filled in as far as needed to move on, to its review."""
    from desktop.ui.new_case_wizard import NewCaseWizard

    wizard = NewCaseWizard(walk.services)
    yield walk.shown(wizard)
    fills: list[Callable[[], None]] = [
        lambda: wizard.risk.no.setChecked(True),
        lambda: wizard.redirects.confirm.setChecked(True),
        lambda: None,
        lambda: (wizard.child.identifier.setText("C-WALK-9"), wizard.child.initials.setText("Q.")),
        lambda: (
            wizard.parties.decision.setPlainText("Fictional: a referral was declined."),
            wizard.parties.theirs[0].setText("Sam Sample"),
            wizard.parties.theirs[1].setText("Team manager"),
            wizard.parties.theirs[2].setText("Fictional Children's Services"),
        ),
    ]
    for fill in fills:
        fill()
        wizard.next()
        settle()
        yield wizard
    assert wizard.currentPage() is wizard.review, wizard.currentPage().error.text()


def track_page(walk: Walk) -> Iterator[QWidget]:
    """The track page of a procedure with priorities and an area that names its start stages."""
    from desktop.ui.new_case_wizard import NewCaseWizard

    wizard = NewCaseWizard(walk.services)
    procedures = wizard.risk.procedure
    found = [procedures.itemData(i).id for i in range(procedures.count())]
    procedures.setCurrentIndex(found.index("fictionshire"))
    wizard.risk.no.setChecked(True)
    walk.shown(wizard)
    wizard.next()
    wizard.redirects.confirm.setChecked(True)
    wizard.next()
    page = wizard.track
    page.area.setCurrentIndex(page.area.findData("quality"))
    settle()
    assert page.priority.isVisible() and page.entry.isVisible()
    yield wizard


def escalate(walk: Walk) -> Iterator[QWidget]:
    """Escalate with a choice of next stage (4a or 4b), and with records incomplete."""
    from desktop.ui.escalate_dialog import EscalateDialog

    choice = walk.transition(walk.choice_id)
    assert len(choice.next_options) > 1 and choice.missing
    yield walk.shown(EscalateDialog(choice))
    single = walk.transition(walk.fresh_id)
    assert len(single.next_options) == 1 and single.missing
    yield walk.shown(EscalateDialog(single))


def close_case(walk: Walk) -> Iterator[QWidget]:
    """Resolve and withdraw a case whose records are incomplete; reopen a closed one."""
    from desktop.ui.close_case_dialog import CloseCaseDialog, ReopenDialog

    transition = walk.transition(walk.fresh_id)
    for outcome in (StageOutcome.RESOLVED, StageOutcome.WITHDRAWN):
        yield walk.shown(CloseCaseDialog(transition, outcome))
    yield walk.shown(ReopenDialog("WALK-3"))


def stage_records(walk: Walk) -> Iterator[QWidget]:
    """Complete a stage's records later, record a stage's time, and correct a finalised stage."""
    from desktop.ui.complete_records_dialog import CompleteRecordsDialog
    from desktop.ui.correction_dialog import CorrectionDialog
    from desktop.ui.stage_time_dialog import StageTimeDialog

    yield walk.shown(CompleteRecordsDialog(walk.services, walk.record_id))
    explanation = (
        "The procedure gives this stage no number: “as soon as possible”. The app sets no "
        "deadline of its own; choose when you want to review the stage."
    )
    yield walk.shown(StageTimeDialog("Review time", explanation))
    yield walk.shown(CorrectionDialog(walk.services, walk.record_id))
