"""Start-up: the window paints before the vault's modules load, then unlocks and fills."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QMainWindow
from pytestqt.qtbot import QtBot

from desktop.app import Starter
from desktop.launch import window_only
from desktop.storage.secrets import MemorySecretStore
from desktop.storage.vault import Vault, unlock_with_passphrase
from desktop.ui.first_paint import AfterFirstPaint
from desktop.ui.main_window import MainWindow
from desktop.ui.unlock_dialog import UnlockDialog
from tests.conftest import PASSPHRASE, REPO
from tests.factories import signing_profile

HEAVY = ("sqlalchemy", "keyring", "holidays", "cryptography", "reportlab", "pyhanko")


def test_the_first_window_needs_none_of_the_vaults_modules() -> None:
    # What the console script imports before the window's first paint.
    probe = (
        "import sys, desktop.launch, desktop.app, desktop.ui.unlock_dialog\n"
        f"print([m for m in {HEAVY!r} if m in sys.modules])"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=REPO
    )
    assert done.stdout.strip() == "[]"


@pytest.mark.parametrize(
    ("words", "window"),
    [
        ([], True),
        (["--vault", "/tmp/v"], True),
        (["--vault=/tmp/v"], True),
        (["--vault", "/tmp/v", "due"], False),
        (["--help"], False),
        (["--vault"], False),
    ],
)
def test_the_window_alone_is_no_command_and_at_most_a_vault(words: list[str], window: bool) -> None:
    assert window_only(words) is window


class _FirstPaint(QObject):
    """Notes which view the main window showed when it first painted."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.showed: str | None = None
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Paint and self.showed is None:
            self.showed = self.window.stack.currentWidget().objectName()
        return False


def _profiled(vault: Vault) -> Path:
    """Give the vault its owner's profile (no first-run dialog), close it, return its folder."""
    signing_profile(vault)
    vault.close()
    return vault.files.folder


def _start(qtbot: QtBot, folder: Path, store: MemorySecretStore | None) -> tuple[Starter, str]:
    """Start the window as run_app does; return the starter once the dashboard shows."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    window = MainWindow()
    qtbot.addWidget(window)
    first = _FirstPaint(window)
    starter = Starter(app, window, folder)
    AfterFirstPaint(window, lambda: starter.start(lambda: (store, "")))
    window.show()
    qtbot.waitUntil(lambda: window.dashboard is not None and window.dashboard.isVisible())
    assert starter.controller is not None
    starter.controller.lock()
    return starter, first.showed or ""


def test_the_frame_paints_locked_then_the_keyring_unlocks_and_fills_it(
    qtbot: QtBot, vault: Vault
) -> None:
    store = MemorySecretStore()
    vault.remember(store)
    _starter, showed = _start(qtbot, _profiled(vault), store)
    assert showed == "lockedView"  # painted before the vault was opened


def test_with_no_keyring_the_passphrase_is_asked_on_the_painted_frame(
    qtbot: QtBot, vault: Vault, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _profiled(vault)
    asked: list[bool] = []

    def ask(parent: QMainWindow, where: Path, notice: str = "") -> Vault:
        asked.append(parent.isVisible())
        return unlock_with_passphrase(where, PASSPHRASE)

    monkeypatch.setattr(UnlockDialog, "ask", ask)
    _starter, showed = _start(qtbot, folder, None)
    assert showed == "lockedView" and asked == [True]
