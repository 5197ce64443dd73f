"""The main window: on the screen, where it was left if that fits; nothing else kept outside."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QPlainTextEdit, QSpinBox
from pytestqt.qtbot import QtBot

from desktop.ui.main_window import DRAFT_KEPT, MainWindow, Place
from desktop.ui.screen_fit import FRAME
from desktop.ui.services import Services
from desktop.ui.settings_dialog import SettingsDialog
from desktop.ui.stage_form import StageForm
from tests.factories import open_case_in


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


def _window(qtbot: QtBot, services: Services) -> MainWindow:
    window = MainWindow()
    qtbot.addWidget(window)
    window.show_vault(services)
    return window


def test_unlocking_returns_to_the_case_that_was_shown(
    qtbot: QtBot, services: Services, private_qsettings: Path
) -> None:
    case_id = open_case_in(services.vault, services.catalogue, "UI-BACK")
    window = _window(qtbot, services)
    window.open_case(case_id)
    window.show_locked()  # what the idle timer does
    assert window.stack.currentWidget().objectName() == "lockedView"
    window.show_vault(services)  # unlocked again
    assert window.case_view is not None and window.stack.currentWidget() is window.case_view
    assert window.case_view.detail is not None and window.case_view.detail.case_id == case_id
    window.close()
    kept = " ".join(p.read_text("latin-1") for p in private_qsettings.rglob("*") if p.is_file())
    assert "UI-BACK" not in kept and "C-UI-BACK" not in kept  # the place is in memory only


def test_unlocking_returns_to_the_reports_and_a_lost_case_to_the_dashboard(
    qtbot: QtBot, services: Services
) -> None:
    window = _window(qtbot, services)
    window.reports_action.trigger()
    window.show_locked()
    window.show_vault(services)
    assert window.reports is not None and window.stack.currentWidget() is window.reports
    window.show_locked()
    window.place = Place("case", 999_999)  # a case purged while locked
    window.show_vault(services)
    assert window.stack.currentWidget() is window.dashboard


def test_saving_settings_stays_in_settings_then_on_the_same_case(
    qtbot: QtBot, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    case_id = open_case_in(services.vault, services.catalogue, "UI-BACK")
    window = _window(qtbot, services)
    window.open_case(case_id)
    seen: list[str] = []

    def use(dialog: SettingsDialog) -> int:
        dialog.show()
        keep = dialog.findChild(QSpinBox, "backups_keep")
        assert keep is not None
        keep.setValue(8)
        box = dialog.findChild(QDialogButtonBox)
        assert box is not None
        box.button(QDialogButtonBox.StandardButton.Save).click()
        seen.append(dialog.status.text() if dialog.isVisible() else "closed")
        dialog.close()
        return dialog.result()

    monkeypatch.setattr(SettingsDialog, "exec", use)
    window.settings_action.trigger()
    assert seen == ["Saved."]
    assert window.stack.currentWidget() is window.case_view  # not dropped on the dashboard


def test_closing_the_stage_form_says_its_draft_is_kept(
    qtbot: QtBot, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    case_id = open_case_in(services.vault, services.catalogue, "UI-BACK")
    window = _window(qtbot, services)
    window.open_case(case_id)

    def type_then_escape(form: StageForm) -> int:
        form.show()
        notes = form.findChild(QPlainTextEdit, "discussionNotes")
        assert notes is not None
        qtbot.keyClicks(notes, "Fictional: typed, then Escape.")
        qtbot.keyClick(form, Qt.Key.Key_Escape)
        return form.result()

    monkeypatch.setattr(StageForm, "exec", type_then_escape)
    window.record_stage(case_id)
    assert window.statusBar().currentMessage() == DRAFT_KEPT
