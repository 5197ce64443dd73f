"""Saving the profile from the command line and from the Settings window audits the same events.

Old code: the window audited ``profile.changed`` and ``settings.changed`` on
every save, the command line only ``profile.changed``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from desktop.cli.main import run
from desktop.models import AuditEvent
from desktop.procedures.catalogue import load_catalogue
from desktop.sharing.signing_profile import read_signer
from desktop.storage.locations import ENV_PASSPHRASE
from desktop.storage.vault import Vault, unlock_with_passphrase
from desktop.ui.services import Services
from desktop.ui.settings_dialog import SettingsDialog
from tests.conftest import PASSPHRASE
from tests.factories import profiled_vault

ROLE, ORGANISATION = "Designated Safeguarding Lead", "Nowhere Primary (fictional)"
NEW_NAME = "Jo Newname (fictional)"


def _events(vault: Vault) -> list[str]:
    with vault.sessions() as session:
        return list(session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def _by_command_line(folder: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    vault = profiled_vault(folder, role=ROLE, organisation=ORGANISATION)
    before = len(_events(vault))
    vault.close()
    monkeypatch.setenv(ENV_PASSPHRASE, PASSPHRASE)
    argv = ["--vault", str(folder), "profile", "--name", NEW_NAME, "--role", ROLE]
    assert run([*argv, "--organisation", ORGANISATION]) == 0
    with unlock_with_passphrase(folder, PASSPHRASE) as again:
        assert read_signer(again).name == NEW_NAME
        return _events(again)[before:]


def _by_window(folder: Path, qtbot: QtBot) -> list[str]:
    vault = profiled_vault(folder, role=ROLE, organisation=ORGANISATION)
    before = len(_events(vault))
    dialog = SettingsDialog(Services(vault, load_catalogue()))
    qtbot.addWidget(dialog)
    dialog.name.clear()
    qtbot.keyClicks(dialog.name, NEW_NAME)
    box = dialog.findChild(QDialogButtonBox)
    assert box is not None
    box.button(QDialogButtonBox.StandardButton.Save).click()
    assert dialog.saved, dialog.error.text()
    assert read_signer(vault).name == NEW_NAME
    added = _events(vault)[before:]
    vault.close()
    return added


def test_profile_save_audits_the_same_events_from_both_front_doors(
    tmp_path: Path,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from_cli = _by_command_line(tmp_path / "cli", monkeypatch)
    assert "now sign with a certificate that names you" in capsys.readouterr().out
    from_window = _by_window(tmp_path / "window", qtbot)
    assert from_cli == from_window == ["profile.changed"]
