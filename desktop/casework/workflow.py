"""Escalation rules: record a stage, escalate, resolve, correct; what is next and when.

Opening a case, and the one check of a new case, are in casework.case_opening.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session, object_session

from desktop.casework.clocks import apply_due, facts_for
from desktop.errors import FinalisedRecordError, InvalidInput, UnknownCase
from desktop.models import AgreedAction, Case, Discussion, StageOutcome, StageRecord
from desktop.procedures.catalogue import RECORD_FIELDS, Catalogue, Procedure, Stage, Track
from desktop.procedures.store import definition_for_case
from desktop.procedures.workdays import WorkingCalendar
from desktop.storage import audit
from desktop.storage.vault import Vault

# Point every case that has none at its latest effective stage (bulk inserts).
CURRENT_RECORDS_SQL = """
UPDATE escalation_case SET current_record_id = (
    SELECT s.id FROM stage_record s
    WHERE s.case_id = escalation_case.id
      AND NOT EXISTS (SELECT 1 FROM stage_record x WHERE x.corrects_id = s.id)
    ORDER BY s.sequence DESC, s.id DESC LIMIT 1)
WHERE current_record_id IS NULL
"""


@dataclass(frozen=True)
class CaseState:
    """What a case's records imply: status, where it is, what comes next and by when."""

    status: str
    current_stage: str | None
    next_stages: tuple[str, ...]
    next_roles: tuple[str, ...]
    due_at: dt.datetime | None
    overdue: bool


def procedure_of(catalogue: Catalogue, case: Case) -> tuple[Procedure, Track]:
    """Return the procedure definition ``case`` was opened under, and its track."""
    session = object_session(case)
    assert session is not None, "a case is read through a session"
    procedure = definition_for_case(session, catalogue, case)
    return procedure, procedure.track(case.track_id)


def case_by_id(session: Session, case_id: int) -> Case:
    """Return the case with ``case_id``.

    Raises:
        UnknownCase: it is not (or no longer) in the vault.
    """
    case = session.get(Case, case_id)
    if case is None:
        raise UnknownCase()
    return case


def effective_stages(case: Case) -> list[StageRecord]:
    """Return the case's stage records, each replaced by its latest correction."""
    corrected = {r.corrects_id for r in case.stages if r.corrects_id is not None}
    return [r for r in case.stages if r.id not in corrected]


def check_printable(*named: tuple[str, object]) -> None:
    """Refuse, as it is entered, text the documents could not print (naming field and character)."""
    from desktop.documents.fonts import check_drawable  # the fonts load once text is entered

    for what, value in named:
        check_drawable(what, value)


def open_stage(
    session: Session,
    case: Case,
    stage: Stage,
    sequence: int,
    at: dt.datetime,
    calendar: WorkingCalendar,
    events: str | None = None,
) -> StageRecord:
    """Open ``stage`` on ``case`` at ``at``, due as its timescale says; it becomes current.

    The timescale counts from the event the procedure names (the stage's
    opening unless it names another); ``events`` are recorded with it.
    """
    record = StageRecord(
        case=case, sequence=sequence, stage_id=stage.id, opened_at=at, events_json=events
    )
    session.add(record)
    session.flush()
    apply_due(calendar, record, stage, facts_for(case, record, stage))
    case.current_record_id = record.id
    return record


def _require_open(record: StageRecord) -> None:
    if record.finalised_at is not None:
        raise FinalisedRecordError()


def record_discussion(
    session: Session,
    audit_key: audit.AuditKey,
    record: StageRecord,
    at: dt.datetime,
    mode: str,
    participants: list[str],
    notes: str,
) -> Discussion:
    """Add a discussion (when, how, with whom, notes) to an unfinalised stage."""
    _require_open(record)
    check_printable(
        ("The list of participants", [mode, *participants]), ("What was discussed", notes)
    )
    discussion = Discussion(
        stage_record=record,
        at=at,
        mode=mode,
        notes=notes,
        participants_json=json.dumps(participants, ensure_ascii=False),
    )
    session.add(discussion)
    session.flush()
    audit.record(session, audit_key, "discussion.created", "discussion", discussion.id)
    return discussion


def add_action(
    session: Session,
    audit_key: audit.AuditKey,
    record: StageRecord,
    action: str,
    owner: str,
    due: dt.datetime | None,
) -> AgreedAction:
    """Add an agreed action with its owner and due time to an unfinalised stage."""
    _require_open(record)
    check_printable(("The agreed action", [action, owner]))
    agreed = AgreedAction(stage_record=record, action=action, owner=owner, due_at=due)
    session.add(agreed)
    session.flush()
    audit.record(session, audit_key, "action.created", "action", agreed.id)
    return agreed


def save_fields(
    session: Session, audit_key: audit.AuditKey, record: StageRecord, fields: Mapping[str, Any]
) -> None:
    """Store the stage form's fields on an unfinalised stage."""
    _require_open(record)
    check_printable(*((f"'{RECORD_FIELDS.get(k, k)}'", v) for k, v in fields.items()))
    record.fields_json = json.dumps(fields, ensure_ascii=False, sort_keys=True)
    audit.record(session, audit_key, "stage.changed", "stage", record.id)


def finalise_stage(
    session: Session,
    audit_key: audit.AuditKey,
    record: StageRecord,
    outcome: StageOutcome,
    at: dt.datetime,
    incomplete_because: str | None = None,
) -> None:
    """Close an unfinalised stage with ``outcome``; it becomes immutable.

    Args:
        incomplete_because: why it ends with a record the procedure requires
            still missing (kept with it, shown wherever the stage is).
    """
    _require_open(record)
    if at < record.opened_at:
        raise InvalidInput("A stage cannot close before it opened.")
    record.outcome, record.closed_at, record.finalised_at = outcome, at, at
    record.incomplete_because = incomplete_because or None
    audit.record(session, audit_key, "stage.finalised", "stage", record.id)


def current_record(case: Case) -> StageRecord:
    """Return the open case's current stage record.

    Raises:
        InvalidInput: the case is closed.
    """
    return _current(case)


def _current(case: Case) -> StageRecord:
    stages = effective_stages(case)
    if case.closed_at is not None or not stages:
        raise InvalidInput(f"Case {case.reference} is closed.")
    return stages[-1]


def choice_sentence(track: Track, stage: Stage) -> str:
    """Say the next stages a stage offers, each with the procedure's words for it."""
    options = [
        f"{target} {track.stage(target).branch_guidance or track.stage(target).title}"
        for target in stage.next
    ]
    return " or ".join(options)


def escalate(
    session: Session,
    audit_key: audit.AuditKey,
    catalogue: Catalogue,
    calendar: WorkingCalendar,
    case: Case,
    at: dt.datetime,
    to_stage: str | None = None,
    incomplete_because: str | None = None,
) -> StageRecord:
    """Close the current stage unresolved and open the next one the procedure allows.

    Where the procedure offers more than one next stage, ``to_stage`` must say
    which: a choice is never made silently.

    Raises:
        InvalidInput: no further stage, no choice made where there is one, or
            ``to_stage`` is not one the procedure allows next.
    """
    _procedure, track = procedure_of(catalogue, case)
    current = _current(case)
    stage = track.stage(current.stage_id)
    allowed = stage.next
    if not allowed:
        raise InvalidInput(
            f"Stage {current.stage_id} is the last stage of this track; there is nowhere "
            "further to escalate."
        )
    if to_stage is None and len(allowed) > 1:
        raise InvalidInput(
            f"From stage {current.stage_id} the procedure offers a choice; choose "
            f"{choice_sentence(track, stage)}."
        )
    target = to_stage or allowed[0]
    if target not in allowed:
        raise InvalidInput(
            f"From stage {current.stage_id} the procedure allows escalation only to "
            f"{', '.join(allowed)}."
        )
    if current.closed_at is None:
        finalise_stage(session, audit_key, current, StageOutcome.UNRESOLVED, at, incomplete_because)
    elif current.outcome is not StageOutcome.UNRESOLVED:
        raise InvalidInput(f"Stage {current.stage_id} ended {current.outcome}; it cannot escalate.")
    record = open_stage(session, case, track.stage(target), current.sequence + 1, at, calendar)
    audit.record(session, audit_key, "case.escalated", "stage", record.id)
    return record


def close_case(
    session: Session,
    audit_key: audit.AuditKey,
    case: Case,
    at: dt.datetime,
    outcome: StageOutcome,
    incomplete_because: str | None = None,
) -> None:
    """End the case: its current stage closes with ``outcome`` (resolved, withdrawn...)."""
    current = _current(case)
    if current.closed_at is None:
        finalise_stage(session, audit_key, current, outcome, at, incomplete_because)
    case.closed_at = at
    audit.record(session, audit_key, f"case.{outcome.value}", "case", case.id)


def linked_entry(record: StageRecord, **changes: Any) -> StageRecord:
    """Return a new entry for the stage of ``record``, linked to it (``corrects_id``).

    It keeps the stage's times, outcome, events and any reopening link; ``changes``
    sets what the new entry says differently.
    """
    kept: dict[str, Any] = {
        "case": record.case,
        "sequence": record.sequence,
        "stage_id": record.stage_id,
        "opened_at": record.opened_at,
        "due_at": record.due_at,
        "closed_at": record.closed_at,
        "outcome": record.outcome,
        "corrects_id": record.id,
        "fields_json": record.fields_json,
        "events_json": record.events_json,
        "reopens_id": record.reopens_id,
    }
    return StageRecord(**{**kept, **changes})


def correct_stage(
    session: Session,
    audit_key: audit.AuditKey,
    record: StageRecord,
    fields: dict[str, str],
    at: dt.datetime,
) -> StageRecord:
    """Record a correction of a finalised stage as a new entry linked to it."""
    if record.finalised_at is None:
        raise InvalidInput("Only a finalised stage needs a correction; edit it instead.")
    check_printable(*((f"'{RECORD_FIELDS.get(k, k)}'", v) for k, v in fields.items()))
    correction = linked_entry(
        record,
        finalised_at=at,
        fields_json=json.dumps(fields, ensure_ascii=False, sort_keys=True),
        incomplete_because=record.incomplete_because,
    )
    session.add(correction)
    session.flush()
    if record.case.current_record_id == record.id:
        record.case.current_record_id = correction.id
    audit.record(session, audit_key, "stage.corrected", "stage", correction.id)
    return correction


def correction_problem(reason: str) -> str | None:
    """Return what is missing from a correction, in plain words, or None."""
    if not reason.strip():
        return "Say why the record needs correcting: the reason stays with the correction."
    return None


def correct_stage_record(
    vault: Vault, record_id: int, fields: dict[str, str], at: dt.datetime
) -> int:
    """Save a correction of a finalised stage, with its reason, as :func:`correct_stage`.

    Returns:
        The correction's id.

    Raises:
        InvalidInput: no reason given (``fields["correction_reason"]``), or the stage
            is not finalised.
    """
    problem = correction_problem(str(fields.get("correction_reason", "")))
    if problem:
        raise InvalidInput(problem)
    with vault.sessions.begin() as session:
        record = session.get(StageRecord, record_id)
        if record is None:
            raise UnknownCase()
        return correct_stage(session, vault.audit_key, record, fields, at).id


def case_state(case: Case, catalogue: Catalogue, now: dt.datetime) -> CaseState:
    """Derive status, current stage, next stage(s) with their roles, due and overdue."""
    _procedure, track = procedure_of(catalogue, case)
    last = effective_stages(case)[-1]
    return derive_state(
        track,
        LastStage(last.stage_id, last.closed_at is not None, last.outcome, last.due_at),
        case.closed_at is not None,
        now,
    )


@dataclass(frozen=True)
class LastStage:
    """What case state depends on: the case's latest effective stage record."""

    stage_id: str
    closed: bool
    outcome: StageOutcome | None
    due_at: dt.datetime | None


def derive_state(track: Track, last: LastStage, case_closed: bool, now: dt.datetime) -> CaseState:
    """Derive a case's state from its track and latest stage (no database access)."""
    following = tuple(track.stage(last.stage_id).next)
    if case_closed:
        status = (last.outcome or StageOutcome.RESOLVED).value
        return CaseState(status, None, (), (), None, False)
    if last.closed and last.outcome is StageOutcome.UNRESOLVED and not following:
        return CaseState("unresolved", None, (), (), None, False)
    roles = tuple(track.stage(s).receiving_role for s in following)
    due = None if last.closed else last.due_at
    return CaseState("open", last.stage_id, following, roles, due, due is not None and now > due)
