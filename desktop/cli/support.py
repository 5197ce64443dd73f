"""What every command needs: unlocking the vault, reading a named file, where output goes."""

from __future__ import annotations

import argparse
import contextlib
import getpass
import os
import sys
from collections.abc import Iterable
from pathlib import Path

from desktop.errors import InvalidInput
from desktop.procedures.catalogue import Catalogue, load_catalogue
from desktop.storage.files import check_output_path
from desktop.storage.keyfile import KeyMaterial, read_key_file
from desktop.storage.locations import ENV_PASSPHRASE
from desktop.storage.opening import require_vault
from desktop.storage.secrets import KeyringSecretStore, judge_keyring
from desktop.storage.vault import (
    Vault,
    VaultFiles,
    unlock_with_passphrase,
    unlock_with_unwrapped,
)
from desktop.storage.vault import unlock_with_store as vault_unlock_with_store

PROG = "escalation-recorder"
EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT, EXIT_BUG = 0, 1, 2, 70
EXIT_PIPE = 141  # what read the output closed it: as a shell reports SIGPIPE (128 + 13)


def prompt(label: str, variable: str = ENV_PASSPHRASE) -> str:
    """Ask for a passphrase at the terminal; without one, name the variable that gives it."""
    if not sys.stdin.isatty():
        raise InvalidInput(
            f"No passphrase given: set {variable} or run from a terminal to be asked."
        )
    return getpass.getpass(f"{label}: ")


def new_passphrase(variable: str = ENV_PASSPHRASE) -> str:
    """Return a new passphrase from ``variable`` in the environment or asked twice."""
    given = os.environ.get(variable)
    if given is not None:
        return given
    first = prompt("New passphrase", variable)
    if prompt("Repeat the passphrase", variable) != first:
        raise InvalidInput("The two passphrases differ; nothing was changed.")
    return first


def unlock(args: argparse.Namespace) -> Vault:
    """Open ``args.vault``: the environment's passphrase, else the OS keyring, else a prompt.

    With the passphrase in the environment, the key the entry point began
    unwrapping (``args.early_key``) is used when it is for this vault.
    """
    folder: Path = args.vault
    require_vault(folder)
    given = os.environ.get(ENV_PASSPHRASE)
    if given is not None:
        early = getattr(args, "early_key", None)
        if early is not None and early.folder.resolve() == folder.resolve():
            return unlock_with_unwrapped(folder, early.key_file, early.material.result())
        return unlock_with_passphrase(folder, given, origin="cli")
    verdict, _backend = judge_keyring()
    if verdict.secure:
        opened = vault_unlock_with_store(folder, KeyringSecretStore.open(), origin="cli")
        if opened is not None:
            return opened
    return unlock_with_passphrase(folder, prompt("Passphrase"), origin="cli")


def vault_key(args: argparse.Namespace) -> KeyMaterial | None:
    """The vault's keys, found as ``unlock`` finds them but without opening the vault.

    For a read that must not wait for the vault's lock (``read_only_database``).
    None when nothing gives the key without asking and there is no terminal to ask at.
    """
    folder: Path = args.vault
    key_file = read_key_file(VaultFiles(folder).key)
    given = os.environ.get(ENV_PASSPHRASE)
    if given is not None:
        early = getattr(args, "early_key", None)
        if early is not None and early.folder.resolve() == folder.resolve():
            material: KeyMaterial = early.material.result()
            return material
        return key_file.open(given)
    verdict, _backend = judge_keyring()
    if verdict.secure:
        remembered = KeyringSecretStore.open().get(key_file.vault_id)
        with contextlib.suppress(ValueError):  # damaged: ask for the passphrase instead
            if remembered is not None:
                return KeyMaterial.decode(remembered)
    if not sys.stdin.isatty():
        return None
    return key_file.open(prompt("Passphrase"))


MAX_READ = 256 * 1024 * 1024  # far above any import, package or PDF the app makes


def read_file(path: Path) -> bytes:
    """Read a file the user named (up to 256 MB); a failure is one sentence naming it."""
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_READ + 1)
    except OSError as error:
        raise InvalidInput(f"Cannot read {path}: {error.strerror}.") from None
    if len(data) > MAX_READ:
        raise InvalidInput(f"Cannot read {path}: it is larger than 256 MB.")
    return data


def catalogue_for(args: argparse.Namespace) -> Catalogue:
    """The bundled procedures plus those in the vault's procedures folder.

    A user file that cannot be used is skipped with one line on stderr naming it.
    """
    catalogue = load_catalogue(VaultFiles(args.vault).procedures)
    for notice in catalogue.notices:
        print(f"{PROG}: {notice}", file=sys.stderr)
    return catalogue


def add_output(
    parser: argparse.ArgumentParser, *, required: bool = True, metavar: str = "FILE", help: str = ""
) -> None:
    """Add ``-o FILE`` and ``--force`` (replace an existing file) to a command."""
    parser.add_argument(
        "-o", "--output", type=Path, required=required, metavar=metavar, help=help or None
    )
    parser.add_argument("--force", action="store_true", help="replace the file if it exists")


def checked_output(args: argparse.Namespace) -> None:
    """Refuse a NUL in a file name, output inside the vault, or an existing file without --force.

    Checked before the vault is opened, so a refused command changes nothing.
    """
    for value in vars(args).values():
        for path in value if isinstance(value, list) else [value]:
            if isinstance(path, Path) and "\0" in str(path):
                raise InvalidInput("A file name cannot hold a NUL character; nothing was done.")
    if getattr(args, "output", None) is not None:
        args.output = check_output_path(args.output, args.vault, getattr(args, "force", False))


def write_pieces(pieces: Iterable[bytes]) -> None:
    """Write each piece whole to standard output before asking for the next one.

    Straight to the file descriptor: Python's buffered writer can report a
    piece as written when a closed pipe took only part of it, and the export
    records how many cases went out.
    """
    sys.stdout.flush()
    try:
        fd = sys.stdout.fileno()
    except (OSError, ValueError):  # no descriptor: output captured in-process
        for piece in pieces:
            sys.stdout.buffer.write(piece)
        return
    for piece in pieces:
        view = memoryview(piece)
        while view:
            view = view[os.write(fd, view) :]


def quiet_after_closed_pipe() -> int:
    """End quietly, as Unix tools do, when what read our output has closed it (``| head``).

    Python's advice: point standard output at the null device, so that the
    flush at exit has somewhere to go instead of printing a second error.
    """
    # ValueError: no real file descriptor
    with contextlib.suppress(OSError, ValueError), Path(os.devnull).open("wb") as null:
        os.dup2(null.fileno(), sys.stdout.fileno())
    return EXIT_PIPE
