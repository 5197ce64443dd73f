"""Commands about signatures: who signs (profile), checking signed PDFs, countersigning."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop.cli.support import (
    EXIT_BAD_INPUT,
    EXIT_FAILED,
    EXIT_OK,
    PROG,
    add_output,
    prompt,
    read_file,
    unlock,
)
from desktop.errors import KnownError, SignatureInvalid
from desktop.storage.locations import ENV_PASSPHRASE
from desktop.storage.vault import VaultFiles
from desktop.text.display import visible

if TYPE_CHECKING:
    from desktop.documents.signing import SignatureReport

# verify: every signature intact, covering the document, but a signer not confirmed here.
EXIT_UNCONFIRMED = 3
ENV_PDF_PASSPHRASE = "ESCALATION_RECORDER_PDF_PASSPHRASE"  # noqa: S105 - a variable name
VERIFY_EPILOG = f"""exit status (the worst over all files):
  0  every signature is intact, covers the document and comes from a trusted root
  3  every signature is intact and covers the document, but a signing root is not
     confirmed here: compare the printed root fingerprint with the sender once
  2  a file could not be read (it is named; the other files are still checked)
  1  a file is not signed, was altered, or was changed after it was signed

An encrypted PDF opens with the passphrase it was shared with, from
${ENV_PDF_PASSPHRASE} or asked for at the terminal."""


def _cmd_profile(args: argparse.Namespace) -> int:
    from desktop.sharing.signing_profile import change_profile

    with unlock(args) as vault:
        change = change_profile(vault, args.name, args.role, args.organisation)
    print("Saved your name, role and organisation for signed documents.")
    if change.new_certificate:
        print(f"You now sign with a certificate that names you (SHA-256 {change.fingerprint}).")
    elif change.changed and change.organisation_certificate:
        print(
            "You still sign with your organisation's certificate, which names whom the "
            "organisation issued it to; ask them for a new one if that is no longer right."
        )
    return EXIT_OK


def _known_roots(args: argparse.Namespace) -> frozenset[str] | None:
    """The signing roots this vault trusts, or None when no vault can be opened here."""
    if not VaultFiles(args.vault).exists() or (
        os.environ.get(ENV_PASSPHRASE) is None and not sys.stdin.isatty()
    ):
        return None
    from desktop.sharing.signatures import known_roots

    with unlock(args) as vault:
        return known_roots(vault)


def _signature_line(path: Path, report: SignatureReport) -> str:
    """One line per signature: its state, then who signed, with every foreign string visible."""
    if report.changed_after_signing:
        state = "CHANGED: the document was changed after it was signed"
    elif not report.intact:
        state = "ALTERED OR BROKEN since it was signed"
    elif not report.valid:
        state = "INTACT BUT NOT VALID (certificate chain)"
    elif report.known:
        state = "intact and valid"
    else:
        state = "intact, but the signer is NOT CONFIRMED"
    when = report.signed_at.isoformat() if report.signed_at else "unknown time"
    trust = (
        "a signer this vault trusts"
        if report.known
        else "not confirmed here: compare the root fingerprint with the sender once"
    )
    return (
        f"{visible(str(path))}: {visible(report.field)}: {state}; signed by "
        f"{visible(report.signer)} at {when}; certificate SHA-256 {report.fingerprint}; "
        f"root {visible(report.root_subject)} SHA-256 {report.root_fingerprint}; {trust}"
    )


def _verify_file(path: Path, known: frozenset[str]) -> list[SignatureReport]:
    """Verify one file; an encrypted one opens with the passphrase it was shared with."""
    from desktop.documents.signing import is_encrypted, verify_pdf

    data = read_file(path)
    passphrase = None
    if is_encrypted(data):
        given = os.environ.get(ENV_PDF_PASSPHRASE)
        passphrase = given or prompt(f"Passphrase of {visible(str(path))}", ENV_PDF_PASSPHRASE)
    return verify_pdf(data, set(known), passphrase)


def _cmd_verify(args: argparse.Namespace) -> int:
    from desktop.documents.signing import Verdict, file_verdict

    known = _known_roots(args)
    if known is None:
        print("No vault was opened, so no signer counts as confirmed.", file=sys.stderr)
    worst = Verdict.TRUSTED
    for path in args.files:
        try:
            reports = _verify_file(path, known or frozenset())
        except KnownError as error:
            print(f"{PROG}: {visible(f'{path}: {error.message}')}", file=sys.stderr)
            worst = max(worst, Verdict.UNREADABLE)
            continue
        if not reports:
            print(f"{visible(str(path))}: NOT SIGNED")
        for report in reports:
            print(_signature_line(path, report))
        worst = max(worst, file_verdict(reports))
    return {
        Verdict.TRUSTED: EXIT_OK,
        Verdict.UNCONFIRMED: EXIT_UNCONFIRMED,
        Verdict.UNREADABLE: EXIT_BAD_INPUT,
        Verdict.INVALID: EXIT_FAILED,
    }[worst]


def _cmd_countersign(args: argparse.Namespace) -> int:
    from desktop.sharing.signatures import countersign

    pdf = read_file(args.file)
    with unlock(args) as vault:
        try:
            countersign(vault, pdf, args.output)
        except SignatureInvalid as error:
            print(f"{PROG}: {error.message}", file=sys.stderr)
            return EXIT_FAILED
    print(f"Countersigned; wrote {args.output}.")
    return EXIT_OK


def add_signature_commands(commands: Any) -> None:
    """Add the profile, verify and countersign commands to the parser."""
    profile = commands.add_parser("profile", help="set the name, role and organisation you sign as")
    profile.add_argument("--name", required=True)
    profile.add_argument("--role", required=True)
    profile.add_argument("--organisation", required=True)
    profile.set_defaults(handler=_cmd_profile)

    verify_cmd = commands.add_parser(
        "verify",
        help="check the signatures of PDFs (exit 0 trusted, 3 unconfirmed, 1 changed)",
        description="Check every signature of each FILE: intact, covering the whole document\n"
        "(or followed only by further signatures), and from a signing root this vault\n"
        "trusts (its own, or one you confirmed). Names and other text from the files\n"
        "are shown with control characters escaped.",
        epilog=VERIFY_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    verify_cmd.add_argument("files", type=Path, nargs="+", metavar="FILE")
    verify_cmd.set_defaults(handler=_cmd_verify)

    counter = commands.add_parser(
        "countersign",
        help="add your signature to a received PDF",
        description="Sign a received document in its empty signature box. Exit 1 (nothing "
        "written) if any of its signatures is not valid or it was changed after signing.",
    )
    counter.add_argument("file", type=Path, metavar="FILE")
    add_output(counter)
    counter.set_defaults(handler=_cmd_countersign)
