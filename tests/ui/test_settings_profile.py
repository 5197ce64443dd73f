"""Saving a changed name in Settings issues the certificate that signs under that name."""

from __future__ import annotations

from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from desktop.models import AuditEvent
from desktop.sharing.signed_documents import signing_identity
from desktop.ui.services import Services
from desktop.ui.settings_dialog import SettingsDialog


def _subject(services: Services) -> str:
    from cryptography import x509

    with services.vault.sessions.begin() as session:
        pem = signing_identity(session).cert_pem
    return x509.load_pem_x509_certificate(pem.encode()).subject.rfc4514_string()


def _save(qtbot: QtBot, services: Services, name: str | None = None) -> None:
    dialog = SettingsDialog(services)
    qtbot.addWidget(dialog)
    if name is not None:
        dialog.name.clear()
        qtbot.keyClicks(dialog.name, name)
    box = dialog.findChild(QDialogButtonBox)
    assert box is not None
    box.button(QDialogButtonBox.StandardButton.Save).click()
    assert dialog.saved, dialog.error.text()


def test_a_new_name_in_settings_gets_a_certificate_naming_it(
    qtbot: QtBot, services: Services
) -> None:
    assert "Alex Example (fictional)" in _subject(services)
    _save(qtbot, services)  # other settings only: the certificate stays
    before = _subject(services)
    _save(qtbot, services, "Jo Newname (fictional)")
    assert "CN=Jo Newname (fictional)" in _subject(services) != before
    with services.vault.sessions() as session:
        actions = list(session.scalars(select(AuditEvent.action)))
    assert actions.count("profile.changed") == 2  # the fixture's first profile, then the new name
