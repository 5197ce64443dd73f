"""First run: choose a passphrase (twice) and whether to remember the key on this device."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.errors import KnownError
from desktop.storage.keyfile import check_passphrase, passphrase_strength
from desktop.storage.secrets import SecretStore
from desktop.storage.vault import Vault, create_vault
from desktop.ui.screen_fit import keep_title_whole, open_whole


def passphrase_problem(first: str, second: str) -> str | None:
    """Return what is wrong with a new passphrase pair in plain words, or None."""
    try:
        check_passphrase(first)
    except KnownError as error:
        return error.message
    if first != second:
        return "The two passphrases differ."
    return None


class CreateVaultDialog(QDialog):
    """Ask for a new passphrase and create the encrypted vault."""

    def __init__(
        self,
        folder: Path,
        store: SecretStore | None,
        store_notice: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Create your encrypted vault")
        self.setObjectName("createVaultDialog")
        self.vault: Vault | None = None
        self._folder = folder
        self._store = store

        intro = QLabel(
            "Everything you record is kept encrypted in this vault. Choose a passphrase "
            "you will remember: without it (or this device's keyring) nobody, including "
            "you, can open the records."
        )
        intro.setWordWrap(True)
        self.passphrase = self._secret_field("passphrase", "New passphrase")
        self.repeat = self._secret_field("repeatPassphrase", "Repeat the passphrase")
        self.strength = QLabel(passphrase_strength(""))
        self.strength.setObjectName("strengthHint")
        self.strength.setWordWrap(True)
        self.remember = QCheckBox("Remember on this device, in its password store")
        self.remember.setObjectName("rememberCheck")
        self.remember.setAccessibleName("Remember the key on this device")
        self.remember.setEnabled(store is not None)
        self.remember.setToolTip(store_notice)
        self.error = QLabel()
        self.error.setObjectName("errorLabel")
        self.error.setWordWrap(True)

        form = QFormLayout()
        form.addRow("&Passphrase:", self.passphrase)
        form.addRow("&Repeat:", self.repeat)
        form.addRow("Strength:", self.strength)
        form.addRow("", self.remember)
        if store is None:
            notice = QLabel(store_notice)
            notice.setWordWrap(True)
            form.addRow("", notice)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Create vault")
        buttons.accepted.connect(self._on_buttons_accepted)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.passphrase.textChanged.connect(self._on_passphrase_text_changed)
        keep_title_whole(self)
        open_whole(self)

    def _secret_field(self, name: str, accessible: str) -> QLineEdit:
        field = QLineEdit()
        field.setObjectName(name)
        field.setAccessibleName(accessible)
        field.setEchoMode(QLineEdit.EchoMode.Password)
        return field

    def _on_passphrase_text_changed(self, text: str) -> None:
        self.strength.setText(passphrase_strength(text))

    def _on_buttons_accepted(self) -> None:
        problem = passphrase_problem(self.passphrase.text(), self.repeat.text())
        if problem:
            self.error.setText(problem)
            return
        try:
            vault = create_vault(self._folder, self.passphrase.text(), origin="app")
            if self.remember.isChecked() and self._store is not None:
                vault.remember(self._store)
        except KnownError as error:
            self.error.setText(error.message)
            return
        self.vault = vault
        self.accept()

    @classmethod
    def ask(
        cls, parent: QWidget | None, folder: Path, store: SecretStore | None, store_notice: str
    ) -> Vault | None:
        """Show the dialog; return the new, unlocked vault or None if cancelled."""
        dialog = cls(folder, store, store_notice, parent)
        dialog.exec()
        return dialog.vault
