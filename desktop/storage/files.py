"""Private files: atomic writes, private copies, folder syncs, and where output may go.

What "private" means on each system is said in desktop.storage.platform.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
from collections.abc import Iterable
from pathlib import Path

from desktop.errors import InvalidInput
from desktop.storage import platform


def create_private(path: Path) -> None:
    """Create an empty file readable by its owner only; fail if it exists."""
    os.close(platform.open_new_private(path))


def make_private_folder(path: Path) -> None:
    """Create ``path`` (and parents) readable by its owner only."""
    path.mkdir(mode=platform.PRIVATE_FOLDER, parents=True, exist_ok=True)
    platform.restrict_folder(path)


def copy_private(source: Path, destination: Path) -> None:
    """Copy ``source`` to a new owner-only file at ``destination`` and flush it."""
    fd = platform.open_new_private(destination)
    with source.open("rb") as reader, os.fdopen(fd, "wb") as writer:
        shutil.copyfileobj(reader, writer, 1024 * 1024)
        writer.flush()
        os.fsync(writer.fileno())


def write_atomically(path: Path, data: bytes | Iterable[bytes]) -> None:
    """Write ``data`` to ``path`` so that a crash leaves the old or the new file, never half.

    ``data`` may come in pieces (a large export is streamed, not held twice).
    """
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        fd = platform.open_new_private(tmp)
        with os.fdopen(fd, "wb") as handle:
            if isinstance(data, bytes):
                handle.write(data)
            else:
                for piece in data:
                    handle.write(piece)
            handle.flush()
            os.fsync(handle.fileno())
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    sync_folder(path.parent)


def sync_folder(folder: Path) -> None:
    """Flush a folder's entries to disk (nothing to do on Windows: see platform.flush_folder)."""
    platform.flush_folder(folder)


def check_output_path(path: Path, vault_folder: Path, force: bool = False) -> Path:
    """Return where ``path`` really leads, if a command or dialog may write a file there.

    Links are followed (also a link at ``path`` itself), so no name leads into
    the vault folder, the folder itself, or a restore's staging folder beside
    it (``.vault.restoring`` and the like).

    Raises:
        InvalidInput: the path leads into the vault folder, is a folder, has no
            folder to go in, or names an existing file and ``force`` is not set.
    """
    try:
        target, vault = path.resolve(), vault_folder.resolve()
    except (OSError, RuntimeError):  # RuntimeError: a loop of links
        raise InvalidInput(f"{path} cannot be followed to a file; choose another.") from None
    if _inside_vault(target, vault):
        raise InvalidInput(
            f"{path} is inside the vault folder {vault_folder}; nothing was written, "
            "choose a place outside it."
        )
    if target.is_dir():
        raise InvalidInput(f"{path} is a folder; give the name of a file to write.")
    if not target.parent.is_dir():
        raise InvalidInput(f"The folder {target.parent} does not exist; nothing was written.")
    if target.exists() and not force:
        raise InvalidInput(f"{path} already exists; add --force to replace it.")
    return target


def _inside_vault(target: Path, vault: Path) -> bool:
    """Say whether ``target`` (resolved) is the vault folder, in it, or in its staging folder."""
    staging = f".{vault.name}."
    for place in (target, *target.parents):
        if place == vault or (place.parent == vault.parent and place.name.startswith(staging)):
            return True
        with contextlib.suppress(OSError):
            if place.exists() and vault.exists() and place.samefile(vault):
                return True  # the same folder under another name (a mount, case folding)
    return False
