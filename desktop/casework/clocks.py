"""When a stage and its milestones fall due: each timescale counted from the event it names.

A stage's timescale counts from when the stage opened unless the procedure
names another starting event (``from``): the case's opening, the decision
challenged (its date and time; a date alone counts from the end of that day),
an event of the stage recorded later (reported to the line managers), or an
event of an earlier stage (``1/opened``). A clock whose event has not happened
yet has no due time; an untimed phrase has none either, and the user may set a
review time instead, kept as the stage's due time.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from desktop.models import Case, StageRecord
from desktop.procedures.catalogue import Catalogue, Milestone, Procedure, Stage
from desktop.procedures.store import definition
from desktop.procedures.workdays import (
    LONDON,
    OPENED,
    Due,
    Timescale,
    WorkingCalendar,
    resolve_due,
)

RISK_EVENT = "redirect:"  # an event key for a redirect the case was opened under (its id follows)


@dataclass(frozen=True)
class ClockFacts:
    """What a stage's clocks may count from."""

    opened_at: dt.datetime
    case_opened_at: dt.datetime
    decision_at: dt.datetime | None = None
    events: Mapping[str, dt.datetime] = field(default_factory=lambda: MappingProxyType({}))
    earlier: Mapping[str, dt.datetime] = field(default_factory=lambda: MappingProxyType({}))
    priority: str | None = None

    def start_of(self, event: str) -> dt.datetime | None:
        """Return when ``event`` happened, or None while it has not."""
        built_in = {
            OPENED: self.opened_at,
            "case-opened": self.case_opened_at,
            "decision": self.decision_at,
        }
        if event in built_in:
            return built_in[event]
        if "/" in event:
            return self.earlier.get(event)
        return self.events.get(event)


def decision_instant(day: dt.date | None, time_text: str | None) -> dt.datetime | None:
    """Return the decision challenged as a time: its day and time, or the end of its day."""
    if day is None:
        return None
    try:
        clock = dt.time.fromisoformat(time_text) if time_text else None
    except ValueError:
        clock = None
    if clock is None:
        return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tzinfo=LONDON)
    return dt.datetime.combine(day, clock, tzinfo=LONDON)


def read_events(text: str | None) -> dict[str, dt.datetime]:
    """Return a stage record's recorded events ({id: time})."""
    if not text:
        return {}
    loaded = json.loads(text)
    return {k: dt.datetime.fromisoformat(v) for k, v in loaded.items() if isinstance(v, str)}


def write_events(events: Mapping[str, dt.datetime]) -> str:
    """Return recorded events as kept on a stage record (UTC ISO times, keys sorted)."""
    return json.dumps(
        {k: v.astimezone(dt.UTC).isoformat() for k, v in events.items()}, sort_keys=True
    )


def _looks_back(stage: Stage | None) -> bool:
    """Say whether a stage's clocks count from an earlier stage (only then are they read)."""
    if stage is None:
        return True
    starts = stage.timescale.starts().union(*(m.timescale.starts() for m in stage.milestones))
    return any("/" in start for start in starts)


def facts_for(case: Case, record: StageRecord, stage: Stage | None = None) -> ClockFacts:
    """Collect what ``record``'s clocks may count from, on ``case``.

    Args:
        stage: the record's stage; the case's earlier stages are read only when
            its clocks count from one of them.
    """
    earlier: dict[str, dt.datetime] = {}
    for other in case.stages if _looks_back(stage) else ():
        if other.sequence < record.sequence and other.corrects_id is None:
            earlier[f"{other.stage_id}/{OPENED}"] = other.opened_at
            for name, at in read_events(other.events_json).items():
                earlier[f"{other.stage_id}/{name}"] = at
    return ClockFacts(
        opened_at=record.opened_at,
        case_opened_at=case.opened_at,
        decision_at=decision_instant(case.decision_date, case.decision_time),
        events=MappingProxyType(read_events(record.events_json)),
        earlier=MappingProxyType(earlier),
        priority=case.priority,
    )


def timescale_due(calendar: WorkingCalendar, timescale: Timescale, facts: ClockFacts) -> Due | None:
    """Return when ``timescale`` falls due for these facts (None: nothing to count yet)."""
    start_of: Callable[[str], dt.datetime | None] = facts.start_of
    return resolve_due(calendar, timescale, start_of, facts.priority)


def counts_itself(timescale: Timescale) -> bool:
    """Say whether a timescale's due time comes from the calendar (else the user sets it)."""
    return bool(timescale.counted or timescale.by_priority or timescale.sooner_of)


def milestones(procedure: Procedure, stage: Stage, events: Mapping[str, object]) -> list[Milestone]:
    """Return a stage's milestones, with those of any redirect the case was opened under."""
    found = list(stage.milestones)
    for redirect in procedure.redirects:
        if f"{RISK_EVENT}{redirect.id}" in events and redirect.timescale is not None:
            found.append(Milestone(redirect.milestone, redirect.timescale))
    return found


def apply_due(
    calendar: WorkingCalendar, record: StageRecord, stage: Stage, facts: ClockFacts
) -> bool:
    """Set an open record's due time from its timescale, if the calendar counts it.

    A review time or agreed deadline the user set is left as it is; only
    whether it falls outside working time follows the calendar.

    Returns:
        Whether the due time changed.
    """
    if not counts_itself(stage.timescale):
        if record.due_at is not None:
            record.due_outside_working_time = not calendar.is_working_time(record.due_at)
        return False
    due = timescale_due(calendar, stage.timescale, facts)
    at = due.at if due else None
    outside = bool(due and due.outside_working_time)
    if (record.due_at, record.due_outside_working_time) == (at, outside):
        return False
    record.due_at, record.due_outside_working_time = at, outside
    return True


def recompute_open_stages(session: Session, catalogue: Catalogue, calendar: WorkingCalendar) -> int:
    """Recompute the due time of every open stage on the calendar as it is now.

    Milestones are computed when shown, so they follow the calendar by themselves.

    Returns:
        How many stages' due times moved.
    """
    records = session.scalars(
        select(StageRecord)
        .join(Case, Case.current_record_id == StageRecord.id)
        .where(Case.closed_at.is_(None), StageRecord.closed_at.is_(None))
        .options(selectinload(StageRecord.case))
    ).all()
    moved = 0
    for record in records:
        case = record.case
        procedure = definition(
            session, catalogue, case.procedure_id, case.procedure_version, case.procedure_sha256
        )
        stage = procedure.track(case.track_id).stage(record.stage_id)
        moved += apply_due(calendar, record, stage, facts_for(case, record, stage))
    return moved
