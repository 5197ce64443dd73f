"""Unlock the vault with its passphrase."""

from __future__ import annotations

from pathlib import Path

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
from desktop.storage.vault import Vault, unlock_with_passphrase


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

    def _on_buttons_accepted(self) -> None:
        try:
            self.vault = unlock_with_passphrase(self._folder, self.passphrase.text(), origin="app")
        except KnownError as error:
            self.passphrase.clear()
            self.error.setText(error.message)
            return
        self.accept()

    @classmethod
    def ask(cls, parent: QWidget | None, folder: Path, notice: str = "") -> Vault | None:
        """Show the dialog; return the unlocked vault or None if cancelled."""
        dialog = cls(folder, notice, parent)
        dialog.exec()
        return dialog.vault
