"""Recording a stage: what its form asks for, what is missing, and the services that save it.

The form is generated from the stage's ``record`` list in the procedure data
and the field registry (``desktop/procedures/fields.py``); these functions say
what the values still need, so the front doors stay thin and the rules are
testable without a window. The services take the open vault, ids and plain
values, own their transaction and return frozen dataclasses.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from desktop.casework.settings import working_calendar
from desktop.casework.workflow import (
    add_action,
    close_case,
    effective_stages,
    escalate,
    finalise_stage,
    procedure_of,
    record_discussion,
    save_fields,
)
from desktop.errors import InvalidInput
from desktop.models import Case, StageOutcome, StageRecord
from desktop.procedures import fields
from desktop.procedures.catalogue import Catalogue, Stage
from desktop.procedures.fields import ESCALATE_TO, Kind, Store
from desktop.storage import audit
from desktop.storage.vault import Vault

TEXT_FIELDS = fields.names(Kind.TEXT)  # the passages, for the correction dialog


@dataclass(frozen=True)
class StageEntry:
    """What the form for a case's current stage shows: the stage and any saved draft."""

    case_id: int
    reference: str
    record_id: int
    stage: Stage
    draft: Mapping[str, Any]


@dataclass(frozen=True)
class StageRecorded:
    """What recording a stage did: the outcome chosen and where the case is now."""

    case_id: int
    record_id: int
    outcome: str  # "" when the stage stays open
    case_closed: bool


def missing(stage: Stage, values: Mapping[str, Any]) -> list[str]:
    """Return, in plain words, what the stage still needs before ``values`` can be saved.

    Values that choose an outcome close the stage, so what closing needs (the
    outcome itself, a written confirmation) is checked too.
    """
    closing = bool(values.get("outcome"))
    problems: list[str] = []
    for name in stage.record:
        problems += fields.problems(fields.named(name), values.get(name), closing)
    if closing:
        problems += fields.problems(fields.named("outcome"), values.get("outcome"), closing)
    return list(dict.fromkeys(problems))


def _store(name: str) -> Store:
    """Where a value is kept (the stage chosen to escalate to goes with the fields)."""
    return fields.named(name).store if name in fields.NAMES else Store.FIELDS


def load_draft(record: StageRecord) -> dict[str, Any]:
    """Return the saved draft of a stage form, or an empty one."""
    if not record.draft_json:
        return {}
    loaded = json.loads(record.draft_json)
    return loaded if isinstance(loaded, dict) else {}


def _case(session: Session, case_id: int) -> Case:
    case = session.get(Case, case_id)
    if case is None:
        raise InvalidInput("That case is no longer in the vault.")
    return case


def read_entry(vault: Vault, catalogue: Catalogue, case_id: int) -> StageEntry:
    """Return the current stage of a case, for its form, with the draft kept of it."""
    with vault.sessions() as session:
        case = _case(session, case_id)
        record = effective_stages(case)[-1]
        _procedure, track = procedure_of(catalogue, case)
        return StageEntry(
            case.id, case.reference, record.id, track.stage(record.stage_id), load_draft(record)
        )


def save_draft(vault: Vault, record_id: int, values: Mapping[str, Any]) -> bool:
    """Keep an unfinished form inside the vault so nothing typed is lost.

    Returns:
        False, with nothing kept, when the stage is finalised (or gone): a
        finalised stage has no draft.
    """
    with vault.sessions.begin() as session:
        record = session.get(StageRecord, record_id)
        if record is None or record.finalised_at is not None:
            return False
        record.draft_json = json.dumps(values, ensure_ascii=False, sort_keys=True)
        audit.record(session, vault.audit_key, "stage.draft_saved", "stage", record.id)
    return True


def _refuse_unasked(stage: Stage, values: Mapping[str, Any]) -> None:
    for name in values:
        if name != ESCALATE_TO and name not in stage.record:
            asked = fields.named(name).label
            raise InvalidInput(f"Stage {stage.id} does not ask for '{asked}'; nothing was saved.")


def _keep_rows(
    session: Session, audit_key: audit.AuditKey, record: StageRecord, values: Mapping[str, Any]
) -> None:
    """Store the fields kept as rows of their own: discussions and agreed actions."""
    for name, value in values.items():
        store = _store(name)
        if store is Store.DISCUSSION and isinstance(value, Mapping):
            people = [p.strip() for p in str(value["participants"]).split(";") if p.strip()]
            when = fields.instant(value["at"])
            assert when is not None  # checked by missing()
            mode, notes = str(value["mode"]), str(value["notes"])
            record_discussion(session, audit_key, record, when, mode, people, notes)
        elif store is Store.ACTIONS:
            for row in value or []:
                action, owner = str(row["action"]), str(row["owner"])
                add_action(session, audit_key, record, action, owner, fields.instant(row["due"]))


def apply_entry(
    session: Session,
    audit_key: audit.AuditKey,
    catalogue: Catalogue,
    case: Case,
    values: Mapping[str, Any],
    at: dt.datetime,
) -> StageRecord:
    """Save a completed stage form on the case's current stage, then act on its outcome.

    Resolved or withdrawn closes the case; unresolved escalates to the next
    stage (the one ``values`` names under ``escalate_to`` where the procedure
    offers a choice), or closes the case unresolved at the last stage; no
    outcome keeps the stage open.

    Raises:
        InvalidInput: something the stage needs is missing (the message lists it).
    """
    _procedure, track = procedure_of(catalogue, case)
    record = effective_stages(case)[-1]
    stage = track.stage(record.stage_id)
    _refuse_unasked(stage, values)
    outcome = values.get("outcome") or ""
    problems = missing(stage, values)
    if problems:
        raise InvalidInput(" ".join(problems))
    kept = {name: value for name, value in values.items() if _store(name) is Store.FIELDS}
    save_fields(session, audit_key, record, kept)
    _keep_rows(session, audit_key, record, values)
    record.draft_json = None
    if outcome in ("resolved", "withdrawn"):
        close_case(session, audit_key, case, at, StageOutcome(outcome))
    elif outcome == "unresolved" and stage.next:
        calendar = working_calendar(session)
        escalate(session, audit_key, catalogue, calendar, case, at, values.get(ESCALATE_TO))
    elif outcome == "unresolved":
        finalise_stage(session, audit_key, record, StageOutcome.UNRESOLVED, at)
        close_case(session, audit_key, case, at, StageOutcome.UNRESOLVED)
    return record


def record_stage(
    vault: Vault,
    catalogue: Catalogue,
    case_id: int,
    values: Mapping[str, Any],
    at: dt.datetime,
) -> StageRecorded:
    """Record the case's current stage from its form's values and act on the outcome.

    Raises:
        InvalidInput: a value the stage needs is missing or wrong; nothing is saved.
    """
    with vault.sessions.begin() as session:
        case = _case(session, case_id)
        record = apply_entry(session, vault.audit_key, catalogue, case, values, at)
        return StageRecorded(
            case.id, record.id, str(values.get("outcome") or ""), case.closed_at is not None
        )
