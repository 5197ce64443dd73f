"""The walker: every window and dialog, in each of its states, for names, Alt keys, Tab and size.

To add a window, write a generator (tests/ui/accessibility_cases.py or
accessibility_tools.py) that opens it through ``Walk.shown`` and yields it once
per state worth checking (a page, a tab, a view), then add it to ``WINDOWS``
with the classes it shows. Every check then runs on it, at the normal font and
at 14 pt; the last test fails when a dialog or window class in desktop/ui is
walked by none.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QDialog, QMainWindow, QWidget
from pytestqt.qtbot import QtBot

import desktop.ui
from desktop.ui.services import Services
from tests.ui import accessibility_cases as cases
from tests.ui import accessibility_tools as tools
from tests.ui.accessibility_checks import (
    SCREEN,
    alt_key_problems,
    clipping_problems,
    jargon_problems,
    name_problems,
    scroll_stop_problems,
    sideways_problems,
    size_problems,
    tab_trap_problems,
)
from tests.ui.accessibility_walk import Walk, make_walk


@dataclass(frozen=True)
class Window:
    """How to walk a window through its states, and the classes of the windows it shows."""

    states: Callable[[Walk], Iterator[QWidget]]
    shows: tuple[str, ...]  # class names, as in desktop/ui


# One line per window: add new windows and dialogs here.
WINDOWS: dict[str, Window] = {
    "main window": Window(cases.main_window, ("MainWindow",)),
    "stage form": Window(cases.stage_form, ("StageForm",)),
    "new-case wizard": Window(cases.new_case_wizard, ("NewCaseWizard",)),
    "track page": Window(cases.track_page, ("NewCaseWizard",)),
    "escalate": Window(cases.escalate, ("EscalateDialog",)),
    "close and reopen": Window(cases.close_case, ("CloseCaseDialog", "ReopenDialog")),
    "stage records": Window(
        cases.stage_records, ("CompleteRecordsDialog", "StageTimeDialog", "CorrectionDialog")
    ),
    "settings": Window(tools.settings, ("SettingsDialog", "ChangePassphraseDialog")),
    "confirmed signers": Window(tools.signers, ("ConfirmedSignersDialog",)),
    "contacts": Window(tools.contacts, ("ContactsDialog",)),
    "subject access": Window(tools.subject_access, ("SubjectAccessDialog",)),
    "transfers": Window(tools.transfers, ("TransfersDialog",)),
    "retention": Window(tools.retention, ("RetentionDialog",)),
    "verify": Window(tools.verify, ("VerifyDialog",)),
    "keep with a case": Window(tools.keep_with_case, ("KeepCaseDialog",)),
    "document preview": Window(tools.preview, ("DocumentPreview", "PassphraseDialog")),
    "help": Window(tools.help_window, ("HelpWindow",)),
    "vault dialogs": Window(tools.vault_dialogs, ("UnlockDialog", "CreateVaultDialog")),
}


@pytest.fixture
def walk(qtbot: QtBot, services: Services, tmp_path: Path) -> Walk:
    """The walker's cases, each in the state its windows are shown in."""
    return make_walk(qtbot, services, tmp_path / "procedures")


@pytest.mark.parametrize("name", list(WINDOWS))
def test_every_state_is_named_keyed_once_and_lets_tab_out_and_fits_at_150_percent(
    walk: Walk, name: str
) -> None:
    # At 1.5x scaling a 1366 x 768 screen holds 2/3 of its pixels in the window's units.
    scaled = QSize(SCREEN.width() * 2 // 3, SCREEN.height() * 2 // 3)
    problems, shown = [], set()
    for number, window in enumerate(WINDOWS[name].states(walk), 1):
        shown.add(type(window).__name__)
        found = (
            name_problems(window)
            + alt_key_problems(window)
            + tab_trap_problems(walk.qtbot, window)
            + scroll_stop_problems(window)
            + sideways_problems(window)
            + size_problems(window, scaled, "at 1.5x scaling")
            + clipping_problems(window)
            + jargon_problems(window)
        )
        problems += [f"{name}, state {number} ({window.windowTitle()}): {p}" for p in found]
    assert not problems, "\n".join(problems)
    assert shown == set(WINDOWS[name].shows)


@pytest.fixture
def large_font(qtbot: QtBot) -> Iterator[None]:
    """The application's font at 14 points while the test runs."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    before = app.font()
    font = QFont(before)
    font.setPointSize(14)
    app.setFont(font)
    yield
    app.setFont(before)


@pytest.mark.parametrize("name", list(WINDOWS))
def test_every_state_fits_the_screen_with_a_14_point_font(
    large_font: None, walk: Walk, name: str
) -> None:
    problems = [
        f"{name}, state {number}: {p}"
        for number, window in enumerate(WINDOWS[name].states(walk), 1)
        for p in size_problems(window, SCREEN, "with a 14-point font") + clipping_problems(window)
    ]
    assert not problems, "\n".join(problems)


def _window_classes() -> set[str]:
    """Name every dialog, wizard and main window class defined in desktop/ui."""
    found = set()
    for module in pkgutil.iter_modules(desktop.ui.__path__, "desktop.ui."):
        loaded = importlib.import_module(module.name)
        for name, cls in inspect.getmembers(loaded, inspect.isclass):
            if cls.__module__ == module.name and issubclass(cls, (QDialog, QMainWindow)):
                found.add(name)
    return found


def test_every_window_and_dialog_of_the_app_is_walked() -> None:
    walked = {name for window in WINDOWS.values() for name in window.shows}
    assert sorted(_window_classes() - walked) == []
