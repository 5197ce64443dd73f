"""Escalation rules: open a case, record a stage, escalate, resolve; what is next and when."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import astuple, dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, object_session

from desktop.errors import InvalidInput
from desktop.models import AgreedAction, Case, Child, Discussion, StageOutcome, StageRecord
from desktop.models.cases import PlanStatus
from desktop.procedures.catalogue import RECORD_FIELDS, Catalogue, Procedure, Stage, Track
from desktop.procedures.store import definition_for_case, keep_definition
from desktop.procedures.workdays import WorkingCalendar
from desktop.storage import audit
from desktop.text.lines import check_line

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
class Party:
    """One side of the disagreement."""

    name: str
    role: str
    agency: str


@dataclass(frozen=True)
class ChildDetails:
    """The pseudonymised child a case is about."""

    identifier: str
    initials: str
    date_of_birth: dt.date | None = None
    plan_status: PlanStatus = PlanStatus.NONE


@dataclass(frozen=True)
class NewCase:
    """What opening a case needs."""

    reference: str
    procedure_id: str
    track_id: str
    child: ChildDetails
    area: str
    raised_by: Party
    other_party: Party
    opened_at: dt.datetime
    urgent: bool = False
    summary: str = ""
    procedure_version: str | None = None
    decision_challenged: str = ""
    decision_date: dt.date | None = None
    procedure_sha256: str | None = None


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


def effective_stages(case: Case) -> list[StageRecord]:
    """Return the case's stage records, each replaced by its latest correction."""
    corrected = {r.corrects_id for r in case.stages if r.corrects_id is not None}
    return [r for r in case.stages if r.id not in corrected]


def _printable(*named: tuple[str, object]) -> None:
    """Refuse, as it is entered, text the documents could not print (naming field and character)."""
    from desktop.documents.fonts import check_drawable  # the fonts load once text is entered

    for what, value in named:
        check_drawable(what, value)


def _child(session: Session, details: ChildDetails) -> Child:
    child = session.scalar(select(Child).where(Child.identifier == details.identifier))
    if child is None:
        child = Child(
            identifier=details.identifier,
            initials=details.initials,
            date_of_birth=details.date_of_birth,
            plan_status=details.plan_status,
        )
        session.add(child)
        session.flush()
        return child
    if (child.initials, child.date_of_birth) != (details.initials, details.date_of_birth):
        raise InvalidInput(
            f"Child {details.identifier} is already recorded with other initials or another "
            "date of birth; check the identifier."
        )
    child.plan_status = details.plan_status
    return child


def _open_stage(
    session: Session,
    case: Case,
    stage: Stage,
    sequence: int,
    at: dt.datetime,
    calendar: WorkingCalendar,
) -> StageRecord:
    due = calendar.due(at, stage.timescale)
    record = StageRecord(
        case=case,
        sequence=sequence,
        stage_id=stage.id,
        opened_at=at,
        due_at=due.at if due else None,
        due_outside_working_time=bool(due and due.outside_working_time),
    )
    session.add(record)
    session.flush()
    case.current_record_id = record.id
    return record


def _check_names(new: NewCase) -> None:
    """Refuse a reference, child identifier or name that is too long or hides characters."""
    check_line(new.reference, "The case reference", 50)
    check_line(new.child.identifier, "The child's identifier", 100)
    check_line(new.child.initials, "The child's initials", 20)
    for side, party in (("raising", new.raised_by), ("other", new.other_party)):
        check_line(party.name, f"The {side} party's name")
        check_line(party.role, f"The {side} party's role")
        check_line(party.agency, f"The {side} party's agency")


def open_case(
    session: Session,
    audit_key: audit.AuditKey,
    catalogue: Catalogue,
    calendar: WorkingCalendar,
    new: NewCase,
) -> Case:
    """Open a case on the pinned procedure version; its first stage starts at once.

    An urgent case starts at the track's urgent entry where the procedure allows one.
    The definition is kept in the vault; the case names it by its hash.
    """
    _check_names(new)
    _printable(
        ("The reference", new.reference),
        ("The child's identifier", [new.child.identifier, new.child.initials]),
        ("The summary", new.summary),
        ("The decision challenged", new.decision_challenged),
        ("The raising party", astuple(new.raised_by)),
        ("The other party", astuple(new.other_party)),
    )
    procedure = catalogue.for_new_case(
        new.procedure_id, new.procedure_version, new.procedure_sha256
    )
    try:
        track = procedure.track(new.track_id)
    except KeyError:
        raise InvalidInput(f"Procedure {procedure.id} has no track '{new.track_id}'.") from None
    if session.scalar(select(Case.id).where(Case.reference == new.reference)) is not None:
        raise InvalidInput(f"A case with reference {new.reference} already exists.")
    keep_definition(session, procedure)
    case = Case(
        reference=new.reference,
        procedure_id=procedure.id,
        procedure_version=procedure.version,
        procedure_sha256=procedure.sha256,
        track_id=track.id,
        urgent=new.urgent,
        child=_child(session, new.child),
        area=new.area,
        summary=new.summary,
        decision_challenged=new.decision_challenged,
        decision_date=new.decision_date,
        raised_by_name=new.raised_by.name,
        raised_by_role=new.raised_by.role,
        raised_by_agency=new.raised_by.agency,
        other_party_name=new.other_party.name,
        other_party_role=new.other_party.role,
        other_party_agency=new.other_party.agency,
        opened_at=new.opened_at,
    )
    session.add(case)
    session.flush()
    _open_stage(session, case, track.entry(new.urgent), 1, new.opened_at, calendar)
    audit.record(session, audit_key, "case.created", "case", case.id)
    return case


def _require_open(record: StageRecord) -> None:
    if record.finalised_at is not None:
        raise InvalidInput(
            f"Stage {record.stage_id} is finalised and cannot change; record a correction."
        )


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
    _printable(("The list of participants", [mode, *participants]), ("What was discussed", notes))
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
    _printable(("The agreed action", [action, owner]))
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
    _printable(*((f"'{RECORD_FIELDS.get(k, k)}'", v) for k, v in fields.items()))
    record.fields_json = json.dumps(fields, ensure_ascii=False, sort_keys=True)
    audit.record(session, audit_key, "stage.changed", "stage", record.id)


def finalise_stage(
    session: Session,
    audit_key: audit.AuditKey,
    record: StageRecord,
    outcome: StageOutcome,
    at: dt.datetime,
) -> None:
    """Close an unfinalised stage with ``outcome``; it becomes immutable."""
    _require_open(record)
    if at < record.opened_at:
        raise InvalidInput("A stage cannot close before it opened.")
    record.outcome, record.closed_at, record.finalised_at = outcome, at, at
    audit.record(session, audit_key, "stage.finalised", "stage", record.id)


def _current(case: Case) -> StageRecord:
    stages = effective_stages(case)
    if case.closed_at is not None or not stages:
        raise InvalidInput(f"Case {case.reference} is closed.")
    return stages[-1]


def escalate(
    session: Session,
    audit_key: audit.AuditKey,
    catalogue: Catalogue,
    calendar: WorkingCalendar,
    case: Case,
    at: dt.datetime,
    to_stage: str | None = None,
) -> StageRecord:
    """Close the current stage unresolved and open the next one the procedure allows.

    Raises:
        InvalidInput: no further stage, or ``to_stage`` is not one the procedure allows next.
    """
    _procedure, track = procedure_of(catalogue, case)
    current = _current(case)
    allowed = track.stage(current.stage_id).next
    if not allowed:
        raise InvalidInput(
            f"Stage {current.stage_id} is the last stage of this track; there is nowhere "
            "further to escalate."
        )
    target = to_stage or allowed[0]
    if target not in allowed:
        raise InvalidInput(
            f"From stage {current.stage_id} the procedure allows escalation only to "
            f"{', '.join(allowed)}."
        )
    if current.closed_at is None:
        finalise_stage(session, audit_key, current, StageOutcome.UNRESOLVED, at)
    elif current.outcome is not StageOutcome.UNRESOLVED:
        raise InvalidInput(f"Stage {current.stage_id} ended {current.outcome}; it cannot escalate.")
    record = _open_stage(session, case, track.stage(target), current.sequence + 1, at, calendar)
    audit.record(session, audit_key, "case.escalated", "stage", record.id)
    return record


def close_case(
    session: Session, audit_key: audit.AuditKey, case: Case, at: dt.datetime, outcome: StageOutcome
) -> None:
    """End the case: its current stage closes with ``outcome`` (resolved, withdrawn...)."""
    current = _current(case)
    if current.closed_at is None:
        finalise_stage(session, audit_key, current, outcome, at)
    case.closed_at = at
    audit.record(session, audit_key, f"case.{outcome.value}", "case", case.id)


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
    _printable(*((f"'{RECORD_FIELDS.get(k, k)}'", v) for k, v in fields.items()))
    correction = StageRecord(
        case=record.case,
        sequence=record.sequence,
        stage_id=record.stage_id,
        opened_at=record.opened_at,
        due_at=record.due_at,
        closed_at=record.closed_at,
        outcome=record.outcome,
        finalised_at=at,
        corrects_id=record.id,
        fields_json=json.dumps(fields, ensure_ascii=False, sort_keys=True),
    )
    session.add(correction)
    session.flush()
    if record.case.current_record_id == record.id:
        record.case.current_record_id = correction.id
    audit.record(session, audit_key, "stage.corrected", "stage", correction.id)
    return correction


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
