"""Encrypted, self-contained backups of a vault, and restoring one into a folder.

A backup is a zip holding ``vault.db`` (a consistent SQLCipher copy made with
SQLite's online backup API, so still encrypted with the vault key) and
``vault.key`` (that key, still wrapped under the passphrase, anchoring the
backup's own audit event). Nothing in it is readable without the passphrase,
and no user text is in its file names.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from dataclasses import replace
from pathlib import Path

import sqlcipher3
from sqlalchemy.orm import Session

from desktop import audit, journal, schema
from desktop.database import open_checked
from desktop.errors import VaultDamaged, VaultExists, VaultTooNew
from desktop.files import create_private, make_private_folder, write_atomically
from desktop.instance_lock import InstanceLock
from desktop.keyfile import AuditAnchor, KeyFile, KeyMaterial
from desktop.vault import Vault
from desktop.vault_files import VaultFiles, companions

MEMBERS = ("vault.db", "vault.key")


def write_backup(vault: Vault, destination: Path) -> None:
    """Write an encrypted backup of the open vault to ``destination`` (atomically).

    The backup is audited first, so the copy ends with its own event and its
    key file anchors that event: the backup carries its head.
    """
    with vault.sessions.begin() as session:
        audit.record(session, vault.audit_key, "vault.backed_up")
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


def restore_backup(
    source: Path, folder: Path, passphrase: str, force: bool = False, origin: str = "cli"
) -> Path | None:
    """Restore ``source`` into ``folder``; return where the vault that was there was set aside.

    The backup is checked first: its key must unwrap with ``passphrase``, and
    its database must open, be no newer than this app and pass an integrity
    check. All of it happens under the vault's lock, through the journal
    (desktop.journal): a vault that was there, with its -wal and -shm, is moved
    whole into its backups folder, so it opens with every committed record.

    Raises:
        VaultExists: the folder holds a vault and ``force`` is not set.
        VaultInUse: another window or command has the vault open; nothing is touched.
    """
    database, key = _read(source)
    key_file = KeyFile.from_json(key.decode("utf-8", errors="replace"))
    material = key_file.open(passphrase)  # WrongPassphrase before anything is written
    files = VaultFiles(folder)
    if files.exists() and not force:
        raise _exists(folder)
    make_private_folder(folder)
    lock = InstanceLock(files.lock)
    lock.acquire()
    try:
        journal.recover(files)
        if files.exists() and not force:
            raise _exists(folder)
        return _swap_in(files, database, key_file, material, origin)
    finally:
        lock.release()


def _exists(folder: Path) -> VaultExists:
    return VaultExists(
        f"{folder} already holds a vault; use --force to replace it "
        "(the current one is kept in its backups folder)."
    )


def _swap_in(
    files: VaultFiles, database: bytes, key_file: KeyFile, material: KeyMaterial, origin: str
) -> Path | None:
    """Stage the backup's files, audited and anchored, then swap them in."""
    aside = _aside(files)
    try:
        staged = journal.staged_database(files)
        write_atomically(staged, database)
        anchor = _check_and_record(staged, material, origin)
        anchored = replace(key_file, anchor=anchor).to_json().encode("utf-8")
        write_atomically(journal.staged_key(files), anchored)
        where = str(aside.relative_to(files.folder)) if aside else None
        journal.commit(files, journal.Swap("restore", where))
    except BaseException:
        if not journal.pending(files):
            journal.discard_staged(files)
        raise
    return aside


def _aside(files: VaultFiles) -> Path | None:
    """A new folder under backups/ for the vault there now, or None when there is nothing."""
    if not any(p.exists() for p in (*companions(files.database), files.key)):
        return None
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    aside, n = files.backups / f"{stamp}-before-restore", 1
    while aside.exists():
        n += 1
        aside = files.backups / f"{stamp}-{n}-before-restore"
    return aside


def _check_and_record(database: Path, material: KeyMaterial, origin: str) -> AuditAnchor:
    """Check the staged backup and record the restore in it; return its anchored head."""
    try:
        engine = open_checked(database, material.sqlcipher_key)
    except VaultDamaged:
        raise VaultDamaged("The backup's database is damaged; nothing was restored.") from None
    audit_key = audit.AuditKey(material.audit_key, origin)
    try:
        with engine.connect() as connection:
            revision = schema.current_revision(connection)
            if revision is not None and revision not in schema.known_revisions():
                raise VaultTooNew(
                    "This backup was written by a newer version of Escalation Recorder; "
                    "update the app to restore it. Nothing was restored."
                )
            if (
                revision is None
                or connection.exec_driver_sql("PRAGMA integrity_check").scalar() != "ok"
            ):
                raise VaultDamaged("The backup's database is damaged; nothing was restored.")
        with Session(engine) as session, session.begin():
            event = audit.record(session, audit_key, "vault.restored")
            head = audit.Head(event.id, event.mac)
    finally:
        engine.dispose()
    return audit.seal_anchor(audit_key, head)
