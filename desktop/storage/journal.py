"""Crash-safe replacement of a vault's database and key file: staged files, a journal, renames.

A restore or a re-key first writes the replacements beside the live files
(``vault.db.new``, ``vault.key.new``), complete and flushed to disk. Writing
the journal (atomically) is the commit point. Before it, whoever opens the
vault next deletes the staged files: the swap never happened. After it, they
finish the swap: the live set (the database, its -wal and -shm, the key file)
is moved into the journal's aside folder, or deleted when it names none, and
the staged files are renamed into place. Every step can be repeated: while a
staged file is present, its live counterpart is still the old one. So a kill
between any two steps leaves one vault that opens, the old or the new, and
the next command finishes or undoes the swap by itself.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

from desktop.errors import VaultDamaged
from desktop.storage.files import make_private_folder, sync_folder, write_atomically
from desktop.storage.platform import flush_file
from desktop.storage.vault_files import VaultFiles, companions, staged

FORMAT = "escalation-recorder.journal/1"


@dataclass(frozen=True)
class Swap:
    """What a journal records: the operation, and where the replaced files go.

    ``aside`` is a folder relative to the vault folder; None deletes them (a
    re-key must not leave the old database beside the new one, openable with
    the old passphrase).
    """

    operation: str
    aside: str | None


def staged_database(files: VaultFiles) -> Path:
    """Where the replacement database is written."""
    return staged(files.database)


def staged_key(files: VaultFiles) -> Path:
    """Where the replacement key file is written."""
    return staged(files.key)


def pending(files: VaultFiles) -> bool:
    """Say whether a swap passed its commit point and is not finished yet."""
    return files.journal.exists()


def discard_staged(files: VaultFiles) -> None:
    """Delete staged files (and their temporary pieces) of a swap that never committed."""
    for path in [*companions(staged_database(files)), staged_key(files)]:
        path.unlink(missing_ok=True)
    names = (staged_database(files).name, staged_key(files).name, files.journal.name)
    for pattern in (f".{name}.*.tmp" for name in names):
        for piece in files.folder.glob(pattern):
            piece.unlink(missing_ok=True)


def commit(files: VaultFiles, swap: Swap) -> None:
    """Make the staged files the vault's: flush them, write the journal, finish the swap.

    Raises:
        VaultDamaged: a staged file is missing, or the staged database still has a log.
    """
    database, key = staged_database(files), staged_key(files)
    if not (database.is_file() and key.is_file()):
        raise VaultDamaged("The replacement vault files were not written; nothing was changed.")
    if any(side.exists() for side in companions(database)[1:]):
        raise VaultDamaged("The replacement database was not closed cleanly; nothing was changed.")
    for path in (database, key):
        flush_file(path)
    sync_folder(files.folder)
    body = {"format": FORMAT, "operation": swap.operation, "aside": swap.aside}
    write_atomically(files.journal, (json.dumps(body) + "\n").encode("utf-8"))
    finish(files, swap)


def recover(files: VaultFiles) -> None:
    """Finish a committed swap, or delete the staged files of one that never committed."""
    if pending(files):
        finish(files, _read(files.journal))
    else:
        discard_staged(files)


def finish(files: VaultFiles, swap: Swap) -> None:
    """Replace each live file that has a staged successor, then remove the journal."""
    aside = files.folder / swap.aside if swap.aside else None
    database, key = staged_database(files), staged_key(files)
    if database.exists():
        # The log first, the database last: a log left without its database is never
        # replayed into the new one, and a database set aside keeps its log.
        for old in reversed(companions(files.database)):
            _retire(old, aside)
        database.replace(files.database)
        sync_folder(files.folder)
    if key.exists():
        _retire(files.key, aside)
        key.replace(files.key)
        sync_folder(files.folder)
    files.journal.unlink(missing_ok=True)
    sync_folder(files.folder)


def _retire(path: Path, aside: Path | None) -> None:
    """Move ``path`` into ``aside`` (made if needed), or delete it when there is no aside."""
    if not path.exists():
        return
    if aside is None:
        path.unlink()
        return
    make_private_folder(aside)
    target = aside / path.name
    if target.exists():  # only a repeated step gets here; never overwrite what was kept
        raise VaultDamaged(f"{target} already exists; the vault was left as it is.")
    path.replace(target)
    sync_folder(aside)


def _read(path: Path) -> Swap:
    """Read a journal; one that cannot be read finishes with the old files kept aside."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data["format"] != FORMAT:
            raise ValueError("unknown journal format")
        aside = data["aside"]
        if aside is not None and (
            not isinstance(aside, str) or Path(aside).is_absolute() or ".." in Path(aside).parts
        ):
            raise ValueError("aside folder outside the vault")
        return Swap(str(data["operation"]), aside)
    except (OSError, ValueError, KeyError, TypeError):
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
        return Swap("unknown", f"backups/{stamp}-unfinished-swap")
