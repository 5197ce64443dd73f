"""The entry point unwraps the key while the app imports, for the vault the command names."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.errors import WrongPassphrase
from desktop.launch import start_unwrapping
from desktop.storage.vault import Vault
from tests.conftest import PASSPHRASE


def test_the_named_vault_is_unwrapped_early(vault: Vault, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = vault.files.folder
    monkeypatch.setenv("ESCALATION_RECORDER_PASSPHRASE", PASSPHRASE)
    early = start_unwrapping(["--vault", str(folder), "due"])
    assert early is not None and early.folder == folder
    assert early.material.result().database_key == vault._material.database_key
    equals = start_unwrapping([f"--vault={folder}", "export"])
    assert equals is not None and equals.folder == folder


def test_nothing_is_started_without_a_passphrase_or_a_vault(
    vault: Vault, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = str(vault.files.folder)
    monkeypatch.delenv("ESCALATION_RECORDER_PASSPHRASE", raising=False)
    assert start_unwrapping(["--vault", folder, "due"]) is None
    monkeypatch.setenv("ESCALATION_RECORDER_PASSPHRASE", PASSPHRASE)
    assert start_unwrapping(["--vault", str(tmp_path / "none"), "due"]) is None
    assert start_unwrapping(["--vault", folder, "init"]) is None
    assert start_unwrapping([]) is None


def test_a_wrong_passphrase_surfaces_where_the_command_unlocks(
    vault: Vault, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ESCALATION_RECORDER_PASSPHRASE", "not the passphrase")
    early = start_unwrapping(["--vault", str(vault.files.folder), "due"])
    assert early is not None
    with pytest.raises(WrongPassphrase):
        early.material.result()


def test_nothing_is_unwrapped_early_while_a_swap_waits_to_be_finished(
    vault: Vault, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ESCALATION_RECORDER_PASSPHRASE", PASSPHRASE)
    vault.files.journal.write_text("{}")  # the unlock itself must finish the swap first
    assert start_unwrapping(["--vault", str(vault.files.folder), "change-passphrase"]) is None
    vault.files.journal.unlink()
    assert start_unwrapping(["--vault", str(vault.files.folder), "change-passphrase"]) is not None
