"""Create, unlock, lock and re-key the encrypted vault (SQLCipher 4 through SQLAlchemy)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlcipher3
from sqlalchemy import URL, Engine, create_engine, event, exc
from sqlalchemy.orm import Session, sessionmaker

from desktop import audit, schema
from desktop.errors import (
    KeyringUnavailable,
    StorageFull,
    VaultDamaged,
    VaultExists,
    VaultLocked,
    VaultNotFound,
    VaultTooNew,
    WrongPassphrase,
)
from desktop.files import (
    copy_private,
    create_private,
    make_private_folder,
    sync_folder,
    write_atomically,
)
from desktop.instance_lock import InstanceLock
from desktop.keyfile import (
    KeyFile,
    KeyMaterial,
    ScryptParams,
    read_key_file,
)
from desktop.secrets import SecretStore

DAMAGED = (
    "The vault database is damaged or is not an Escalation Recorder vault; "
    "it was left exactly as it was."
)


@dataclass(frozen=True)
class VaultFiles:
    """The paths that make up a vault folder."""

    folder: Path

    @property
    def database(self) -> Path:
        """The SQLCipher database."""
        return self.folder / "vault.db"

    @property
    def key(self) -> Path:
        """The passphrase-wrapped key material."""
        return self.folder / "vault.key"

    @property
    def lock(self) -> Path:
        """The single-instance lock file."""
        return self.folder / "vault.lock"

    @property
    def backups(self) -> Path:
        """Automatic backups (before migrations, on close)."""
        return self.folder / "backups"

    @property
    def procedures(self) -> Path:
        """User-added procedure definitions."""
        return self.folder / "procedures"

    def database_side_files(self) -> list[Path]:
        """The database and its WAL companions."""
        db = self.database
        return [db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")]

    def exists(self) -> bool:
        """Say whether any vault file is present."""
        return self.key.exists() or self.database.exists()


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

    @property
    def vault_id(self) -> str:
        """The vault's identity, used as the keyring entry's name."""
        return self.key_file.vault_id

    @property
    def sqlcipher_key(self) -> str:
        """The raw key in SQLCipher's form, for a second connection (backups)."""
        return self._material.sqlcipher_key

    @contextmanager
    def reader(self) -> Iterator[sqlcipher3.dbapi2.Connection]:
        """A read-only connection of its own, opened, used and closed on one thread.

        For reading beside the sessions' connection (a large export reads half its
        cases on a second thread). Nothing else writes meanwhile: the instance
        lock keeps every other process out.
        """
        uri = f"{self.files.database.resolve().as_uri()}?mode=ro"
        connection = sqlcipher3.connect(uri, uri=True)
        try:
            connection.execute(f'PRAGMA key = "{self.sqlcipher_key}"')
            _configure_connection(connection, None)
            yield connection
        finally:
            connection.close()

    def close(self) -> None:
        """Lock the vault: drop every connection, forget the keys, release the lock.

        The engine then refuses to connect again: a late caller (a worker's
        answer, a view still holding this vault) gets VaultLocked instead of
        quietly opening the database once more with the key in its URL.
        """
        self.engine.dispose()
        if not event.contains(self.engine, "do_connect", _refuse_locked):
            event.listen(self.engine, "do_connect", _refuse_locked)
        self._lock.release()

    def __enter__(self) -> Vault:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def remember(self, store: SecretStore) -> None:
        """Keep the key material in ``store`` so the vault opens without the passphrase."""
        store.put(self.vault_id, self._material.encode())

    def change_passphrase(self, old: str, new: str, params: ScryptParams | None = None) -> None:
        """Re-wrap the key under ``new``; the database is not re-encrypted.

        The key file is replaced atomically, so exactly one of the two
        passphrases works at any moment.
        """
        self.key_file.open(old)
        sealed = KeyFile.seal(
            self._material, new, params or self.key_file.params, vault_id=self.vault_id
        )
        write_atomically(self.files.key, sealed.to_json().encode("utf-8"))
        self.key_file = sealed
        with self.sessions.begin() as session:
            audit.record(session, self.audit_key, "vault.passphrase_changed")

    def backup_files(self, destination: Path) -> None:
        """Copy the encrypted database and its key file into ``destination``."""
        make_private_folder(destination.parent)
        destination.mkdir(mode=0o700)
        with self.engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            copy_private(self.files.database, destination / "vault.db")
        copy_private(self.files.key, destination / "vault.key")
        sync_folder(destination)


def _engine(files: VaultFiles, material: KeyMaterial, *, create: bool) -> Engine:
    mode = "rwc" if create else "rw"
    url = URL.create(
        "sqlite+pysqlcipher",
        password=material.sqlcipher_key,
        database=f"file:{files.database.as_posix()}",
        query={"mode": mode, "uri": "true"},
    )
    engine = create_engine(url)
    event.listen(engine, "connect", _configure_connection)
    event.listen(engine, "begin", _begin)
    return engine


def _configure_connection(dbapi_connection: Any, _record: Any) -> None:
    # The dialect has already issued PRAGMA key; this runs after it.
    dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN itself (see _begin)
    cursor = dbapi_connection.cursor()
    cursor.execute("SELECT count(*) FROM sqlite_master")  # fails fast on a wrong key
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA secure_delete = ON")
    cursor.execute("PRAGMA temp_store = MEMORY")
    cursor.execute("PRAGMA journal_mode = WAL")
    # FULL, not NORMAL: in WAL mode NORMAL may lose the last commits on power
    # loss; FULL syncs the WAL on every commit, so a commit that returned to
    # the user survives a power cut. Records about children justify the cost.
    cursor.execute("PRAGMA synchronous = FULL")
    # Every page SQLCipher reads is decrypted and checked; SQLite's default cache
    # (2,000 pages) keeps too few of them for a 50,000-case dashboard, which then
    # decrypts the same pages on every query. 64 MiB keeps the cases, current
    # stages and the search index: the dashboard's queries go from 110-190 ms to
    # 30-70 ms at 50,000 cases. The cache lives in this process's memory only.
    cursor.execute("PRAGMA cache_size = -65536")
    cursor.close()


def _refuse_locked(*_args: Any) -> None:
    raise VaultLocked("The vault is locked; unlock it and try again.")


def _begin(connection: Any) -> None:
    connection.exec_driver_sql("BEGIN")


def _checked_open(files: VaultFiles, material: KeyMaterial, *, create: bool) -> Engine:
    engine = _engine(files, material, create=create)
    try:
        with engine.connect():  # connecting runs _configure_connection's key check
            pass
    except (exc.DBAPIError, sqlcipher3.dbapi2.DatabaseError) as error:
        engine.dispose()
        if _is_disk_full(error):
            raise StorageFull("The disk is full; nothing was changed.") from None
        raise VaultDamaged(DAMAGED) from None
    return engine


def _is_disk_full(error: BaseException) -> bool:
    message = str(error).lower()
    return "disk is full" in message or "database or disk is full" in message


def _migrate(vault: Vault) -> None:
    with vault.engine.connect() as connection:
        current = schema.current_revision(connection)
    head = schema.head_revision()
    if current == head:
        return
    if current is not None and current not in schema.known_revisions():
        raise VaultTooNew(
            "This vault was written by a newer version of Escalation Recorder; "
            "update the app to open it."
        )
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    vault.backup_files(vault.files.backups / f"{stamp}-before-migration-{current or 'base'}")
    with vault.engine.begin() as connection:
        schema.upgrade(connection)


def _sessions(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


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
        write_atomically(files.key, sealed.to_json().encode("utf-8"))
        create_private(files.database)  # SQLite gives its -wal and -shm the same mode
        engine = _checked_open(files, material, create=True)
        vault = Vault(
            files,
            sealed,
            engine,
            _sessions(engine),
            audit.AuditKey(material.audit_key, origin),
            material,
            lock,
        )
        with engine.begin() as connection:
            schema.upgrade(connection)
        with vault.sessions.begin() as session:
            audit.record(session, vault.audit_key, "vault.created")
    except BaseException:
        if engine is not None:
            engine.dispose()
        for path in [files.key, *files.database_side_files()]:
            path.unlink(missing_ok=True)
        lock.release()
        raise
    return vault


def _unlock(
    files: VaultFiles, key_file: KeyFile, material: KeyMaterial, lock: InstanceLock, origin: str
) -> Vault:
    if not files.database.exists() or files.database.stat().st_size == 0:
        raise VaultDamaged("The vault's database file is missing or empty; nothing was changed.")
    engine = _checked_open(files, material, create=False)
    vault = Vault(
        files,
        key_file,
        engine,
        _sessions(engine),
        audit.AuditKey(material.audit_key, origin),
        material,
        lock,
    )
    try:
        _migrate(vault)
    except BaseException:
        engine.dispose()
        raise
    return vault


def require_vault(folder: Path) -> None:
    """Raise VaultNotFound when ``folder`` holds no vault."""
    if not VaultFiles(folder).exists():
        raise VaultNotFound(
            f"There is no vault in {folder}; create one with 'escalation-recorder init'."
        )


@contextmanager
def _locked(files: VaultFiles) -> Iterator[InstanceLock]:
    lock = InstanceLock(files.lock)
    lock.acquire()
    try:
        yield lock
    except BaseException:
        lock.release()
        raise


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
    key_file = read_key_file(files.key)
    material = key_file.open(passphrase)
    with _locked(files) as lock:
        return _unlock(files, key_file, material, lock, origin)


def unlock_with_unwrapped(
    folder: Path, key_file: KeyFile, material: KeyMaterial, *, origin: str = "cli"
) -> Vault:
    """Open the vault with key material already unwrapped from ``key_file``.

    Falls back to nothing: if the vault's key file is no longer the one the
    material came from, the vault is refused as damaged rather than guessed at.
    """
    require_vault(folder)
    files = VaultFiles(folder)
    if read_key_file(files.key).vault_id != key_file.vault_id:
        raise VaultDamaged("The vault's key file changed while opening it; try again.")
    with _locked(files) as lock:
        return _unlock(files, key_file, material, lock, origin)


def unlock_with_store(folder: Path, store: SecretStore, *, origin: str = "cli") -> Vault | None:
    """Open the vault with key material remembered in ``store``; None if none is there."""
    require_vault(folder)
    files = VaultFiles(folder)
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
    with _locked(files) as lock:
        return _unlock(files, key_file, material, lock, origin)
