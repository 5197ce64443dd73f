"""Reminders while the app runs: once when near, once when past, in references and stages."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from desktop.casework.deadlines import Deadline, working_hour_after
from desktop.casework.reminders import (
    Reminders,
    ReminderState,
    check_reminders,
    reminder_text,
    to_remind,
)
from desktop.casework.workflow import add_action
from desktop.models import AuditEvent
from desktop.procedures.catalogue import load_catalogue
from desktop.procedures.workdays import LONDON, WorkingCalendar
from desktop.storage.vault import Vault
from tests.factories import opened_case

CATALOGUE = load_catalogue()
CAL = WorkingCalendar()
LEVEL_2 = "Level 2: Next managerial level"


def _at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 3, day, hour, minute, tzinfo=LONDON)


def _deadline(key: str, due: dt.datetime, reference: str = "ESC-0001") -> Deadline:
    return Deadline(key, reference, LEVEL_2, "stage", due)


def test_a_deadline_is_reminded_of_when_near_and_again_when_past() -> None:
    soon = _deadline("stage:1", _at(2, 11, 30))
    far = _deadline("stage:2", _at(3, 15))
    horizon = working_hour_after(CAL, _at(2, 10, 45))
    first, reminded = to_remind([soon, far], _at(2, 10, 45), horizon, frozenset())
    assert [(r.deadline, r.overdue) for r in first] == [(soon, False)]
    again, reminded = to_remind([soon, far], _at(2, 10, 50), horizon, reminded)
    assert again == []  # once per phase
    passed, reminded = to_remind([soon], _at(2, 11, 31), _at(2, 12, 31), reminded)
    assert [(r.deadline, r.overdue) for r in passed] == [(soon, True)]
    assert to_remind([soon], _at(2, 14), _at(2, 15), reminded)[0] == []
    assert to_remind([], _at(2, 15), _at(2, 16), reminded)[1] == frozenset()  # forgotten


def test_one_already_past_is_reminded_of_once_and_a_moved_one_again() -> None:
    late = _deadline("stage:1", _at(1, 9))
    reminders, reminded = to_remind([late], _at(2, 10), _at(2, 11), frozenset())
    assert [r.overdue for r in reminders] == [True]
    assert to_remind([late], _at(2, 10, 5), _at(2, 11, 5), reminded)[0] == []
    moved = _deadline("stage:1", _at(2, 10, 30))  # corrected to a new due time
    assert len(to_remind([moved], _at(2, 10, 5), _at(2, 11, 5), reminded)[0]) == 1


def test_the_words_name_reference_and_stage_only() -> None:
    one, _ = to_remind([_deadline("stage:1", _at(2, 11))], _at(2, 10), _at(2, 11, 1), frozenset())
    title, message = reminder_text(Reminders(tuple(one)))
    assert title == "ESC-0001: due within the working hour"
    assert message == f"{LEVEL_2}: stage due 11:00 on Mon 02 Mar."
    action = Deadline("action:4", "ESC-0001", LEVEL_2, "action", _at(2, 9))
    both, _ = to_remind([one[0].deadline, action], _at(2, 10), _at(2, 11, 1), frozenset())
    assert reminder_text(Reminders(tuple(both), overdue_before=2)) == (
        "ESC-0001: near or overdue",
        f"{LEVEL_2}: agreed action due 09:00 on Mon 02 Mar; stage due 11:00 on Mon 02 Mar."
        " Also 2 deadlines already overdue.",
    )
    many = [_deadline(f"stage:{n}", _at(2, 9), f"ESC-{n:04d}") for n in range(1, 6)]
    reminders, _ = to_remind(many, _at(2, 10), _at(2, 11), frozenset())
    assert reminder_text(Reminders(tuple(reminders))) == (
        "5 cases have deadlines overdue",
        "ESC-0001 (overdue), ESC-0002 (overdue), ESC-0003 (overdue) and 2 more.",
    )
    assert reminder_text(Reminders(overdue_before=1200))[0] == "1,200 deadlines already overdue"


def _with_an_action(vault: Vault, reference: str, opened: dt.datetime) -> None:
    """Open a case whose first stage has an action due on Monday at 15:00."""
    with vault.sessions.begin() as session:
        case = opened_case(session, vault.audit_key, CATALOGUE, reference, opened_at=opened)
        add_action(session, vault.audit_key, case.stages[0], "Fictional words", "Owner", _at(2, 15))


def _last(vault: Vault) -> tuple[str, int | None]:
    with vault.sessions() as session:
        event = session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
        assert event is not None
        return event.action, event.entity_id


def test_checks_read_what_came_near_since_the_last_and_each_shown_is_audited(
    vault: Vault,
) -> None:
    _with_an_action(vault, "NEW-1", _at(2, 10))
    said, state = check_reminders(vault, CATALOGUE, _at(2, 11), ReminderState())
    assert said.items == () and said.overdue_before == 0  # 15:00 is hours away
    assert _last(vault)[0] == "action.created"  # a check that shows nothing records nothing
    said, state = check_reminders(vault, CATALOGUE, _at(2, 14, 30), state)
    assert [(r.deadline.reference, r.deadline.kind) for r in said.items] == [("NEW-1", "action")]
    assert _last(vault) == ("deadlines.reminded", 1)
    said, state = check_reminders(vault, CATALOGUE, _at(2, 15, 5), state)
    assert [r.overdue for r in said.items] == [True]  # and once more when it has passed
    assert not check_reminders(vault, CATALOGUE, _at(2, 15, 10), state)[0]


def test_the_first_check_counts_what_was_overdue_before_the_app_started(vault: Vault) -> None:
    _with_an_action(vault, "OLD-2", _at(2, 10))
    said, state = check_reminders(vault, CATALOGUE, _at(3, 12), ReminderState())
    assert said.items == () and said.overdue_before == 2  # the action and the stage
    assert state.since == _at(3, 12)
    assert not check_reminders(vault, CATALOGUE, _at(3, 12, 5), state)[0]  # said once
