"""Around opening a vault folder: no vault refused, a crash's swap settled, the schema migrated.

What :mod:`desktop.storage.vault` does before the database opens and after it
locks, kept apart from the Vault itself: none of it needs the keys.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event, inspect

from desktop.errors import VaultLocked, VaultNotFound, VaultTooNew
from desktop.storage import journal, schema
from desktop.storage.instance_lock import InstanceLock
from desktop.storage.vault_files import VaultFiles


def require_vault(folder: Path) -> None:
    """Raise VaultNotFound when ``folder`` holds no vault."""
    if not VaultFiles(folder).exists():
        raise VaultNotFound(
            f"There is no vault in {folder}; create one with 'escalation-recorder init'."
        )


@contextmanager
def locked(files: VaultFiles) -> Iterator[InstanceLock]:
    """Take the vault's instance lock; give it back only if what runs under it fails."""
    lock = InstanceLock(files.lock)
    lock.acquire()
    try:
        yield lock
    except BaseException:
        lock.release()
        raise


def settle(files: VaultFiles) -> None:
    """Finish a restore or re-key a crash interrupted, before the key file is read.

    Only when its journal is there: otherwise nothing in the folder is touched.
    """
    if journal.pending(files):
        with locked(files) as lock:
            journal.recover(files)
            lock.release()


def migrate(engine: Engine, files: VaultFiles, backup_files: Callable[[Path], None]) -> None:
    """Bring the schema up to date, backing the vault up first; refuse a newer vault.

    Args:
        backup_files: copies the database and key file into the folder it is given.
    """
    with engine.connect() as connection:
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
    backup_files(files.backups / f"{stamp}-before-migration-{current or 'base'}")
    with engine.begin() as connection:
        schema.upgrade(connection)


def made_before_anchoring(engine: Engine) -> bool:
    """Say whether the database predates anchored heads (they came with retired audit keys)."""
    with engine.connect() as connection:
        return not inspect(connection).has_table("audit_epoch")


def retire_engine(engine: Engine) -> None:
    """Close the engine's connections; later connection attempts raise VaultLocked."""
    engine.dispose()
    if not event.contains(engine, "do_connect", _refuse_locked):
        event.listen(engine, "do_connect", _refuse_locked)


def retired(engine: Engine) -> bool:
    """Say whether the engine was retired (the vault was locked or closed)."""
    return event.contains(engine, "do_connect", _refuse_locked)


def _refuse_locked(*_args: Any) -> None:
    raise VaultLocked("The vault is locked; unlock it and try again.")
