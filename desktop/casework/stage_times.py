"""The times a stage's clocks need from the user: an event it counts from, or a review time.

Where a procedure's clock starts at an event inside the stage (reported to the
line managers), the deadline exists once that event's time is recorded; where
it gives a phrase rather than a number ("as soon as possible"), the app sets no
deadline of its own and the user may set a time to review the stage instead.
"""

from __future__ import annotations

import datetime as dt

from desktop.casework.clocks import apply_due, counts_itself, facts_for, read_events, write_events
from desktop.casework.settings import working_calendar
from desktop.casework.workflow import case_by_id, current_record, procedure_of
from desktop.errors import InvalidInput
from desktop.models import Case, StageRecord
from desktop.procedures.catalogue import Catalogue
from desktop.procedures.workdays import WorkingCalendar
from desktop.storage import audit
from desktop.storage.vault import Vault


def record_event(
    vault: Vault,
    catalogue: Catalogue,
    case_id: int,
    event_id: str,
    when: dt.datetime,
    now: dt.datetime,
) -> dt.datetime | None:
    """Record when an event of the open stage happened; its clocks start from it (audited).

    Returns:
        The stage's due time afterwards.

    Raises:
        InvalidInput: the stage has no such event, the time is in the future, or
            the stage is closed.
    """
    if when > now:
        raise InvalidInput("That time is in the future; record an event once it has happened.")
    with vault.sessions.begin() as session:
        case = case_by_id(session, case_id)
        _procedure, track = procedure_of(catalogue, case)
        record = current_record(case)
        stage = track.stage(record.stage_id)
        if record.closed_at is not None:
            raise InvalidInput(f"Stage {stage.id} has ended; its events can no longer change.")
        if event_id not in {e.id for e in stage.events}:
            known = ", ".join(e.id for e in stage.events) or "none"
            raise InvalidInput(f"Stage {stage.id} has no event '{event_id}' (its events: {known}).")
        events = read_events(record.events_json)
        events[event_id] = when
        record.events_json = write_events(events)
        apply_due(working_calendar(session), record, stage, facts_for(case, record, stage))
        audit.record(session, vault.audit_key, "stage.event_recorded", "stage", record.id)
        return record.due_at


def set_review_time(vault: Vault, catalogue: Catalogue, case_id: int, when: dt.datetime) -> None:
    """Set (or move) the time to review an open stage whose timescale has no number (audited).

    Raises:
        InvalidInput: the calendar counts this stage's timescale itself, or the case is closed.
    """
    with vault.sessions.begin() as session:
        case = case_by_id(session, case_id)
        _procedure, track = procedure_of(catalogue, case)
        record = current_record(case)
        stage = track.stage(record.stage_id)
        if record.closed_at is not None:
            raise InvalidInput(f"Stage {stage.id} has ended; it needs no review time.")
        if counts_itself(stage.timescale):
            raise InvalidInput(
                f"Stage {stage.id} is due {stage.timescale.describe()}, as the procedure counts "
                "it; a review time is for stages without a number."
            )
        if when < record.opened_at:
            raise InvalidInput("A review time cannot be before the stage opened.")
        record.due_at = when
        record.due_outside_working_time = not working_calendar(session).is_working_time(when)
        audit.record(session, vault.audit_key, "stage.review_set", "stage", record.id)


def keep_times(
    calendar: WorkingCalendar,
    catalogue: Catalogue,
    case: Case,
    record: StageRecord,
    events: dict[str, dt.datetime],
    due_at: dt.datetime | None,
) -> None:
    """Give an imported stage the events its clocks count from, then its due time.

    The calendar counts a timescale with a number; a due time the user set (a
    review time, or a deadline agreed for the case) is kept as it came.
    """
    if events:
        record.events_json = write_events(events)
    _procedure, track = procedure_of(catalogue, case)
    stage = track.stage(record.stage_id)
    if counts_itself(stage.timescale):
        apply_due(calendar, record, stage, facts_for(case, record, stage))
    elif due_at is not None:
        record.due_at = due_at
        record.due_outside_working_time = not calendar.is_working_time(due_at)
