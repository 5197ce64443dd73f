"""Composition root of the GUI: the window paints first; keyring, vault and dashboard follow.

Only Qt and the window's frame are imported before the first paint; the
vault's modules (SQLAlchemy, the procedures, the keyring) are imported after
it, so the window appears as fast as a bare Qt window does, and then fills.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from desktop.errors import KnownError
from desktop.ui.first_paint import AfterFirstPaint
from desktop.ui.focus_ring import FocusRing
from desktop.ui.gui_garbage import GuiThreadCollector
from desktop.ui.idle_watcher import IdleWatcher
from desktop.ui.main_window import MainWindow

if TYPE_CHECKING:
    from desktop.procedures.catalogue import Catalogue
    from desktop.storage.secrets import SecretStore
    from desktop.storage.vault import Vault

ChooseStore = Callable[[], "tuple[SecretStore | None, str]"]


def secure_store() -> tuple[SecretStore | None, str]:
    """Decide once whether the OS keyring may hold the key; say why not if it may not."""
    from desktop.storage.secrets import KeyringSecretStore, judge_keyring

    verdict, _backend = judge_keyring()
    if not verdict.secure:
        return None, verdict.plain_words  # the backend's name stays out of the window
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
        window: MainWindow | None = None,
    ) -> None:
        from desktop.procedures.catalogue import load_catalogue
        from desktop.storage.vault import VaultFiles

        self.folder = folder
        self.store = store
        self.notice = notice
        self.catalogue = catalogue or load_catalogue(VaultFiles(folder).procedures)
        self.vault: Vault | None = None
        self.window = window or MainWindow()
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
        from desktop.storage.vault import VaultFiles, unlock_with_store
        from desktop.ui.create_vault_dialog import CreateVaultDialog
        from desktop.ui.unlock_dialog import UnlockDialog

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
        from desktop.casework.app_settings import read_app_settings
        from desktop.ui.services import Services
        from desktop.ui.settings_dialog import SettingsDialog

        self.vault = vault
        services = Services(vault, self.catalogue, self.store)
        if not read_app_settings(vault).profile_saved:
            SettingsDialog.ask(self.window, services, first_run=True)
        minutes = read_app_settings(vault).auto_lock_minutes  # the first run may have set it
        self.idle.setInterval(minutes * 60_000)
        self.idle.start()
        self.window.show_vault(services)

    def start(self, unlocked: Vault | None = None) -> bool:
        """Open the vault (unless given one ``unlocked``) and show it; False if the user gave up."""
        vault = unlocked or self.open_vault()
        if vault is None:
            return False
        self.window.show()
        self._show(vault)
        return True

    def lock(self) -> None:
        """Save any open form as a draft, close the vault, hide every view of its data."""
        from desktop.ui.worker import wait_for_workers

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
        from desktop.casework.app_settings import read_app_settings
        from desktop.storage.backup import automatic_backup

        if self.vault is not None:
            keep = read_app_settings(self.vault).backups_keep
            # A failed automatic backup must not stop the app closing; the vault
            # itself is untouched by a failed backup.
            with contextlib.suppress(KnownError, OSError):
                automatic_backup(self.vault, keep)
        self.lock()

    def _relock_and_ask(self) -> None:
        from desktop.ui.unlock_dialog import UnlockDialog

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


class Starter:
    """What happens after the first paint: keyring, procedures, vault, dashboard."""

    def __init__(self, app: QApplication, window: MainWindow, folder: Path) -> None:
        self.app, self.window, self.folder = app, window, folder
        self.controller: AppController | None = None

    def start(self, choose_store: ChooseStore) -> None:
        """Load the procedures, unlock and fill the window; end the app if the user gives up.

        When only the passphrase can open the vault, it is asked for first: the
        dialog paints before the procedures and the database's modules load.
        """
        from desktop.storage.vault_files import VaultFiles
        from desktop.ui.first_paint import import_ahead
        from desktop.ui.unlock_dialog import UnlockDialog

        store, notice = choose_store()
        unlocked = None
        if store is None and VaultFiles(self.folder).exists():
            unlocked = UnlockDialog.ask(self.window, self.folder)
            if unlocked is None:
                self.app.exit(0)
                return
        import_ahead()  # done while the dialog waited; else before the keyring's key is read
        from desktop.procedures.catalogue import load_catalogue

        try:
            catalogue = load_catalogue(VaultFiles(self.folder).procedures)
        except KnownError as error:
            print(f"escalation-recorder: {error.message}", file=sys.stderr)
            if unlocked is not None:
                unlocked.close()
            self.app.exit(2)
            return
        for skipped in catalogue.notices:  # a user file skipped; the window does not show it yet
            print(f"escalation-recorder: {skipped}", file=sys.stderr)
        self.controller = AppController(self.folder, store, notice, catalogue, self.window)
        if not self.controller.start(unlocked):
            self.app.exit(0)


def run_app(folder: Path, choose_store: ChooseStore = secure_store) -> int:
    """Run the desktop app on the vault in ``folder``; return the exit status.

    Args:
        choose_store: where a remembered key may be read (the OS keyring, if secure).
    """
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    app.setApplicationName("Escalation Recorder")
    app.setOrganizationName("Escalation Recorder")
    collector = GuiThreadCollector(app)  # never on a worker: see desktop/ui/gui_garbage.py
    FocusRing.install(app)  # a visible ring around whatever has the keyboard focus
    window = MainWindow()
    starter = Starter(app, window, folder)

    def after_first_paint() -> None:
        from desktop.storage.sqlite_setup import stop_memory_statistics
        from desktop.ui.bug_log import open_bug_log

        stop_memory_statistics()  # before any connection: see desktop/storage/sqlite_setup.py
        open_bug_log()  # bugs in slow work: their type and frames, never record text
        starter.start(choose_store)

    AfterFirstPaint(window, after_first_paint)
    window.show()
    try:
        return app.exec()
    finally:
        if starter.controller is not None:
            starter.controller.lock()
        collector.deleteLater()
