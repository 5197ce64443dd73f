"""Composition root of the GUI: QApplication, secret store, vault, main window."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication

from desktop.errors import KnownError
from desktop.secrets import KeyringSecretStore, SecretStore, judge_keyring
from desktop.ui.create_vault_dialog import CreateVaultDialog
from desktop.ui.main_window import MainWindow
from desktop.ui.unlock_dialog import UnlockDialog
from desktop.vault import Vault, VaultFiles, unlock_with_store


def secure_store() -> tuple[SecretStore | None, str]:
    """Decide once whether the OS keyring may hold the key; say why not if it may not."""
    verdict, _backend = judge_keyring()
    if not verdict.secure:
        return None, (
            f"The key cannot be remembered on this device: {verdict.reason}. "
            "The passphrase is needed each time."
        )
    try:
        return KeyringSecretStore.open(), ""
    except KnownError as error:
        return None, error.message


class AppController:
    """Opens the vault, shows it, and locks it again on request."""

    def __init__(self, folder: Path, store: SecretStore | None, notice: str) -> None:
        self.folder = folder
        self.store = store
        self.notice = notice
        self.vault: Vault | None = None
        self.window = MainWindow()
        self.window.lock_requested.connect(self._on_window_lock_requested)

    def open_vault(self) -> Vault | None:
        """Create the vault on first run, else unlock it: keyring first, then passphrase."""
        if not VaultFiles(self.folder).exists():
            return CreateVaultDialog.ask(self.window, self.folder, self.store, self.notice)
        notice = ""
        if self.store is not None:
            try:
                vault = unlock_with_store(self.folder, self.store, origin="app")
            except KnownError as error:
                vault, notice = None, error.message
            if vault is not None:
                return vault
        return UnlockDialog.ask(self.window, self.folder, notice)

    def start(self) -> bool:
        """Open the vault and show the window; False if the user gave up."""
        self.vault = self.open_vault()
        if self.vault is None:
            return False
        self.window.show_vault(self.vault)
        self.window.show()
        return True

    def lock(self) -> None:
        """Close the vault and hide every view of its data."""
        self.window.show_locked()
        if self.vault is not None:
            self.vault.close()
            self.vault = None

    def _on_window_lock_requested(self) -> None:
        self.lock()
        self.vault = UnlockDialog.ask(self.window, self.folder)
        if self.vault is None:
            self.window.close()
            return
        self.window.show_vault(self.vault)


def run_app(folder: Path) -> int:
    """Run the desktop app on the vault in ``folder``; return the exit status."""
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("Escalation Recorder")
    app.setOrganizationName("Escalation Recorder")
    store, notice = secure_store()
    controller = AppController(folder, store, notice)
    try:
        if not controller.start():
            return 0
        return app.exec()
    finally:
        controller.lock()
