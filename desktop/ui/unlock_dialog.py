"""Unlock the vault with its passphrase (the key is derived on a worker: scrypt takes a while).

The dialog may be the first window the app paints, so the vault's modules
(SQLAlchemy, the key file's cryptography) are imported only when it unlocks.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.errors import KnownError
from desktop.ui.first_paint import AfterFirstPaint, import_ahead
from desktop.ui.screen_fit import keep_title_whole
from desktop.ui.worker import Task

if TYPE_CHECKING:
    from desktop.storage.keyfile import KeyFile, KeyMaterial
    from desktop.storage.vault import Vault


class UnlockDialog(QDialog):
    """Ask for the passphrase until it opens the vault or the user cancels."""

    def __init__(self, folder: Path, notice: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Unlock Escalation Recorder")
        self.setObjectName("unlockDialog")
        self.vault: Vault | None = None
        self._folder = folder
        self.passphrase = QLineEdit()
        self.passphrase.setObjectName("passphrase")
        self.passphrase.setAccessibleName("Passphrase")
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = QLabel(notice)
        self.error.setObjectName("errorLabel")
        self.error.setWordWrap(True)
        # Room for a two-line message from the start: one set later is never cut off.
        self.error.setMinimumHeight(2 * self.error.fontMetrics().lineSpacing())
        self.passphrase.setMinimumWidth(30 * self.passphrase.fontMetrics().averageCharWidth())
        form = QFormLayout()
        form.addRow("&Passphrase:", self.passphrase)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Unlock")
        buttons.accepted.connect(self._on_buttons_accepted)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self._task: Task[KeyMaterial] = Task(self.error, [self.passphrase, buttons], self)
        keep_title_whole(self)
        # Painted first; the vault's modules load after, while the user types.
        AfterFirstPaint(self, import_ahead)

    def _on_buttons_accepted(self) -> None:
        """Read the key file here, unwrap the key on a worker, open the vault on return."""
        from desktop.storage.keyfile import read_key_file
        from desktop.storage.opening import require_vault, settle
        from desktop.storage.vault import VaultFiles

        passphrase = self.passphrase.text()
        try:
            require_vault(self._folder)
            files = VaultFiles(self._folder)
            settle(files)  # a swap a crash interrupted is finished before the key file is read
            key_file = read_key_file(files.key)
        except KnownError as error:
            self._refused(error)
            return
        self._task.start(
            lambda: key_file.open(passphrase),
            lambda material: self._on_unwrapped(key_file, material),
            progress="Unlocking…",
            failure="The vault could not be unlocked; nothing was changed.",
            on_failed=lambda _error: self.passphrase.clear(),  # its sentence is shown already
        )

    def _on_unwrapped(self, key_file: KeyFile, material: KeyMaterial) -> None:
        """Back on the GUI thread: open the vault with the unwrapped key."""
        from desktop.storage.vault import unlock_with_unwrapped

        try:
            self.vault = unlock_with_unwrapped(self._folder, key_file, material, origin="app")
        except KnownError as error:
            self._refused(error)
            return
        self.accept()

    def _refused(self, error: KnownError) -> None:
        self.passphrase.clear()
        self.error.setText(error.message)

    def reject(self) -> None:
        """Close, unless the key is being unwrapped (its answer must find the dialog)."""
        if not self._task.running:
            super().reject()

    @classmethod
    def ask(cls, parent: QWidget | None, folder: Path, notice: str = "") -> Vault | None:
        """Show the dialog; return the unlocked vault or None if cancelled."""
        dialog = cls(folder, notice, parent)
        dialog.exec()
        return dialog.vault
