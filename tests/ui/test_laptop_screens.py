"""What a look at the windows on a school laptop found: text cut off, questions that do not apply.

Each test names what the screenshots at 1366 x 768 and 1280 x 720 showed on the old code.
"""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QLabel,
    QPlainTextEdit,
    QRadioButton,
    QTreeWidgetItem,
)
from pytestqt.qtbot import QtBot

from desktop.casework.transitions import check_transition, escalate_case
from desktop.models import StageOutcome
from desktop.procedures.workdays import LONDON
from desktop.ui.case_view import CaseView
from desktop.ui.close_case_dialog import CloseCaseDialog
from desktop.ui.escalate_dialog import EscalateDialog
from desktop.ui.new_case_wizard import NewCaseWizard
from desktop.ui.services import Services
from desktop.ui.stage_form import StageForm
from tests.factories import open_case_in

T0 = dt.datetime(2026, 6, 5, 15, 0, tzinfo=LONDON)
REASON = "Fictional: the notes of the telephone call are with the team manager, who is away."


def _at_stage_3(services: Services) -> int:
    """A Cambridgeshire & Peterborough case at stage 3; stages 1 and 2 ended incomplete."""
    case_id = open_case_in(
        services.vault,
        services.catalogue,
        "UI-FIT",
        procedure_id="cambridgeshire-peterborough",
        track_id="resolution",
        opened_at=T0,
    )
    for hour in (1, 2):
        at = T0 + dt.timedelta(hours=hour)
        escalate_case(services.vault, services.catalogue, case_id, at, None, REASON)
    return case_id


def _rows(item: QTreeWidgetItem) -> list[QTreeWidgetItem]:
    return [item, *(item.child(i) for i in range(item.childCount()))]


@pytest.mark.parametrize("width", [1000, 640])  # a laptop, and one at 150% with the guide open
def test_the_timeline_wraps_long_stage_titles_and_reasons_instead_of_cutting_them_off(
    qtbot: QtBot, services: Services, width: int
) -> None:
    """Every line of every cell shows, and no word is cut: a column is never narrower than one.

    On the old code each row was one line ("3. Stage Three: Discussion between Operation…"),
    and at 150% the stage column shrank to a word's width beside fixed date columns.
    """
    view = CaseView(services)
    qtbot.addWidget(view)
    view.resize(width, 700)
    view.show()
    view.show_case(_at_stage_3(services))
    tree = view.timeline
    qtbot.waitUntil(lambda: tree.visualItemRect(tree.topLevelItem(0)).height() > 0)
    metrics, cut = tree.fontMetrics(), []
    for top in range(tree.topLevelItemCount()):
        for item in _rows(tree.topLevelItem(top)):
            index = tree.indexFromItem(item, 0)
            for column in range(tree.columnCount()):
                cell, text = tree.visualRect(index.siblingAtColumn(column)), item.text(column)
                wide = metrics.horizontalAdvance(text) > cell.width()
                word = max((metrics.horizontalAdvance(w) for w in text.split()), default=0)
                if (wide and cell.height() < 2 * metrics.height()) or word > cell.width():
                    cut.append(text)
    assert cut == []


def test_the_outcome_page_asks_only_what_the_outcome_chosen_needs(
    qtbot: QtBot, services: Services
) -> None:
    """Ask where to escalate only for Unresolved, and why records are missing only at an end.

    On the old code both showed for every outcome, "Not yet" too.
    """
    form = StageForm(services, _at_stage_3(services))
    qtbot.addWidget(form)
    form.show()
    while form.currentId() != form.pageIds()[-1]:
        form.next()
    target = form.findChild(QComboBox, "escalateTo")
    reason = form.findChild(QPlainTextEdit, "incompleteBecause")
    assert target is not None and reason is not None
    asked = {}
    for outcome in ("open", "resolved", "unresolved", "withdrawn"):
        button = form.findChild(QRadioButton, f"outcome_{outcome}")
        assert button is not None
        button.setChecked(True)
        asked[outcome] = (target.isVisible(), reason.isVisible())
    assert asked == {
        "open": (False, False),
        "resolved": (False, True),
        "unresolved": (True, True),
        "withdrawn": (False, True),
    }


def test_another_area_is_asked_for_only_when_other_is_chosen(
    qtbot: QtBot, services: Services
) -> None:
    """On the old code an empty, greyed "Other area" field showed under every area."""
    wizard = NewCaseWizard(services)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.risk.no.setChecked(True)
    wizard.next()
    wizard.redirects.confirm.setChecked(True)
    wizard.next()
    page = wizard.track
    page.area.setCurrentIndex(0)
    assert not page.other_area.isVisible()
    page.area.setCurrentIndex(page.area.findData("__other__"))
    assert page.other_area.isVisible() and page.other_area.isEnabled()


def test_each_choice_s_words_sit_under_it_and_a_click_on_a_tick_s_words_ticks_it(
    qtbot: QtBot, services: Services
) -> None:
    """The procedure's words for stage 4a and 4b, and for a referral, start under their choice.

    On the old code they started at the box's edge, under the round button, and a
    referral's long words made the close dialog wider than the window.
    """
    transition = check_transition(services.vault, services.catalogue, _at_stage_3(services))
    escalate = EscalateDialog(transition)
    closing = CloseCaseDialog(transition, StageOutcome.RESOLVED)
    for dialog in (escalate, closing):
        qtbot.addWidget(dialog)
        dialog.show()
    button = escalate.findChildren(QRadioButton)[0]
    edge = button.mapTo(escalate, QPoint(button.height() // 2, 0)).x()  # the round button
    said = [w for w in escalate.findChildren(QLabel) if "Urgent resolution required" in w.text()]
    for words in said:
        assert words.mapTo(escalate, QPoint(words.contentsMargins().left(), 0)).x() > edge
    assert len(said) == 1
    tick = closing.box.refer["lessons-learned"]  # "Learning points for interagency consid…"
    words = closing.findChild(QLabel, "refer_lessons-learnedWords")
    assert words is not None and words.wordWrap()
    assert closing.minimumSizeHint().width() < 640  # the width the dialog opens at
    qtbot.mouseClick(words, Qt.MouseButton.LeftButton)
    assert tick.isChecked()


def test_the_risk_question_is_asked_once(qtbot: QtBot, services: Services) -> None:
    """On the old code it showed twice: as a line of text, then as the answers' title."""
    wizard = NewCaseWizard(services)
    qtbot.addWidget(wizard)
    wizard.show()
    question = "Is a child at risk of immediate or significant harm?"
    shown = [label for label in wizard.risk.findChildren(QLabel) if label.text() == question]
    titles = [box for box in wizard.risk.findChildren(QGroupBox) if box.title() == question]
    assert len(shown) + len(titles) == 1


def test_the_dashboard_gives_its_spare_width_to_the_stage_not_the_status(
    qtbot: QtBot, services: Services
) -> None:
    """At 1366 x 768 the stage was cut ("Level 1: Practitioners...") beside an empty Status."""
    from desktop.ui.dashboard import Dashboard

    open_case_in(services.vault, services.catalogue, "UI-DASH", opened_at=T0)
    board = Dashboard(services)
    qtbot.addWidget(board)
    board.resize(1346, 600)  # the window on a 1366 x 768 screen
    board.show()
    qtbot.waitUntil(lambda: board.model.rowCount() == 1)
    table, stage, status = board.table, 3, 5
    title = str(board.model.index(0, stage).data())
    assert title.startswith("Level 1: Practitioners, then line managers")
    assert table.columnWidth(stage) >= table.fontMetrics().horizontalAdvance(title)
    assert table.columnWidth(status) < table.columnWidth(stage)
    board.resize(1160, 560)  # on a 1280 x 720 screen the stage still takes what is spare
    qtbot.waitUntil(lambda: table.columnWidth(stage) < table.fontMetrics().horizontalAdvance(title))
    assert table.columnWidth(status) < table.columnWidth(stage)


def test_choosing_an_outcome_that_closes_the_case_brings_its_questions_into_view(
    qtbot: QtBot, services: Services
) -> None:
    """On the old code the closing questions appeared below the fold, out of sight."""
    form = StageForm(services, _at_stage_3(services))
    qtbot.addWidget(form)
    form.resize(820, 560)
    form.show()
    while form.currentId() != form.pageIds()[-1]:
        form.next()
    scroll = form.pages[-1].scroll_area
    assert scroll.verticalScrollBar().value() == 0
    resolved = form.findChild(QRadioButton, "outcome_resolved")
    assert resolved is not None
    resolved.setChecked(True)
    group = form.closing_group
    qtbot.waitUntil(lambda: scroll.verticalScrollBar().value() > 0)
    top = group.mapTo(scroll.viewport(), QPoint(0, 0)).y()
    assert 0 <= top < scroll.viewport().height()
