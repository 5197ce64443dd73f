"""The main window: on the screen, where it was left if that fits; nothing else kept outside."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from desktop.ui.main_window import MainWindow
from desktop.ui.screen_fit import FRAME
from desktop.ui.services import Services


def test_the_window_reopens_at_its_last_size_and_place(
    qtbot: QtBot, private_qsettings: Path
) -> None:
    first = MainWindow()
    qtbot.addWidget(first)
    first.show()
    first.setGeometry(40, 30, 700, 500)
    qtbot.waitUntil(lambda: first.size().width() == 700)
    first.close()
    again = MainWindow()
    qtbot.addWidget(again)
    assert (again.width(), again.height()) == (700, 500)  # not the 1180 x 760 default
    written = [path for path in private_qsettings.rglob("*") if path.is_file()]
    assert len(written) == 1
    text = written[0].read_text(encoding="latin-1")
    assert "geometry" in text and "vault" not in text.lower()


def test_the_window_opens_inside_the_available_screen(qtbot: QtBot) -> None:
    window = MainWindow()
    qtbot.addWidget(window)
    screen = window.screen().availableGeometry()
    assert screen.contains(window.geometry().adjusted(0, 0, FRAME.width(), FRAME.height()))
    assert window.width() <= 1180 and window.height() <= 760  # the default where it fits


def test_a_place_remembered_from_a_bigger_screen_is_not_restored(qtbot: QtBot) -> None:
    first = MainWindow()
    qtbot.addWidget(first)
    screen = first.screen().availableGeometry()
    first.setGeometry(0, 0, screen.width() + 600, screen.height() + 300)
    first.close()  # remembered: a window too big for this screen
    again = MainWindow()
    qtbot.addWidget(again)
    assert screen.contains(again.geometry().adjusted(0, 0, FRAME.width(), FRAME.height()))


def test_the_dashboard_opens_with_the_cursor_in_the_search_not_the_table(
    qtbot: QtBot, services: Services
) -> None:
    window = MainWindow()
    qtbot.addWidget(window)
    window.show_vault(services)
    window.show()
    assert window.dashboard is not None
    assert window.focusWidget() is window.dashboard.search
