"""What is due: open stages, the milestones inside them and open agreed actions.

Read as plain rows with times as stored text (sortable as text), so 50,000
cases cost a couple of queries and no ORM objects.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import String, select, type_coerce
from sqlalchemy.orm import Session

from desktop.casework.settings import working_calendar
from desktop.models import AgreedAction, Case, StageRecord, from_stored_text, stored_text
from desktop.procedures.catalogue import Catalogue
from desktop.procedures.store import definition
from desktop.procedures.workdays import WorkingCalendar
from desktop.storage import audit
from desktop.storage.vault import Vault


@dataclass(frozen=True)
class DueItem:
    """Something open with a due time: a stage, a milestone within it, or an agreed action."""

    reference: str
    kind: str
    stage_id: str
    what: str
    due_at: dt.datetime
    overdue: bool
    outside_working_time: bool


def due_items(
    session: Session, catalogue: Catalogue, calendar: WorkingCalendar, now: dt.datetime
) -> list[DueItem]:
    """Return open stages, their milestones and open actions with due times, overdue first."""
    connection = session.connection()
    now_text = stored_text(now)
    items: list[DueItem] = []
    stage_rows = connection.execute(
        select(
            Case.reference,
            Case.procedure_id,
            Case.procedure_version,
            Case.procedure_sha256,
            Case.track_id,
            StageRecord.stage_id,
            type_coerce(StageRecord.opened_at, String),
            type_coerce(StageRecord.due_at, String),
            StageRecord.due_outside_working_time,
        )
        .join(StageRecord, StageRecord.id == Case.current_record_id)
        .where(Case.closed_at.is_(None), StageRecord.closed_at.is_(None))
    ).all()  # fetched at once: row by row cost as much again as the query
    tracks = {}
    for ref, proc_id, version, sha256, track_id, stage_id, opened, due, outside in stage_rows:
        key = (proc_id, version, sha256, track_id)
        if key not in tracks:  # each distinct definition is read once
            procedure = definition(session, catalogue, proc_id, version, sha256)
            tracks[key] = procedure.track(track_id)
        stage = tracks[key].stage(stage_id)
        if due is not None:
            items.append(
                DueItem(
                    ref,
                    "stage",
                    stage_id,
                    stage.title,
                    from_stored_text(due),
                    due < now_text,
                    bool(outside),
                )
            )
        for milestone in stage.milestones:
            when = calendar.due(from_stored_text(opened), milestone.timescale)
            if when is not None:
                items.append(
                    DueItem(
                        ref,
                        "milestone",
                        stage_id,
                        milestone.title,
                        when.at,
                        now > when.at,
                        when.outside_working_time,
                    )
                )
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
