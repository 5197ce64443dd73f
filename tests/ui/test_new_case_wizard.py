"""The new-case wizard: by keyboard alone, a review before Finish, and Cancel that never writes."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QWidget, QWizard
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from desktop.casework.case_opening import ChildDetails, Party
from desktop.models import Case, Child, StageRecord
from desktop.models.cases import PlanStatus
from desktop.ui.new_case_wizard import NewCaseWizard
from desktop.ui.services import Services
from tests.factories import open_case_in
from tests.ui.questions import answering


def _wizard(qtbot: QtBot, services: Services) -> NewCaseWizard:
    wizard = NewCaseWizard(services)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.activateWindow()
    qtbot.waitUntil(  # the cursor goes to the first page's first control once it has opened
        lambda: wizard.currentPage().isAncestorOf(QApplication.focusWidget())
    )
    return wizard


def _focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


def _type(qtbot: QtBot, text: str, then: Qt.Key = Qt.Key.Key_Tab) -> None:
    """Type into the focused input, then press ``then`` (Tab by default)."""
    qtbot.keyClicks(_focused(), text)
    qtbot.keyClick(_focused(), then)


def _cases(services: Services) -> int:
    with services.vault.sessions() as session:
        return session.scalar(select(func.count()).select_from(Case)) or 0


def _alt_keys(window: QWidget) -> list[str]:
    """The Alt keys shown on the visible labels and buttons of ``window``."""
    texts = [
        w.text()
        for w in window.findChildren(QWidget)
        if isinstance(w, QLabel | QPushButton) and w.isVisible() and "&" in w.text()
    ]
    return [t[t.index("&") + 1].lower() for t in texts if not t.startswith("<b>")]


def test_a_case_is_opened_by_keyboard_alone_after_a_review(
    qtbot: QtBot, services: Services
) -> None:
    wizard = _wizard(qtbot, services)
    pages = []

    def enter() -> None:
        keys = _alt_keys(wizard)
        assert len(keys) == len(set(keys)), f"duplicate Alt keys: {sorted(keys)}"
        pages.append(wizard.currentPage().title())
        qtbot.keyClick(_focused(), Qt.Key.Key_Return)

    assert _focused().objectName() == "procedureChoice"
    qtbot.keyClick(_focused(), Qt.Key.Key_Tab)
    qtbot.keyClick(_focused(), Qt.Key.Key_Down)  # from Yes to No
    qtbot.keyClick(_focused(), Qt.Key.Key_Space)
    assert wizard.risk.no.isChecked()
    enter()
    assert _focused() is wizard.redirects.confirm
    qtbot.keyClick(_focused(), Qt.Key.Key_Space)
    enter()
    assert _focused() is wizard.track.reference and wizard.track.reference.text() == "ESC-0001"
    enter()
    _type(qtbot, "C-KEYS-1")
    _type(qtbot, "K.B.")
    _type(qtbot, "14/03/2019")  # typed after tabbing in: read as typed, nothing else
    assert wizard.child.born.text() == "14/03/2019" and wizard.child.born.problem() == ""
    enter()
    _type(qtbot, "Fictional: the referral was closed without a visit.")
    _type(qtbot, "02/12/2026")
    _type(qtbot, "16:00")
    _type(qtbot, "Fictional summary.")
    for _mine in range(3):  # the profile fills in who raises it
        qtbot.keyClick(_focused(), Qt.Key.Key_Tab)
    _type(qtbot, "Sam Sample")
    _type(qtbot, "Team manager")
    _type(qtbot, "Fictional Children's Services", then=Qt.Key.Key_Return)
    assert wizard.currentPage() is wizard.review
    shown = " ".join(label.text() for label in wizard.review.findChildren(QLabel))
    for words in ("ESC-0001", "C-KEYS-1", "14/03/2019", "02/12/2026", "16:00", "Sam Sample", "No"):
        assert words in shown
    assert _cases(services) == 0  # nothing is written before Finish
    enter()
    assert wizard.result() == QWizard.DialogCode.Accepted and wizard.case_id is not None
    assert pages[0] == "Immediate risk" and pages[-1] == "Check and open the case"
    with services.vault.sessions() as session:
        case = session.get(Case, wizard.case_id)
        assert case is not None and case.decision_date == dt.date(2026, 12, 2)
        assert case.child.date_of_birth == dt.date(2019, 3, 14)
        assert case.other_party_agency == "Fictional Children's Services"


def test_enter_never_presses_back_or_cancel(qtbot: QtBot, services: Services) -> None:
    wizard = _wizard(qtbot, services)
    wizard.risk.no.setChecked(True)
    wizard.next()
    for which in (QWizard.WizardButton.BackButton, QWizard.WizardButton.CancelButton):
        button = wizard.button(which)
        button.setFocus()
        qtbot.keyClick(button, Qt.Key.Key_Return)
        assert wizard.isVisible() and wizard.currentPage() is wizard.redirects
        assert "Confirm" in wizard.redirects.error.text()  # Enter asked for Next instead


def test_the_review_page_goes_back_to_a_part_and_keeps_what_was_typed(
    qtbot: QtBot, services: Services
) -> None:
    wizard = _wizard(qtbot, services)
    _fill(qtbot, wizard)
    assert wizard.currentPage() is wizard.review
    [_risk, _track, child, _parties] = wizard.review.change_buttons
    child.click()
    assert wizard.currentPage() is wizard.child
    assert wizard.child.identifier.text() == "C-REVIEW"
    wizard.child.initials.setText("Q.Q.")
    wizard.next()
    wizard.next()
    assert any(label.text() == "Q.Q." for label in wizard.review.findChildren(QLabel))
    wizard.button(QWizard.WizardButton.FinishButton).click()
    assert wizard.case_id is not None


def _fill(qtbot: QtBot, wizard: NewCaseWizard, other: str = "Sam Sample") -> None:
    wizard.risk.no.setChecked(True)
    wizard.next()
    wizard.redirects.confirm.setChecked(True)
    wizard.next()
    wizard.track.reference.setText("UI-REVIEW")
    wizard.next()
    qtbot.keyClicks(wizard.child.identifier, "C-REVIEW")
    qtbot.keyClicks(wizard.child.initials, "Z.Q.")
    wizard.next()
    qtbot.keyClicks(wizard.parties.decision, "Fictional: the referral was declined.")
    for field, text in zip(wizard.parties.theirs, (other, "Manager", "Fictional LA"), strict=True):
        qtbot.keyClicks(field, text)
    wizard.next()


def test_cancel_after_a_refused_page_asks_then_writes_nothing(
    qtbot: QtBot, services: Services
) -> None:
    wizard = _wizard(qtbot, services)
    _fill(qtbot, wizard, other="")
    assert wizard.currentPage() is wizard.parties  # the other party's name is missing
    assert "other party" in wizard.parties.error.text()
    with answering("&Keep editing") as asked:
        qtbot.keyClick(wizard, Qt.Key.Key_Escape)
    assert asked == ["Discard this new case?"]
    assert wizard.isVisible() and wizard.child.identifier.text() == "C-REVIEW"
    with answering("&Discard"):
        wizard.button(QWizard.WizardButton.CancelButton).click()
    assert not wizard.isVisible() and wizard.case_id is None
    with services.vault.sessions() as session:
        assert _cases(services) == 0
        assert session.scalar(select(func.count()).select_from(StageRecord)) == 0


def test_an_untouched_wizard_closes_without_a_question(qtbot: QtBot, services: Services) -> None:
    wizard = _wizard(qtbot, services)
    qtbot.keyClick(wizard, Qt.Key.Key_Escape)
    assert not wizard.isVisible()


def test_a_date_of_birth_starts_empty_and_a_wrong_one_is_refused_at_once(
    qtbot: QtBot, services: Services
) -> None:
    wizard = _wizard(qtbot, services)
    _fill(qtbot, wizard)
    wizard.review.change_buttons[2].click()
    born = wizard.child.born
    assert born.text() == ""  # nothing pre-filled; it is optional
    born.setFocus()
    qtbot.keyClicks(born.edit, "31/02/2019")
    qtbot.keyClick(born.edit, Qt.Key.Key_Tab)  # leaving the field says so at once
    assert born.message.isVisible() and "February 2019 has 28 days" in born.message.text()
    assert born.text() == "31/02/2019"  # kept as typed, never made into another date
    wizard.next()
    assert wizard.currentPage() is wizard.child
    assert "Date of birth: 31/02/2019 is not a date" in wizard.child.error.text()


@pytest.mark.qt_log_ignore(  # what the offscreen platform says of the list offered
    "This plugin does not support grabbing the keyboard", "This plugin does not support raise"
)
def test_a_child_already_recorded_is_picked_by_identifier(qtbot: QtBot, services: Services) -> None:
    open_case_in(
        services.vault,
        services.catalogue,
        "UI-FIRST",
        child=ChildDetails("C-AGAIN", "A.G.", dt.date(2016, 5, 4), PlanStatus.CHILD_IN_NEED),
        other_party=Party("Robin Example", "Social worker", "Fictional Children's Services"),
    )
    wizard = _wizard(qtbot, services)
    child = wizard.child
    qtbot.keyClicks(child.identifier, "c-ag")
    assert child.offered.stringList() == ["C-AGAIN"]  # offered as it is typed
    child.identifier.setText("C-AGAIN")  # as picked from the list offered
    assert child.initials.text() == "A.G." and child.initials.isReadOnly()
    assert child.born.text() == "04/05/2016"
    assert child.plan.currentData() == PlanStatus.CHILD_IN_NEED
    assert "Already recorded, with 1 case" in child.known_note.text()
    child.identifier.setText("C-AGAIN-2")  # another identifier: the fields are freed
    assert child.initials.text() == "" and not child.initials.isReadOnly()
    completer = wizard.parties.theirs[0].completer()
    assert completer is not None
    completer.setCompletionPrefix("robin")
    assert completer.currentCompletion() == "Robin Example"
    completer.activated.emit("Robin Example")
    assert [f.text() for f in wizard.parties.theirs[1:]] == [
        "Social worker",
        "Fictional Children's Services",
    ]
    with services.vault.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Child)) == 1


def test_a_track_counted_from_the_decision_asks_for_its_date_on_the_parties_page(
    qtbot: QtBot, services: Services
) -> None:
    wizard = _wizard(qtbot, services)
    procedures = wizard.risk.procedure
    procedures.setCurrentIndex(
        next(
            i
            for i in range(procedures.count())
            if procedures.itemData(i).id == "north-lincolnshire"
            and procedures.itemData(i).version == "2023"
        )
    )
    wizard.risk.no.setChecked(True)
    wizard.next()
    wizard.redirects.confirm.setChecked(True)
    wizard.next()
    tracks = wizard.track.track
    tracks.setCurrentIndex(
        next(
            i
            for i in range(tracks.count())
            if tracks.itemData(i).id == "conference-equally-divided"
        )
    )
    wizard.track.reference.setText("UI-ADJOURNED")
    wizard.next()
    qtbot.keyClicks(wizard.child.identifier, "C-ADJOURNED")
    qtbot.keyClicks(wizard.child.initials, "Z.A.")
    wizard.next()
    qtbot.keyClicks(wizard.parties.decision, "Fictional: the conference was equally divided.")
    for field, text in zip(
        wizard.parties.theirs, ("Sam Sample", "Chair", "Fictional LA"), strict=True
    ):
        qtbot.keyClicks(field, text)
    wizard.next()
    assert wizard.currentPage() is wizard.parties  # not on without the conference's date
    assert "date of the decision challenged" in wizard.parties.error.text()
    qtbot.keyClicks(wizard.parties.decision_date.edit, "01/06/2026")
    wizard.next()
    assert wizard.currentPage() is wizard.review
