"""Commands about whom this vault trusts, and keeping received documents with a case."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from desktop.cli.documents import add_passphrase_env, check_pdf
from desktop.cli.support import EXIT_OK, PROG, unlock
from desktop.errors import InvalidInput
from desktop.text.display import visible


def _cmd_signers_list(args: argparse.Namespace) -> int:
    from desktop.procedures.workdays import to_london
    from desktop.sharing.signers import list_confirmed_signers

    with unlock(args) as vault:
        signers = list_confirmed_signers(vault)
    for signer in signers:
        whose = (
            "your own signing root"
            if signer.own
            else f"confirmed {to_london(signer.added_at):%d %b %Y}"
        )
        print(f"{signer.signer_id}  {visible(signer.subject)} ({whose})")
        print(f"   Fingerprint words: {signer.words}")
        print(f"   Root SHA-256:      {signer.fingerprint}")
    if not signers:
        print("No signer is trusted yet.")
    return EXIT_OK


def _cmd_signers_confirm(args: argparse.Namespace) -> int:
    from desktop.sharing.signatures import known_roots
    from desktop.sharing.signers import confirm_signer
    from desktop.text.fingerprint_words import same_words

    with unlock(args) as vault:
        signed = check_pdf(args.file, known_roots(vault), args.passphrase_env)
        pending = [r for r in signed.reports if r.valid and not r.known and r.root_fingerprint]
        if not pending:
            raise InvalidInput(
                "Every signer of this document is confirmed already, or none of its "
                "signatures is valid; nothing was confirmed."
            )
        matching = [r for r in pending if same_words(args.words, r.root_fingerprint)]
        if not matching:
            raise InvalidInput(
                "Those words are not the fingerprint words of this document's signer: do "
                "not trust it; ask the sender to read them again. Nothing was confirmed."
            )
        confirm_signer(vault, matching[0].root_fingerprint, matching[0].root_subject)
    print(
        f"Confirmed {visible(matching[0].root_subject)}: documents signed under their root now "
        "verify as trusted."
    )
    return EXIT_OK


def _cmd_signers_withdraw(args: argparse.Namespace) -> int:
    from desktop.sharing.signers import withdraw_signer

    with unlock(args) as vault:
        subject = withdraw_signer(vault, args.id)
    print(f"Withdrawn: {visible(subject)} is no longer a confirmed signer here.")
    return EXIT_OK


def _cmd_keep(args: argparse.Namespace) -> int:
    from desktop.cli.support import read_file
    from desktop.sharing.received_documents import keep_document
    from desktop.sharing.signatures import known_roots

    with unlock(args) as vault:
        signed = check_pdf(args.file, known_roots(vault), args.passphrase_env)
        kept = keep_document(vault, args.case, read_file(args.file), signed)
    print(
        f"Kept {visible(kept.title)} with case {visible(kept.reference)} "
        f"(SHA-256 {kept.sha256}); attach {args.file} to your case system."
    )
    return EXIT_OK


def add_signer_commands(commands: Any) -> None:
    """Add the signers (list, confirm, withdraw) and keep commands to the parser."""
    signers = commands.add_parser(
        "signers",
        help="the signers this vault trusts: list, confirm, withdraw",
        description="A signer is trusted by their root certificate, once you have compared "
        "its fingerprint words with them by telephone.",
    )
    actions = signers.add_subparsers(
        title="actions", metavar="ACTION", parser_class=type(signers), required=True
    )
    listing = actions.add_parser("list", help="your own signing root and every confirmed signer")
    listing.set_defaults(handler=_cmd_signers_list)
    confirm = actions.add_parser(
        "confirm",
        help="trust the signer of a PDF whose fingerprint words you compared by phone",
        description="Type the fingerprint words the signer read to you by telephone; the "
        "signer is confirmed only if they are the words of the document's signer "
        "(spaces, hyphens and capitals do not matter).",
    )
    confirm.add_argument("file", type=Path, metavar="FILE")
    confirm.add_argument(
        "--words", required=True, metavar="WORDS", help="the eight words they read to you"
    )
    add_passphrase_env(confirm)
    confirm.set_defaults(handler=_cmd_signers_confirm)
    withdraw = actions.add_parser("withdraw", help="stop trusting a confirmed signer")
    withdraw.add_argument("id", type=int, metavar="ID", help=f"its number in '{PROG} signers list'")
    withdraw.set_defaults(handler=_cmd_signers_withdraw)

    keep = commands.add_parser(
        "keep",
        help="keep a received signed PDF with a case, by its hash",
        description="Record, under a case, a signed document you received (a countersigned "
        "written confirmation, say): what it is, who signed it and its SHA-256. Its signers "
        "must be confirmed. The file itself stays where it is, for your case system.",
    )
    keep.add_argument("file", type=Path, metavar="FILE")
    keep.add_argument("--case", required=True, metavar="REF", help="the case's reference")
    add_passphrase_env(keep)
    keep.set_defaults(handler=_cmd_keep)
