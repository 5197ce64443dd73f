"""Commands that share records beyond the vault: reports, transfers, subject access."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import Any

from desktop import audit
from desktop.cli_support import EXIT_OK, catalogue_for, unlock
from desktop.errors import InvalidInput
from desktop.files import write_atomically
from desktop.report import build_report, report_csv, report_json


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date (YYYY-MM-DD)") from None


def _cmd_report(args: argparse.Namespace) -> int:
    if args.format == "pdf" and args.output is None:
        raise InvalidInput("A PDF report needs an output file: add -o FILE.")
    catalogue = catalogue_for(args)
    with unlock(args.vault) as vault, vault.sessions.begin() as session:
        report = build_report(session, catalogue, args.start, args.end, dt.datetime.now(dt.UTC))
        if args.format == "pdf":
            from desktop.documents.service import render_report

            data = render_report(session, vault.audit_key, report)
        else:
            text = report_csv(report) if args.format == "csv" else report_json(report)
            data = text.encode("utf-8")
            audit.record(session, vault.audit_key, "report.exported", None, report.escalations)
        _deliver(args.output, data)
    if args.output is not None:
        print(
            f"Wrote the partnership report ({report.escalations} escalations) to {args.output}.",
            file=sys.stderr,
        )
    return EXIT_OK


def _deliver(output: Path | None, data: bytes) -> None:
    """Write to the named file (atomically) or to standard output."""
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        write_atomically(output, data)


def add_sharing_commands(commands: Any) -> None:
    """Add the report, transfer and subject-access commands to the parser."""
    report = commands.add_parser("report", help="anonymised partnership figures for a period")
    report.add_argument("--from", dest="start", type=_date, required=True, metavar="DATE")
    report.add_argument("--to", dest="end", type=_date, required=True, metavar="DATE")
    report.add_argument("--format", choices=["csv", "json", "pdf"], default="csv")
    report.add_argument(
        "-o", "--output", type=Path, metavar="FILE", help="write to FILE (needed for pdf)"
    )
    report.set_defaults(handler=_cmd_report)
