"""Deadlines by reference and stage: the next working hour, and what is due in a span."""

from __future__ import annotations

import datetime as dt

from desktop.casework.deadlines import deadlines, working_hour_after
from desktop.casework.workflow import add_action, close_case
from desktop.models import Case, StageOutcome
from desktop.procedures.catalogue import load_catalogue
from desktop.procedures.workdays import LONDON, WorkingCalendar
from desktop.storage.vault import Vault
from tests.factories import open_case_in, opened_case

CATALOGUE = load_catalogue()
CAL = WorkingCalendar()
MONDAY = dt.datetime(2026, 3, 2, 10, 0, tzinfo=LONDON)


def _at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 3, day, hour, minute, tzinfo=LONDON)


def test_the_next_working_hour_runs_over_the_close_and_the_weekend() -> None:
    assert working_hour_after(CAL, _at(2, 10)) == _at(2, 11)
    assert working_hour_after(CAL, _at(6, 16, 30)) == _at(9, 9, 30)  # Friday to Monday
    assert working_hour_after(CAL, _at(7, 12)) == _at(9, 10)  # Saturday: Monday's first hour
    easter = dt.datetime(2026, 4, 2, 16, 45, tzinfo=LONDON)  # Thursday before Good Friday
    assert working_hour_after(CAL, easter) == dt.datetime(2026, 4, 7, 9, 45, tzinfo=LONDON)


def _with_an_action(vault: Vault, reference: str) -> int:
    """Open a case on Monday 10:00 whose first stage has an action due at 15:00."""
    with vault.sessions.begin() as session:
        case = opened_case(session, vault.audit_key, CATALOGUE, reference, opened_at=MONDAY)
        add_action(
            session,
            vault.audit_key,
            case.stages[0],
            "Secret fictional action words",
            "Fictional owner",
            _at(2, 15),
        )
        return case.id


def test_deadlines_in_a_range_from_a_real_vault(vault: Vault) -> None:
    from desktop.casework.stage_times import record_event

    record_event(
        vault, CATALOGUE, _with_an_action(vault, "DL-1"), "reported", _at(2, 13), _at(2, 13)
    )
    closed = _with_an_action(vault, "DL-2")
    with vault.sessions.begin() as session:
        case = session.get(Case, closed)
        assert case is not None
        close_case(session, vault.audit_key, case, MONDAY, StageOutcome.WITHDRAWN)
    with vault.sessions() as session:
        every = deadlines(session, CATALOGUE, CAL, MONDAY)
        today = deadlines(session, CATALOGUE, CAL, MONDAY, end=_at(2, 16))
        later = deadlines(session, CATALOGUE, CAL, MONDAY, start=_at(2, 16))
    level_1 = "Level 1: Practitioners, then line managers / team managers"
    assert [(d.reference, d.kind, d.due_at) for d in every] == [
        ("DL-1", "action", _at(2, 15)),
        ("DL-1", "stage", _at(3, 10)),  # one working day
        ("DL-1", "milestone", _at(3, 13)),  # 24 hours from the report to the line managers
    ]
    assert {d.stage for d in every} == {level_1}
    assert [d.kind for d in today] == ["action"] and [d.kind for d in later] == [
        "stage",
        "milestone",
    ]
    assert every[0].title == f"DL-1 — {level_1}: agreed action"


def test_line_managers_check_point_counts_from_the_report_never_from_the_opening(
    vault: Vault,
) -> None:
    """A Friday 15:00 level 1 gives no Saturday check-point: the 24 hours run once reported."""
    from desktop.casework.stage_times import record_event

    friday = dt.datetime(2026, 6, 12, 15, 0, tzinfo=LONDON)
    case_id = open_case_in(vault, CATALOGUE, "DL-FRI", opened_at=friday)
    with vault.sessions() as session:
        before = deadlines(session, CATALOGUE, CAL, friday)
    assert [d.kind for d in before] == ["stage"]
    reported = dt.datetime(2026, 6, 15, 10, 0, tzinfo=LONDON)
    record_event(vault, CATALOGUE, case_id, "reported", reported, reported)
    with vault.sessions() as session:
        after = deadlines(session, CATALOGUE, CAL, reported)
    assert ("milestone", reported + dt.timedelta(hours=24)) in [(d.kind, d.due_at) for d in after]
