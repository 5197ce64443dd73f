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
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import sqlcipher3
from sqlalchemy import URL, Connection, create_engine, event, exc
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from desktop.errors import VaultDamaged, VaultExists, VaultTooNew
from desktop.storage import audit, journal, schema
from desktop.storage.database import open_checked
from desktop.storage.files import create_private, make_private_folder, write_atomically
from desktop.storage.instance_lock import InstanceLock
from desktop.storage.keyfile import AuditAnchor, KeyFile, KeyMaterial
from desktop.storage.vault import Vault
from desktop.storage.vault_files import VaultFiles, companions

MEMBERS = ("vault.db", "vault.key")
# The audit actions of a backup the user asked for (written wherever they chose)
# and of one the app made in the vault's backups folder.
MANUAL_BACKUP = "vault.backed_up"
AUTOMATIC_BACKUP = "vault.backed_up_automatically"


def write_backup(vault: Vault, destination: Path, *, automatic: bool = False) -> None:
    """Write an encrypted backup of the open vault to ``destination`` (atomically).

    The backup is audited first, so the copy ends with its own event and its
    key file anchors that event: the backup carries its head.
    """
    with vault.sessions.begin() as session:
        audit.record(session, vault.audit_key, AUTOMATIC_BACKUP if automatic else MANUAL_BACKUP)
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
    write_backup(vault, target, automatic=True)
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
    (desktop.storage.journal): a vault that was there, with its -wal and -shm, is moved
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


Removal = Callable[[Connection], bool]


def remove_from_backups(
    folder: Path, key: str, remove: Removal
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Run ``remove`` in every backup in a vault's backups ``folder``; compact those it changed.

    Covers the automatic zips and the copies set aside before a migration or a
    restore. A zip is rewritten atomically with its other members unchanged;
    its audit trail is not touched, so it still verifies. ``remove`` returns
    whether it deleted anything. Only files are used, never the open vault.

    Returns:
        The names of the backups changed, and of those ``key`` (the vault's
        raw key) does not open: made before the database was re-keyed.
    """
    if not folder.is_dir():
        return (), ()
    for leftover in folder.glob(".*.purging.db*"):  # from an interrupted run
        leftover.unlink()
    changed: list[str] = []
    unreadable: list[str] = []
    for path in sorted(folder.iterdir()):
        if path.name.startswith("."):
            continue
        if path.is_file() and path.suffix == ".zip":
            result = _remove_from_zip(path, key, remove)
        elif (path / "vault.db").is_file():
            result = _remove_from_database(path / "vault.db", key, remove)
        else:
            continue
        if result is None:
            unreadable.append(path.name)
        elif result:
            changed.append(path.name)
    return tuple(changed), tuple(unreadable)


def _remove_from_zip(path: Path, key: str, remove: Removal) -> bool | None:
    try:
        with zipfile.ZipFile(path) as archive:
            members = [(info, archive.read(info)) for info in archive.infolist()]
    except (zipfile.BadZipFile, OSError):
        return None
    database = next((data for info, data in members if info.filename == "vault.db"), None)
    if database is None:
        return None
    work = path.with_name(f".{path.stem}.purging.db")
    try:
        write_atomically(work, database)
        result = _remove_from_database(work, key, remove)
        if result:
            edited = work.read_bytes()
            buffer = io.BytesIO()
            with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
                for info, data in members:
                    archive.writestr(info, edited if info.filename == "vault.db" else data)
            write_atomically(path, buffer.getvalue())
    finally:
        for side in (work, work.with_name(work.name + "-wal"), work.with_name(work.name + "-shm")):
            side.unlink(missing_ok=True)
    return result


def _remove_from_database(database: Path, key: str, remove: Removal) -> bool | None:
    """Run ``remove`` in one transaction, then vacuum; None when ``key`` does not open it."""
    url = URL.create(
        "sqlite+pysqlcipher",
        password=key,
        database=f"file:{database.as_posix()}",
        query={"mode": "rw", "uri": "true"},
    )
    engine = create_engine(url, poolclass=NullPool)
    event.listen(engine, "connect", _backup_connection)
    try:
        try:
            connection = engine.connect()
        except (exc.DBAPIError, sqlcipher3.dbapi2.DatabaseError):
            return None  # another key, or not a database: reported, left as it is
        with connection:
            with connection.begin():
                removed = remove(connection)
            if removed:
                compact(connection.connection.driver_connection)
    finally:
        engine.dispose()
    return removed


def _backup_connection(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("SELECT count(*) FROM sqlite_master")  # fails fast on a wrong key
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA secure_delete = ON")
    cursor.execute("PRAGMA temp_store = MEMORY")
    cursor.close()


def compact(dbapi_connection: Any) -> None:
    """Rebuild the database without its free pages and empty its write-ahead log.

    Call outside a transaction. With secure_delete on, deleted cells are
    already zeroed; VACUUM also rewrites every page, and the TRUNCATE
    checkpoint leaves no old frame in the -wal file.
    """
    previous = dbapi_connection.isolation_level
    dbapi_connection.isolation_level = None
    try:
        dbapi_connection.execute("VACUUM")
        dbapi_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        dbapi_connection.isolation_level = previous
