"""What every command needs: unlocking the vault, reading a named file, the procedures."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path

from desktop.errors import InvalidInput
from desktop.locations import ENV_PASSPHRASE
from desktop.procedures import Catalogue, load_catalogue
from desktop.secrets import KeyringSecretStore, judge_keyring
from desktop.vault import (
    Vault,
    VaultFiles,
    require_vault,
    unlock_with_passphrase,
    unlock_with_unwrapped,
)
from desktop.vault import unlock_with_store as vault_unlock_with_store

PROG = "escalation-recorder"
EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT, EXIT_BUG = 0, 1, 2, 70


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


def read_file(path: Path) -> bytes:
    """Read a file the user named; a failure is one sentence naming it."""
    try:
        return path.read_bytes()
    except OSError as error:
        raise InvalidInput(f"Cannot read {path}: {error.strerror}.") from None


def catalogue_for(args: argparse.Namespace) -> Catalogue:
    """The bundled procedures plus those in the vault's procedures folder."""
    return load_catalogue(VaultFiles(args.vault).procedures)
