"""The stage form through its widgets: a draft is kept on closing, and the stage is finalised."""

from __future__ import annotations

import datetime as dt
import re
from typing import TypeVar

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QCheckBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QTableWidget,
    QWidget,
    QWizard,
)
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from desktop.casework.workflow import effective_stages
from desktop.models import AuditEvent, Case, StageOutcome
from desktop.procedures import fields
from desktop.procedures.workdays import LONDON
from desktop.ui.services import Services
from desktop.ui.stage_form import StageForm
from tests.factories import open_case_in

W = TypeVar("W", bound=QObject)
OPENED = dt.datetime(2026, 11, 16, 10, 0, tzinfo=LONDON)


def _form(qtbot: QtBot, services: Services, case_id: int) -> StageForm:
    form = StageForm(services, case_id)
    qtbot.addWidget(form)
    form.show()
    return form


def _child(form: StageForm, kind: type[W], name: str) -> W:
    found = form.findChild(kind, name)
    assert found is not None, name
    return found


def _actions(services: Services) -> list[str]:
    with services.vault.sessions() as session:
        return list(session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def test_the_form_keeps_a_draft_then_finalises_through_its_widgets(
    qtbot: QtBot, services: Services
) -> None:
    case_id = open_case_in(services.vault, services.catalogue, "UI-FORM", opened_at=OPENED)
    form = _form(qtbot, services, case_id)
    qtbot.keyClicks(_child(form, QPlainTextEdit, "discussionNotes"), "Fictional: typed first.")
    with qtbot.waitSignal(form.draft_saved):
        form.button(QWizard.WizardButton.CancelButton).click()
    assert _actions(services)[-1] == "stage.draft_saved"

    again = _form(qtbot, services, case_id)
    notes = _child(again, QPlainTextEdit, "discussionNotes")
    assert notes.toPlainText() == "Fictional: typed first."
    qtbot.keyClicks(_child(again, QLineEdit, "discussionAt"), "20/11/2026 10:30")
    qtbot.keyClicks(_child(again, QLineEdit, "participants"), "Alex Example; Sam Sample")
    for name in fields.names(fields.Kind.TEXT) & set(again.stage.record):
        qtbot.keyClicks(_child(again, QPlainTextEdit, name), f"Fictional {name}.")
    qtbot.mouseClick(_child(again, QPushButton, "addAction"), Qt.MouseButton.LeftButton)
    table = _child(again, QTableWidget, "actionsTable")
    for column, text in enumerate(("Send chronology", "Alex Example", "27/11/2026")):
        item = table.item(0, column)
        assert item is not None
        item.setText(text)
    _child(again, QCheckBox, "recorded_on_files").setChecked(True)
    _child(again, QRadioButton, "outcome_resolved").setChecked(True)
    while again.currentId() != again.pageIds()[-1]:
        again.next()
    with qtbot.waitSignal(again.stage_saved):
        again.button(QWizard.WizardButton.FinishButton).click()

    with services.vault.sessions() as session:
        case = session.get(Case, case_id)
        assert case is not None and case.closed_at is not None
        [record] = effective_stages(case)
        assert record.outcome is StageOutcome.RESOLVED and record.draft_json is None
        assert record.discussions[0].notes == "Fictional: typed first."
        assert record.actions[0].owner == "Alex Example"
    assert {"stage.changed", "stage.finalised", "case.resolved"} <= set(_actions(services))


def _focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


def _alt_keys(window: QWidget) -> list[str]:
    """The Alt keys of the visible labels and buttons (an HTML entity such as &quot; is none)."""
    texts = [
        re.sub(r"&(#?\w+;|&)", "", w.text())
        for w in window.findChildren(QWidget)
        if isinstance(w, QLabel | QAbstractButton) and w.isVisible()
    ]
    return [t[t.index("&") + 1].lower() for t in texts if "&" in t]


def test_a_whole_stage_is_recorded_by_keyboard_alone(qtbot: QtBot, services: Services) -> None:
    case_id = open_case_in(services.vault, services.catalogue, "UI-FORM", opened_at=OPENED)
    form = _form(qtbot, services, case_id)
    form.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)

    def type_then(text: str, key: Qt.Key = Qt.Key.Key_Tab) -> None:
        qtbot.keyClicks(_focused(), text)
        qtbot.keyClick(_focused(), key)

    def next_page() -> None:
        keys = _alt_keys(form)
        assert len(keys) == len(set(keys)), f"duplicate Alt keys: {sorted(keys)}"
        qtbot.keyClick(_focused(), Qt.Key.Key_Return)

    assert _focused().objectName() == "raising_name"  # who takes part: filled in from the case
    next_page()
    assert _focused().objectName() == "discussionAt"
    type_then("20/11/2026 10:30")  # one Tab leaves the date and time
    assert _focused().objectName() == "discussionMode"
    qtbot.keyClick(_focused(), Qt.Key.Key_Tab)
    type_then("Alex Example; Sam Sample")
    type_then("Fictional: we spoke about the referral.")
    next_page()
    while isinstance(_focused(), QPlainTextEdit):  # the concern, then each side's view
        type_then(f"Fictional {_focused().objectName()}.")
        if not isinstance(_focused(), QPlainTextEdit):
            next_page()
    assert form.currentPage().title() == "Agreed actions"
    while _focused().objectName() != "addAction":
        qtbot.keyClick(_focused(), Qt.Key.Key_Tab)
    qtbot.keyClick(_focused(), Qt.Key.Key_Space)  # the cursor goes into the new row
    type_then("Send the chronology")
    type_then("Alex Example")
    type_then("2/12/26", Qt.Key.Key_Return)  # refused at once, kept as typed
    table = _child(form, QTableWidget, "actionsTable")
    problem = _child(form, QLabel, "actionsProblem")
    qtbot.waitUntil(lambda: "Write the year with all four digits" in problem.text())
    next_page()
    assert form.currentPage().title() == "Agreed actions"  # not until the date is a date
    table.setCurrentCell(0, 2)
    qtbot.keyClick(table, Qt.Key.Key_F2)
    qtbot.keyClick(_focused(), Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    type_then("27/11/2026", Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: problem.text() == "")
    next_page()
    assert _focused().objectName() == "outcome_open"
    qtbot.keyClick(_focused(), Qt.Key.Key_Down)  # Resolved
    while _focused().objectName() != "recorded_on_files":
        qtbot.keyClick(_focused(), Qt.Key.Key_Tab)
    qtbot.keyClick(_focused(), Qt.Key.Key_Space)
    with qtbot.waitSignal(form.stage_saved):
        next_page()  # Enter on the last page is Finish
    with services.vault.sessions() as session:
        case = session.get(Case, case_id)
        assert case is not None and case.closed_at is not None
        [record] = effective_stages(case)
        assert record.discussions[0].at == dt.datetime(2026, 11, 20, 10, 30, tzinfo=LONDON)
        assert record.actions[0].due_at == dt.datetime(2026, 11, 27, 17, 0, tzinfo=LONDON)
        assert record.actions[0].action == "Send the chronology"


def test_closing_a_filled_form_keeps_its_draft_without_asking(
    qtbot: QtBot, services: Services
) -> None:
    case_id = open_case_in(services.vault, services.catalogue, "UI-FORM", opened_at=OPENED)
    form = _form(qtbot, services, case_id)
    qtbot.keyClicks(_child(form, QPlainTextEdit, "discussionNotes"), "Fictional: kept.")
    qtbot.keyClick(form, Qt.Key.Key_Escape)
    assert not form.isVisible() and form.draft_kept
    assert _actions(services)[-1] == "stage.draft_saved"
