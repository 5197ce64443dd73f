"""What is due: open stages, the milestones inside them and open agreed actions.

Read as plain rows with times as stored text (sortable as text), so 50,000
cases cost a couple of queries and no ORM objects.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from sqlalchemy import String, select, type_coerce
from sqlalchemy.orm import Session

from desktop.casework.clocks import (
    ClockFacts,
    counts_itself,
    facts_for,
    milestones,
    read_events,
    timescale_due,
)
from desktop.casework.settings import working_calendar
from desktop.models import AgreedAction, Case, StageRecord, from_stored_text, stored_text
from desktop.procedures.catalogue import Catalogue, Milestone, Procedure, Stage
from desktop.procedures.store import definition
from desktop.procedures.workdays import WorkingCalendar
from desktop.storage import audit
from desktop.storage.vault import Vault


@dataclass(frozen=True)
class DueItem:
    """Something open with a due time: a stage (or its review time), a milestone, an action."""

    reference: str
    kind: str
    stage_id: str
    what: str
    due_at: dt.datetime
    overdue: bool
    outside_working_time: bool


CASE_STARTS = frozenset({"case-opened", "decision"})  # clocks that need the case's own facts


def _facts(session: Session, row: Sequence[Any], checkpoints: Sequence[Milestone]) -> ClockFacts:
    """What a current stage's milestones count from.

    The case (its opening, decision and priority) and its earlier stages are
    read only for a milestone that counts from them (none of the bundled ones does).
    """
    case_id, opened_text, events_text = row[0], row[7], row[10]
    starts = set().union(*(m.timescale.starts() for m in checkpoints))
    if not (
        starts & CASE_STARTS
        or any("/" in start for start in starts)
        or any(m.timescale.by_priority for m in checkpoints)
    ):
        opened = from_stored_text(opened_text)
        events = MappingProxyType(read_events(events_text) if events_text else {})
        return ClockFacts(opened, opened, events=events)
    case = session.get_one(Case, case_id)
    return facts_for(case, session.get_one(StageRecord, case.current_record_id))


def _stage_rows(session: Session) -> Sequence[Any]:
    """Every open case's open current stage, as plain rows (times as stored text)."""
    return (
        session.connection()
        .execute(
            select(
                Case.id.label("case_id"),
                Case.reference,
                Case.procedure_id,
                Case.procedure_version,
                Case.procedure_sha256,
                Case.track_id,
                StageRecord.stage_id,
                type_coerce(StageRecord.opened_at, String).label("opened"),
                type_coerce(StageRecord.due_at, String).label("due"),
                StageRecord.due_outside_working_time,
                StageRecord.events_json.label("events"),
            )
            .join(StageRecord, StageRecord.id == Case.current_record_id)
            .where(Case.closed_at.is_(None), StageRecord.closed_at.is_(None))
        )
        .all()
    )  # fetched at once: row by row cost as much again as the query


def _stage_items(
    session: Session, catalogue: Catalogue, calendar: WorkingCalendar, now: dt.datetime
) -> list[DueItem]:
    """Each open current stage (or its review time) and the milestones inside it."""
    now_text = stored_text(now)
    items: list[DueItem] = []
    stages: dict[tuple[Any, ...], tuple[Procedure, Stage, str]] = {}
    for row in _stage_rows(session):
        (
            _case_id,
            ref,
            procedure_id,
            version,
            sha256,
            track_id,
            stage_id,
            _o,
            due,
            outside,
            events,
        ) = row
        found = stages.get((procedure_id, version, sha256, track_id, stage_id))
        if found is None:  # each distinct definition is read, and each stage found, once
            procedure = definition(session, catalogue, procedure_id, version, sha256)
            stage = procedure.track(track_id).stage(stage_id)
            kind = "stage" if counts_itself(stage.timescale) else "review"
            found = stages[(procedure_id, version, sha256, track_id, stage_id)] = (
                procedure,
                stage,
                kind,
            )
        procedure, stage, kind = found
        if due is not None:
            at = from_stored_text(due)
            items.append(
                DueItem(ref, kind, stage_id, stage.title, at, due < now_text, bool(outside))
            )
        recorded = read_events(events) if events else None
        checkpoints = milestones(procedure, stage, recorded) if recorded else stage.milestones
        if not checkpoints:
            continue
        facts = _facts(session, row, checkpoints)
        for milestone in checkpoints:
            when = timescale_due(calendar, milestone.timescale, facts)
            if when is not None:
                title, late, off = milestone.title, now > when.at, when.outside_working_time
                items.append(DueItem(ref, "milestone", stage_id, title, when.at, late, off))
    return items


def due_items(
    session: Session, catalogue: Catalogue, calendar: WorkingCalendar, now: dt.datetime
) -> list[DueItem]:
    """Return open stages, their milestones and open actions with due times, overdue first."""
    connection = session.connection()
    now_text = stored_text(now)
    items = _stage_items(session, catalogue, calendar, now)
    action_rows = connection.execute(
        select(
            Case.reference,
            StageRecord.stage_id,
            AgreedAction.action,
            type_coerce(AgreedAction.due_at, String),
        )
        .join(StageRecord, AgreedAction.stage_record_id == StageRecord.id)
        .join(Case, StageRecord.case_id == Case.id)
        .where(
            Case.closed_at.is_(None),
            AgreedAction.completed_at.is_(None),
            AgreedAction.due_at.is_not(None),
        )
    ).all()
    # Actions share due times (at 50,000 demo cases, 28,696 open actions have
    # 7,101 distinct ones): each distinct time is read and placed in working time once.
    placed: dict[str, tuple[dt.datetime, bool]] = {}
    for ref, stage_id, action, due in action_rows:
        at_outside = placed.get(due)
        if at_outside is None:
            at = from_stored_text(due)
            at_outside = placed[due] = (at, not calendar.is_working_time(at))
        at, outside = at_outside
        items.append(DueItem(ref, "action", stage_id, action, at, due < now_text, outside))
    return sorted(items, key=lambda i: (not i.overdue, i.due_at, i.reference))


def view_due(vault: Vault, catalogue: Catalogue, now: dt.datetime) -> list[DueItem]:
    """Return what is due, as ``due_items``, and record that it was shown (a count, no text)."""
    with vault.sessions.begin() as session:
        items = due_items(session, catalogue, working_calendar(session), now)
        audit.record(session, vault.audit_key, "due.viewed", None, len(items))
    return items


def due_json(item: DueItem) -> dict[str, object]:
    """Return the ``due --json`` form of one item."""
    return {
        "reference": item.reference,
        "kind": item.kind,
        "stage": item.stage_id,
        "what": item.what,
        "due_at": item.due_at.astimezone(dt.UTC).isoformat(),
        "overdue": item.overdue,
        "outside_working_time": item.outside_working_time,
    }
