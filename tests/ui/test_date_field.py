"""A date field keeps what is typed, refuses a wrong date at once under it, and is one Tab stop."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFormLayout, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from desktop.ui.date_field import CalendarPopup, DateField
from desktop.ui.reports_view import ReportsView
from desktop.ui.services import Services

POPUP_NOTICES = (  # what the offscreen platform says of any popup
    "This plugin does not support grabbing the keyboard",
    "This plugin does not support raise",
)


PAGES: list[QWidget] = []  # held for the test's length (qtbot holds weak references)


def _form(qtbot: QtBot, with_time: bool = False) -> tuple[DateField, QLineEdit]:
    page = QWidget()
    PAGES[:] = [page]
    qtbot.addWidget(page)
    rows = QFormLayout(page)
    field = DateField("when", "When", with_time=with_time)
    after = QLineEdit()
    after.setObjectName("after")
    rows.addRow("&When:", field)
    rows.addRow("After:", after)
    page.show()
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)
    return field, after


def test_a_date_typed_after_tabbing_in_is_the_date_typed(qtbot: QtBot) -> None:
    field, after = _form(qtbot)
    after.setFocus()
    qtbot.keyClick(after, Qt.Key.Key_Backtab)
    assert QApplication.focusWidget() is field.edit
    qtbot.keyClicks(field.edit, "14/03/2019")
    qtbot.keyClick(field.edit, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is after  # one Tab: the calendar button is not a stop
    assert field.day() == dt.date(2019, 3, 14) and field.text() == "14/03/2019"
    assert not field.message.isVisible()


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("2/12/26", "Write the year with all four digits, as in 02/12/2026."),
        ("14/03", "Write the date as dd/mm/yyyy, for example 14/03/2019."),
        ("31/02/2019", "31/02/2019 is not a date: February 2019 has 28 days."),
    ],
)
def test_a_partial_or_impossible_date_is_refused_at_once_under_the_field(
    qtbot: QtBot, typed: str, says: str
) -> None:
    field, _after = _form(qtbot)
    field.setFocus()
    qtbot.keyClicks(field.edit, typed)
    assert not field.message.isVisible()  # not while typing
    qtbot.keyClick(field.edit, Qt.Key.Key_Tab)
    assert field.message.isVisible() and field.message.text() == says
    assert field.mark.isVisible() and field.edit.accessibleDescription() == says
    assert field.text() == typed and field.day() is None  # kept, never another date
    field.edit.setText("02/12/2026")  # put right: the mark goes at once
    assert not field.message.isVisible() and not field.mark.isVisible()


def test_a_date_written_short_is_shown_in_full_once_left(qtbot: QtBot) -> None:
    field, _after = _form(qtbot)
    field.setFocus()
    qtbot.keyClicks(field.edit, "2/12/2026")
    qtbot.keyClick(field.edit, Qt.Key.Key_Tab)
    assert field.text() == "02/12/2026" and field.day() == dt.date(2026, 12, 2)


def test_a_date_and_time_is_one_field_and_one_tab_stop(qtbot: QtBot) -> None:
    field, after = _form(qtbot, with_time=True)
    field.setFocus()
    qtbot.keyClicks(field.edit, "20/11/2026 9:05")
    qtbot.keyClick(field.edit, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is after
    assert field.moment() == dt.datetime(2026, 11, 20, 9, 5)
    assert field.iso() == "2026-11-20T09:05:00" and field.text() == "20/11/2026 09:05"
    field.setFocus()
    field.edit.selectAll()
    qtbot.keyClicks(field.edit, "20/11/2026")
    qtbot.keyClick(field.edit, Qt.Key.Key_Tab)
    assert "Add the time" in field.message.text() and field.iso() == ""


@pytest.mark.qt_log_ignore(*POPUP_NOTICES)
def test_the_calendar_opens_from_the_keyboard_and_keeps_the_time(qtbot: QtBot) -> None:
    field, _after = _form(qtbot, with_time=True)
    field.edit.setText("14/03/2026 09:30")
    field.setFocus()
    qtbot.keyClick(field.edit, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    popup = field.edit.popup
    assert isinstance(popup, CalendarPopup)
    assert popup.selectedDate().toPython() == dt.date(2026, 3, 14)
    qtbot.keyClick(popup, Qt.Key.Key_Escape)  # closes, changing nothing
    qtbot.waitUntil(lambda: field.edit.popup is None)
    assert field.text() == "14/03/2026 09:30"
    popup = field.edit.open_calendar()
    popup.activated.emit(popup.selectedDate().addDays(3))  # Enter on the 17th
    assert field.text() == "17/03/2026 09:30"
    assert field.window().focusWidget() is field.edit  # typing goes on in the field
    assert not field.pick.focusPolicy() & Qt.FocusPolicy.TabFocus


def test_the_reports_period_is_refused_not_guessed(qtbot: QtBot, services: Services) -> None:
    reports = ReportsView(services)
    qtbot.addWidget(reports)
    reports.start.edit.setText("31/02/2024")
    reports.refresh()
    assert reports.report is None
    assert reports.message.text() == "31/02/2024 is not a date: February 2024 has 29 days."
    assert reports.start.message.text() == reports.message.text()  # said under the field too
    reports.start.set_day(dt.date(2024, 2, 29))
    reports.refresh()
    assert reports.report is not None and reports.report.start == dt.date(2024, 2, 29)
