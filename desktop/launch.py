"""The entry point: start unwrapping the vault key while the rest of the app is imported.

With the passphrase in the environment, scrypt's half second and the imports'
half second would otherwise run one after the other. scrypt runs in C without
the interpreter lock, so it goes on a thread as soon as the process starts and
the command picks the key up when it unlocks. Only light modules are imported
here; nothing is written and no error is raised before the command runs (a
wrong passphrase surfaces where the command unlocks, as one sentence).
With no command the window opens, and the command line is not imported at all:
the window paints first and imports the rest after (desktop.app).
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.storage.locations import ENV_PASSPHRASE, default_vault_folder
from desktop.storage.platform import harden_process

if TYPE_CHECKING:
    from desktop.storage.keyfile import EarlyKey

OpenApp = Callable[[Path], int]


def _folder_and_command(argv: Sequence[str]) -> tuple[Path, str | None]:
    """The --vault folder (or the default) and the command word, from global options."""
    folder, index = None, 0
    while index < len(argv):
        word = argv[index]
        if word == "--vault" and index + 1 < len(argv):
            folder, index = Path(argv[index + 1]).expanduser(), index + 2
            continue
        if word.startswith("--vault="):
            folder = Path(word.split("=", 1)[1]).expanduser()
        elif not word.startswith("-"):
            return folder or default_vault_folder(), word
        index += 1
    return folder or default_vault_folder(), None


# Commands that open an existing vault with the passphrase (the others create one,
# restore one, or may not unlock at all).
UNLOCKING = frozenset(
    {
        "change-passphrase",
        "import",
        "export",
        "due",
        "demo",
        "profile",
        "render",
        "countersign",
        "backup",
        "retention",
        "audit",
        "report",
        "transfer",
        "certificate",
        "subject-access",
    }
)


def start_unwrapping(argv: Sequence[str]) -> EarlyKey | None:
    """Begin deriving the key when the passphrase is given and the vault exists; else None."""
    passphrase = os.environ.get(ENV_PASSPHRASE)
    folder, command = _folder_and_command(argv)
    if passphrase is None or command not in UNLOCKING:
        return None
    if (
        folder / "vault.journal"
    ).exists():  # the unlock finishes a swap first (desktop.storage.journal)
        return None
    from concurrent.futures import ThreadPoolExecutor

    from desktop.storage.keyfile import EarlyKey, read_key_file  # cryptography: only when needed

    try:
        key_file = read_key_file(folder / "vault.key")
    except Exception:  # noqa: BLE001 - the command itself reports a missing or bad vault
        return None
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="unwrap")
    future = pool.submit(key_file.open, passphrase)
    pool.shutdown(wait=False)
    return EarlyKey(folder, key_file, future)


def window_only(argv: Sequence[str]) -> bool:
    """Say whether the words ask for the window alone: no command, at most a --vault folder."""
    index = 0
    while index < len(argv):
        if argv[index] == "--vault" and index + 1 < len(argv):
            index += 2
        elif argv[index].startswith("--vault="):
            index += 1
        else:
            return False
    return True


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``escalation-recorder`` console script and ``python -m desktop``."""
    harden_process()
    words = list(sys.argv[1:] if argv is None else argv)
    if window_only(words):  # the window paints first; the command line is not imported
        return _open_app(_folder_and_command(words)[0])
    from desktop.storage.sqlite_setup import stop_memory_statistics

    stop_memory_statistics()  # before any connection: see desktop/sqlite_setup.py
    early = start_unwrapping(words)
    run_command = import_command_line()
    try:
        return run_command(words, early, _open_app)
    finally:
        gc.freeze()  # the exit is not a last collection over everything


def _open_app(folder: Path) -> int:
    """Open the window on ``folder``: what the command line does when given no command."""
    from desktop.app import run_app

    return run_app(folder)


def import_command_line() -> Callable[[list[str], EarlyKey | None, OpenApp], int]:
    """Import the command line, and through it the app's services; return its main.

    The cyclic garbage collector would walk every object the imports create
    (SQLAlchemy's classes and caches are most of them) at each full collection
    while they are created, during the command, and once more as the process
    exits: 0.3 s of CPU in a two-second export. None of them is garbage, so they
    are imported with collection off and then frozen out of it; what the command
    allocates is still collected.
    """
    gc.disable()
    from desktop.cli.main import main as run_command

    gc.freeze()
    gc.enable()
    return run_command
