"""Deadlines by case reference and stage: what is due in a span of time, and the next hour.

A deadline is said by case reference and stage only: never the child, never
text anyone typed (an agreed action is "an agreed action", not its words), so a
reminder on the desktop (casework.reminders) or an event in a calendar file
(sharing.deadline_calendar) shows nothing of the record.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, selectinload

from desktop.casework.clocks import facts_for, milestones, timescale_due
from desktop.casework.guidance import label_of, stage_label
from desktop.models import AgreedAction, Case, StageRecord
from desktop.procedures.catalogue import Catalogue, Track
from desktop.procedures.store import definition, definition_for_case
from desktop.procedures.workdays import WorkingCalendar

# A check-point inside a stage (contact within 24 hours) is reckoned for stages opened
# this recently; older ones are long past and their stage's own deadline speaks for them.
MILESTONE_WINDOW = dt.timedelta(days=31)
ONE_HOUR = dt.timedelta(hours=1)
KINDS = {"stage": "", "milestone": "check-point", "action": "agreed action"}


@dataclass(frozen=True)
class Deadline:
    """Something due: which case, which stage, what kind, when; and a key that stays the same."""

    key: str  # "stage:12", "milestone:12:0", "action:40": unique within the vault
    reference: str
    stage: str  # the stage's label ("Level 2: Next managerial level or safeguarding lead")
    kind: str  # "stage", "milestone" or "action"
    due_at: dt.datetime

    @property
    def title(self) -> str:
        """Reference and stage (and the kind, unless it is the stage itself)."""
        kind = KINDS.get(self.kind, "")
        return f"{self.reference} — {self.stage}" + (f": {kind}" if kind else "")


TrackOf = Callable[[str, str, "str | None", str], Track]
_CASE = (
    Case.reference,
    Case.procedure_id,
    Case.procedure_version,
    Case.procedure_sha256,
    Case.track_id,
)


def _tracks(session: Session, catalogue: Catalogue) -> TrackOf:
    """Return a reader of tracks by definition, each definition read once."""
    seen: dict[tuple[str, str, str | None, str], Track] = {}

    def track(procedure_id: str, version: str, sha256: str | None, track_id: str) -> Track:
        key = (procedure_id, version, sha256, track_id)
        if key not in seen:
            procedure = definition(session, catalogue, procedure_id, version, sha256)
            seen[key] = procedure.track(track_id)
        return seen[key]

    return track


@dataclass(frozen=True)
class _Span:
    """The times asked about: from ``start`` (if any) up to, not including, ``end`` (if any)."""

    start: dt.datetime | None
    end: dt.datetime | None

    def where(self, column: Any) -> list[Any]:
        return [
            *([column >= self.start] if self.start is not None else []),
            *([column < self.end] if self.end is not None else []),
        ]

    def holds(self, at: dt.datetime) -> bool:
        return (self.start is None or at >= self.start) and (self.end is None or at < self.end)


def _open_stages(*columns: Any) -> Select[Any]:
    return (
        select(*_CASE, StageRecord.id, StageRecord.stage_id, *columns)
        .join(StageRecord, StageRecord.id == Case.current_record_id)
        .where(Case.closed_at.is_(None), StageRecord.closed_at.is_(None))
    )


def _stage_deadlines(session: Session, track: TrackOf, span: _Span) -> Iterator[Deadline]:
    query = _open_stages(StageRecord.due_at).where(
        StageRecord.due_at.is_not(None), *span.where(StageRecord.due_at)
    )
    for ref, proc, version, sha, track_id, record_id, stage_id, due in session.execute(query):
        if due is not None:  # never, as asked: a stage without a timescale has no due time
            label = stage_label(track(proc, version, sha, track_id), stage_id)
            yield Deadline(f"stage:{record_id}", ref, label, "stage", due)


def _milestone_deadlines(
    session: Session, catalogue: Catalogue, calendar: WorkingCalendar, span: _Span, now: dt.datetime
) -> Iterator[Deadline]:
    """Each check-point of a recently opened stage, counted from the event it names.

    A check-point whose event has not happened yet (reported to the line
    managers) has no due time, as in the case view and ``due``.
    """
    query = (
        select(StageRecord)
        .join(Case, Case.current_record_id == StageRecord.id)
        .where(Case.closed_at.is_(None), StageRecord.closed_at.is_(None))
        .where(StageRecord.opened_at >= now - MILESTONE_WINDOW)
        .options(selectinload(StageRecord.case))
    )
    for record in session.scalars(query):
        case = record.case
        procedure = definition_for_case(session, catalogue, case)
        stage = procedure.track(case.track_id).stage(record.stage_id)
        facts = facts_for(case, record, stage)
        for number, milestone in enumerate(milestones(procedure, stage, facts.events)):
            due = timescale_due(calendar, milestone.timescale, facts)
            if due is not None and span.holds(due.at):
                key = f"milestone:{record.id}:{number}"
                yield Deadline(key, case.reference, label_of(stage), "milestone", due.at)


def _action_deadlines(session: Session, track: TrackOf, span: _Span) -> Iterator[Deadline]:
    query = (
        select(*_CASE, AgreedAction.id, StageRecord.stage_id, AgreedAction.due_at)
        .join(StageRecord, AgreedAction.stage_record_id == StageRecord.id)
        .join(Case, StageRecord.case_id == Case.id)
        .where(Case.closed_at.is_(None), AgreedAction.completed_at.is_(None))
        .where(AgreedAction.due_at.is_not(None), *span.where(AgreedAction.due_at))
    )
    for ref, proc, version, sha, track_id, action_id, stage_id, due in session.execute(query):
        if due is not None:  # as asked (the column may hold none: an action without a date)
            label = stage_label(track(proc, version, sha, track_id), stage_id)
            yield Deadline(f"action:{action_id}", ref, label, "action", due)


def deadlines(
    session: Session,
    catalogue: Catalogue,
    calendar: WorkingCalendar,
    now: dt.datetime,
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
) -> list[Deadline]:
    """Return open stages, their check-points and open agreed actions due in [start, end).

    Only the rows in the range are read (due times are indexed), so a check of
    the next hour costs little however many cases the vault holds.
    """
    track, span = _tracks(session, catalogue), _Span(start, end)
    found = [
        *_stage_deadlines(session, track, span),
        *_milestone_deadlines(session, catalogue, calendar, span, now),
        *_action_deadlines(session, track, span),
    ]
    return sorted(found, key=lambda d: (d.due_at, d.reference, d.key))


def working_hour_after(calendar: WorkingCalendar, now: dt.datetime) -> dt.datetime:
    """Return the end of the next working hour from ``now`` (over a close, into the next day).

    At 16:30 with the office closing at 17:00 it is 09:30 on the next working day.
    """
    left, at = ONE_HOUR, now.astimezone(dt.UTC)
    while left > dt.timedelta(0):
        at = calendar.working_start(at)
        step = min(left, calendar.end_of_working_day(at) - at)
        at, left = at + step, left - step
    return at
