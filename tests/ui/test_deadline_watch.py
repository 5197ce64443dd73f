"""Deadlines that reach you: reminders while the app runs, the tray, the calendar export."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMenu, QSystemTrayIcon
from pytestqt.qtbot import QtBot

from desktop.casework.case_opening import ChildDetails
from desktop.casework.stage_times import record_event
from desktop.ui.deadline_watch import CHECK_EVERY_MS, DeadlineWatch
from desktop.ui.main_window import MainWindow
from desktop.ui.services import Services
from tests.factories import open_case_in

OPENED = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)  # Monday: stage 1 is due Tuesday 10:00
CHILD = ChildDetails("PUPIL-DEADLINE-5", "D.D.")


def _case(services: Services, opened: dt.datetime = OPENED) -> None:
    """Open level 1, reported to the line managers at once (their 24 hours run from then)."""
    vault = services.vault
    case_id = open_case_in(vault, services.catalogue, "DUE-1", child=CHILD, opened_at=opened)
    record_event(vault, services.catalogue, case_id, "reported", opened, opened)


def _window(qtbot: QtBot, services: Services) -> MainWindow:
    window = MainWindow()
    qtbot.addWidget(window)
    window.show_vault(services)
    return window


def test_a_near_deadline_is_reminded_of_once_by_reference_and_stage(
    qtbot: QtBot, services: Services
) -> None:
    _case(services)
    watch = _window(qtbot, services).deadline_watch
    near = dt.datetime(2026, 3, 3, 9, 30, tzinfo=dt.UTC)  # within the working hour before 10:00
    with qtbot.waitSignal(watch.reminded) as shown:
        reminders = watch.check(near)
    assert {r.deadline.kind for r in reminders.items} == {"stage", "milestone"}
    title, message = shown.args
    assert title == "DUE-1: due within the working hour"
    assert message == (
        "Level 1: Practitioners, then line managers / team managers: "
        "check-point due 10:00 on Tue 03 Mar; stage due 10:00 on Tue 03 Mar."
    )
    assert watch.notice.text() == f"{title}: {message}"  # no tray offscreen: the status bar
    assert CHILD.identifier not in title + message and CHILD.initials not in title + message
    assert not watch.check(near + dt.timedelta(minutes=5))  # once
    past = watch.check(dt.datetime(2026, 3, 3, 10, 1, tzinfo=dt.UTC))
    assert [r.overdue for r in past.items] == [True, True]  # and once more when it has passed


def test_it_checks_while_the_vault_is_open_and_stops_when_locked(
    qtbot: QtBot, services: Services
) -> None:
    window = _window(qtbot, services)
    watch = window.deadline_watch
    assert watch.timer.isActive() and watch.timer.interval() == CHECK_EVERY_MS
    assert watch.first.isActive() and watch.export_action.isEnabled()
    window.show_locked()
    assert not watch.timer.isActive() and not watch.export_action.isEnabled()
    assert not watch.check()  # no vault, nothing read


def test_without_a_notification_area_nothing_breaks(qtbot: QtBot) -> None:
    window = QMainWindow()
    qtbot.addWidget(window)
    watch = DeadlineWatch(window, QMenu())
    assert QSystemTrayIcon.isSystemTrayAvailable() is (watch.tray is not None)


def test_where_there_is_a_tray_the_reminder_is_a_desktop_notification(
    qtbot: QtBot, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(QSystemTrayIcon, "isSystemTrayAvailable", staticmethod(lambda: True))
    monkeypatch.setattr(QSystemTrayIcon, "show", lambda self: None)
    monkeypatch.setattr(QSystemTrayIcon, "supportsMessages", staticmethod(lambda: True))
    monkeypatch.setattr(
        QSystemTrayIcon, "showMessage", lambda self, title, text, *rest: shown.append((title, text))
    )
    _case(services)
    watch = _window(qtbot, services).deadline_watch
    assert watch.tray is not None and watch.tray.toolTip() == "Escalation Recorder"
    watch.check(dt.datetime(2026, 3, 3, 9, 30, tzinfo=dt.UTC))  # the stage is due at 10:00
    assert [title for title, _message in shown] == ["DUE-1: due within the working hour"]


def test_export_saves_a_calendar_file_of_upcoming_deadlines(
    qtbot: QtBot, services: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    now = dt.datetime.now(dt.UTC)
    _case(services, now)
    target = tmp_path / "deadlines.ics"
    offered: list[str] = []

    def save_as(_parent: object, _caption: str, suggested: str, _filters: str) -> tuple[str, str]:
        offered.append(suggested)
        return str(target), "Calendar files (*.ics)"

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_as)
    watch = _window(qtbot, services).deadline_watch
    watch.export_action.trigger()
    assert Path(offered[0]).name == "Escalation deadlines.ics"
    data = target.read_bytes()
    assert data.startswith(b"BEGIN:VCALENDAR\r\n") and data.count(b"BEGIN:VEVENT") == 2
    assert b"SUMMARY:DUE-1 \xe2\x80\x94 Level 1" in data and CHILD.identifier.encode() not in data
    assert watch.notice.text().startswith("Saved 2 upcoming deadlines as deadlines.ics")
