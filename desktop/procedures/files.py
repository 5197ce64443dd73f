"""Procedure files as text: the bundled ones, a user's, and the form the vault hashes.

A user's file is read only if it is a regular file of at most 1 MiB in UTF-8,
opened without blocking: a FIFO, a device or a 20 MB file named ``*.toml``
is refused at once with a sentence naming it.
"""

from __future__ import annotations

import hashlib
import os
import stat
from importlib import resources
from pathlib import Path

from desktop.errors import InvalidInput
from desktop.storage.platform import open_to_read

# A procedure file is a few dozen kilobytes; a larger one is refused before it is parsed.
MAX_FILE_BYTES = 1024 * 1024


def canonical_text(text: str) -> str:
    """Return a definition's text as the vault keeps and hashes it: no BOM, LF line ends."""
    return text.removeprefix("\ufeff").replace("\r\n", "\n")


def definition_hash(text: str) -> str:
    """Return the SHA-256 (hex) of a definition's canonical text: its identity in the vault."""
    return hashlib.sha256(canonical_text(text).encode("utf-8")).hexdigest()


def read_user_file(path: Path) -> str:
    """Read a user's procedure file: a regular file of at most 1 MiB, UTF-8.

    Opened without blocking, so a FIFO or device named ``*.toml`` cannot hang a command.

    Raises:
        InvalidInput: naming the file and why it cannot be used.
    """
    try:
        descriptor = open_to_read(path)
    except OSError as error:
        raise InvalidInput(f"{path}: cannot be read ({error.strerror}).") from None
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise InvalidInput(f"{path}: not a regular file.")
        with os.fdopen(descriptor, "rb", closefd=False) as file:
            data = file.read(MAX_FILE_BYTES + 1)
    finally:
        os.close(descriptor)
    if len(data) > MAX_FILE_BYTES:
        raise InvalidInput(f"{path}: larger than 1 MiB, so not a procedure file.")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidInput(f"{path}: not UTF-8 text.") from None


def bundled_texts() -> list[tuple[str, str]]:
    """Return (name, text) of every procedure file shipped with the app."""
    folder = resources.files("desktop.resources").joinpath("procedures")
    return sorted(
        (entry.name, entry.read_text(encoding="utf-8"))
        for entry in folder.iterdir()
        if entry.name.endswith(".toml")
    )
