"""Every view of the app as a picture, at one screen size and in one mode (one process)."""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, QThreadPool
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox, QWidget
from screenshot_data import demo_vault, render_documents
from screenshots_cases import case_screens
from screenshots_receiving import receiving_screens  # scripts/, beside this file
from sqlalchemy import select

from desktop.models import Case, StageRecord
from desktop.ui.main_window import MainWindow
from desktop.ui.services import Services

# How long a window is left to settle before its picture is taken.
SETTLE_SECONDS = 0.15
# A laptop's taskbar and a window's title bar take this much of the screen's height.
TASKBAR_AND_TITLE = 80
REFERENCE = "ESC-2026-0042"
CHILD = "PUPIL-7731"


def dark_palette() -> QPalette:
    """Return a dark palette like the desktops' dark themes."""
    palette = QPalette()
    window, base, text = QColor(45, 45, 48), QColor(30, 30, 30), QColor(225, 225, 225)
    colours = {
        QPalette.ColorRole.Window: window,
        QPalette.ColorRole.WindowText: text,
        QPalette.ColorRole.Base: base,
        QPalette.ColorRole.AlternateBase: QColor(40, 40, 42),
        QPalette.ColorRole.ToolTipBase: window,
        QPalette.ColorRole.ToolTipText: text,
        QPalette.ColorRole.Text: text,
        QPalette.ColorRole.Button: window,
        QPalette.ColorRole.ButtonText: text,
        QPalette.ColorRole.Highlight: QColor(42, 130, 218),
        QPalette.ColorRole.HighlightedText: QColor(0, 0, 0),
        QPalette.ColorRole.PlaceholderText: QColor(150, 150, 150),
        QPalette.ColorRole.Link: QColor(100, 170, 255),
    }
    for role, colour in colours.items():
        palette.setColor(role, colour)
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor(128, 128, 128))
    palette.setColor(
        QPalette.ColorGroup.Disabled, QPalette.ColorRole.WindowText, QColor(128, 128, 128)
    )
    return palette


class Shots:
    """Saves pictures of windows sized as on a laptop, into one folder."""

    def __init__(self, app: QApplication, out: Path) -> None:
        self.app, self.out = app, out
        screen = app.primaryScreen().geometry()
        ratio = app.primaryScreen().devicePixelRatio()
        self.room = (screen.width() - 16, screen.height() - round(TASKBAR_AND_TITLE / ratio))

    def settle(self) -> None:
        """Let layouts settle and short timers fire (the preview fits its pages on one)."""
        deadline = time.monotonic() + SETTLE_SECONDS
        while time.monotonic() < deadline:
            self.app.processEvents()
            time.sleep(0.01)

    def take(self, widget: QWidget, name: str) -> None:
        """Show ``widget`` no bigger than the laptop allows and save it as ``name``.png."""
        if not widget.testAttribute(Qt.WidgetAttribute.WA_Resized):
            widget.adjustSize()  # the size it would open at, before it is first shown
        widget.resize(min(widget.width(), self.room[0]), min(widget.height(), self.room[1]))
        widget.show()
        self.settle()
        widget.grab().save(str(self.out / f"{name}.png"))

    def dialog(self, dialog: QDialog, name: str) -> None:
        """Take a dialog's picture, then close it."""
        self.take(dialog, name)
        dialog.done(0)

    def wait(self, done: Callable[[], bool]) -> None:
        """Let a worker answer: the dialogs seal, sign and unlock off the GUI thread."""
        deadline = time.monotonic() + 60
        while not done():
            if time.monotonic() > deadline:
                raise RuntimeError("a worker did not answer within a minute")
            QThreadPool.globalInstance().waitForDone(50)
            self.app.processEvents()


def _main_window(shots: Shots, window: MainWindow, case_id: int) -> None:
    """The dashboard, a case, and the reports."""
    shots.take(window, "dashboard")
    window.open_case(case_id)
    shots.take(window, "case-timeline")
    window.reports_action.trigger()
    assert window.reports is not None
    window.reports.start.set_day(dt.date(2024, 1, 1))
    window.reports.refresh()
    shots.take(window, "reports")
    window.open_case(case_id)


def _preview(shots: Shots, window: MainWindow, case_id: int) -> None:
    """A written confirmation in the preview, with Print, Save and Share encrypted."""
    window.open_case(case_id)
    assert window.case_view is not None
    panel = window.case_view.documents
    found = panel.kind.findData("confirmation")
    panel.kind.setCurrentIndex(max(found, 0))
    panel.generate_button.click()
    shots.wait(lambda: panel.preview is not None)
    assert panel.preview is not None
    shots.dialog(panel.preview, "document-preview")


def _forms(shots: Shots, window: MainWindow, services: Services, case_id: int) -> None:
    """The stage form's pages and the new-case wizard's."""
    from desktop.ui.new_case_wizard import NewCaseWizard
    from desktop.ui.stage_form import StageForm

    form = StageForm(services, case_id, window)
    shots.take(form, "stage-form")
    form.next()
    shots.take(form, "stage-form-concern")
    while form.currentId() != form.pageIds()[-1]:
        form.next()
    shots.dialog(form, "stage-form-outcome")
    wizard = NewCaseWizard(services, window)
    wizard.risk.yes.setChecked(True)
    shots.take(wizard, "new-case-risk")
    wizard.risk.no.setChecked(True)
    wizard.next()
    wizard.redirects.confirm.setChecked(True)
    wizard.next()
    wizard.next()
    wizard.child.identifier.setText("PUPIL-7732")
    wizard.child.initials.setText("A.B.")
    shots.take(wizard, "new-case-child")
    wizard.next()
    shots.take(wizard, "new-case-parties")
    wizard.parties.decision.setPlainText("Fictional: the referral was declined as below threshold.")
    other = ("Sam Sample", "Team manager", "Fictional CSC")
    for field, text in zip(wizard.parties.theirs, other, strict=True):
        field.setText(text)
    wizard.next()
    shots.take(wizard, "new-case-review")
    wizard.guard.mark_clean()
    wizard.done(0)


def _sharing(shots: Shots, window: MainWindow, services: Services) -> None:
    """The Transfers dialog (send and receive) and the subject access dialog."""
    from desktop.sharing.subject_access_records import Reason
    from desktop.storage.keyfile import ScryptParams
    from desktop.storage.vault import create_vault
    from desktop.ui.subject_access_dialog import SubjectAccessDialog
    from desktop.ui.transfers_dialog import TransfersDialog

    with tempfile.TemporaryDirectory() as temp:
        transfers = TransfersDialog(services, CHILD, window)
        transfers.recipient.setText("Imaginary Academy (fictional)")
        transfers.send_to(Path(temp) / "package.erpkg")
        shots.wait(lambda: "Saved" in transfers.message.text())
        words = transfers.message.text().split("<b>")[1].split("</b>")[0]
        shots.dialog(transfers, "transfer-send")
        other = create_vault(
            Path(temp) / "other", "other screenshot passphrase", params=ScryptParams(n=2**14)
        )
        with other.sessions.begin() as session:
            from desktop.sharing.signing_profile import record_profile

            record_profile(
                session,
                other.audit_key,
                "Fictional Receiver",
                "DSL",
                "Imaginary Academy (fictional)",
            )
        receiving = TransfersDialog(Services(other, services.catalogue), "", window)
        receiving.receive.passphrase.setText(words)
        receiving.open_package(Path(temp) / "package.erpkg")
        shots.wait(lambda: receiving.receive.preview is not None)
        shots.dialog(receiving, "transfer-receive")
        other.close()
    access = SubjectAccessDialog(services, CHILD, window)
    access.mark("Sam Sample", Reason.PROFESSIONAL)
    access.mark("Alex Example", Reason.PROFESSIONAL)
    shots.dialog(access, "subject-access")


def _tools(shots: Shots, window: MainWindow, services: Services) -> None:
    """Retention (as in 2040), settings, contacts, verify, correction, change passphrase."""
    import datetime as dt

    from desktop.ui.change_passphrase_dialog import ChangePassphraseDialog
    from desktop.ui.contacts_dialog import ContactsDialog
    from desktop.ui.correction_dialog import CorrectionDialog
    from desktop.ui.retention_dialog import RetentionDialog
    from desktop.ui.settings_dialog import SettingsDialog
    from desktop.ui.verify_dialog import VerifyDialog

    retention = RetentionDialog(services, window, today=dt.date(2040, 6, 1))
    retention.table.selectRow(0)
    retention.confirmation.setText(retention.chosen() or "")
    shots.dialog(retention, "retention")
    shots.dialog(SettingsDialog(services, parent=window), "settings")
    shots.dialog(ContactsDialog(services, window), "contacts")
    shots.dialog(VerifyDialog(services, window), "verify")
    with services.vault.sessions() as session:
        record_id = session.scalar(
            select(StageRecord.id).where(StageRecord.finalised_at.is_not(None)).limit(1)
        )
    assert record_id is not None
    shots.dialog(CorrectionDialog(services, record_id, window), "correction")
    shots.dialog(ChangePassphraseDialog(services, window), "change-passphrase")


def _vault_dialogs(shots: Shots, folder: Path) -> None:
    """Unlock after a wrong passphrase, and the first run's new vault."""
    from desktop.ui.create_vault_dialog import CreateVaultDialog
    from desktop.ui.unlock_dialog import UnlockDialog

    unlock = UnlockDialog(folder)
    unlock.passphrase.setText("not the passphrase")
    unlock.show()
    buttons = unlock.findChild(QDialogButtonBox)
    assert buttons is not None
    buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    shots.wait(lambda: "passphrase" in unlock.error.text() and unlock.passphrase.isEnabled())
    shots.dialog(unlock, "unlock")
    notice = (
        "This computer has no secure password store, so you will type your passphrase each time."
    )
    shots.dialog(CreateVaultDialog(folder.parent / "new", None, notice), "create-vault")


def take_set(out: Path, width: int, height: int, mode: str, documents: bool) -> None:
    """Take every view on this display (``width`` x ``height``) in ``mode`` into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    if mode == "14pt":
        font = app.font()
        font.setPointSize(14)
        app.setFont(font)
    elif mode == "dark":
        app.setStyle("Fusion")
        app.setPalette(dark_palette())
    shots = Shots(app, out)
    with tempfile.TemporaryDirectory() as temp:
        # the default window size every time, whatever a real session remembered
        QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, temp)
        services = demo_vault(Path(temp) / "vault")
        with services.vault.sessions() as session:
            case_id = session.scalar(select(Case.id).where(Case.reference == REFERENCE))
        assert case_id is not None
        window = MainWindow()
        window.show_vault(services)
        _main_window(shots, window, case_id)
        _preview(shots, window, case_id)
        _forms(shots, window, services, case_id)
        case_screens(shots, window, services)
        _sharing(shots, window, services)
        _tools(shots, window, services)
        window.show_locked()
        _vault_dialogs(shots, services.vault.files.folder)
        if documents:
            render_documents(services, case_id, out)
        receiving_screens(app, out, services.catalogue)  # the other party's side
        services.vault.close()
    print(f"{width} x {height}, {mode}: written to {out}/")
