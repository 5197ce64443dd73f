"""Commands about cases: import, export, due, demo, render a signed document, retention."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from desktop.casework.demo import add_demo_cases
from desktop.casework.due import due_json, view_due
from desktop.cli.deadlines import add_calendar_option, write_deadline_calendar
from desktop.cli.support import (
    EXIT_OK,
    add_output,
    catalogue_for,
    read_file,
    unlock,
    write_pieces,
)
from desktop.procedures.workdays import to_london
from desktop.sharing.exchange_import import import_exchange
from desktop.sharing.export import export_audited
from desktop.storage.files import write_atomically


def _cmd_import(args: argparse.Namespace) -> int:
    catalogue = catalogue_for(args)
    raw = read_file(args.file)
    with unlock(args) as vault:
        count = import_exchange(vault, catalogue, raw)
    print(f"Imported {count} case{'s' if count != 1 else ''}.")
    return EXIT_OK


def _cmd_export(args: argparse.Namespace) -> int:
    catalogue = catalogue_for(args)
    output: Path | None = args.output
    deliver: Callable[[Iterable[bytes]], None] = (
        write_pieces if output is None else lambda pieces: write_atomically(output, pieces)
    )
    with unlock(args) as vault:
        count = export_audited(vault, catalogue, dt.datetime.now(dt.UTC), deliver, args.case)
    if output is not None:
        noun = "case" if count == 1 else "cases"
        print(f"Exported {count} {noun} to {output}.", file=sys.stderr)
    return EXIT_OK


def _cmd_due(args: argparse.Namespace) -> int:
    if args.ics is not None:  # a calendar file instead of the listing
        return write_deadline_calendar(args)
    catalogue = catalogue_for(args)
    with unlock(args) as vault:
        items = view_due(vault, catalogue, dt.datetime.now(dt.UTC))
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
    with unlock(args) as vault:
        count = add_demo_cases(vault, catalogue, args.cases, dt.datetime.now(dt.UTC))
    print(f"Added {count} fictional demo case{'s' if count != 1 else ''}.")
    return EXIT_OK


def _cmd_render(args: argparse.Namespace) -> int:
    from desktop.sharing.case_documents import prepare_case_document, save_document
    from desktop.sharing.signed_documents import produce_document

    catalogue = catalogue_for(args)
    with unlock(args) as vault:
        job = prepare_case_document(
            vault, catalogue, args.reference, args.document, args.stage, args.encrypt
        )
        rendered = produce_document(job)
        save_document(vault, job, rendered, args.output, args.recipient)
    print(f"Wrote a signed {args.document} to {args.output} (SHA-256 {rendered.sha256}).")
    if rendered.passphrase:
        print(
            f"It is encrypted (AES-256). Read this passphrase to the recipient by "
            f"telephone: {rendered.passphrase}"
        )
    return EXIT_OK


def _cmd_retention(args: argparse.Namespace) -> int:
    from desktop.casework.retention import purge_case, purge_notice, view_retention

    today = dt.datetime.now(dt.UTC).date()
    if args.purge is not None:
        with unlock(args) as vault:
            purged = purge_case(vault, args.purge, args.confirm or "", today)
        print("\n".join(purge_notice(purged)))
        return EXIT_OK
    with unlock(args) as vault:
        shown = view_retention(vault, today)
    for item in shown.due:  # printed once the view is recorded
        print(f"{item.reference}  review by {item.review_by.isoformat()}")
    count = len(shown.due)
    print(
        f"{count} case{'s' if count != 1 else ''} past the review date "
        f"(date of birth + {shown.years} years)."
    )
    return EXIT_OK


def add_exchange_commands(commands: Any) -> None:
    """Add ``import``, ``export``, ``due`` and ``demo``."""
    importer = commands.add_parser("import", help="import cases from an exchange JSON file")
    importer.add_argument("file", type=Path, metavar="FILE")
    importer.set_defaults(handler=_cmd_import)

    exporter = commands.add_parser("export", help="export cases as exchange JSON")
    exporter.add_argument("--case", metavar="REF", help="only this case")
    add_output(exporter, required=False, help="write to FILE (default: standard output)")
    exporter.set_defaults(handler=_cmd_export)

    due = commands.add_parser("due", help="open stages and actions with their due times")
    due.add_argument("--json", action="store_true", help="print JSON")
    add_calendar_option(due)
    due.set_defaults(handler=_cmd_due)

    demo = commands.add_parser("demo", help="add fictional demo cases across all procedures")
    demo.add_argument("--cases", type=int, default=25, metavar="N", help="how many (default 25)")
    demo.set_defaults(handler=_cmd_demo)


def add_render_command(commands: Any) -> None:
    """Add ``render``: a signed PDF of one case."""
    render = commands.add_parser("render", help="make a signed PDF for a case")
    render.add_argument("reference", metavar="REF")
    render.add_argument(
        "--document",
        required=True,
        choices=["confirmation", "summary", "meeting-record", "notification", "request"],
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


def add_retention_command(commands: Any) -> None:
    """Add ``retention``: cases past their review date, or purge one."""
    retention = commands.add_parser(
        "retention", help="list cases past their review date, or purge one"
    )
    retention.add_argument("--purge", metavar="REF", help="delete this case for good")
    retention.add_argument("--confirm", metavar="REF", help="the same reference, again")
    retention.set_defaults(handler=_cmd_retention)
