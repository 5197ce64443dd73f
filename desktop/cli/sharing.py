"""Commands that share records beyond the vault: reports, transfers, subject access."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path
from typing import Any

from desktop.cli.support import (
    EXIT_FAILED,
    EXIT_OK,
    PROG,
    add_output,
    catalogue_for,
    prompt,
    read_file,
    unlock,
)
from desktop.errors import InvalidInput, SignatureInvalid
from desktop.procedures.workdays import to_london
from desktop.storage.files import check_output_path, write_atomically
from desktop.text.display import visible

ENV_PACKAGE = "ESCALATION_RECORDER_PACKAGE_PASSPHRASE"


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date (YYYY-MM-DD)") from None


def _cmd_report(args: argparse.Namespace) -> int:
    from desktop.sharing.report_export import export_report

    catalogue = catalogue_for(args)
    with unlock(args) as vault:
        exported = export_report(
            vault,
            catalogue,
            args.start,
            args.end,
            args.format,
            dt.datetime.now(dt.UTC),
            args.output,
        )
    if args.output is None:  # printed once the report is recorded
        sys.stdout.buffer.write(exported.data)
        sys.stdout.flush()
    else:
        print(
            f"Wrote the partnership report ({exported.escalations} escalations) to {args.output}.",
            file=sys.stderr,
        )
    return EXIT_OK


def _cmd_certificate(args: argparse.Namespace) -> int:
    from desktop.sharing.signers import read_own_root
    from desktop.sharing.transfers import my_certificate
    from desktop.text.fingerprint_words import fingerprint_words

    with unlock(args) as vault:
        pem, root = my_certificate(vault), read_own_root(vault)
    write_atomically(args.output, pem.encode("ascii"))
    print(f"Wrote your certificate to {args.output}; senders can seal transfers to it.")
    if root:
        print(
            f"Your fingerprint words (read them to anyone who checks what you sign): "
            f"{fingerprint_words(root)}"
        )
        print(f"Your signing root's SHA-256: {root}")
    return EXIT_OK


def _cmd_transfer_send(args: argparse.Namespace) -> int:
    from desktop.sharing.transfers import send_transfer

    certificate = (
        read_file(args.certificate).decode("ascii", "replace") if args.certificate else None
    )
    catalogue = catalogue_for(args)
    with unlock(args) as vault:
        sent = send_transfer(
            vault,
            catalogue,
            args.child,
            args.to,
            dt.datetime.now(dt.UTC),
            args.output,
            recipient_cert_pem=certificate,
        )
    noun = "case" if sent.cases == 1 else "cases"
    print(f"Wrote a sealed, signed transfer of {sent.cases} {noun} to {args.output}.")
    print(f"Transfer {sent.transfer_id}, SHA-256 {sent.sha256}.")
    if sent.passphrase:
        print(f"Read this passphrase to the recipient by telephone: {sent.passphrase}")
    else:
        print("It opens only with the recipient's own signing key.")
    return EXIT_OK


def _when(value: dt.datetime | None) -> str:
    return f"{to_london(value):%d/%m/%Y}" if value else "not closed"


def describe_preview(preview: Any) -> list[str]:
    """A received package in lines: who sent it, the words to compare, each case and stage."""
    trusted = (
        "a signer you confirmed before"
        if preview.known_signer
        else "NOT confirmed before: compare these words with the sender by telephone, "
        "then add --trust"
    )
    lines = [
        f"Transfer: {preview.transfer_id}",
        f"From: {visible(preview.sender)}",
        f"Sent: {to_london(preview.sent_at):%d %b %Y %H:%M} (UK time)",
        f"Signed by: {visible(preview.signer)} ({trusted})",
        f"Fingerprint words: {preview.words}",
        f"Signing root SHA-256: {preview.root_fingerprint}",
        f"Child: {visible(preview.child)}",
        f"Cases: {len(preview.cases)}",
    ]
    for case in preview.cases:
        kept = f" (kept here as {visible(case.kept_as)})" if case.kept_as != case.reference else ""
        lines.append(f"  {visible(case.reference)}{kept}: {visible(case.status)}")
        lines.append(f"    {visible(case.procedure)}; {visible(case.track)}")
        lines.append(f"    Opened {to_london(case.opened_at):%d/%m/%Y}")
        for stage in case.stages:
            outcome = f", {stage.outcome}" if stage.outcome else ""
            lines.append(
                f"    - {visible(stage.title)}: {to_london(stage.opened_at):%d/%m/%Y} to "
                f"{_when(stage.closed_at)}{outcome}"
            )
    return lines


def _cmd_transfer_receive(args: argparse.Namespace) -> int:
    from desktop.sharing.package_preview import preview_package
    from desktop.sharing.sealed import needs_passphrase
    from desktop.sharing.transfers import open_transfer, receipt_name, receive_transfer

    data = read_file(args.file)
    passphrase = None
    if needs_passphrase(data):
        passphrase = os.environ.get(ENV_PACKAGE) or prompt(
            "Passphrase the sender read to you", ENV_PACKAGE
        )
    catalogue = catalogue_for(args)
    now = dt.datetime.now(dt.UTC)
    with unlock(args) as vault:
        incoming = open_transfer(vault, catalogue, data, passphrase)
        print("\n".join(describe_preview(preview_package(catalogue, incoming))))
        if not args.yes:
            print(
                "Nothing was imported. Run again with --yes (and --trust once compared) to import."
            )
            return EXIT_OK
        target = args.output or check_output_path(
            Path(receipt_name(incoming.transfer_id)), args.vault, args.force
        )
        receive_transfer(vault, catalogue, incoming, now, target, trust=args.trust)
    print(
        f"Imported {len(incoming.cases)} case(s) from {visible(incoming.sender)}. "
        f"Send the signed receipt {target} back to the sender."
    )
    return EXIT_OK


def _cmd_transfer_receipt(args: argparse.Namespace) -> int:
    from desktop.sharing.transfers import save_receipt_again

    with unlock(args) as vault:
        save_receipt_again(vault, args.transfer, args.output)
    print(f"Wrote the signed receipt again to {args.output}.")
    return EXIT_OK


def _cmd_transfer_confirm(args: argparse.Namespace) -> int:
    from desktop.sharing.transfers import confirm_transfer

    pdf = read_file(args.file)
    with unlock(args) as vault:
        try:
            sent = confirm_transfer(vault, pdf, dt.datetime.now(dt.UTC), trust=args.trust)
        except SignatureInvalid as error:
            print(f"{PROG}: {error.message}", file=sys.stderr)
            return EXIT_FAILED
    print(f"Receipt recorded: transfer {sent.transfer_id} to {visible(sent.counterpart)} arrived.")
    return EXIT_OK


def _cmd_transfer_list(args: argparse.Namespace) -> int:
    from desktop.sharing.transfers import list_transfers

    with unlock(args) as vault:
        rows = list_transfers(vault)
    for row in rows:  # printed once the view is recorded
        if row.direction == "sent":
            what = f"sent to {visible(row.counterpart)}"
            state = (
                f"receipt returned {to_london(row.receipt_at):%d %b %Y}"
                if row.receipt_at
                else "no receipt yet"
            )
        else:
            what = f"received from {visible(row.counterpart)}"
            state = "receipt signed by you" + (
                f" (save it again: transfer receipt {row.transfer_id[:8]} -o FILE)"
                if row.receipt_kept
                else ""
            )
        cases = f"{row.cases} case{'' if row.cases == 1 else 's'}"
        print(f"{to_london(row.at):%d %b %Y %H:%M} {row.transfer_id} {what}: {cases}, {state}")
    if not rows:
        print("No transfers yet.")
    return EXIT_OK


def _add_transfer_commands(commands: Any) -> None:
    certificate = commands.add_parser(
        "certificate", help="write your signing certificate, for senders of sealed transfers"
    )
    add_output(certificate)
    certificate.set_defaults(handler=_cmd_certificate)
    transfer = commands.add_parser("transfer", help="send or receive a child's records securely")
    actions = transfer.add_subparsers(
        title="transfer actions", metavar="ACTION", parser_class=type(transfer), required=True
    )
    send = actions.add_parser("send", help="seal one child's cases for another setting")
    send.add_argument("--child", required=True, metavar="ID", help="the child's identifier")
    send.add_argument("--to", required=True, metavar="WHO", help="the receiving setting")
    send.add_argument(
        "--certificate", type=Path, metavar="PEM", help="seal to this certificate (no passphrase)"
    )
    add_output(send)
    send.set_defaults(handler=_cmd_transfer_send)
    receive = actions.add_parser("receive", help="show, then import, a received package")
    receive.add_argument("file", type=Path, metavar="FILE")
    receive.add_argument("--yes", action="store_true", help="import after showing it")
    receive.add_argument(
        "--trust",
        action="store_true",
        help="confirm the sender (once you compared the fingerprint words by telephone)",
    )
    add_output(
        receive,
        required=False,
        metavar="RECEIPT",
        help="where to save the signed receipt (default: receipt-transfer-ID.pdf here)",
    )
    receive.set_defaults(handler=_cmd_transfer_receive)
    receipt = actions.add_parser(
        "receipt", help="save the signed receipt of a received transfer again"
    )
    receipt.add_argument(
        "transfer", metavar="ID", help="the transfer id (its first characters will do)"
    )
    add_output(receipt)
    receipt.set_defaults(handler=_cmd_transfer_receipt)
    confirm = actions.add_parser(
        "confirm",
        help="record the receipt the recipient sent back",
        description="Record a receipt: exit 0 when recorded, 1 when its signature is not "
        "valid or it was changed after signing, 2 when it is not a receipt for a package "
        "sent from here or is signed by someone not confirmed as the recipient.",
    )
    confirm.add_argument("file", type=Path, metavar="RECEIPT")
    confirm.add_argument(
        "--trust",
        action="store_true",
        help="confirm the receipt signer's root (once compared with the recipient by phone)",
    )
    confirm.set_defaults(handler=_cmd_transfer_confirm)
    listing = actions.add_parser("list", help="transfers sent and received")
    listing.set_defaults(handler=_cmd_transfer_list)


def _mark(text: str) -> Any:
    from desktop.sharing.subject_access_records import Marked, Reason

    passage, _sep, reason = text.rpartition("=")
    choices = ", ".join(r.value for r in Reason)
    if not passage or reason not in {r.value for r in Reason}:
        raise argparse.ArgumentTypeError(f"give TEXT=REASON, REASON one of {choices}")
    return Marked(passage, Reason(reason))


def _cmd_subject_access(args: argparse.Namespace) -> int:
    from desktop.sharing.subject_access import export_subject_access, preview_subject_access
    from desktop.sharing.subject_access_records import REASON_TEXT, place_count, preview_text

    if args.output is None and not args.show:
        raise InvalidInput("Add -o FILE for the PDF bundle, or --show to read it first.")
    catalogue = catalogue_for(args)
    now = dt.datetime.now(dt.UTC)
    with unlock(args) as vault:
        if args.show:
            preview = preview_subject_access(vault, catalogue, args.child, args.withhold, now)
        else:
            saved = export_subject_access(
                vault, catalogue, args.child, args.withhold, now, args.output
            )
    if args.show:  # printed once the preview is recorded
        print(preview_text(preview.shown.records), end="")
        for mark, hits in preview.shown.hits:
            print(f"Withheld '{mark.text}' ({REASON_TEXT[mark.reason]}): {place_count(hits)}.")
        print("Names of professionals in these records:", "; ".join(preview.records.professionals))
        return EXIT_OK
    print(
        f"Wrote the subject access bundle to {args.output} ({saved.passages} passages "
        f"withheld in {place_count(saved.places)})."
    )
    return EXIT_OK


def add_sharing_commands(commands: Any) -> None:
    """Add the report, transfer and subject-access commands to the parser."""
    report = commands.add_parser("report", help="anonymised partnership figures for a period")
    report.add_argument("--from", dest="start", type=_date, required=True, metavar="DATE")
    report.add_argument("--to", dest="end", type=_date, required=True, metavar="DATE")
    report.add_argument("--format", choices=["csv", "json", "pdf"], default="csv")
    add_output(report, required=False, help="write to FILE (needed for pdf)")
    report.set_defaults(handler=_cmd_report)
    _add_transfer_commands(commands)
    access = commands.add_parser(
        "subject-access", help="all records about one child as a PDF, third parties withheld"
    )
    access.add_argument("child", metavar="CHILD", help="the child's identifier")
    access.add_argument(
        "--withhold",
        type=_mark,
        action="append",
        default=[],
        metavar="TEXT=REASON",
        help="withhold TEXT wherever it occurs (repeat for each passage)",
    )
    access.add_argument("--show", action="store_true", help="print the bundle as text instead")
    add_output(access, required=False)
    access.set_defaults(handler=_cmd_subject_access)
