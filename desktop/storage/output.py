"""Files a user action writes outside the vault, recorded in the same transaction as the write."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from sqlalchemy.orm import Session

from desktop.storage.files import check_output_path, write_atomically
from desktop.storage.vault import Vault

T = TypeVar("T")


def write_recorded(
    vault: Vault, target: Path | None, data: bytes, record: Callable[[Session], T]
) -> T:
    """Record with ``record`` and write ``data`` to ``target`` in one transaction.

    The file is written last, before the commit: a file that cannot be written
    leaves no record behind, and a record is only kept with its file. With no
    ``target`` (the command line printing to stdout), only the record is made.
    A target inside the vault folder is refused, and a vault locked meanwhile
    refuses too: nothing is recorded or written.

    Raises:
        InvalidInput: the target leads into the vault folder or has no folder.
        VaultLocked: the vault was locked since the work began.
        OSError: the file could not be written (nothing was recorded).
    """
    if target is not None:
        check_output_path(target, vault.files.folder, force=True)
    with vault.sessions.begin() as session:
        result = record(session)
        if target is not None:
            write_atomically(target, data)
    return result
