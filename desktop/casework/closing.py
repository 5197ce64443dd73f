"""Closing a case: how it ended, the learning it leaves, and where learning and gaps are referred.

Learning and policy gaps belong to the end of a case, not to the start: the
procedure's redirects marked ``when = "close"`` (the county's Learning Group,
Berkshire's Policy and Procedures Sub Group, a multi-agency case review) are
offered when a case closes, and what the user refers is kept on the closing
stage and carried into the partnership notification.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from desktop.casework.workflow import (
    close_case,
    current_record,
    effective_stages,
    open_stage,
    procedure_of,
    save_fields,
)
from desktop.errors import InvalidInput
from desktop.models import Case, StageOutcome, StageRecord
from desktop.procedures.catalogue import Catalogue, Procedure, Redirect
from desktop.procedures.workdays import WorkingCalendar
from desktop.storage import audit

CLOSING_NOTE, CLOSING_LEARNING, REFERRED = "closing_note", "closing_learning", "referred"
CLOSING_KEYS = frozenset({CLOSING_NOTE, CLOSING_LEARNING, REFERRED})
NOTE_NEEDED = {
    StageOutcome.WITHDRAWN: "Say why the case is withdrawn: the reason stays with the case.",
}


@dataclass(frozen=True)
class Closing:
    """What the user says when a case closes."""

    note: str = ""  # how it was resolved, or why it was withdrawn
    learning: str = ""  # learning identified (or that there was none)
    referred: tuple[str, ...] = ()  # ids of the procedure's closing redirects referred to


def closing_from(values: Mapping[str, Any]) -> Closing:
    """Read what a stage form's closing page says (absent keys: nothing said)."""
    referred = values.get(REFERRED) or ()
    return Closing(
        str(values.get(CLOSING_NOTE) or "").strip(),
        str(values.get(CLOSING_LEARNING) or "").strip(),
        tuple(str(r) for r in referred) if isinstance(referred, list | tuple) else (),
    )


def offers(procedure: Procedure) -> tuple[Redirect, ...]:
    """Return what the procedure offers when a case closes (learning, policy gaps...)."""
    return procedure.redirects_at("close")


def check_closing(procedure: Procedure, outcome: StageOutcome, closing: Closing) -> None:
    """Refuse a closing that lacks what its outcome needs, or refers somewhere unknown.

    Raises:
        InvalidInput: one sentence.
    """
    if not closing.note and outcome in NOTE_NEEDED:
        raise InvalidInput(NOTE_NEEDED[outcome])
    known = {r.id: r for r in offers(procedure)}
    for ident in closing.referred:
        if ident not in known:
            choices = ", ".join(known) or "none"
            raise InvalidInput(
                f"This procedure offers no referral '{ident}' when a case closes (it offers: "
                f"{choices})."
            )


def close_with(
    session: Session,
    audit_key: audit.AuditKey,
    procedure: Procedure,
    case: Case,
    at: dt.datetime,
    outcome: StageOutcome,
    incomplete_because: str | None,
    closing: Closing,
) -> None:
    """Close ``case`` with ``outcome``, keeping ``closing`` on the stage it closes.

    Raises:
        InvalidInput: as :func:`check_closing`, or the case is closed already.
    """
    check_closing(procedure, outcome, closing)
    record = current_record(case)
    if record.closed_at is None and (closing.note or closing.learning or closing.referred):
        kept: dict[str, Any] = json.loads(record.fields_json or "{}")
        if closing.note:
            kept[CLOSING_NOTE] = closing.note
        if closing.learning:
            earlier = str(kept.get("learning") or "").strip()
            kept["learning"] = f"{earlier}\n\n{closing.learning}" if earlier else closing.learning
        if closing.referred:
            kept[REFERRED] = dict.fromkeys(closing.referred, True)
        save_fields(session, audit_key, record, kept)
    close_case(session, audit_key, case, at, outcome, incomplete_because)


def referred_to(procedure: Procedure, fields: Mapping[str, Any]) -> list[Redirect]:
    """Return the closing redirects a stage's fields say were referred to."""
    chosen = fields.get(REFERRED)
    if not isinstance(chosen, Mapping):
        return []
    return [r for r in offers(procedure) if chosen.get(r.id)]


def reopen(
    session: Session,
    audit_key: audit.AuditKey,
    catalogue: Catalogue,
    calendar: WorkingCalendar,
    case: Case,
    at: dt.datetime,
    reason: str,
) -> StageRecord:
    """Reopen a closed case at the stage it ended at: a new entry linked to that stage.

    Raises:
        InvalidInput: the case's last stage has not ended, or ``at`` is before it did.
    """
    last = effective_stages(case)[-1]
    if last.closed_at is None:
        raise InvalidInput(f"Case {case.reference} is open; only a closed case is reopened.")
    if at < last.closed_at:
        raise InvalidInput("A case cannot be reopened before it closed.")
    _procedure, track = procedure_of(catalogue, case)
    case.closed_at = None
    record = open_stage(session, case, track.stage(last.stage_id), last.sequence + 1, at, calendar)
    record.reopens_id = last.id
    if reason.strip():
        record.fields_json = json.dumps({"reopened_because": reason.strip()}, ensure_ascii=False)
    audit.record(session, audit_key, "case.reopened", "case", case.id)
    return record
