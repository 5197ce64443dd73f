"""The encrypted vault: create, unlock, lock, re-key, refuse damage, migrate."""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

import pytest
import sqlcipher3
from sqlalchemy import select, text

from desktop.errors import (
    InvalidInput,
    VaultDamaged,
    VaultExists,
    VaultInUse,
    VaultLocked,
    VaultNotFound,
    VaultTooNew,
    WrongPassphrase,
)
from desktop.models import Profile
from desktop.storage import schema
from desktop.storage.vault import Vault, create_vault, unlock_with_passphrase, unlock_with_store
from tests.conftest import FAST_KDF, PASSPHRASE, snapshot

MARKER = "ZEBRA-MARKER-7f3c9a Fictional Child Smith"


def _write_marker(vault: Vault) -> None:
    with vault.sessions.begin() as session:
        session.add(
            Profile(
                name=MARKER,
                role="Designated Safeguarding Lead",
                organisation="Nowhere Primary (fictional)",
            )
        )


def _files_contain(folder: Path, needle: bytes) -> list[str]:
    return [p.name for p in folder.rglob("*") if p.is_file() and needle in p.read_bytes()]


def test_marker_is_nowhere_in_the_files_while_open_or_closed(vault: Vault) -> None:
    _write_marker(vault)
    folder = vault.files.folder
    needles = [MARKER.encode(), MARKER.encode("utf-16-le"), b"ZEBRA-MARKER"]
    for needle in needles:
        assert _files_contain(folder, needle) == []
    vault.close()
    for needle in needles:
        assert _files_contain(folder, needle) == []
    with unlock_with_passphrase(folder, PASSPHRASE) as reopened, reopened.sessions() as s:
        assert s.scalar(select(Profile.name)) == MARKER


def test_a_locked_vault_refuses_every_late_caller(vault: Vault) -> None:
    with vault.sessions() as session:
        assert session.scalar(text("SELECT 1")) == 1
    vault.close()
    vault.close()  # twice is harmless
    with pytest.raises(VaultLocked, match="locked"), vault.sessions.begin() as session:
        session.execute(text("SELECT 1"))  # it would reconnect with the key in the engine's URL
    with pytest.raises(VaultLocked), vault.engine.connect():
        pass


def test_plain_sqlite_cannot_read_the_database(vault: Vault) -> None:
    _write_marker(vault)
    vault.close()
    connection = sqlite3.connect(vault.files.database)
    with pytest.raises(sqlite3.DatabaseError, match="not a database"):
        connection.execute("SELECT * FROM sqlite_master").fetchall()
    connection.close()


def test_pragmas_protect_what_is_written(vault: Vault) -> None:
    with vault.engine.connect() as connection:
        values = {
            name: connection.execute(text(f"PRAGMA {name}")).scalar()
            for name in (
                "journal_mode",
                "synchronous",
                "secure_delete",
                "temp_store",
                "foreign_keys",
            )
        }
        cipher = connection.execute(text("PRAGMA cipher_version")).scalar()
    assert values == {
        "journal_mode": "wal",
        "synchronous": 2,
        "secure_delete": 1,
        "temp_store": 2,
        "foreign_keys": 1,
    }
    assert str(cipher).startswith("4.")


def test_vault_files_are_private(vault: Vault) -> None:
    folder = vault.files.folder
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    for name in ("vault.db", "vault.key"):
        assert stat.S_IMODE((folder / name).stat().st_mode) & 0o077 == 0


def test_wrong_passphrase_leaves_every_file_byte_identical(vault: Vault) -> None:
    _write_marker(vault)
    vault.close()
    folder = vault.files.folder
    before = snapshot(folder)
    with pytest.raises(WrongPassphrase, match="does not open this vault"):
        unlock_with_passphrase(folder, "not the passphrase at all")
    assert snapshot(folder) == before


def test_weak_passphrase_is_refused_and_nothing_is_created(vault_dir: Path) -> None:
    with pytest.raises(InvalidInput, match="at least 8 characters"):
        create_vault(vault_dir, "short", params=FAST_KDF)
    assert not vault_dir.exists()


def test_create_refuses_an_existing_vault(vault: Vault) -> None:
    vault.close()
    before = snapshot(vault.files.folder)
    with pytest.raises(VaultExists):
        create_vault(vault.files.folder, PASSPHRASE, params=FAST_KDF)
    assert snapshot(vault.files.folder) == before


def test_missing_vault_is_reported_not_created(tmp_path: Path) -> None:
    with pytest.raises(VaultNotFound, match="There is no vault"):
        unlock_with_passphrase(tmp_path / "nothing", PASSPHRASE)
    assert not (tmp_path / "nothing").exists()


def test_second_opener_is_refused_while_the_first_holds_it(vault: Vault) -> None:
    with pytest.raises(VaultInUse, match="already open"):
        unlock_with_passphrase(vault.files.folder, PASSPHRASE)


@pytest.mark.parametrize("damage", ["random", "truncated", "empty", "flipped"])
def test_damaged_database_is_reported_and_left_alone(vault: Vault, damage: str) -> None:
    _write_marker(vault)
    vault.close()
    db = vault.files.database
    data = db.read_bytes()
    if damage == "random":
        db.write_bytes(os.urandom(len(data)))
    elif damage == "truncated":
        db.write_bytes(data[: len(data) // 3 + 100])
    elif damage == "empty":
        db.write_bytes(b"")
    else:
        flipped = bytearray(data)
        flipped[4096 + 200] ^= 0x01  # inside page 2, which every read of the schema needs
        flipped[200] ^= 0x01  # and inside page 1
        db.write_bytes(bytes(flipped))
    before = snapshot(vault.files.folder)
    with pytest.raises(VaultDamaged, match=r"damaged|missing or empty"):
        unlock_with_passphrase(vault.files.folder, PASSPHRASE)
    assert snapshot(vault.files.folder) == before


def test_damaged_key_file_is_reported_and_left_alone(vault: Vault) -> None:
    vault.close()
    vault.files.key.write_text('{"format": "something else"}')
    before = snapshot(vault.files.folder)
    with pytest.raises(VaultDamaged, match="key file"):
        unlock_with_passphrase(vault.files.folder, PASSPHRASE)
    assert snapshot(vault.files.folder) == before


def test_store_unlock_needs_no_passphrase(vault: Vault, memory_store: object) -> None:
    from desktop.storage.secrets import MemorySecretStore

    assert isinstance(memory_store, MemorySecretStore)
    _write_marker(vault)
    vault.remember(memory_store)
    vault.close()
    with unlock_with_store(vault.files.folder, memory_store) as reopened:
        assert reopened is not None
        with reopened.sessions() as session:
            assert session.scalar(select(Profile.name)) == MARKER


def test_store_without_an_entry_returns_none(vault: Vault) -> None:
    from desktop.storage.secrets import MemorySecretStore

    vault.close()
    assert unlock_with_store(vault.files.folder, MemorySecretStore()) is None


def test_store_holding_another_vaults_key_is_refused(vault: Vault, tmp_path: Path) -> None:
    from desktop.storage.secrets import MemorySecretStore

    store = MemorySecretStore()
    other = create_vault(tmp_path / "other", PASSPHRASE, params=FAST_KDF)
    store.put(vault.vault_id, other._material.encode())
    other.close()
    vault.close()
    with pytest.raises(WrongPassphrase, match="another vault"):
        unlock_with_store(vault.files.folder, store)


def test_older_vault_is_backed_up_then_migrated(vault: Vault) -> None:
    with vault.engine.begin() as connection:
        schema.downgrade(connection, "base")
    vault.close()
    with unlock_with_passphrase(vault.files.folder, PASSPHRASE) as reopened:
        with reopened.engine.connect() as connection:
            assert schema.current_revision(connection) == schema.head_revision()
        with reopened.sessions() as session:
            assert session.scalar(select(Profile.name)) is None  # the tables exist again
    backups = list(vault.files.backups.iterdir())
    assert len(backups) == 1 and backups[0].name.endswith("before-migration-base")
    assert sorted(p.name for p in backups[0].iterdir()) == ["vault.db", "vault.key"]
    # The backup is still encrypted with the same key: it opens as a vault.
    with (
        unlock_with_passphrase(backups[0], PASSPHRASE) as old,
        old.engine.connect() as connection,
    ):
        assert schema.current_revision(connection) == schema.head_revision()


def test_vault_from_a_newer_app_is_refused_untouched(vault: Vault) -> None:
    with vault.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = 'f9999'"))
    vault.close()
    before = snapshot(vault.files.folder)
    with pytest.raises(VaultTooNew, match="newer version"):
        unlock_with_passphrase(vault.files.folder, PASSPHRASE)
    assert snapshot(vault.files.folder) == before


def test_raw_key_opens_the_database_without_key_derivation(vault: Vault) -> None:
    _write_marker(vault)
    key = vault._material.sqlcipher_key
    vault.close()
    connection = sqlcipher3.connect(str(vault.files.database))
    connection.execute(f'PRAGMA key = "{key}"')
    assert connection.execute("SELECT name FROM profile").fetchone() == (MARKER,)
    connection.close()


def test_schema_head_matches_the_newest_migration_script() -> None:
    assert schema.head_revision() == schema.script_head()
