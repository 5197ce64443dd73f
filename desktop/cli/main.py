"""The command line: parse, call a service, print. With no command, open the app."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from sqlalchemy import exc as sqlalchemy_exc

from desktop import __version__
from desktop.cli.case import add_case_commands
from desktop.cli.cases import add_exchange_commands, add_render_command, add_retention_command
from desktop.cli.documents import add_signature_commands
from desktop.cli.sharing import add_sharing_commands
from desktop.cli.signers import add_signer_commands
from desktop.cli.support import (
    EXIT_BAD_INPUT,
    EXIT_BUG,
    EXIT_OK,
    PROG,
    add_output,
    catalogue_for,
    checked_output,
    new_passphrase,
    prompt,
    quiet_after_closed_pipe,
    unlock,
)
from desktop.cli.vault import add_vault_commands
from desktop.errors import InvalidInput, KnownError, describe_os_error
from desktop.procedures.catalogue import procedure_summary
from desktop.storage.locations import ENV_PASSPHRASE, ENV_VAULT, default_vault_folder
from desktop.storage.platform import harden_process
from desktop.storage.secrets import KeyringSecretStore
from desktop.storage.vault import create_vault
from desktop.text.display import visible

if TYPE_CHECKING:
    from desktop.storage.keyfile import EarlyKey


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line on stderr and exit 2."""

    def error(self, message: str) -> NoReturn:
        raise InvalidInput(f"{message} (see '{PROG} --help')")


def _cmd_init(args: argparse.Namespace) -> int:
    store = KeyringSecretStore.open() if args.remember else None
    passphrase = new_passphrase()
    with create_vault(args.vault, passphrase, origin="cli") as vault:
        if store is not None:
            vault.remember(store)
    where = " (key remembered in the OS keyring)" if store else ""
    print(f"Created an encrypted vault in {args.vault}{where}.")
    return EXIT_OK


def _cmd_procedures(args: argparse.Namespace) -> int:
    catalogue = catalogue_for(args)
    if args.json:
        print(json.dumps([procedure_summary(p) for p in catalogue], indent=2, ensure_ascii=False))
        return EXIT_OK
    current = {p.key for p in catalogue.current()}
    for procedure in catalogue:
        mark = "" if procedure.key in current else " (superseded; kept for older cases)"
        print(f"{procedure.id} {procedure.version}: {procedure.partnership}{mark}")
        for track in procedure.tracks:
            stages = " > ".join(s.id for s in track.stages)
            print(f"  {track.id}: {stages}")
    return EXIT_OK


def _cmd_backup(args: argparse.Namespace) -> int:
    from desktop.storage.backup import write_backup

    with unlock(args) as vault:
        write_backup(vault, args.output)
    print(f"Wrote an encrypted backup to {args.output}; it opens only with the passphrase.")
    return EXIT_OK


def _cmd_restore(args: argparse.Namespace) -> int:
    from desktop.storage.backup import restore_backup

    given = os.environ.get(ENV_PASSPHRASE)
    passphrase = given if given is not None else prompt("Passphrase of the backup")
    aside = restore_backup(args.file, args.vault, passphrase, force=args.force)
    kept = f" The vault that was there is kept, whole, in {aside}." if aside else ""
    print(f"Restored the backup into {args.vault}.{kept}")
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    """Describe every command and option."""
    parser = _Parser(prog=PROG, description="Record safeguarding escalations, encrypted.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--vault",
        type=Path,
        default=None,
        metavar="DIR",
        help=f"vault folder (default: ${ENV_VAULT} or your user-data folder)",
    )
    parser.set_defaults(handler=None)
    commands = parser.add_subparsers(title="commands", metavar="COMMAND", parser_class=_Parser)

    init = commands.add_parser("init", help="create a new encrypted vault")
    init.add_argument(
        "--remember",
        action="store_true",
        help="also keep the key in the OS keyring (only if it is secure)",
    )
    init.set_defaults(handler=_cmd_init)

    procedures = commands.add_parser("procedures", help="list the partnership procedures")
    procedures.add_argument("--json", action="store_true", help="print JSON")
    procedures.set_defaults(handler=_cmd_procedures)

    add_exchange_commands(commands)
    add_case_commands(commands)
    add_signature_commands(commands)
    add_signer_commands(commands)
    add_render_command(commands)

    backup = commands.add_parser("backup", help="write an encrypted backup of the vault")
    add_output(backup)
    backup.set_defaults(handler=_cmd_backup)

    restore = commands.add_parser("restore", help="restore a backup into the vault folder")
    restore.add_argument("file", type=Path, metavar="FILE")
    restore.add_argument(
        "--force",
        action="store_true",
        help="replace an existing vault (it is kept aside in backups/)",
    )
    restore.set_defaults(handler=_cmd_restore)

    add_retention_command(commands)
    add_sharing_commands(commands)

    add_vault_commands(commands)
    return parser


def run(
    argv: Sequence[str] | None = None,
    early: EarlyKey | None = None,
    open_app: Callable[[Path], int] | None = None,
) -> int:
    """Parse ``argv`` and run the command; known errors become one line and exit 2.

    Args:
        early: the vault key already being unwrapped by the entry point, if it was.
        open_app: what to do with no command (the entry point opens the window).
    """
    try:
        args = build_parser().parse_args(argv)
        if args.vault is None:
            args.vault = default_vault_folder()
        args.early_key = early
        checked_output(args)
        handler: Callable[[argparse.Namespace], int] | None = args.handler
        if handler is None:
            if open_app is None:
                raise InvalidInput(f"Name a command (see '{PROG} --help').")
            return open_app(args.vault)
        status = handler(args)
        sys.stdout.flush()  # a reader that went away is seen here, not as the process exits
        return status
    except BrokenPipeError:
        return quiet_after_closed_pipe()
    except KnownError as error:
        print(f"{PROG}: {visible(error.message)}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except OSError as error:
        print(f"{PROG}: {visible(describe_os_error(error))}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted; nothing more was changed.", file=sys.stderr)
        return 130
    except Exception as error:
        if _disk_full(error):
            print(
                f"{PROG}: The disk is full or could not be written; the change was not "
                "saved and what was already saved is unchanged.",
                file=sys.stderr,
            )
            return EXIT_BAD_INPUT
        if os.environ.get("ESCALATION_RECORDER_DEBUG"):
            raise
        print(
            f"{PROG}: an internal error stopped the command ({type(error).__name__}); "
            "committed records are unchanged.",
            file=sys.stderr,
        )
        return EXIT_BUG


def _disk_full(error: Exception) -> bool:
    """Say whether SQLite gave up writing because the disk or a size limit is full."""
    if not isinstance(error, sqlalchemy_exc.OperationalError):
        return False
    reason = str(error.orig)
    return "disk is full" in reason or "disk I/O error" in reason


def main(
    argv: Sequence[str] | None = None,
    early: EarlyKey | None = None,
    open_app: Callable[[Path], int] | None = None,
) -> int:
    """Run one command (desktop.launch is the entry point that may unwrap the key early)."""
    harden_process()
    # pyHanko logs layout notes while it draws a signature box; a user sees one line or none.
    logging.getLogger("pyhanko").setLevel(logging.ERROR)
    return run(argv, early, open_app)
