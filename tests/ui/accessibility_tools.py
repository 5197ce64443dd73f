"""The walker's other windows: documents, sharing, checking, settings, the vault's and help.

Each generator opens its window (through ``Walk.shown``) and yields it once per
state worth checking.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from PySide6.QtWidgets import QWidget

from tests.ui.accessibility_checks import settle
from tests.ui.accessibility_walk import CHILD, Walk

TIMEOUT = 20_000


def settings(walk: Walk) -> Iterator[QWidget]:
    """Settings, the first run's profile, and changing the passphrase from Settings."""
    from desktop.ui.change_passphrase_dialog import ChangePassphraseDialog
    from desktop.ui.settings_dialog import SettingsDialog

    dialog = SettingsDialog(walk.services)
    yield walk.shown(dialog)
    yield walk.shown(SettingsDialog(walk.services, first_run=True))
    yield walk.shown(ChangePassphraseDialog(walk.services, dialog))


def signers(walk: Walk) -> Iterator[QWidget]:
    """The confirmed signers (from Settings), the user's own selected."""
    from desktop.ui.confirmed_signers_dialog import ConfirmedSignersDialog

    dialog = ConfirmedSignersDialog(walk.services)
    dialog.table.selectRow(0)
    yield walk.shown(dialog)


def contacts(walk: Walk) -> Iterator[QWidget]:
    """The contacts directory."""
    from desktop.ui.contacts_dialog import ContactsDialog

    yield walk.shown(ContactsDialog(walk.services))


def subject_access(walk: Walk) -> Iterator[QWidget]:
    """Subject access with a child's records loaded."""
    from desktop.ui.subject_access_dialog import SubjectAccessDialog

    yield walk.shown(SubjectAccessDialog(walk.services, CHILD))


def transfers(walk: Walk) -> Iterator[QWidget]:
    """Each tab (send, receive, history); then a package opened on Receive, its sender shown."""
    from desktop.ui.transfers_dialog import TransfersDialog

    dialog = TransfersDialog(walk.services, CHILD)
    yield walk.shown(dialog)
    for index in (1, 2):
        dialog.tabs.setCurrentIndex(index)
        settle()
        yield dialog
    package, words = walk.package()
    dialog.open_package(package)
    settle()
    yield dialog  # the package chosen, its words asked for
    dialog.receive.passphrase.setText(words)
    dialog.receive.open_button.click()
    walk.qtbot.waitUntil(lambda: dialog.receive.preview is not None, timeout=TIMEOUT)
    settle()
    yield dialog


def retention(walk: Walk) -> Iterator[QWidget]:
    """Records past their review date, in a year when the cases are."""
    from desktop.ui.retention_dialog import RetentionDialog

    yield walk.shown(RetentionDialog(walk.services, today=dt.date(2060, 1, 1)))


def verify(walk: Walk) -> Iterator[QWidget]:
    """Check signed documents: before a file is opened, and with one checked."""
    from desktop.ui.verify_dialog import VerifyDialog

    dialog = VerifyDialog(walk.services)
    yield walk.shown(dialog)
    dialog.check([walk.signed_pdf()])
    walk.qtbot.waitUntil(lambda: bool(dialog.panels), timeout=TIMEOUT)
    settle()
    yield dialog


def keep_with_case(walk: Walk) -> Iterator[QWidget]:
    """Keep a received document with a case, a reference typed."""
    from desktop.ui.keep_case_dialog import KeepCaseDialog

    dialog = KeepCaseDialog(walk.services, "Written confirmation (fictional)")
    dialog.reference.setText("WALK")
    yield walk.shown(dialog)


def preview(walk: Walk) -> Iterator[QWidget]:
    """A signed written confirmation's preview, and the passphrase of its encrypted copy."""
    from desktop.sharing.case_documents import prepare_case_document
    from desktop.sharing.signed_documents import produce_document
    from desktop.ui.document_preview import DocumentPreview
    from desktop.ui.passphrase_dialog import PassphraseDialog
    from desktop.ui.save_folder import SaveFolder

    services = walk.services
    job = prepare_case_document(services.vault, services.catalogue, "WALK-1", "confirmation", "2")
    rendered = produce_document(job)
    yield walk.shown(DocumentPreview(services, job, rendered, SaveFolder()))
    saved = "The encrypted copy is saved as WALK-1 written confirmation (encrypted).pdf."
    yield walk.shown(PassphraseDialog("glade brisk pecan maple fjord cobra", saved))


def help_window(walk: Walk) -> Iterator[QWidget]:
    """The guide (F1), and the guide for those receiving documents."""
    from desktop.ui.help_window import RECEIVING, HelpWindow

    yield walk.shown(HelpWindow())
    yield walk.shown(HelpWindow(page=RECEIVING))


def vault_dialogs(walk: Walk) -> Iterator[QWidget]:
    """Unlock (also after a wrong passphrase) and create a vault."""
    from desktop.errors import WrongPassphrase
    from desktop.ui.create_vault_dialog import CreateVaultDialog
    from desktop.ui.unlock_dialog import UnlockDialog

    unlock = UnlockDialog(walk.folder)
    yield walk.shown(unlock)
    unlock.error.setText(WrongPassphrase("That passphrase does not open this vault.").message)
    settle()
    yield unlock
    notice = "This computer has no secure password store, so you will type your passphrase."
    yield walk.shown(CreateVaultDialog(walk.folder.parent / "new", None, notice))
