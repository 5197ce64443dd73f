"""The offline guide: a Help menu, F1 at the part about the view in use, shipped with the app."""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from fnmatch import fnmatch

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QLineEdit, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from desktop.ui.help_window import TOPICS, HelpWindow, guide_html, topic_for
from desktop.ui.main_window import MainWindow
from desktop.ui.services import Services
from tests.conftest import REPO
from tests.factories import open_case_in

SECTIONS = (
    "first-run",
    "dashboard",
    "new-escalation",
    "recording",
    "deadlines",
    "documents",
    "verifying",
    "transfers",
    "subject-access",
    "backups",
    "locking",
)


def _anchors() -> set[str]:
    return set(re.findall(r'<a name="([\w-]+)"></a>', guide_html()))


def test_the_guide_has_every_part_and_every_link_and_topic_leads_somewhere() -> None:
    anchors = _anchors()
    assert {"start", *SECTIONS} <= anchors
    assert set(TOPICS.values()) <= anchors
    assert set(re.findall(r'href="#([\w-]+)"', guide_html())) <= anchors
    assert "http" not in guide_html() and "<script" not in guide_html().lower()


def test_the_guide_is_shipped_as_package_data() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    shipped = project["tool"]["setuptools"]["package-data"]["desktop.resources"]
    assert any(fnmatch("help/guide.html", pattern) for pattern in shipped)


def _window(qtbot: QtBot, services: Services) -> MainWindow:
    window = MainWindow()
    qtbot.addWidget(window)
    window.show_vault(services)
    window.show()
    window.activateWindow()  # the menu's F1 is a shortcut of the active window
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    return window


# The offscreen platform cannot raise a window; a real desktop can.
OFFSCREEN = pytest.mark.qt_log_ignore(
    "This plugin does not support propagateSizeHints", "This plugin does not support raise"
)


@OFFSCREEN
def test_f1_opens_the_guide_at_the_part_about_the_view_in_use(
    qtbot: QtBot, services: Services
) -> None:
    opened = dt.datetime(2026, 3, 2, 10, tzinfo=dt.UTC)
    case_id = open_case_in(services.vault, services.catalogue, "HELP-1", opened_at=opened)
    window = _window(qtbot, services)
    assert [a.text() for a in window.menuBar().actions()][-1] == "&Help"
    assert window.dashboard is not None
    window.dashboard.table.setFocus()
    qtbot.keyClick(window.dashboard.table, Qt.Key.Key_F1)
    help_window = window.help_menu.help
    assert help_window is not None and help_window.isVisible()
    assert help_window.topic == "dashboard"
    window.open_case(case_id)
    assert window.case_view is not None
    window.case_view.timeline.setFocus()
    qtbot.keyClick(window.case_view.timeline, Qt.Key.Key_F1)
    assert help_window.topic == "case"
    assert help_window.browser.verticalScrollBar().value() > 0  # scrolled to the part
    window.help_menu.guide_action.trigger()  # the menu, from the window itself
    assert window.help_menu.help is help_window and help_window.topic == "case"


@OFFSCREEN
def test_f1_in_a_dialog_opens_the_guide_over_it_at_its_part(
    qtbot: QtBot, services: Services
) -> None:
    window = _window(qtbot, services)
    dialog = QDialog(window)
    dialog.setObjectName("transfersDialog")
    field = QLineEdit()
    QVBoxLayout(dialog).addWidget(field)
    dialog.open()  # modal: the main window's own shortcuts are off
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    field.setFocus()
    qtbot.keyClick(field, Qt.Key.Key_F1)
    help_window = window.help_menu.help
    assert help_window is not None and help_window.topic == "transfers"
    assert help_window.parentWidget() is dialog  # above it, not blocked by it
    dialog.done(0)


def test_a_view_can_name_its_own_part() -> None:
    class Custom(QWidget):
        def help_topic(self) -> str:
            return "backups"

    view = Custom()
    inner = QLineEdit(view)
    assert topic_for(inner) == "backups"
    assert topic_for(QLineEdit()) == "start"
    view.deleteLater()


def test_the_guide_opens_at_an_anchor(qtbot: QtBot) -> None:
    window = HelpWindow()
    qtbot.addWidget(window)
    window.show()
    window.show_topic("locking")
    assert window.browser.verticalScrollBar().value() > 0
    assert "Getting started" in window.browser.toPlainText()


@OFFSCREEN
def test_the_help_menu_opens_the_other_partys_walkthrough(qtbot: QtBot, services: Services) -> None:
    window = _window(qtbot, services)
    window.help_menu.receiving_action.trigger()
    shown = window.help_menu.help
    assert shown is not None and shown.isVisible() and shown.page == "receiving.html"
    assert "When someone sends you a document or records" in shown.browser.toPlainText()
    window.help_menu.guide_action.trigger()  # back to the guide: a new window, not the walkthrough
    assert window.help_menu.help is not shown and window.help_menu.help.page == "guide.html"
