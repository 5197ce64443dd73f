"""Create, unlock and lock the encrypted vault (SQLCipher 4 through SQLAlchemy).

Every unlock first finishes or undoes a restore or re-key that a crash
interrupted (desktop.storage.journal), then opens the database with the raw key. Each
commit that records an audit event then anchors the chain's head in the key
file (desktop.storage.audit explains why).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

import sqlcipher3
from sqlalchemy import Engine, event
from sqlalchemy.orm import Session, sessionmaker

from desktop.errors import (
    KeyringUnavailable,
    StorageFull,
    VaultDamaged,
    VaultExists,
    VaultLocked,
    WrongPassphrase,
)
from desktop.storage import audit, journal, schema
from desktop.storage.database import configure_connection, open_checked
from desktop.storage.files import (
    copy_private,
    create_private,
    make_private_folder,
    sync_folder,
    write_atomically,
)
from desktop.storage.instance_lock import InstanceLock
from desktop.storage.keyfile import (
    KeyFile,
    KeyMaterial,
    ScryptParams,
    read_key_file,
)
from desktop.storage.opening import (
    locked,
    made_before_anchoring,
    migrate,
    require_vault,
    retire_engine,
    retired,
    settle,
)
from desktop.storage.secrets import SecretStore
from desktop.storage.vault_files import VaultFiles

__all__ = [
    "Vault",
    "VaultFiles",
    "create_vault",
    "unlock_with_passphrase",
    "unlock_with_store",
    "unlock_with_unwrapped",
]

CHANGED_WHILE_OPENING = (
    "The vault's keys changed while it was being opened (a passphrase change or a "
    "restore finished); open it again."
)
_PENDING = "vault.anchor_pending"  # Session.info: the head to anchor once the commit returns


@dataclass
class Vault:
    """An unlocked vault: its engine, session factory and audit key.

    Use ``with vault.sessions.begin() as session:`` for one user action.
    """

    files: VaultFiles
    key_file: KeyFile
    engine: Engine
    sessions: sessionmaker[Session]
    audit_key: audit.AuditKey
    _material: KeyMaterial = field(repr=False)
    _lock: InstanceLock = field(repr=False)
    anchoring: bool = False
    _anchor_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def vault_id(self) -> str:
        """The vault's identity, used as the keyring entry's name."""
        return self.key_file.vault_id

    @property
    def sqlcipher_key(self) -> str:
        """The raw key in SQLCipher's form, for a second connection (backups)."""
        return self._material.sqlcipher_key

    @property
    def material(self) -> KeyMaterial:
        """The keys this vault is open with (a re-key replaces them)."""
        return self._material

    @contextmanager
    def reader(self) -> Iterator[sqlcipher3.dbapi2.Connection]:
        """A read-only connection of its own, opened, used and closed on one thread.

        For reading beside the sessions' connection (a large export reads half its
        cases on a second thread). Nothing else writes meanwhile: the instance
        lock keeps every other process out.

        Raises:
            VaultLocked: the vault was locked (closed) meanwhile.
        """
        if retired(self.engine):
            raise VaultLocked("The vault is locked; unlock it and try again.")
        uri = f"{self.files.database.resolve().as_uri()}?mode=ro"
        connection = sqlcipher3.connect(uri, uri=True)
        try:
            connection.execute(f'PRAGMA key = "{self.sqlcipher_key}"')
            configure_connection(connection, None)
            yield connection
        finally:
            connection.close()

    def close(self) -> None:
        """Lock the vault: drop every connection, forget the keys, release the lock.

        The engine then refuses to connect again: a late caller (a worker's
        answer, a view still holding this vault) gets VaultLocked instead of
        quietly opening the database once more with the key in its URL.
        """
        retire_engine(self.engine)
        self._lock.release()

    def __enter__(self) -> Vault:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def remember(self, store: SecretStore) -> None:
        """Keep the key material in ``store`` so the vault opens without the passphrase."""
        store.put(self.vault_id, self._material.encode())

    def backup_files(self, destination: Path) -> None:
        """Copy the encrypted database and its key file into ``destination``."""
        make_private_folder(destination.parent)
        destination.mkdir(mode=0o700)
        with self.engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            copy_private(self.files.database, destination / "vault.db")
        copy_private(self.files.key, destination / "vault.key")
        sync_folder(destination)

    def verify_audit(self) -> audit.ChainReport:
        """Verify the audit chain against the head anchored in the key file on disk."""
        anchor = read_key_file(self.files.key).anchor
        with self.sessions() as session:
            return audit.verify(session, self.audit_key, anchor, anchor_required=True)

    def release_database(self) -> None:
        """Close every connection to the database, keeping the lock (before its files swap)."""
        retire_engine(self.engine)

    def adopt(self, key_file: KeyFile, material: KeyMaterial) -> None:
        """Open the database now in place with ``material``; the session factory stays the same.

        Raises:
            VaultDamaged, StorageFull: the database does not open with these keys.
        """
        engine = open_checked(self.files.database, material.sqlcipher_key)
        self.engine = engine
        self.sessions.configure(bind=engine)
        self._material = material
        self.audit_key = audit.AuditKey(material.audit_key, self.audit_key.origin)
        self.key_file = key_file

    def anchor(self, head: audit.Head) -> None:
        """Keep ``head`` in the key file as the newest committed one (never moving it back).

        A failed write (a full disk) leaves the anchor behind the database,
        which verification accepts; the next commit writes it again.
        """
        with self._anchor_lock:
            current = self.key_file.anchor
            if not self.anchoring or (current is not None and current.event >= head.event):
                return
            updated = replace(self.key_file, anchor=audit.seal_anchor(self.audit_key, head))
            try:
                write_atomically(self.files.key, updated.to_json().encode("utf-8"))
            except OSError:
                return
            self.key_file = updated

    def _on_before_commit(self, session: Session) -> None:
        if session.info.pop(audit.RECORDED, False):
            session.info[_PENDING] = audit.newest(session)

    def _on_after_commit(self, session: Session) -> None:
        head = session.info.pop(_PENDING, None)
        if head is not None:
            self.anchor(head)

    def _on_after_rollback(self, session: Session) -> None:
        session.info.pop(_PENDING, None)
        session.info.pop(audit.RECORDED, None)


def _assemble(
    files: VaultFiles,
    key_file: KeyFile,
    engine: Engine,
    material: KeyMaterial,
    lock: InstanceLock,
    origin: str,
) -> Vault:
    """Build the Vault and let its commits anchor the audit head."""
    vault = Vault(
        files,
        key_file,
        engine,
        sessionmaker(engine, expire_on_commit=False),
        audit.AuditKey(material.audit_key, origin),
        material,
        lock,
    )
    event.listen(vault.sessions, "before_commit", vault._on_before_commit)
    event.listen(vault.sessions, "after_commit", vault._on_after_commit)
    event.listen(vault.sessions, "after_rollback", vault._on_after_rollback)
    return vault


def create_vault(
    folder: Path,
    passphrase: str,
    *,
    params: ScryptParams | None = None,
    origin: str = "cli",
) -> Vault:
    """Create a new vault in ``folder`` (made private if new) and return it unlocked.

    Raises:
        VaultExists: the folder already holds a vault; nothing is touched.
        InvalidInput: the passphrase is too weak.
    """
    files = VaultFiles(folder)
    exists = VaultExists(f"A vault already exists in {folder}; nothing was changed.")
    if files.exists():
        raise exists
    material = KeyMaterial.generate()
    sealed = KeyFile.seal(material, passphrase, params or ScryptParams())
    make_private_folder(folder)
    lock = InstanceLock(files.lock)
    lock.acquire()
    if files.exists():  # created by another process since the first look
        lock.release()
        raise exists
    engine: Engine | None = None
    try:
        create_private(files.database)  # SQLite gives its -wal and -shm the same mode
        engine = open_checked(files.database, material.sqlcipher_key, create=True)
        vault = _assemble(files, sealed, engine, material, lock, origin)
        vault.anchoring = True
        with engine.begin() as connection:
            schema.upgrade(connection)
        with vault.sessions.begin() as session:
            audit.record(session, vault.audit_key, "vault.created")
        # The key file is written once, by that commit, already holding the anchor.
        if not files.key.exists():
            raise StorageFull("The disk is full; the vault was not created.")
    except BaseException:
        if engine is not None:
            engine.dispose()
        for path in [files.key, *files.database_side_files()]:
            path.unlink(missing_ok=True)
        lock.release()
        raise
    return vault


def _unlock(files: VaultFiles, material: KeyMaterial, lock: InstanceLock, origin: str) -> Vault:
    """Under the lock: settle any swap, check the keys still fit, open and migrate."""
    journal.recover(files)
    key_file = read_key_file(files.key)
    if not key_file.matches(material):
        raise VaultDamaged(CHANGED_WHILE_OPENING)
    if not files.database.exists() or files.database.stat().st_size == 0:
        raise VaultDamaged("The vault's database file is missing or empty; nothing was changed.")
    engine = open_checked(files.database, material.sqlcipher_key)
    vault = _assemble(files, key_file, engine, material, lock, origin)
    try:
        legacy = key_file.anchor is None and made_before_anchoring(engine)
        migrate(engine, files, vault.backup_files)
        _start_anchoring(vault, legacy)
    except BaseException:
        engine.dispose()
        raise
    return vault


def _start_anchoring(vault: Vault, legacy: bool) -> None:
    """Anchor from now on if the key file's anchor still matches the chain, or none was ever made.

    An anchor that is missing, not sealed, or no longer in the chain is the
    evidence of deleted or rewritten events: it is left as it is (verify reports it).
    """
    anchor = vault.key_file.anchor
    if legacy:
        vault.anchoring = True
        with vault.sessions.begin() as session:
            audit.record(session, vault.audit_key, "audit.anchored")
    elif anchor is not None:
        with vault.sessions() as session:
            vault.anchoring = audit.anchor_holds(session, vault.audit_key, anchor)


def unlock_with_passphrase(folder: Path, passphrase: str, *, origin: str = "cli") -> Vault:
    """Open the vault in ``folder`` with its passphrase.

    The key is unwrapped before anything in the folder is touched, so a wrong
    passphrase leaves every file byte-identical.

    Raises:
        VaultNotFound, VaultInUse, WrongPassphrase, VaultDamaged, VaultTooNew:
            each with a sentence for the user; the files are left as they were.
    """
    require_vault(folder)
    files = VaultFiles(folder)
    settle(files)
    material = read_key_file(files.key).open(passphrase)
    with locked(files) as lock:
        return _unlock(files, material, lock, origin)


def unlock_with_unwrapped(
    folder: Path, key_file: KeyFile, material: KeyMaterial, *, origin: str = "cli"
) -> Vault:
    """Open the vault with key material already unwrapped from ``key_file``.

    Falls back to nothing: if the vault's key file is no longer the one the
    material came from, the vault is refused rather than guessed at.
    """
    require_vault(folder)
    files = VaultFiles(folder)
    if journal.pending(files) or read_key_file(files.key).vault_id != key_file.vault_id:
        raise VaultDamaged(CHANGED_WHILE_OPENING)
    with locked(files) as lock:
        return _unlock(files, material, lock, origin)


def unlock_with_store(folder: Path, store: SecretStore, *, origin: str = "cli") -> Vault | None:
    """Open the vault with key material remembered in ``store``; None if none is there."""
    require_vault(folder)
    files = VaultFiles(folder)
    settle(files)
    key_file = read_key_file(files.key)
    remembered = store.get(key_file.vault_id)
    if remembered is None:
        return None
    try:
        material = KeyMaterial.decode(remembered)
    except ValueError:
        raise KeyringUnavailable(
            "The key remembered in the keyring is damaged; use the passphrase."
        ) from None
    if not key_file.matches(material):
        raise WrongPassphrase(
            "The key remembered in the keyring belongs to another vault; use the passphrase."
        )
    with locked(files) as lock:
        return _unlock(files, material, lock, origin)
