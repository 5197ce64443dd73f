"""What the case view shows: the timeline of stages, guidance, what is next, audit history."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from desktop.casework.clocks import counts_itself, facts_for, milestones, read_events, timescale_due
from desktop.casework.directory import DirectoryEntry, directory
from desktop.casework.settings import working_calendar
from desktop.casework.stage_entry import TEXT_FIELDS, load_draft, missing_records, stored_values
from desktop.casework.workflow import (
    CaseState,
    case_by_id,
    case_state,
    effective_stages,
    procedure_of,
)
from desktop.errors import UnknownCase
from desktop.models import AuditEvent, Case, ReceivedDocument, StageRecord
from desktop.procedures.catalogue import RECORD_FIELDS, Catalogue, Procedure, Stage, Track
from desktop.storage import audit
from desktop.storage.vault import Vault


@dataclass(frozen=True)
class TimelineEntry:
    """One stage record as the timeline shows it."""

    record_id: int
    stage_id: str
    title: str
    opened_at: dt.datetime
    due_at: dt.datetime | None
    closed_at: dt.datetime | None
    outcome: str | None
    corrects_id: int | None
    fields: dict[str, Any]
    discussions: tuple[tuple[dt.datetime, str, str, str], ...]
    actions: tuple[tuple[str, str, dt.datetime | None], ...]
    incomplete_because: str | None = None
    reopens_id: int | None = None
    events: tuple[tuple[str, dt.datetime], ...] = ()  # (event title, when)

    @property
    def kind(self) -> str:
        """Say what this entry is besides a stage: a correction, a completion, a reopening."""
        if self.corrects_id and "completed_because" in self.fields:
            return "records completed"
        if self.corrects_id:
            return "correction"
        return "reopened" if self.reopens_id else ""


@dataclass(frozen=True)
class MilestoneState:
    """A milestone of the current stage: when it is due, or the event it still waits for."""

    title: str
    timescale: str  # the procedure's words for it
    due_at: dt.datetime | None
    waits_for: str  # the event its clock starts from, while it has not happened


@dataclass(frozen=True)
class CaseDetail:
    """Everything the case view needs, read in one session."""

    case_id: int
    reference: str
    child: str
    child_identifier: str
    procedure: str
    track: str
    area: str
    summary: str
    raised_by: str
    other_party: str
    state: CaseState
    entries: tuple[TimelineEntry, ...]
    current: Stage | None
    next_options: tuple[Stage, ...]
    track_rule: str
    contacts: tuple[DirectoryEntry, ...]
    draft: dict[str, Any]
    history: tuple[tuple[dt.datetime, str], ...]
    definition: Procedure
    track_definition: Track
    decision: str  # the decision or inaction challenged
    decision_at: str  # its date, and time if known, as the user writes them
    milestones: tuple[MilestoneState, ...] = ()
    missing: tuple[str, ...] = ()  # the current stage's required records still empty
    review: bool = False  # the current stage's due time is a review time the user set
    # What came from another party: a transfer that brought the case, documents kept with it.
    received: tuple[tuple[dt.datetime, str], ...] = ()


def _entry(record: StageRecord, stage: Stage) -> TimelineEntry:
    events = read_events(record.events_json)
    titles = {e.id: e.title for e in stage.events}
    return TimelineEntry(
        record.id,
        record.stage_id,
        stage.title,
        record.opened_at,
        record.due_at,
        record.closed_at,
        record.outcome.value if record.outcome else None,
        record.corrects_id,
        json.loads(record.fields_json or "{}"),
        tuple(
            (d.at, d.mode, ", ".join(json.loads(d.participants_json)), d.notes)
            for d in record.discussions
        ),
        tuple((a.action, a.owner, a.due_at) for a in record.actions),
        record.incomplete_because,
        record.reopens_id,
        tuple((titles[k], at) for k, at in events.items() if k in titles),
    )


def case_detail(
    session: Session, catalogue: Catalogue, case_id: int, now: dt.datetime
) -> CaseDetail:
    """Read a case for viewing (a read only: :func:`view_case` is the audited view)."""
    case = session.scalar(
        select(Case)
        .where(Case.id == case_id)
        .options(
            selectinload(Case.stages).selectinload(StageRecord.discussions),
            selectinload(Case.stages).selectinload(StageRecord.actions),
            selectinload(Case.child),
        )
    )
    if case is None:
        raise UnknownCase()
    procedure, track = procedure_of(catalogue, case)
    state = case_state(case, catalogue, now)
    current = track.stage(state.current_stage) if state.current_stage else None
    history = session.execute(
        select(AuditEvent.at, AuditEvent.action)
        .where(AuditEvent.entity == "case", AuditEvent.entity_id == case.id)
        .order_by(AuditEvent.id)
    ).all()
    stage_ids = [r.id for r in case.stages]
    stage_history = session.execute(
        select(AuditEvent.at, AuditEvent.action)
        .where(AuditEvent.entity == "stage", AuditEvent.entity_id.in_(stage_ids))
        .order_by(AuditEvent.id)
    ).all()
    last = effective_stages(case)[-1]
    open_now = current is not None and last.closed_at is None
    return CaseDetail(
        case_id=case.id,
        reference=case.reference,
        child=f"{case.child.initials} ({case.child.identifier})",
        child_identifier=case.child.identifier,
        procedure=f"{procedure.partnership} ({procedure.version})",
        track=track.title,
        area=procedure.area_title(case.area),
        summary=case.summary,
        raised_by=f"{case.raised_by_name}, {case.raised_by_role}, {case.raised_by_agency}",
        other_party=f"{case.other_party_name}, {case.other_party_role}, {case.other_party_agency}",
        state=state,
        entries=tuple(_entry(r, track.stage(r.stage_id)) for r in case.stages),
        current=current,
        next_options=tuple(track.stage(s) for s in state.next_stages),
        track_rule=track.rule,
        contacts=tuple(directory(session, procedure)),
        draft=load_draft(last) if last.finalised_at is None else {},
        history=tuple((at, action) for at, action in sorted([*history, *stage_history])),
        definition=procedure,
        track_definition=track,
        decision=case.decision_challenged,
        decision_at=_decision_text(case),
        milestones=_milestones(session, case, last, procedure, current) if open_now else (),
        missing=tuple(missing_records(current, stored_values(last)))
        if current and open_now
        else (),
        review=bool(current and open_now and not counts_itself(current.timescale)),
        received=_received(session, case.id),
    )


def _received(session: Session, case_id: int) -> tuple[tuple[dt.datetime, str], ...]:
    """What arrived from another party, in words: by transfer from whom, or a kept document."""
    rows = session.scalars(
        select(ReceivedDocument)
        .where(ReceivedDocument.case_id == case_id)
        .order_by(ReceivedDocument.received_at, ReceivedDocument.id)
    )
    return tuple(
        (
            row.received_at,
            f"Arrived by transfer from {row.sender} ({row.title.lower()})"
            if row.transfer_id is not None
            else f"Kept: {row.title}, signed by {row.sender} (SHA-256 {row.sha256[:16]}…)",
        )
        for row in rows
    )


def _decision_text(case: Case) -> str:
    if case.decision_date is None:
        return ""
    day = case.decision_date.strftime("%d/%m/%Y")
    return f"{day} {case.decision_time}" if case.decision_time else day


def _milestones(
    session: Session, case: Case, record: StageRecord, procedure: Procedure, stage: Stage | None
) -> tuple[MilestoneState, ...]:
    """The current stage's milestones: due times, or the event each still waits for."""
    if stage is None:
        return ()
    calendar = working_calendar(session)
    facts = facts_for(case, record, stage)
    shown = []
    for milestone in milestones(procedure, stage, read_events(record.events_json)):
        due = timescale_due(calendar, milestone.timescale, facts)
        waits = "" if due else _waits_for(stage, milestone.timescale.start)
        shown.append(
            MilestoneState(
                milestone.title, milestone.timescale.describe(), due.at if due else None, waits
            )
        )
    return tuple(shown)


def _waits_for(stage: Stage, start: str) -> str:
    try:
        return stage.event(start).title
    except KeyError:
        return {"decision": "the decision challenged is dated"}.get(start, start)


def view_case(vault: Vault, catalogue: Catalogue, case_id: int, now: dt.datetime) -> CaseDetail:
    """Show a case: read it and record that it was viewed (``case.viewed``)."""
    with vault.sessions.begin() as session:
        detail = case_detail(session, catalogue, case_id, now)
        audit.record(session, vault.audit_key, "case.viewed", "case", case_id)
        return detail


@dataclass(frozen=True)
class CorrectionForm:
    """What correcting a finalised stage shows: its written fields, the rest kept as they are."""

    reference: str
    stage_title: str
    editable: tuple[tuple[str, str, str], ...]  # (field, label, current text)
    kept: dict[str, Any]


def correction_form(vault: Vault, catalogue: Catalogue, record_id: int) -> CorrectionForm:
    """Read a finalised stage's fields for a correction (nothing is written)."""
    with vault.sessions() as session:
        record = session.get(StageRecord, record_id)
        if record is None:
            raise UnknownCase()
        case = case_by_id(session, record.case_id)
        _procedure, track = procedure_of(catalogue, case)
        stage = track.stage(record.stage_id)
        fields = json.loads(record.fields_json or "{}")
        reference = case.reference
    editable = tuple(
        (f, RECORD_FIELDS[f], str(fields.get(f, ""))) for f in stage.record if f in TEXT_FIELDS
    )
    shown = {f for f, _label, _text in editable}
    kept = {k: v for k, v in fields.items() if k not in shown}
    return CorrectionForm(reference, stage.title, editable, kept)
