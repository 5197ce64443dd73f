"""First run and unlock/lock, driven through real widgets."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox, QDialogButtonBox, QLabel
from pytestqt.qtbot import QtBot

from desktop.app import AppController
from desktop.casework.settings import read_profile, save_profile
from desktop.storage.secrets import MemorySecretStore
from desktop.storage.vault import unlock_with_store
from desktop.ui.create_vault_dialog import CreateVaultDialog, passphrase_problem
from desktop.ui.unlock_dialog import UnlockDialog
from tests.conftest import PASSPHRASE


def _ok(dialog: CreateVaultDialog | UnlockDialog) -> None:
    box = dialog.findChild(QDialogButtonBox)
    assert box is not None
    box.button(QDialogButtonBox.StandardButton.Ok).click()


@pytest.mark.parametrize(
    ("first", "second", "problem"),
    [
        ("short", "short", "at least 8 characters"),
        ("long enough phrase", "long enough phrasE", "differ"),
        (" padded passphrase", " padded passphrase", "spaces"),
        ("long enough phrase", "long enough phrase", None),
    ],
)
def test_passphrase_problem(first: str, second: str, problem: str | None) -> None:
    found = passphrase_problem(first, second)
    assert found is None if problem is None else problem in (found or "")


def test_first_run_creates_a_vault_and_remembers_the_key(qtbot: QtBot, tmp_path: Path) -> None:
    store = MemorySecretStore()
    dialog = CreateVaultDialog(tmp_path / "vault", store, "")
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.passphrase, PASSPHRASE)
    assert dialog.strength.text() == "Strong."
    qtbot.keyClicks(dialog.repeat, PASSPHRASE + "x")
    _ok(dialog)
    assert "differ" in dialog.error.text()
    assert not (tmp_path / "vault").exists()
    dialog.repeat.clear()
    qtbot.keyClicks(dialog.repeat, PASSPHRASE)
    dialog.remember.setChecked(True)
    with qtbot.waitSignal(dialog.accepted):
        _ok(dialog)
    assert dialog.vault is not None
    dialog.vault.close()
    reopened = unlock_with_store(tmp_path / "vault", store)
    assert reopened is not None
    reopened.close()


def test_remember_is_disabled_with_a_notice_when_the_keyring_is_insecure(
    qtbot: QtBot, tmp_path: Path
) -> None:
    notice = "The key cannot be remembered on this device: plain text."
    dialog = CreateVaultDialog(tmp_path / "vault", None, notice)
    qtbot.addWidget(dialog)
    assert not dialog.remember.isEnabled()
    assert any(label.text() == notice for label in dialog.findChildren(QLabel))


def test_unlock_dialog_says_wrong_passphrase_then_opens(
    qtbot: QtBot, vault_dir: Path, vault: object
) -> None:
    from desktop.storage.vault import Vault

    assert isinstance(vault, Vault)
    vault.close()
    dialog = UnlockDialog(vault_dir)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.keyClicks(dialog.passphrase, "not it at all")
    _ok(dialog)  # the key is derived on a worker meanwhile
    assert not dialog.passphrase.isEnabled()
    qtbot.waitUntil(lambda: dialog.error.text() == "That passphrase does not open this vault.")
    assert dialog.passphrase.text() == "" and dialog.passphrase.isEnabled()
    qtbot.keyClicks(dialog.passphrase, PASSPHRASE)
    with qtbot.waitSignal(dialog.accepted):
        qtbot.keyClick(dialog.passphrase, Qt.Key.Key_Return)
    assert dialog.vault is not None
    dialog.vault.close()


def test_ctrl_l_locks_and_shows_no_vault_view(
    qtbot: QtBot, vault_dir: Path, vault: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desktop.storage.vault import Vault

    assert isinstance(vault, Vault)
    with vault.sessions.begin() as session:
        save_profile(session, "Alex Example (fictional)", "DSL", "Nowhere Primary (fictional)")
    store = MemorySecretStore()
    vault.remember(store)
    vault.close()
    controller = AppController(vault_dir, store, "")
    qtbot.addWidget(controller.window)
    assert controller.start()
    assert controller.window.stack.currentWidget().objectName() == "dashboard"
    asked: list[Path] = []

    def fake_ask(parent: object, folder: Path, notice: str = "") -> None:
        asked.append(folder)
        assert controller.vault is None
        assert controller.window.stack.currentWidget().objectName() == "lockedView"

    monkeypatch.setattr(UnlockDialog, "ask", fake_ask)
    controller.window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is controller.window)
    qtbot.keyClick(controller.window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert asked == [vault_dir]
    assert controller.window.stack.currentWidget().objectName() == "lockedView"


def test_first_run_asks_for_the_profile_then_shows_the_dashboard(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desktop.ui.services import Services
    from desktop.ui.settings_dialog import SettingsDialog

    store = MemorySecretStore()
    folder = tmp_path / "vault"

    def create(parent: object, where: Path, store_: object, notice: str) -> object:
        from desktop.storage.vault import create_vault
        from tests.conftest import FAST_KDF

        return create_vault(where, PASSPHRASE, params=FAST_KDF, origin="app")

    def profile(parent: object, services: Services, first_run: bool = False) -> bool:
        assert first_run
        dialog = SettingsDialog(services, first_run)
        qtbot.addWidget(dialog)
        box = dialog.findChild(QDialogButtonBox)
        assert box is not None
        box.button(QDialogButtonBox.StandardButton.Save).click()
        assert "name is needed" in dialog.error.text()
        qtbot.keyClicks(dialog.name, "Alex Example (fictional)")
        qtbot.keyClicks(dialog.role, "Designated Safeguarding Lead")
        qtbot.keyClicks(dialog.organisation, "Nowhere Primary (fictional)")
        nation = dialog.findChild(QComboBox, "nation")
        assert nation is not None and nation.accessibleName() == "Bank holidays of"
        nation.setCurrentIndex(1)
        box.button(QDialogButtonBox.StandardButton.Save).click()
        return dialog.result() == 1

    monkeypatch.setattr(CreateVaultDialog, "ask", create)
    monkeypatch.setattr(SettingsDialog, "ask", profile)
    controller = AppController(folder, store, "")
    qtbot.addWidget(controller.window)
    assert controller.start()
    assert controller.vault is not None
    with controller.vault.sessions() as session:
        me = read_profile(session)
        assert me is not None and me.role == "Designated Safeguarding Lead"
        from desktop.casework.settings import read_settings

        assert read_settings(session).nation == "scotland"
    assert controller.window.stack.currentWidget().objectName() == "dashboard"
    controller.lock()


def test_closing_the_app_backs_up_and_locks(qtbot: QtBot, vault_dir: Path, vault: object) -> None:
    from desktop.storage.vault import Vault

    assert isinstance(vault, Vault)
    with vault.sessions.begin() as session:
        save_profile(session, "Alex Example (fictional)", "DSL", "Nowhere Primary (fictional)")
    store = MemorySecretStore()
    vault.remember(store)
    vault.close()
    controller = AppController(vault_dir, store, "")
    qtbot.addWidget(controller.window)
    assert controller.start()
    controller.window.close()
    assert controller.vault is None
    assert len(list((vault_dir / "backups").glob("auto-*.zip"))) == 1


def test_a_second_app_on_an_open_vault_is_told_and_changes_nothing(
    qtbot: QtBot, vault_dir: Path, vault: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desktop.storage.vault import Vault
    from tests.conftest import snapshot

    assert isinstance(vault, Vault)
    store = MemorySecretStore()
    vault.remember(store)  # the first instance stays open
    before = snapshot(vault_dir)
    notices: list[str] = []

    def ask(parent: object, folder: Path, notice: str = "") -> None:
        notices.append(notice)

    monkeypatch.setattr(UnlockDialog, "ask", ask)
    second = AppController(vault_dir, store, "")
    qtbot.addWidget(second.window)
    assert not second.start()
    assert notices and "already open in another Escalation Recorder window" in notices[0]
    assert snapshot(vault_dir) == before
