"""The command line: parse, call a service, print. With no command, open the app."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from sqlalchemy import exc as sqlalchemy_exc
from sqlalchemy import select

from desktop import __version__
from desktop.casework.demo import generate_demo
from desktop.casework.due import due_json, view_due
from desktop.casework.settings import read_settings, working_calendar
from desktop.cli.documents import add_signature_commands
from desktop.cli.sharing import add_sharing_commands
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
    read_file,
    unlock,
    write_pieces,
)
from desktop.cli.vault import add_vault_commands
from desktop.errors import InvalidInput, KnownError, describe_os_error
from desktop.models import Case
from desktop.procedures.catalogue import procedure_summary
from desktop.procedures.workdays import to_london
from desktop.sharing.exchange import import_cases, parse_exchange
from desktop.sharing.export import export_audited
from desktop.storage.files import write_atomically
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


def _cmd_import(args: argparse.Namespace) -> int:
    catalogue = catalogue_for(args)
    raw = read_file(args.file)
    with unlock(args) as vault:
        with vault.sessions() as session:
            existing = set(session.scalars(select(Case.reference)))
        cases = parse_exchange(raw, catalogue, existing)
        with vault.sessions.begin() as session:
            count = import_cases(
                session, vault.audit_key, catalogue, working_calendar(session), cases
            )
    print(f"Imported {count} case{'s' if count != 1 else ''}.")
    return EXIT_OK


def _cmd_export(args: argparse.Namespace) -> int:
    catalogue = catalogue_for(args)
    output: Path | None = args.output
    deliver: Callable[[Iterable[bytes]], None] = (
        write_pieces if output is None else lambda pieces: write_atomically(output, pieces)
    )
    with unlock(args) as vault:
        now = dt.datetime.now(dt.UTC)
        count = export_audited(
            vault.sessions, vault.audit_key, catalogue, now, deliver, args.case, vault.reader
        )
    if output is not None:
        noun = "case" if count == 1 else "cases"
        print(f"Exported {count} {noun} to {output}.", file=sys.stderr)
    return EXIT_OK


def _cmd_due(args: argparse.Namespace) -> int:
    catalogue = catalogue_for(args)
    now = dt.datetime.now(dt.UTC)
    with unlock(args) as vault, vault.sessions.begin() as session:
        items = view_due(session, vault.audit_key, catalogue, working_calendar(session), now)
    if args.json:
        print(json.dumps([due_json(i) for i in items], ensure_ascii=False))
        return EXIT_OK
    if not items:
        print("Nothing is due.")
    for item in items:
        flag = "OVERDUE " if item.overdue else ""
        when = to_london(item.due_at).strftime("%a %d %b %Y %H:%M")
        late = " (outside working time)" if item.outside_working_time else ""
        print(
            f"{flag}{when}{late}  {item.reference}  stage {item.stage_id}  {item.kind}: {item.what}"
        )
    return EXIT_OK


def _cmd_demo(args: argparse.Namespace) -> int:
    catalogue = catalogue_for(args)
    with unlock(args) as vault, vault.sessions.begin() as session:
        count = generate_demo(
            session,
            vault.audit_key,
            catalogue,
            working_calendar(session),
            args.cases,
            dt.datetime.now(dt.UTC),
        )
    print(f"Added {count} fictional demo case{'s' if count != 1 else ''}.")
    return EXIT_OK


def _cmd_render(args: argparse.Namespace) -> int:
    from desktop.sharing.signed_documents import render_document

    catalogue = catalogue_for(args)
    with unlock(args) as vault, vault.sessions.begin() as session:
        rendered = render_document(
            session,
            vault.audit_key,
            catalogue,
            args.reference,
            args.document,
            args.stage,
            args.recipient,
            args.encrypt,
        )
        write_atomically(args.output, rendered.pdf)
    print(f"Wrote a signed {args.document} to {args.output} (SHA-256 {rendered.sha256}).")
    if rendered.passphrase:
        print(
            f"It is encrypted (AES-256). Read this passphrase to the recipient by "
            f"telephone: {rendered.passphrase}"
        )
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


def _cmd_retention(args: argparse.Namespace) -> int:
    from desktop.casework.retention import purge_case, purge_notice, view_past_review

    today = dt.datetime.now(dt.UTC).date()
    if args.purge is not None:
        with unlock(args) as vault:
            purged = purge_case(vault, args.purge, args.confirm or "", today)
        print("\n".join(purge_notice(purged)))
        return EXIT_OK
    with unlock(args) as vault, vault.sessions.begin() as session:
        years = read_settings(session).retention_years
        due = view_past_review(session, vault.audit_key, years, today)
    for item in due:  # printed once the view is recorded
        print(f"{item.reference}  review by {item.review_by.isoformat()}")
    print(
        f"{len(due)} case{'s' if len(due) != 1 else ''} past the review date "
        f"(date of birth + {years} years)."
    )
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

    importer = commands.add_parser("import", help="import cases from an exchange JSON file")
    importer.add_argument("file", type=Path, metavar="FILE")
    importer.set_defaults(handler=_cmd_import)

    exporter = commands.add_parser("export", help="export cases as exchange JSON")
    exporter.add_argument("--case", metavar="REF", help="only this case")
    add_output(exporter, required=False, help="write to FILE (default: standard output)")
    exporter.set_defaults(handler=_cmd_export)

    due = commands.add_parser("due", help="open stages and actions with their due times")
    due.add_argument("--json", action="store_true", help="print JSON")
    due.set_defaults(handler=_cmd_due)

    demo = commands.add_parser("demo", help="add fictional demo cases across all procedures")
    demo.add_argument("--cases", type=int, default=25, metavar="N", help="how many (default 25)")
    demo.set_defaults(handler=_cmd_demo)

    add_signature_commands(commands)

    render = commands.add_parser("render", help="make a signed PDF for a case")
    render.add_argument("reference", metavar="REF")
    render.add_argument(
        "--document",
        required=True,
        choices=["confirmation", "summary", "meeting-record", "notification"],
    )
    render.add_argument("--stage", metavar="ID", help="the stage (default: the latest)")
    render.add_argument("--recipient", help="who it is for (kept in the vault's record)")
    add_output(render)
    render.add_argument(
        "--encrypt",
        action="store_true",
        help="encrypt with AES-256 and print a passphrase to read out",
    )
    render.set_defaults(handler=_cmd_render)

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

    retention = commands.add_parser(
        "retention", help="list cases past their review date, or purge one"
    )
    retention.add_argument("--purge", metavar="REF", help="delete this case for good")
    retention.add_argument("--confirm", metavar="REF", help="the same reference, again")
    retention.set_defaults(handler=_cmd_retention)

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
