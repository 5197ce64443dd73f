"""Encrypted, self-contained backups of a vault, and restoring one into a folder.

A backup is a zip holding ``vault.db`` (a consistent SQLCipher copy made with
SQLite's online backup API, so still encrypted with the vault key) and
``vault.key`` (that key, still wrapped under the passphrase). Nothing in it is
readable without the passphrase, and no user text is in its file names.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import sqlcipher3

from desktop import audit
from desktop.errors import InvalidInput, VaultDamaged, VaultExists
from desktop.files import create_private, make_private_folder, write_atomically
from desktop.keyfile import KeyFile
from desktop.vault import Vault, VaultFiles, unlock_with_passphrase

MEMBERS = ("vault.db", "vault.key")


def write_backup(vault: Vault, destination: Path) -> None:
    """Write an encrypted backup of the open vault to ``destination`` (atomically)."""
    snapshot = destination.with_name(f".{destination.name}.db.tmp")
    snapshot.unlink(missing_ok=True)
    create_private(snapshot)
    try:
        source = vault.engine.raw_connection()
        try:
            target = sqlcipher3.connect(str(snapshot))
            target.execute(f'PRAGMA key = "{vault.sqlcipher_key}"')
            source.driver_connection.backup(target)  # type: ignore[union-attr]  # sqlcipher3
            target.close()
        finally:
            source.close()
        data = _zip(snapshot.read_bytes(), vault.files.key.read_bytes())
        write_atomically(destination, data)
    finally:
        snapshot.unlink(missing_ok=True)
    with vault.sessions.begin() as session:
        audit.record(session, vault.audit_key, "vault.backed_up")


def _zip(database: bytes, key: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("vault.db", database)
        archive.writestr("vault.key", key)
    return buffer.getvalue()


def automatic_backup(vault: Vault, keep: int, now: dt.datetime | None = None) -> Path:
    """Back up into the vault's backups folder and keep only the newest ``keep`` of them."""
    folder = vault.files.backups
    make_private_folder(folder)
    stamp = (now or dt.datetime.now(dt.UTC)).strftime("%Y%m%dT%H%M%S%fZ")
    target = folder / f"auto-{stamp}.zip"
    write_backup(vault, target)
    for old in sorted(folder.glob("auto-*.zip"))[: -max(keep, 1)]:
        old.unlink()
    return target


def _read(path: Path) -> tuple[bytes, bytes]:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if not set(MEMBERS) <= names:
                raise VaultDamaged(f"{path.name} is not an Escalation Recorder backup.")
            return archive.read("vault.db"), archive.read("vault.key")
    except (zipfile.BadZipFile, OSError) as error:
        raise VaultDamaged(f"{path.name} is not a readable backup ({error}).") from None


def restore_backup(source: Path, folder: Path, passphrase: str, force: bool = False) -> None:
    """Restore ``source`` into ``folder``; an existing vault is kept aside, never deleted.

    The backup is checked first: its key must unwrap with ``passphrase`` and
    its database must open and pass an integrity check.

    Raises:
        VaultExists: the folder holds a vault and ``force`` is not set.
    """
    database, key = _read(source)
    key_file = KeyFile.from_json(key.decode("utf-8", errors="replace"))
    key_file.open(passphrase)  # WrongPassphrase before anything is written
    files = VaultFiles(folder)
    if files.exists() and not force:
        raise VaultExists(
            f"{folder} already holds a vault; use --force to replace it "
            "(the current one is kept in its backups folder)."
        )
    staging = folder.parent / f".{folder.name}.restoring"
    if staging.exists():
        raise InvalidInput(f"A restore into {folder} seems to be under way ({staging}).")
    make_private_folder(staging)
    write_atomically(staging / "vault.db", database)
    write_atomically(staging / "vault.key", key)
    try:
        with unlock_with_passphrase(staging, passphrase) as check, check.engine.connect() as c:
            if c.exec_driver_sql("PRAGMA integrity_check").scalar() != "ok":
                raise VaultDamaged("The backup's database is damaged; nothing was restored.")
    except BaseException:
        for path in staging.iterdir():
            path.unlink()
        staging.rmdir()
        raise
    if files.exists():
        aside = files.backups / dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ-before-restore")
        make_private_folder(aside)
        for path in (files.database, files.key):
            if path.exists():
                path.replace(aside / path.name)
    make_private_folder(folder)
    for name in MEMBERS:
        (staging / name).replace(folder / name)
    for leftover in staging.iterdir():
        leftover.unlink()
    staging.rmdir()
    with (
        unlock_with_passphrase(folder, passphrase) as restored,
        restored.sessions.begin() as session,
    ):
        audit.record(session, restored.audit_key, "vault.restored")
