"""Composition root of the GUI: QApplication, secret store, vault, main window, auto-lock."""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from desktop.casework.app_settings import read_app_settings
from desktop.errors import KnownError
from desktop.procedures.catalogue import Catalogue, load_catalogue
from desktop.storage.backup import automatic_backup
from desktop.storage.secrets import KeyringSecretStore, SecretStore, judge_keyring
from desktop.storage.vault import Vault, VaultFiles, unlock_with_store
from desktop.ui.bug_log import open_bug_log
from desktop.ui.create_vault_dialog import CreateVaultDialog
from desktop.ui.focus_ring import FocusRing
from desktop.ui.idle_watcher import IdleWatcher
from desktop.ui.main_window import MainWindow
from desktop.ui.services import Services
from desktop.ui.settings_dialog import SettingsDialog
from desktop.ui.unlock_dialog import UnlockDialog
from desktop.ui.worker import wait_for_workers


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
    """Opens the vault, shows it, and locks it on request or after idle time."""

    def __init__(
        self,
        folder: Path,
        store: SecretStore | None,
        notice: str,
        catalogue: Catalogue | None = None,
    ) -> None:
        self.folder = folder
        self.store = store
        self.notice = notice
        self.catalogue = catalogue or load_catalogue(VaultFiles(folder).procedures)
        self.vault: Vault | None = None
        self.window = MainWindow()
        self.window.lock_requested.connect(self._on_window_lock_requested)
        self.window.closing.connect(self._on_window_closing)
        self.idle = QTimer()
        self.idle.setSingleShot(True)
        self.idle.timeout.connect(self._on_idle_timeout)
        self.watcher = IdleWatcher(self.idle)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self.watcher)

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

    def _show(self, vault: Vault) -> None:
        self.vault = vault
        services = Services(vault, self.catalogue, self.store)
        if not read_app_settings(vault).profile_saved:
            SettingsDialog.ask(self.window, services, first_run=True)
        minutes = read_app_settings(vault).auto_lock_minutes  # the first run may have set it
        self.idle.setInterval(minutes * 60_000)
        self.idle.start()
        self.window.show_vault(services)

    def start(self) -> bool:
        """Open the vault and show the window; False if the user gave up."""
        vault = self.open_vault()
        if vault is None:
            return False
        self.window.show()
        self._show(vault)
        return True

    def lock(self) -> None:
        """Save any open form as a draft, close the vault, hide every view of its data."""
        self.idle.stop()
        self.window.show_locked()
        # A document still being signed holds the signing key: let it finish (its
        # answer finds the vault locked and records and writes nothing).
        wait_for_workers()
        if self.vault is not None:
            self.vault.close()
            self.vault = None

    def _on_window_closing(self) -> None:
        """Back up automatically on close (keeping the last N), then lock."""
        if self.vault is not None:
            keep = read_app_settings(self.vault).backups_keep
            # A failed automatic backup must not stop the app closing; the vault
            # itself is untouched by a failed backup.
            with contextlib.suppress(KnownError, OSError):
                automatic_backup(self.vault, keep)
        self.lock()

    def _relock_and_ask(self) -> None:
        self.lock()
        vault = UnlockDialog.ask(self.window, self.folder)
        if vault is None:
            self.window.close()
            return
        self._show(vault)

    def _on_window_lock_requested(self) -> None:
        self._relock_and_ask()

    def _on_idle_timeout(self) -> None:
        self._relock_and_ask()


def run_app(folder: Path) -> int:
    """Run the desktop app on the vault in ``folder``; return the exit status."""
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("Escalation Recorder")
    app.setOrganizationName("Escalation Recorder")
    if isinstance(app, QApplication):
        FocusRing.install(app)  # a visible ring around whatever has the keyboard focus
    open_bug_log()  # bugs in slow work: their type and frames, never record text
    try:
        catalogue = load_catalogue(VaultFiles(folder).procedures)
    except KnownError as error:
        print(f"escalation-recorder: {error.message}", file=sys.stderr)
        return 2
    for notice in catalogue.notices:  # a user file skipped; the window does not show it yet
        print(f"escalation-recorder: {notice}", file=sys.stderr)
    store, notice = secure_store()
    controller = AppController(folder, store, notice, catalogue)
    try:
        if not controller.start():
            return 0
        return app.exec()
    finally:
        controller.lock()
