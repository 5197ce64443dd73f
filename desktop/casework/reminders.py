"""Reminders of deadlines while the app runs: which to remind of, once, and in what words.

A check reads the deadlines from the last check up to the end of the next
working hour: only those rows, so checking every few minutes costs little
however large the vault. Each is reminded of once when it comes near and once
more when it passes. What was already overdue when the app started is said once,
as a count, at the first check (the dashboard lists them). A reminder names
case references and stages only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop.casework.deadlines import KINDS, Deadline, deadlines, working_hour_after
from desktop.casework.settings import working_calendar
from desktop.models import AgreedAction, Case, StageRecord
from desktop.procedures.catalogue import Catalogue
from desktop.procedures.workdays import to_london
from desktop.storage import audit
from desktop.storage.vault import Vault


@dataclass(frozen=True)
class Reminder:
    """A deadline to remind of now, and whether it has passed."""

    deadline: Deadline
    overdue: bool


@dataclass(frozen=True)
class ReminderState:
    """What this run of the app has reminded of, and when it last looked."""

    since: dt.datetime | None = None  # the last check; None before the first
    reminded: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class Reminders:
    """What to say now: the deadlines near or just passed, and (first) how many were overdue."""

    items: tuple[Reminder, ...] = ()
    overdue_before: int = 0

    def __bool__(self) -> bool:
        return bool(self.items) or self.overdue_before > 0


def _phase(deadline: Deadline, now: dt.datetime) -> tuple[str, bool]:
    overdue = deadline.due_at <= now
    when = "overdue" if overdue else "soon"
    return f"{deadline.key}@{deadline.due_at.isoformat()}:{when}", overdue


def to_remind(
    candidates: Iterable[Deadline],
    now: dt.datetime,
    horizon: dt.datetime,
    reminded: frozenset[str],
) -> tuple[list[Reminder], frozenset[str]]:
    """Decide which deadlines to remind of now, and what has been reminded of after that.

    A deadline is reminded of once when it comes within ``horizon`` and once more
    when it passes; one already past when first seen is reminded of once. A
    deadline that moves (a correction) counts as a new one. What is kept is only
    what these candidates need: one that no check will read again is forgotten.
    """
    reminders: list[Reminder] = []
    kept: set[str] = set()
    for deadline in candidates:
        if deadline.due_at >= horizon:
            continue
        key, overdue = _phase(deadline, now)
        if key not in reminded:
            reminders.append(Reminder(deadline, overdue))
        kept.add(key)
    return reminders, frozenset(kept)


def overdue_count(session: Session, now: dt.datetime) -> int:
    """Count open stages and open agreed actions past their due time (two counts in SQL)."""
    stages = (
        select(func.count())
        .select_from(Case)
        .join(StageRecord, StageRecord.id == Case.current_record_id)
        .where(Case.closed_at.is_(None), StageRecord.closed_at.is_(None))
        .where(StageRecord.due_at < now)
    )
    actions = (
        select(func.count())
        .select_from(AgreedAction)
        .join(StageRecord, AgreedAction.stage_record_id == StageRecord.id)
        .join(Case, StageRecord.case_id == Case.id)
        .where(Case.closed_at.is_(None), AgreedAction.completed_at.is_(None))
        .where(AgreedAction.due_at < now)
    )
    return int(session.scalar(stages) or 0) + int(session.scalar(actions) or 0)


def check_reminders(
    vault: Vault, catalogue: Catalogue, now: dt.datetime, state: ReminderState
) -> tuple[Reminders, ReminderState]:
    """Read what came near or passed since the last check, and decide what to remind of.

    A reminder shown is audited with its count; a check that shows nothing
    records nothing.
    """
    with vault.sessions.begin() as session:
        calendar = working_calendar(session)
        horizon = working_hour_after(calendar, now)
        start = state.since or now
        window = deadlines(session, catalogue, calendar, now, start=start, end=horizon)
        items, reminded = to_remind(window, now, horizon, state.reminded)
        before = overdue_count(session, now) if state.since is None else 0
        said = Reminders(tuple(items), before)
        if said:
            audit.record(session, vault.audit_key, "deadlines.reminded", None, len(items) + before)
    return said, ReminderState(now, reminded)


def _phase_words(reminders: Sequence[Reminder]) -> str:
    overdue = sum(1 for r in reminders if r.overdue)
    if overdue == len(reminders):
        return "overdue"
    return "due within the working hour" if overdue == 0 else "near or overdue"


def _due(reminder: Reminder) -> str:
    what = KINDS.get(reminder.deadline.kind) or "stage"
    when = to_london(reminder.deadline.due_at).strftime("%H:%M on %a %d %b")
    return f"{what} due {when}"


def _overdue_words(count: int) -> str:
    return f"{count:,} deadline{'s' if count != 1 else ''} already overdue"


def reminder_text(reminders: Reminders, shown: int = 3) -> tuple[str, str]:
    """Return a notification's title and message: references and stages, nothing else.

    One case: its reference, then each deadline by stage and kind with its time.
    Several: how many cases, and the first few references. What was overdue
    before the app started is a count.
    """
    by_case: dict[str, list[Reminder]] = {}
    for reminder in sorted(reminders.items, key=lambda r: r.deadline.due_at):
        by_case.setdefault(reminder.deadline.reference, []).append(reminder)
    before = _overdue_words(reminders.overdue_before) if reminders.overdue_before else ""
    if not by_case:
        return before[:1].upper() + before[1:], "The dashboard lists them: choose Show: Overdue."
    if len(by_case) == 1:
        [(reference, own)] = by_case.items()
        stages = dict.fromkeys(r.deadline.stage for r in own)
        parts = [
            f"{stage}: " + "; ".join(_due(r) for r in own if r.deadline.stage == stage)
            for stage in stages
        ]
        title = f"{reference}: {_phase_words(own)}"
        message = ". ".join(parts) + "."
    else:
        title = f"{len(by_case)} cases have deadlines {_phase_words(reminders.items)}"
        named = [
            reference + (" (overdue)" if any(r.overdue for r in own) else "")
            for reference, own in list(by_case.items())[:shown]
        ]
        more = len(by_case) - shown
        message = ", ".join(named) + (f" and {more:,} more." if more > 0 else ".")
    return title, message + (f" Also {before}." if before else "")
