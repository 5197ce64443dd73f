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
from desktop.storage.files import write_atomically
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
    from desktop.sharing.transfers import my_certificate

    with unlock(args) as vault:
        pem = my_certificate(vault)
    write_atomically(args.output, pem.encode("ascii"))
    print(f"Wrote your certificate to {args.output}; senders can seal transfers to it.")
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


def _describe(incoming: Any) -> list[str]:
    trusted = (
        "a signer you confirmed before"
        if incoming.known_signer
        else "NOT confirmed before: compare this fingerprint with the sender by telephone, "
        "then add --trust"
    )
    lines = [
        f"From: {visible(incoming.sender)}",
        f"Sent: {to_london(incoming.sent_at):%d %b %Y %H:%M} (Europe/London)",
        f"Signed by: {visible(incoming.signer_subject)}",
        f"Signing root: {incoming.root_fingerprint} ({trusted})",
        f"Child: {visible(incoming.child)}",
        f"Cases: {len(incoming.cases)}",
    ]
    kept = {v: k for k, v in incoming.renamed.items()}
    for item in incoming.cases:
        case = item.case
        note = f" (kept here as {visible(case.reference)})" if case.reference in kept else ""
        stages = "stage" if len(item.stages) == 1 else "stages"
        lines.append(
            f"  {visible(kept.get(case.reference, case.reference))}: "
            f"{visible(case.procedure_id)} {visible(case.procedure_version)}, "
            f"{len(item.stages)} {stages}{note}"
        )
    return lines


def _cmd_transfer_receive(args: argparse.Namespace) -> int:
    from desktop.sharing.sealed import needs_passphrase
    from desktop.sharing.transfers import open_transfer, receive_transfer

    if args.yes and args.output is None:
        raise InvalidInput("Importing makes a signed receipt: add -o RECEIPT.pdf.")
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
        print("\n".join(_describe(incoming)))
        if not args.yes:
            print("Nothing was imported. Run again with --yes (and -o RECEIPT.pdf) to import.")
            return EXIT_OK
        receive_transfer(vault, catalogue, incoming, now, args.output, trust=args.trust)
    print(f"Imported. Send the signed receipt {args.output} back to the sender.")
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
        state = ""
        if row.direction == "sent":
            state = (
                f", receipt {to_london(row.receipt_at):%d %b %Y}"
                if row.receipt_at
                else ", no receipt yet"
            )
        print(
            f"{to_london(row.at):%d %b %Y %H:%M} {row.direction} {row.transfer_id} "
            f"{visible(row.counterpart)}: {row.cases} case{'' if row.cases == 1 else 's'}{state}"
        )
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
        "--trust", action="store_true", help="confirm the sender's signing root (once compared)"
    )
    add_output(receive, required=False, metavar="RECEIPT", help="the receipt PDF")
    receive.set_defaults(handler=_cmd_transfer_receive)
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
