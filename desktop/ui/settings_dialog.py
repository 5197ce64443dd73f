"""Settings and the profile: who signs, default procedure, nation, hours, closures, auto-lock."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QInputDialog,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop.casework.settings import (
    SETTINGS,
    Setting,
    SettingKind,
    Settings,
    changed_settings,
    load_settings,
    save_settings,
)
from desktop.errors import KnownError
from desktop.procedures.catalogue import Catalogue
from desktop.ui import form_widgets as fw
from desktop.ui.closure_days import ClosureDays
from desktop.ui.discard_guard import DiscardGuard
from desktop.ui.screen_fit import open_fitting, scrolling
from desktop.ui.services import Services


def moved_text(moved: int) -> str:
    """Say how many open deadlines moved with the calendar."""
    stages = "stage's deadline" if moved == 1 else "stages' deadlines"
    return (
        f"The working calendar changed: {moved} open {stages} moved to follow it "
        "(milestones follow it too)."
    )


class SettingInput:
    """One setting's widget, chosen by the setting's kind; it knows the value it first showed."""

    def __init__(self, setting: Setting, value: object, catalogue: Catalogue) -> None:
        self.setting = setting
        self.widget = self._build(setting, value, catalogue)
        self.widget.setObjectName(setting.key)
        self.widget.setAccessibleName(setting.label)
        self._shown = self.value()

    @staticmethod
    def _build(setting: Setting, value: object, catalogue: Catalogue) -> QWidget:
        if setting.kind in (SettingKind.PROCEDURE, SettingKind.CHOICE):
            items = (
                [(f"{p.partnership} ({p.version})", p.id) for p in catalogue.current()]
                if setting.kind is SettingKind.PROCEDURE
                else [(label, choice) for choice, label in setting.choices]
            )
            combo = fw.combo(setting.key, setting.label, items, long_items=True)
            combo.setCurrentIndex(max(0, combo.findData(value)))
            return combo
        if setting.kind is SettingKind.TIME:  # one line, one Tab stop, read as typed
            time = fw.line(setting.key, setting.label, setting.text(value))
            time.setPlaceholderText("hh:mm")
            return time
        if setting.kind is SettingKind.DATES:
            assert isinstance(value, frozenset)
            return ClosureDays(value)
        if setting.kind is SettingKind.NUMBER:
            spin = QSpinBox()
            spin.setRange(setting.low, setting.high)
            assert isinstance(value, int)
            spin.setValue(value)
            return spin
        return fw.line(setting.key, setting.label, setting.text(value))

    def value(self) -> object:
        """Return what the widget holds: a typed value, or the text as typed."""
        widget = self.widget
        if isinstance(widget, QComboBox):
            return widget.currentData()
        if isinstance(widget, ClosureDays):
            return widget.days()
        if isinstance(widget, QSpinBox):
            return widget.value()
        assert isinstance(widget, QLineEdit)
        return widget.text().strip()

    def changed(self) -> bool:
        """Say whether the user changed what the widget showed when opened or last saved."""
        return self.value() != self._shown

    def saved(self) -> None:
        """Take what the widget holds now as saved."""
        self._shown = self.value()


class SettingsDialog(QDialog):
    """Edit the profile and vault settings; on first run, only what is needed to start."""

    def __init__(
        self, services: Services, first_run: bool = False, parent: QWidget | None = None
    ) -> None:
        from desktop.sharing.signing_profile import read_signer  # PDF libraries: on first use

        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.setWindowTitle("Welcome: about you" if first_run else "Settings")
        self._services = services
        self._first_run = first_run
        self.saved = False  # whether anything was saved while the window was open
        me = read_signer(services.vault)
        self._settings: Settings = load_settings(services.vault)
        self.name = fw.line("profileName", "Your name", me.name)
        self.role = fw.line("profileRole", "Your role", me.role)
        self.organisation = fw.line("profileOrganisation", "Your organisation", me.organisation)
        self.inputs = {
            s.key: SettingInput(s, getattr(self._settings, s.key), services.catalogue)
            for s in SETTINGS
        }
        self.identity = fw.note(me.identity, "signingIdentity")
        self.import_button = QPushButton("&Import organisation certificate…")
        self.import_button.setObjectName("importIdentity")
        self.import_button.clicked.connect(self._on_import_clicked)
        self.passphrase_button = QPushButton("Chan&ge passphrase…")
        self.passphrase_button.setObjectName("changePassphrase")
        self.passphrase_button.setAutoDefault(False)
        self.passphrase_button.clicked.connect(self._on_passphrase_button_clicked)
        self.passphrase_note = fw.note("", "passphraseNote")
        self.error = fw.error_label()
        self.status = fw.note("", "settingsStatus")
        form = QFormLayout()
        form.addRow(fw.note("Your name, role and organisation appear on the documents you sign."))
        form.addRow("&Name:", self.name)
        form.addRow("&Role:", self.role)
        form.addRow("Organisa&tion:", self.organisation)  # Alt+O is "Office opens"
        for entry in self.inputs.values():
            form.addRow(f"{entry.setting.caption}:", entry.widget)
        form.addRow("Signing identity:", self.identity)
        form.addRow("", self.import_button)
        self.signers_button = QPushButton("Con&firmed signers…")  # issue 17
        self.signers_button.setObjectName("confirmedSignersButton")
        self.signers_button.setAccessibleName("Whom you trust: confirmed signers")
        self.signers_button.setAutoDefault(False)
        self.signers_button.clicked.connect(self._on_signers_button_clicked)
        form.addRow("Whom you trust:", self.signers_button)
        if not first_run:
            form.addRow("Passphrase:", self.passphrase_button)
            form.addRow("", self.passphrase_note)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Close
        )
        buttons.accepted.connect(self._on_buttons_accepted)
        buttons.rejected.connect(self.reject)
        save = buttons.button(QDialogButtonBox.StandardButton.Save)
        save.setDefault(True)  # Enter saves; Close and the other buttons never take Enter
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setAutoDefault(False)
        self.import_button.setAutoDefault(False)
        if first_run:
            close.setVisible(False)
        holder = QWidget()
        holder.setLayout(form)
        layout = QVBoxLayout(self)
        layout.addWidget(scrolling(holder), 1)  # Save stays on a small screen
        layout.addWidget(self.error)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        self.guard = DiscardGuard(self, "your changes to the settings")
        open_fitting(self, holder.sizeHint().width() + 40, holder.sizeHint().height() + 140)

    def _on_import_clicked(self) -> None:
        from desktop.sharing.signing_profile import use_organisation_identity

        path, _filter = QFileDialog.getOpenFileName(
            self, "Organisation certificate", "", "Certificate files (*.p12 *.pfx)"
        )
        if not path:
            return
        password, ok = QInputDialog.getText(
            self,
            "Certificate password",
            "Password of the certificate file:",
            QLineEdit.EchoMode.Password,
        )
        if not ok:
            return
        try:
            data = Path(path).read_bytes()
            signer = use_organisation_identity(self._services.vault, data, password)
        except KnownError as error:
            self.error.setText(error.message)
            return
        except OSError as error:
            self.error.setText(f"The file could not be read: {error.strerror}.")
            return
        self.identity.setText(signer.identity)

    def _on_signers_button_clicked(self) -> None:
        from desktop.ui.confirmed_signers_dialog import ConfirmedSignersDialog

        ConfirmedSignersDialog.ask(self, self._services)

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
        """Save, and stay in Settings saying so (the first run goes on into the app)."""
        from desktop.sharing.signing_profile import change_profile  # PDF libraries: on first use

        changes = {key: entry.value() for key, entry in self.inputs.items() if entry.changed()}
        vault = self._services.vault
        try:
            changed_settings(self._settings, changes)  # refused before anything is saved
            change_profile(vault, self.name.text(), self.role.text(), self.organisation.text())
            saved = save_settings(vault, self._services.catalogue, changes)
        except KnownError as error:
            self.error.setText(error.message)
            self.status.clear()
            return
        self._settings = saved.settings
        self.saved = True
        for entry in self.inputs.values():
            entry.saved()
        self.guard.mark_clean()
        self.error.clear()
        self.status.setText(f"Saved. {moved_text(saved.moved)}" if saved.moved else "Saved.")
        if self._first_run:
            self.accept()

    def reject(self) -> None:
        """Close; ask first when something changed and was not saved."""
        if self.guard.allows_discard():
            super().reject()

    @classmethod
    def ask(cls, parent: QWidget | None, services: Services, first_run: bool = False) -> bool:
        """Show the dialog; return whether anything was saved while it was open."""
        dialog = cls(services, first_run, parent)
        dialog.exec()
        return dialog.saved
