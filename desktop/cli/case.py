"""The workflow on the command line: escalate, resolve, withdraw, reopen, record, complete.

Each command calls the same service as the window; a refusal is one sentence,
exit 2, and leaves the vault unchanged.
"""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any

from desktop.casework.closing import CLOSING_LEARNING, CLOSING_NOTE, REFERRED, Closing
from desktop.casework.stage_entry import record_stage
from desktop.casework.stage_times import record_event, set_review_time
from desktop.casework.transitions import (
    case_id_of,
    complete_records,
    end_case,
    escalate_case,
    incomplete_entry,
    reopen_case,
)
from desktop.cli.support import EXIT_OK, catalogue_for, unlock
from desktop.errors import InvalidInput
from desktop.models import StageOutcome
from desktop.procedures import fields
from desktop.procedures.field_kinds import typed_time
from desktop.procedures.fields import ESCALATE_TO, INCOMPLETE_BECAUSE
from desktop.procedures.workdays import parse_instant, to_london


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _time(text: str, what: str) -> dt.datetime:
    """Read a time typed dd/mm/yyyy HH:MM (London time)."""
    return parse_instant(typed_time(what, text), strict=True)


def _cmd_escalate(args: argparse.Namespace) -> int:
    catalogue = catalogue_for(args)
    with unlock(args) as vault:
        case_id = case_id_of(vault, args.reference)
        moved = escalate_case(vault, catalogue, case_id, _now(), args.to, args.incomplete_because)
    print(f"Escalated {args.reference} to stage {moved}.")
    return EXIT_OK


def _closing(args: argparse.Namespace, note: str) -> Closing:
    return Closing(note.strip(), (args.learning or "").strip(), tuple(args.refer or ()))


def _close(args: argparse.Namespace, outcome: StageOutcome, note: str) -> int:
    """Close the case as ``outcome`` with what is said at the close, as the window does."""
    catalogue = catalogue_for(args)
    with unlock(args) as vault:
        case_id = case_id_of(vault, args.reference)
        closing = _closing(args, note)
        end_case(vault, catalogue, case_id, outcome, _now(), closing, args.incomplete_because)
    print(f"Closed {args.reference} as {outcome.value}.")
    return EXIT_OK


def _cmd_resolve(args: argparse.Namespace) -> int:
    return _close(args, StageOutcome.RESOLVED, args.note or "")


def _cmd_withdraw(args: argparse.Namespace) -> int:
    return _close(args, StageOutcome.WITHDRAWN, args.reason)


def _cmd_reopen(args: argparse.Namespace) -> int:
    catalogue = catalogue_for(args)
    with unlock(args) as vault:
        stage = reopen_case(
            vault, catalogue, case_id_of(vault, args.reference), args.reason, _now()
        )
    print(f"Reopened {args.reference} at stage {stage}.")
    return EXIT_OK


def _typed_fields(args: argparse.Namespace) -> dict[str, Any]:
    """The stage values typed as NAME=VALUE, each read by the field registry."""
    values: dict[str, Any] = {}
    for given in args.field or []:
        name, equals, text = given.partition("=")
        if not equals:
            raise InvalidInput(f"Write each field as NAME=VALUE ('{given}' has no '=').")
        values[name.strip()] = fields.parse_text(name.strip(), text)
    return values


def _values(args: argparse.Namespace) -> dict[str, Any]:
    """The stage values typed, with where to escalate and what is said at a close."""
    values = _typed_fields(args)
    if args.to:
        values[ESCALATE_TO] = args.to
    if args.incomplete_because:
        values[INCOMPLETE_BECAUSE] = args.incomplete_because
    said_at_close = args.note or args.learning or args.refer
    if said_at_close and values.get("outcome") not in ("resolved", "withdrawn", "unresolved"):
        raise InvalidInput(
            "--note, --learning and --refer are said when the case closes; give "
            "--field outcome=resolved, withdrawn or unresolved (at the last stage) with them."
        )
    closing = _closing(args, args.note or "")  # kept only if the outcome closes the case
    values.update({CLOSING_NOTE: closing.note, CLOSING_LEARNING: closing.learning})
    values[REFERRED] = list(closing.referred)
    return values


def _cmd_record(args: argparse.Namespace) -> int:
    catalogue = catalogue_for(args)
    values = _values(args)
    with unlock(args) as vault:
        done = record_stage(vault, catalogue, case_id_of(vault, args.reference), values, _now())
    ended = {
        "": "the stage stays open",
        "unresolved": "the case moved on" if not done.case_closed else "the case closed unresolved",
    }.get(done.outcome, f"the case closed ({done.outcome})")
    print(f"Recorded the current stage of {args.reference}; {ended}.")
    return EXIT_OK


def _cmd_complete(args: argparse.Namespace) -> int:
    catalogue = catalogue_for(args)
    values = _typed_fields(args)
    with unlock(args) as vault:
        record_id = incomplete_entry(vault, case_id_of(vault, args.reference), args.stage)
        complete_records(vault, catalogue, record_id, values, args.note or "", _now())
    print(f"Completed the records of stage {args.stage} of {args.reference}.")
    return EXIT_OK


def _cmd_event(args: argparse.Namespace) -> int:
    catalogue = catalogue_for(args)
    when = _time(args.at, "--at")
    with unlock(args) as vault:
        case_id = case_id_of(vault, args.reference)
        due = record_event(vault, catalogue, case_id, args.event, when, _now())
    after = f"; the stage is due {to_london(due).strftime('%a %d %b %Y %H:%M')}" if due else ""
    print(f"Recorded {args.event} for {args.reference}{after}.")
    return EXIT_OK


def _cmd_review(args: argparse.Namespace) -> int:
    catalogue = catalogue_for(args)
    when = _time(args.at, "--at")
    with unlock(args) as vault:
        set_review_time(vault, catalogue, case_id_of(vault, args.reference), when)
    print(f"The current stage of {args.reference} is to be reviewed by {args.at}.")
    return EXIT_OK


def _reference(parser: Any) -> None:
    parser.add_argument("reference", metavar="REF")


def _closing_options(parser: Any) -> None:
    parser.add_argument("--learning", metavar="TEXT", help="learning identified")
    parser.add_argument(
        "--refer",
        action="append",
        metavar="ID",
        help="refer to a body the procedure names at closing (see 'procedures --json')",
    )
    _incomplete(parser)


def _incomplete(parser: Any) -> None:
    parser.add_argument(
        "--incomplete-because",
        metavar="TEXT",
        help="end the stage although a required record is missing, saying why",
    )


def add_case_commands(commands: Any) -> None:
    """Add ``case``: escalate, resolve, withdraw, reopen, record, complete, event, review."""
    case = commands.add_parser("case", help="move a case on: escalate, resolve, record...")
    actions = case.add_subparsers(title="actions", metavar="ACTION", required=True)
    escalate = actions.add_parser("escalate", help="escalate to the next stage")
    _reference(escalate)
    escalate.add_argument("--to", metavar="STAGE", help="the next stage, where there is a choice")
    _incomplete(escalate)
    escalate.set_defaults(handler=_cmd_escalate)
    resolve = actions.add_parser("resolve", help="close the case as resolved")
    _reference(resolve)
    resolve.add_argument("--note", metavar="TEXT", help="how it was resolved")
    _closing_options(resolve)
    resolve.set_defaults(handler=_cmd_resolve)
    withdraw = actions.add_parser("withdraw", help="close the case as withdrawn")
    _reference(withdraw)
    withdraw.add_argument("--reason", required=True, metavar="TEXT", help="why it is withdrawn")
    _closing_options(withdraw)
    withdraw.set_defaults(handler=_cmd_withdraw)
    reopen = actions.add_parser("reopen", help="reopen a closed case")
    _reference(reopen)
    reopen.add_argument("--reason", required=True, metavar="TEXT", help="why it is reopened")
    reopen.set_defaults(handler=_cmd_reopen)
    record = actions.add_parser("record", help="record the current stage's fields")
    _reference(record)
    record.add_argument(
        "--field", action="append", metavar="NAME=VALUE", help="a field of the stage's record"
    )
    record.add_argument("--to", metavar="STAGE", help="with outcome=unresolved: where to")
    record.add_argument(
        "--note", metavar="TEXT", help="when the outcome closes the case: how, or why withdrawn"
    )
    _closing_options(record)
    record.set_defaults(handler=_cmd_record)
    complete = actions.add_parser("complete", help="complete the records a stage ended without")
    _reference(complete)
    complete.add_argument("--stage", required=True, metavar="ID", help="the stage that ended")
    complete.add_argument(
        "--field", action="append", metavar="NAME=VALUE", help="a record the stage lacked"
    )
    complete.add_argument("--note", metavar="TEXT", help="how the records were completed")
    complete.set_defaults(handler=_cmd_complete)
    event = actions.add_parser("event", help="record when an event of the stage happened")
    _reference(event)
    event.add_argument("event", metavar="EVENT", help="the event's id (see 'procedures --json')")
    event.add_argument("--at", required=True, metavar="'dd/mm/yyyy HH:MM'")
    event.set_defaults(handler=_cmd_event)
    review = actions.add_parser("review", help="set a review time for a stage with no number")
    _reference(review)
    review.add_argument("--at", required=True, metavar="'dd/mm/yyyy HH:MM'")
    review.set_defaults(handler=_cmd_review)
