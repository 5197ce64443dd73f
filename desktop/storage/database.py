"""The SQLCipher database file: engines with the vault's connection settings, opened and checked.

The live vault, a backup being restored and a database being re-encrypted are
all opened the same way: a raw 256-bit key (no key derivation on open), the
same pragmas, and a first read that fails fast on a wrong key or a damaged file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlcipher3
from sqlalchemy import URL, Engine, create_engine, event, exc

from desktop.errors import StorageFull, VaultDamaged

DAMAGED = (
    "The vault database is damaged or is not an Escalation Recorder vault; "
    "it was left exactly as it was."
)
FULL_WHILE_OPENING = (
    "The disk is full or could not be written, so the vault could not be opened; "
    "nothing was changed. Free some space and try again."
)
# SQLite's result codes for "could not write": the disk (or a size limit) is full,
# or an I/O call failed, as creating the write-ahead log's index does on a full disk.
_WRITE_FAILURES = ("SQLITE_FULL", "SQLITE_IOERR")


def quiet(dbapi_connection: Any) -> None:
    """Keep SQLCipher's own log lines ("ERROR CORE ...") off stderr; errors still raise.

    The level is process-wide in SQLCipher; setting it on every connection
    before its first read covers whichever connection a process opens first.
    """
    dbapi_connection.execute("PRAGMA cipher_log_level = NONE")


def configure_connection(dbapi_connection: Any, _record: Any) -> None:
    """Apply the vault's settings to a new connection (the dialect has issued PRAGMA key)."""
    quiet(dbapi_connection)
    dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN itself (see begin)
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


def begin(connection: Any) -> None:
    """Start SQLAlchemy's transactions with a plain BEGIN (the driver's autocommit is off)."""
    connection.exec_driver_sql("BEGIN")


def make_engine(database: Path, sqlcipher_key: str, *, create: bool = False) -> Engine:
    """Return an engine for ``database`` keyed with ``sqlcipher_key`` (nothing is opened yet)."""
    url = URL.create(
        "sqlite+pysqlcipher",
        password=sqlcipher_key,
        database=f"file:{database.as_posix()}",
        query={"mode": "rwc" if create else "rw", "uri": "true"},
    )
    engine = create_engine(url)
    event.listen(engine, "connect", configure_connection)
    event.listen(engine, "begin", begin)
    return engine


def open_checked(database: Path, sqlcipher_key: str, *, create: bool = False) -> Engine:
    """Return an engine whose first connection has read the database with this key.

    Raises:
        StorageFull: the disk is full (or failed) while opening; nothing was changed.
        VaultDamaged: the key does not open it, or it is not a database.
    """
    engine = make_engine(database, sqlcipher_key, create=create)
    try:
        with engine.connect():  # connecting runs configure_connection's key check
            pass
    except (exc.DBAPIError, sqlcipher3.dbapi2.DatabaseError) as error:
        engine.dispose()
        if could_not_write(error):
            raise StorageFull(FULL_WHILE_OPENING) from None
        raise VaultDamaged(DAMAGED) from None
    return engine


def could_not_write(error: BaseException) -> bool:
    """Say whether SQLite failed because it could not write (full disk), not because of damage."""
    original = getattr(error, "orig", None) or error
    name = getattr(original, "sqlite_errorname", "")
    message = str(original).lower()
    return name.startswith(_WRITE_FAILURES) or "disk is full" in message
