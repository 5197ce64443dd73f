"""Commands that look after the vault itself: its audit trail and its passphrase."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from desktop.cli.support import EXIT_FAILED, EXIT_OK, new_passphrase, prompt, read_file, unlock
from desktop.sharing.audit_trail import HeadCheck, verify_trail
from desktop.storage.locations import ENV_NEW_PASSPHRASE, ENV_PASSPHRASE
from desktop.storage.secrets import KeyringSecretStore, judge_keyring
from desktop.storage.vault import unlock_with_passphrase


def _cmd_audit_verify(args: argparse.Namespace) -> int:
    documents = [(path, read_file(path)) for path in args.against]
    with unlock(args) as vault:
        checked = verify_trail(vault, documents)
    status = EXIT_OK
    report = checked.chain
    if report.intact:
        noun = "event" if report.events == 1 else "events"
        print(f"Audit trail intact: {report.events} {noun}, head {report.head}.")
    else:
        where = f" at event {report.broken_event}" if report.broken_event else ""
        print(f"Audit trail broken{where}: {report.reason}.", file=sys.stderr)
        status = EXIT_FAILED
    for document in checked.documents:
        print(_head_line(document), file=sys.stdout if document.held else sys.stderr)
        status = status if document.held else EXIT_FAILED
    return status


def _head_line(document: HeadCheck) -> str:
    """Say whether the audit head a document carries is still in the trail, in one line."""
    path = document.path
    if document.problem is not None:
        return f"{path}: cannot be checked: {document.problem}."
    which = f"its audit head, event {document.event}," if document.event else "its audit head"
    if document.held:
        return f"{path}: {which} is in the audit trail as printed."
    return (
        f"{path}: {which} is not in the audit trail as printed: the trail was rewritten "
        "after the document was made, or the document comes from another vault."
    )


def _cmd_change_passphrase(args: argparse.Namespace) -> int:
    from desktop.storage.keyfile import check_passphrase
    from desktop.storage.rekey import change_passphrase

    new = new_passphrase(ENV_NEW_PASSPHRASE)
    check_passphrase(new)  # before anything is opened
    given = os.environ.get(ENV_PASSPHRASE)
    current = given if given is not None else prompt("Current passphrase")
    verdict, _backend = judge_keyring()
    store = KeyringSecretStore.open() if verdict.secure else None
    opened = unlock(args) if given is not None else unlock_with_passphrase(args.vault, current)
    with opened as vault:
        remembered = change_passphrase(vault, current, new, store=store)
    print(
        "Changed the passphrase and re-encrypted the vault with new keys: the old passphrase "
        "and old copies of vault.key no longer open it. Backups made before still open with "
        "the passphrase they were made under."
    )
    if not remembered:
        print("The key kept in the OS keyring could not be updated; unlock with the passphrase.")
    return EXIT_OK


def add_vault_commands(commands: Any) -> None:
    """Add the change-passphrase and audit commands to the parser."""
    change = commands.add_parser(
        "change-passphrase",
        help="choose a new passphrase; the vault is re-encrypted with new keys",
        description=f"The current passphrase comes from ${ENV_PASSPHRASE} (else it is asked); "
        f"the new one from ${ENV_NEW_PASSPHRASE} (else it is asked twice).",
    )
    change.set_defaults(handler=_cmd_change_passphrase)
    audit_cmd = commands.add_parser("audit", help="check the audit trail")
    audit_commands = audit_cmd.add_subparsers(
        title="audit commands", metavar="ACTION", parser_class=type(audit_cmd), required=True
    )
    verify = audit_commands.add_parser(
        "verify",
        help="verify the hash chain of audit events and its anchored head",
        description="Exit 0 when the trail is intact (and every document's head is in it), "
        "1 when it is not.",
    )
    verify.add_argument(
        "--against",
        type=Path,
        nargs="+",
        default=[],
        metavar="PDF",
        help="also check that the audit head each document carries is still in the trail",
    )
    verify.set_defaults(handler=_cmd_audit_verify)
