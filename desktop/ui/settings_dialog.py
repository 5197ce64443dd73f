"""Settings and the profile: who signs, default procedure, nation, hours, closures, auto-lock."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QTime
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.casework.settings import read_profile, read_settings, write_setting
from desktop.errors import KnownError
from desktop.procedures.workdays import Nation
from desktop.storage import audit
from desktop.ui import form_widgets as fw
from desktop.ui.services import Services

NATIONS = (
    ("England and Wales", Nation.ENGLAND_AND_WALES.value),
    ("Scotland", Nation.SCOTLAND.value),
    ("Northern Ireland", Nation.NORTHERN_IRELAND.value),
)


def _time_edit(name: str, accessible: str, value: str) -> QTimeEdit:
    widget = QTimeEdit(QTime.fromString(value, "HH:mm"))
    widget.setObjectName(name)
    widget.setAccessibleName(accessible)
    widget.setDisplayFormat("HH:mm")
    return widget


def _spin(name: str, accessible: str, low: int, high: int, value: int) -> QSpinBox:
    widget = QSpinBox()
    widget.setObjectName(name)
    widget.setAccessibleName(accessible)
    widget.setRange(low, high)
    widget.setValue(value)
    return widget


class SettingsDialog(QDialog):
    """Edit the profile and vault settings; on first run, only what is needed to start."""

    def __init__(
        self, services: Services, first_run: bool = False, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.setWindowTitle("Welcome: about you" if first_run else "Settings")
        self._services = services
        self._first_run = first_run
        with services.vault.sessions() as session:
            me = read_profile(session)
            values = read_settings(session)
        self.name = fw.line("profileName", "Your name", me.name if me else "")
        self.role = fw.line("profileRole", "Your role", me.role if me else "")
        self.organisation = fw.line(
            "profileOrganisation", "Your organisation", me.organisation if me else ""
        )
        procedures = [
            (f"{p.partnership} ({p.version})", p.id) for p in services.catalogue.current()
        ]
        self.procedure = fw.combo("defaultProcedure", "Default procedure", procedures)
        ids = [value for _label, value in procedures]
        if values["default_procedure"] in ids:
            self.procedure.setCurrentIndex(ids.index(values["default_procedure"]))
        self.nation = fw.combo("nation", "Bank holidays of", list(NATIONS))
        self.nation.setCurrentIndex([v for _l, v in NATIONS].index(values["nation"]))
        self.opens = _time_edit("officeOpens", "Office opens", values["office_opens"])
        self.closes = _time_edit("officeCloses", "Office closes", values["office_closes"])
        self.closures = fw.line("closures", "Closure days", values["closures"])
        self.closures.setPlaceholderText("e.g. 2026-12-23, 2027-02-15")
        self.lock_minutes = QSpinBox()
        self.lock_minutes.setObjectName("autoLockMinutes")
        self.lock_minutes.setAccessibleName("Lock after idle minutes")
        self.lock_minutes.setRange(1, 240)
        self.lock_minutes.setValue(int(values["auto_lock_minutes"]))
        self.backups_keep = _spin(
            "backupsKeep", "Automatic backups to keep", 1, 100, int(values["backups_keep"])
        )
        self.retention_years = _spin(
            "retentionYears",
            "Review records after (years from birth)",
            1,
            100,
            int(values["retention_years"]),
        )
        from desktop.sharing.signed_documents import identity_summary  # PDF libraries: on first use

        with services.vault.sessions() as session:
            identity = identity_summary(session)
        self.identity = fw.note(identity, "signingIdentity")
        self.import_button = QPushButton("&Import organisation PKCS#12…")
        self.import_button.setObjectName("importIdentity")
        self.import_button.clicked.connect(self._on_import_clicked)
        self.passphrase_button = QPushButton("Chan&ge passphrase…")
        self.passphrase_button.setObjectName("changePassphrase")
        self.passphrase_button.setAutoDefault(False)
        self.passphrase_button.clicked.connect(self._on_passphrase_button_clicked)
        self.passphrase_note = fw.note("", "passphraseNote")
        self.error = fw.error_label()
        form = QFormLayout()
        form.addRow(fw.note("Your name, role and organisation appear on the documents you sign."))
        form.addRow("&Name:", self.name)
        form.addRow("&Role:", self.role)
        form.addRow("&Organisation:", self.organisation)
        form.addRow("Default &procedure:", self.procedure)
        form.addRow("Bank &holidays of:", self.nation)
        form.addRow("Office &opens:", self.opens)
        form.addRow("Office &closes:", self.closes)
        form.addRow("Closure &days:", self.closures)
        form.addRow("&Lock after (minutes idle):", self.lock_minutes)
        form.addRow("&Backups to keep:", self.backups_keep)
        form.addRow("Re&view after (years from birth):", self.retention_years)
        form.addRow("Signing identity:", self.identity)
        form.addRow("", self.import_button)
        if not first_run:
            form.addRow("Passphrase:", self.passphrase_button)
            form.addRow("", self.passphrase_note)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._on_buttons_accepted)
        buttons.rejected.connect(self.reject)
        if first_run:
            buttons.button(QDialogButtonBox.StandardButton.Cancel).setVisible(False)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(QLabel())
        layout.addWidget(buttons)

    def _on_import_clicked(self) -> None:
        from desktop.sharing.signed_documents import identity_summary, import_identity

        path, _filter = QFileDialog.getOpenFileName(
            self, "Organisation certificate", "", "PKCS#12 (*.p12 *.pfx)"
        )
        if not path:
            return
        password, ok = QInputDialog.getText(
            self,
            "Certificate password",
            "Password of the PKCS#12 file:",
            QLineEdit.EchoMode.Password,
        )
        if not ok:
            return
        vault = self._services.vault
        try:
            with vault.sessions.begin() as session:
                import_identity(session, vault.audit_key, Path(path).read_bytes(), password)
                self.identity.setText(identity_summary(session))
        except KnownError as error:
            self.error.setText(error.message)
        except OSError as error:
            self.error.setText(f"The file could not be read: {error.strerror}.")

    def _on_passphrase_button_clicked(self) -> None:
        from desktop.ui.change_passphrase_dialog import ChangePassphraseDialog

        dialog = ChangePassphraseDialog(self._services, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        kept = "" if dialog.remembered else " The OS keyring could not be updated."
        self.passphrase_note.setText(
            f"Passphrase changed; the vault is re-encrypted with new keys.{kept}"
        )

    def _on_buttons_accepted(self) -> None:
        from desktop.sharing.signing_profile import change_profile  # PDF libraries: on first use

        if self.opens.time() >= self.closes.time():
            self.error.setText("The office must open before it closes.")
            return
        vault = self._services.vault
        try:
            with vault.sessions.begin() as session:
                change_profile(
                    session,
                    vault.audit_key,
                    self.name.text(),
                    self.role.text(),
                    self.organisation.text(),
                )
                for key, value in (
                    ("default_procedure", self.procedure.currentData()),
                    ("nation", self.nation.currentData()),
                    ("office_opens", self.opens.time().toString("HH:mm")),
                    ("office_closes", self.closes.time().toString("HH:mm")),
                    ("closures", self.closures.text().strip()),
                    ("auto_lock_minutes", str(self.lock_minutes.value())),
                    ("backups_keep", str(self.backups_keep.value())),
                    ("retention_years", str(self.retention_years.value())),
                ):
                    write_setting(session, key, value)
                audit.record(session, vault.audit_key, "settings.changed")
        except KnownError as error:
            self.error.setText(error.message)
            return
        self.accept()

    @classmethod
    def ask(cls, parent: QWidget | None, services: Services, first_run: bool = False) -> bool:
        """Show the dialog; return whether the settings were saved."""
        return cls(services, first_run, parent).exec() == QDialog.DialogCode.Accepted
