"""Changing the passphrase from Settings: keyboard only, slow work off the GUI thread."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from desktop.errors import WrongPassphrase
from desktop.storage import audit
from desktop.storage.secrets import MemorySecretStore
from desktop.storage.vault import unlock_with_passphrase, unlock_with_store
from desktop.ui.change_passphrase_dialog import ChangePassphraseDialog
from desktop.ui.services import Services
from desktop.ui.settings_dialog import SettingsDialog
from tests.conftest import PASSPHRASE

NEW = "a brand new passphrase for the window"


def test_the_dialog_changes_the_passphrase_and_the_remembered_key(
    qtbot: QtBot, services: Services
) -> None:
    store = MemorySecretStore()
    services.vault.remember(store)
    services = Services(services.vault, services.catalogue, store)
    dialog = ChangePassphraseDialog(services)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.current, "not the passphrase")
    qtbot.keyClicks(dialog.new, NEW)
    qtbot.keyClicks(dialog.repeat, NEW + "x")
    qtbot.keyClick(dialog.repeat, Qt.Key.Key_Return)
    assert "differ" in dialog.message.text()
    dialog.repeat.clear()
    qtbot.keyClicks(dialog.repeat, NEW)
    qtbot.keyClick(dialog.repeat, Qt.Key.Key_Return)  # Enter is the main action
    assert not dialog.new.isEnabled()  # working on a worker meanwhile
    qtbot.waitUntil(lambda: "does not open" in dialog.message.text(), timeout=20_000)
    assert dialog.result() != QDialog.DialogCode.Accepted
    dialog.current.clear()
    qtbot.keyClicks(dialog.current, PASSPHRASE)
    with qtbot.waitSignal(dialog.accepted, timeout=20_000):
        qtbot.keyClick(dialog.current, Qt.Key.Key_Return)
    vault = services.vault
    with vault.sessions.begin() as session:  # the open vault goes on, under the new keys
        audit.record(session, vault.audit_key, "settings.changed")
    assert vault.verify_audit().intact
    vault.close()
    with pytest.raises(WrongPassphrase):
        unlock_with_passphrase(vault.files.folder, PASSPHRASE)
    unlock_with_passphrase(vault.files.folder, NEW).close()
    reopened = unlock_with_store(vault.files.folder, store)
    assert reopened is not None
    reopened.close()


def test_settings_offers_it_and_says_when_it_is_done(
    qtbot: QtBot, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ChangePassphraseDialog, "exec", lambda _self: QDialog.DialogCode.Accepted)
    dialog = SettingsDialog(services)
    qtbot.addWidget(dialog)
    assert dialog.passphrase_button.text() == "Chan&ge passphrase…"
    dialog.passphrase_button.click()
    assert "re-encrypted with new keys" in dialog.passphrase_note.text()
