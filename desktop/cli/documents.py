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
    vault_key,
)
from desktop.errors import InvalidInput, KnownError, SignatureInvalid, SignerNotConfirmed
from desktop.storage.vault import VaultFiles
from desktop.text.display import visible

if TYPE_CHECKING:
    from desktop.documents.received_pdf import SignedFile
    from desktop.documents.signing import SignatureReport

# verify: every signature intact, covering the document, but a signer not confirmed here.
EXIT_UNCONFIRMED = 3
ENV_PDF_PASSPHRASE = "ESCALATION_RECORDER_PDF_PASSPHRASE"  # noqa: S105 - a variable name
VERIFY_EPILOG = f"""exit status (the worst over all files):
  0  every signature is intact, covers the document and comes from a trusted root
  3  every signature is intact and covers the document, but a signer is not
     confirmed here: compare the printed fingerprint words with the sender by
     telephone, then 'signers confirm FILE --words "..."'
  2  a file could not be read (it is named; the other files are still checked)
  1  a file is not signed, was altered, or was changed after it was signed

An encrypted PDF opens with the six words it was shared with, from
${ENV_PDF_PASSPHRASE} (or the variable --passphrase-env names) or asked for at
the terminal; spaces, hyphens and capitals do not matter.

The vault is only read (no lock taken, nothing written): verify runs while the
window has the vault open."""


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
    """The signing roots this vault trusts, or None when no vault can be read here.

    Read on a read-only connection without the vault's lock: the window or
    another command may hold the vault meanwhile.
    """
    if not VaultFiles(args.vault).exists():
        return None
    from desktop.sharing.signatures import trusted_roots
    from desktop.storage.read_only import read_only_database

    material = vault_key(args)
    if material is None:
        return None
    with read_only_database(args.vault, material) as connection:
        return trusted_roots(connection)


def _when(report: SignatureReport) -> str:
    from desktop.procedures.workdays import to_london

    return (
        f"{to_london(report.signed_at):%d %b %Y %H:%M} (UK time)"
        if report.signed_at
        else "not said"
    )


def signature_lines(report: SignatureReport) -> list[str]:
    """A few lines per signature: its state, who signed, when, and the words to compare."""
    from desktop.sharing.verdict_text import signature_state
    from desktop.text.fingerprint_words import fingerprint_words

    trust = "confirmed in this vault" if report.known else "NOT confirmed in this vault"
    words = fingerprint_words(report.root_fingerprint) if report.root_fingerprint else "none"
    return [
        f"  {visible(report.field)}: {signature_state(report)}",
        f"    Signed by:         {visible(report.signer_name or report.signer)}",
        f"    Role:              {visible(report.signer_role or 'not given')}",
        f"    Organisation:      {visible(report.signer_organisation or 'not given')}",
        f"    Signed on:         {_when(report)}",
        f"    Signer's root:     {visible(report.root_subject)} ({trust})",
        f"    Fingerprint words: {words}",
        f"    Root SHA-256:      {report.root_fingerprint or 'none'}",
    ]


def pdf_passphrase(path: Path, data: bytes, variable: str) -> str | None:
    """An encrypted PDF's passphrase: from ``variable`` in the environment, else asked for."""
    from desktop.documents.signing import is_encrypted

    if not is_encrypted(data):
        return None
    given = os.environ.get(variable)
    return given or prompt(f"Passphrase of {visible(str(path))} (the six words)", variable)


def check_pdf(path: Path, known: frozenset[str], variable: str) -> SignedFile:
    """Read and check one PDF (an encrypted one with its passphrase); nothing is written."""
    from desktop.documents.received_pdf import read_signed_file

    data = read_file(path)
    return read_signed_file(data, set(known), pdf_passphrase(path, data, variable))


def _cmd_verify(args: argparse.Namespace) -> int:
    from desktop.documents.signing import Verdict
    from desktop.sharing.verdict_text import HEADLINES, explanation

    known = _known_roots(args)
    if known is None:
        print("No vault was opened, so no signer counts as confirmed.", file=sys.stderr)
    worst = Verdict.TRUSTED
    for path in args.files:
        try:
            signed = check_pdf(path, known or frozenset(), args.passphrase_env)
        except KnownError as error:  # named, and the other files are still checked
            print(f"{PROG}: {visible(f'{path}: {error.message}')}", file=sys.stderr)
            worst = max(worst, Verdict.UNREADABLE)
            continue
        print(f"{visible(str(path))}: {HEADLINES[signed.verdict]}")
        print(f"  {explanation(signed)}")
        for report in signed.reports:
            print("\n".join(signature_lines(report)))
        worst = max(worst, signed.verdict)
    return {
        Verdict.TRUSTED: EXIT_OK,
        Verdict.UNCONFIRMED: EXIT_UNCONFIRMED,
        Verdict.UNREADABLE: EXIT_BAD_INPUT,
        Verdict.INVALID: EXIT_FAILED,
    }[worst]


def _cmd_countersign(args: argparse.Namespace) -> int:
    from desktop.sharing.signatures import countersign, require_new_file

    require_new_file(args.file, args.output)
    pdf = read_file(args.file)
    passphrase = pdf_passphrase(args.file, pdf, args.passphrase_env)
    with unlock(args) as vault:
        try:
            countersign(
                vault,
                args.file,
                pdf,
                args.output,
                passphrase=passphrase,
                accept_unconfirmed=args.accept_unconfirmed,
            )
        except SignatureInvalid as error:
            print(f"{PROG}: {error.message}", file=sys.stderr)
            return EXIT_FAILED
        except SignerNotConfirmed as error:
            raise InvalidInput(
                f"The document's signer, {error.signer}, is not confirmed in this vault: "
                f"compare their fingerprint words ({error.words}) with them by telephone and "
                f"run '{PROG} signers confirm FILE --words \"...\"', or add "
                "--accept-unconfirmed to countersign anyway; nothing was signed."
            ) from None
    if args.accept_unconfirmed:
        print(
            f"{PROG}: warning: countersigned without checking that the signer is confirmed "
            "in this vault (--accept-unconfirmed).",
            file=sys.stderr,
        )
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
    add_passphrase_env(verify_cmd)
    verify_cmd.set_defaults(handler=_cmd_verify)

    counter = commands.add_parser(
        "countersign",
        help="add your signature to a received PDF that asks for it",
        description="Sign a received document (a written confirmation) in the box it leaves "
        "for the other party, into a new file. Exit 1 (nothing written) if any of its "
        "signatures is not valid or it was changed after signing; exit 2 if its signer is "
        "not confirmed in this vault, if you signed it already, or if it asks for no other "
        "signature.",
    )
    counter.add_argument("file", type=Path, metavar="FILE")
    add_output(counter, help="the countersigned copy (never FILE itself)")
    add_passphrase_env(counter)
    counter.add_argument(
        "--accept-unconfirmed",
        action="store_true",
        help="countersign although the signer is not confirmed in this vault",
    )
    counter.set_defaults(handler=_cmd_countersign)


def add_passphrase_env(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--passphrase-env",
        default=ENV_PDF_PASSPHRASE,
        metavar="NAME",
        help=f"read an encrypted PDF's passphrase from variable NAME (default "
        f"{ENV_PDF_PASSPHRASE}); without it, it is asked for at the terminal",
    )
