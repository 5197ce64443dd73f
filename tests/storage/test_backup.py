"""Backups: encrypted and self-contained; restore keeps every row and never destroys a vault."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import zipfile
from pathlib import Path

import pytest

from desktop.errors import VaultExists, WrongPassphrase
from desktop.procedures.catalogue import load_catalogue
from desktop.sharing.export import export_cases
from desktop.storage.backup import automatic_backup, restore_backup, write_backup
from desktop.storage.vault import Vault, unlock_with_passphrase
from tests.conftest import PASSPHRASE, run_cli, snapshot
from tests.factories import import_sample

CATALOGUE = load_catalogue()
SAMPLE = Path(__file__).parents[1] / "exchange_sample.json"
NOW = dt.datetime(2026, 12, 30, tzinfo=dt.UTC)


def _fill(vault: Vault) -> dict[str, object]:
    import_sample(vault, CATALOGUE)
    with vault.sessions() as session:
        return export_cases(session, CATALOGUE, NOW)


def test_round_trip_keeps_every_row_and_stays_encrypted(vault: Vault, tmp_path: Path) -> None:
    before = _fill(vault)
    target = tmp_path / "backup.zip"
    write_backup(vault, target)
    raw = target.read_bytes()
    for marker in ("Zażółć gęślą", "C-1042", "Fictional DSL", "Send chronology"):
        assert marker.encode() not in raw and marker.encode("utf-16-le") not in raw
    with zipfile.ZipFile(target) as archive:
        assert sorted(archive.namelist()) == ["vault.db", "vault.key"]
        (tmp_path / "inner.db").write_bytes(archive.read("vault.db"))
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(tmp_path / "inner.db").execute("SELECT * FROM sqlite_master").fetchall()
    restored = tmp_path / "restored"
    restore_backup(target, restored, PASSPHRASE)
    with unlock_with_passphrase(restored, PASSPHRASE) as again, again.sessions() as session:
        assert export_cases(session, CATALOGUE, NOW) == before


def test_restore_refuses_a_vault_without_force_and_keeps_it_aside_with(
    vault: Vault, tmp_path: Path
) -> None:
    _fill(vault)
    target = tmp_path / "backup.zip"
    write_backup(vault, target)
    vault.close()
    folder = vault.files.folder
    before = snapshot(folder)
    with pytest.raises(VaultExists, match="--force"):
        restore_backup(target, folder, PASSPHRASE)
    with pytest.raises(WrongPassphrase):
        restore_backup(target, folder, "not the passphrase", force=True)
    assert snapshot(folder) == before
    restore_backup(target, folder, PASSPHRASE, force=True)
    aside = list((folder / "backups").glob("*-before-restore"))
    assert len(aside) == 1 and sorted(p.name for p in aside[0].iterdir()) == [
        "vault.db",
        "vault.key",
    ]


def test_automatic_backups_keep_the_newest(vault: Vault) -> None:
    for minute in range(4):
        automatic_backup(vault, keep=2, now=dt.datetime(2026, 11, 23, 10, minute, tzinfo=dt.UTC))
    kept = sorted(p.name for p in vault.files.backups.glob("auto-*.zip"))
    assert kept == ["auto-20261123T100200000000Z.zip", "auto-20261123T100300000000Z.zip"]


@pytest.mark.slow
def test_backup_and_restore_commands(tmp_path: Path) -> None:
    folder, target = tmp_path / "vault", tmp_path / "out.zip"
    assert run_cli("--vault", str(folder), "init").returncode == 0
    assert run_cli("--vault", str(folder), "import", str(SAMPLE)).returncode == 0
    made = run_cli("--vault", str(folder), "backup", "-o", str(target))
    assert made.returncode == 0, made.stderr
    again = run_cli("--vault", str(folder), "restore", str(target))
    assert again.returncode == 2 and "--force" in again.stderr
    fresh = tmp_path / "fresh"
    done = run_cli("--vault", str(fresh), "restore", str(target))
    assert done.returncode == 0, done.stderr
    exported = run_cli("--vault", str(fresh), "export")
    assert json.loads(exported.stdout)["cases"][0]["reference"] == "ESC-0001"
    assert run_cli("--vault", str(fresh), "audit", "verify").returncode == 0
    bad = tmp_path / "not-a-backup.zip"
    bad.write_bytes(b"PK not really")
    refused = run_cli("--vault", str(tmp_path / "x"), "restore", str(bad))
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
    assert not (tmp_path / "x").exists()
