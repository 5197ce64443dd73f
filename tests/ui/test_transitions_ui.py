"""Escalate, resolve, withdraw and reopen through the case view's dialogs, in the procedure's words.

On the old code "Escalate now" took Cambridgeshire's stage 3 to 4a without
asking, "Mark resolved" asked for nothing, and nothing could be reopened.
"""

from __future__ import annotations

import datetime as dt
from unittest.mock import patch

from PySide6.QtWidgets import QRadioButton
from pytestqt.qtbot import QtBot

from desktop.casework.closing import Closing
from desktop.casework.transitions import check_transition, escalate_case
from desktop.models import StageOutcome
from desktop.procedures.workdays import LONDON
from desktop.ui.case_view import CaseView
from desktop.ui.close_case_dialog import CloseCaseDialog, CloseChoice, ReopenDialog
from desktop.ui.escalate_dialog import EscalateChoice, EscalateDialog
from desktop.ui.services import Services
from desktop.ui.stage_time_dialog import StageTimeDialog
from tests.factories import CaseOverrides, open_case_in

T0 = dt.datetime(2026, 6, 5, 15, 0, tzinfo=LONDON)
REASON = "Fictional: records to follow."
DECIDED: CaseOverrides = {
    "opened_at": T0,
    "decision_challenged": "Fictional: the referral was declined.",
    "decision_date": dt.date(2026, 6, 4),
}


def _view(qtbot: QtBot, services: Services, case_id: int) -> CaseView:
    view = CaseView(services)
    qtbot.addWidget(view)
    view.show()
    view.show_case(case_id)
    return view


def test_the_choice_of_4a_or_4b_is_asked_with_none_chosen(qtbot: QtBot, services: Services) -> None:
    case_id = open_case_in(
        services.vault,
        services.catalogue,
        "UI-CHOICE",
        procedure_id="cambridgeshire-peterborough",
        track_id="resolution",
        **DECIDED,
    )
    for hour in (1, 2):
        escalate_case(
            services.vault, services.catalogue, case_id, T0 + dt.timedelta(hours=hour), None, REASON
        )
    dialog = EscalateDialog(check_transition(services.vault, services.catalogue, case_id))
    qtbot.addWidget(dialog)
    options = dialog.findChildren(QRadioButton)
    assert [b.text() for b in options] == [
        "4a: Stage Four (a): Urgent resolution - Resolution Panel Meeting",
        "4b: Stage Four (b): Non-urgent and / or lessons learned - Quality Effectiveness Group",
    ]
    assert not any(b.isChecked() for b in options)
    dialog.go.click()
    assert "Choose where the procedure sends the case next." in dialog.error.text()
    assert "Say why the records are incomplete" in dialog.error.text()
    options[1].setChecked(True)
    dialog.reason.setPlainText(REASON)
    dialog.go.click()
    assert dialog.result() == 1 and dialog.choice() == EscalateChoice("4b", REASON)
    view = _view(qtbot, services, case_id)
    with patch.object(EscalateDialog, "ask", return_value=dialog.choice()):
        view.escalate_button.click()
    assert view.detail is not None and view.detail.state.current_stage == "4b"
    third = view.timeline.topLevelItem(2)
    assert third is not None
    assert third.text(0) == "3. Stage Three: Discussion between Operational/Senior Managers"
    assert third.text(4) == "unresolved — records incomplete"


def test_withdraw_asks_why_says_what_happens_and_the_case_reopens(
    qtbot: QtBot, services: Services
) -> None:
    case_id = open_case_in(services.vault, services.catalogue, "UI-CLOSE", **DECIDED)
    transition = check_transition(services.vault, services.catalogue, case_id)
    dialog = CloseCaseDialog(transition, StageOutcome.WITHDRAWN)
    qtbot.addWidget(dialog)
    assert (
        "can reopen the case later, as a new entry linked to it"
        in dialog.findChild(object, "closeConsequence").text()
    )  # type: ignore[union-attr]
    assert dialog.go.text() == "&Withdraw the case"
    assert set(dialog.box.refer) == {"policy-gaps", "case-review"}  # offered at the close
    dialog.go.click()
    assert dialog.error.text().startswith("Say why the case is withdrawn")
    dialog.box.note.setPlainText("Fictional: the family moved away.")
    dialog.box.refer["policy-gaps"].setChecked(True)
    dialog.reason.setPlainText(REASON)
    dialog.go.click()
    choice = dialog.choice()
    assert choice == CloseChoice(
        Closing("Fictional: the family moved away.", "", ("policy-gaps",)), REASON
    )
    view = _view(qtbot, services, case_id)
    with patch.object(CloseCaseDialog, "ask", return_value=choice):
        view.withdraw_button.click()
    assert view.detail is not None and view.detail.state.status == "withdrawn"
    assert view.reopen_button.isEnabled() and not view.resolve_button.isEnabled()
    with patch.object(ReopenDialog, "ask", return_value="Fictional: a new concern."):
        view.reopen_button.click()
    assert view.detail.state.status == "open"
    assert view.timeline.topLevelItem(1).text(0).endswith("(reopened)")  # type: ignore[union-attr]


def test_the_line_managers_clock_waits_for_the_report_then_counts_from_it(
    qtbot: QtBot, services: Services
) -> None:
    case_id = open_case_in(services.vault, services.catalogue, "UI-EVENT", **DECIDED)
    view = _view(qtbot, services, case_id)
    assert "starts when: Reported to the line manager / team manager" in view.guidance.toPlainText()
    assert "Date of the decision: 04/06/2026" in view.guidance.toPlainText()
    with patch.object(StageTimeDialog, "ask", return_value=T0 + dt.timedelta(days=3)):
        view.event_button.click()
    assert "due 09 Jun 2026 15:00" in view.guidance.toPlainText()
    assert not view.review_button.isEnabled()  # counted by the calendar: no review time


def test_a_choice_without_the_procedure_s_words_is_not_shown_as_a_quote(
    qtbot: QtBot, services: Services
) -> None:
    """A choice with no branch_guidance (a user file) shows its title, not as a quote."""
    from PySide6.QtWidgets import QLabel

    from desktop.casework.stage_entry import NextOption
    from desktop.casework.transitions import Transition

    stage = services.catalogue.get("cambridgeshire-peterborough").tracks[0].stage("3")
    options = (NextOption("4x", "Route X", "Route X"), NextOption("4y", "Route Y", "Route Y"))
    dialog = EscalateDialog(Transition(1, "UI-OWN", stage, (), options, ()))
    qtbot.addWidget(dialog)
    shown = " ".join(label.text() for label in dialog.findChildren(QLabel))
    assert "What the procedure says" not in shown
