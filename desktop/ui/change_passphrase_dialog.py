"""Change the passphrase: the current one, the new one twice; the vault is re-encrypted."""

from __future__ import annotations

from PySide6.QtCore import QTimer
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
from desktop.storage.keyfile import passphrase_strength
from desktop.storage.rekey import NewKeys, rekey, seal_new_keys
from desktop.ui import form_widgets as fw
from desktop.ui.create_vault_dialog import passphrase_problem
from desktop.ui.discard_guard import DiscardGuard
from desktop.ui.screen_fit import keep_title_whole, open_whole
from desktop.ui.services import Services
from desktop.ui.worker import Task

EXPLAINED = (
    "The vault is re-encrypted with new keys: the old passphrase and old copies of "
    "its key file no longer open it. Backups made before keep opening with the passphrase "
    "they were made under."
)


def _secret(name: str, accessible: str) -> QLineEdit:
    field = QLineEdit()
    field.setObjectName(name)
    field.setAccessibleName(accessible)
    field.setEchoMode(QLineEdit.EchoMode.Password)
    return field


class ChangePassphraseDialog(QDialog):
    """Ask for the current and the new passphrase; re-encrypt the vault under new keys.

    The key derivation (checking the current passphrase, sealing the new keys)
    runs on a worker; the re-encryption and the swap run on the GUI thread,
    which owns the vault's sessions, so no other write can slip in meanwhile.
    """

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("changePassphraseDialog")
        self.setWindowTitle("Change passphrase")
        self._services = services
        self.current = _secret("currentPassphrase", "Current passphrase")
        self.new = _secret("newPassphrase", "New passphrase")
        self.repeat = _secret("repeatNewPassphrase", "Repeat the new passphrase")
        self.strength = QLabel(passphrase_strength(""))
        self.strength.setObjectName("strengthHint")
        self.strength.setWordWrap(True)
        self.message = fw.error_label()
        self.remembered = True
        form = QFormLayout()
        form.addRow("&Current passphrase:", self.current)
        form.addRow("&New passphrase:", self.new)
        form.addRow("&Repeat:", self.repeat)
        form.addRow("Strength:", self.strength)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("Change &passphrase")
        ok.setDefault(True)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setAutoDefault(False)
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(fw.note(EXPLAINED))
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.new.textChanged.connect(self._on_new_text_changed)
        controls = [self.current, self.new, self.repeat, self.buttons]
        self._task: Task[NewKeys] = Task(self.message, controls, self)
        keep_title_whole(self)
        open_whole(self)
        self.guard = DiscardGuard(self, "the passphrases you typed")

    def _on_new_text_changed(self, text: str) -> None:
        self.strength.setText(passphrase_strength(text))

    def _on_buttons_accepted(self) -> None:
        problem = passphrase_problem(self.new.text(), self.repeat.text())
        if problem:
            self.message.setText(problem)
            return
        key_file, current, new = self._services.vault.key_file, self.current.text(), self.new.text()
        self._task.start(
            lambda: seal_new_keys(key_file, current, new),
            self._on_sealed,
            progress="Checking the passphrase and making new keys…",
            failure="The passphrase could not be changed; nothing was changed.",
        )

    def _on_sealed(self, keys: NewKeys) -> None:
        """Back on the GUI thread: say so, then re-encrypt once the message is painted."""
        self.message.setText("Re-encrypting the vault…")
        self.buttons.setEnabled(False)
        QTimer.singleShot(0, self, lambda: self._rekey(keys))  # dropped if the dialog is gone

    def _rekey(self, keys: NewKeys) -> None:
        """Re-encrypt and swap the files in (about half a second for 10,000 cases)."""
        try:
            self.remembered = rekey(self._services.vault, keys, self._services.store)
        except (KnownError, OSError) as error:
            self.message.setText(fw.problem(error))
            self.buttons.setEnabled(True)
            return
        self.accept()

    def reject(self) -> None:
        """Close, unless the new keys are being made (their answer must find the dialog).

        Something typed is discarded only when the user says so.
        """
        if not self.buttons.isEnabled():  # the worker turned the controls off
            return
        if self.guard.allows_discard():
            super().reject()

    @classmethod
    def ask(cls, parent: QWidget | None, services: Services) -> bool:
        """Show the dialog; return whether the passphrase was changed."""
        return cls(services, parent).exec() == QDialog.DialogCode.Accepted
