"""Clocks start at the event the procedure names, and follow the calendar when it changes.

On the old code the adjourned conference's 15 working days ran from when the
case was recorded (Wed 1 Jul 11:00 here, not Mon 22 Jun 16:00), and a Friday
15:00 start gave the line managers a Saturday 15:00 deadline.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select

from desktop.casework.due import due_items, view_due
from desktop.casework.settings import save_settings, working_calendar
from desktop.casework.stage_times import record_event, set_review_time
from desktop.casework.transitions import end_case, escalate_case
from desktop.errors import InvalidInput
from desktop.models import AuditEvent, StageOutcome, StageRecord
from desktop.procedures.catalogue import load_catalogue
from desktop.procedures.workdays import LONDON
from desktop.storage.vault import Vault
from tests.factories import open_case_in

CATALOGUE = load_catalogue()


def _at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=LONDON)


def _due(vault: Vault, now: str) -> list[tuple[str, str, str]]:
    with vault.sessions() as session:
        items = due_items(session, CATALOGUE, working_calendar(session), _at(now))
    return [(i.reference, i.kind, i.due_at.astimezone(LONDON).isoformat()[:16]) for i in items]


@pytest.mark.parametrize(("time", "due"), [("16:00", "2026-06-22T16:00"), ("", "2026-06-23T09:00")])
def test_the_adjourned_conference_counts_from_the_conference(
    vault: Vault, time: str, due: str
) -> None:
    open_case_in(
        vault,
        CATALOGUE,
        "K-1",
        procedure_id="north-lincolnshire",
        track_id="conference-equally-divided",
        opened_at=_at("2026-06-10T11:00"),
        decision_date=dt.date(2026, 6, 1),
        decision_time=time,
    )
    assert _due(vault, "2026-06-10T12:00") == [("K-1", "stage", due)]


def test_a_clock_counted_from_the_decision_needs_the_decision_s_date(vault: Vault) -> None:
    """Without the adjourned conference's date the 15 working days had no start, silently."""
    with pytest.raises(InvalidInput, match="date of the decision challenged") as refused:
        open_case_in(
            vault,
            CATALOGUE,
            "K-1",
            procedure_id="north-lincolnshire",
            track_id="conference-equally-divided",
            opened_at=_at("2026-06-10T11:00"),
        )
    assert "\n" not in refused.value.message
    assert _due(vault, "2026-06-10T12:00") == []  # nothing was opened


def test_the_line_managers_24_hours_run_from_the_report_to_them(vault: Vault) -> None:
    case_id = open_case_in(vault, CATALOGUE, "K-1", opened_at=_at("2026-06-05T15:00"))
    assert _due(vault, "2026-06-05T16:00") == [("K-1", "stage", "2026-06-08T15:00")]
    with pytest.raises(InvalidInput, match="has no event 'told'"):
        record_event(
            vault, CATALOGUE, case_id, "told", _at("2026-06-08T15:00"), _at("2026-06-09T09:00")
        )
    record_event(
        vault, CATALOGUE, case_id, "reported", _at("2026-06-08T15:00"), _at("2026-06-08T16:00")
    )
    assert _due(vault, "2026-06-08T16:00") == [
        ("K-1", "stage", "2026-06-08T15:00"),
        ("K-1", "milestone", "2026-06-09T15:00"),
    ]


def test_a_child_at_significant_harm_gives_a_same_working_day_deadline(vault: Vault) -> None:
    for reference, at_risk in (("K-1", True), ("K-2", False)):
        open_case_in(
            vault,
            CATALOGUE,
            reference,
            procedure_id="north-lincolnshire",
            track_id="help-and-safeguarding",
            opened_at=_at("2026-06-08T10:00"),
            at_risk=at_risk,
        )
    assert _due(vault, "2026-06-08T11:00") == [("K-1", "milestone", "2026-06-08T17:00")]


def test_an_untimed_phrase_sets_no_deadline_and_the_user_may_set_a_review_time(
    vault: Vault,
) -> None:
    case_id = open_case_in(
        vault,
        CATALOGUE,
        "K-1",
        procedure_id="cambridgeshire-peterborough",
        track_id="resolution",
        opened_at=_at("2026-06-08T10:00"),
    )
    assert _due(vault, "2026-06-08T11:00") == []
    set_review_time(vault, CATALOGUE, case_id, _at("2026-06-10T12:00"))
    assert _due(vault, "2026-06-08T11:00") == [("K-1", "review", "2026-06-10T12:00")]
    berkshire = open_case_in(vault, CATALOGUE, "K-2", opened_at=_at("2026-06-08T10:00"))
    with pytest.raises(InvalidInput, match="as the procedure counts it"):
        set_review_time(vault, CATALOGUE, berkshire, _at("2026-06-10T12:00"))


def test_a_new_closure_day_moves_every_open_deadline_and_says_how_many(vault: Vault) -> None:
    open_case_in(vault, CATALOGUE, "K-1", opened_at=_at("2026-06-05T15:00"))
    closed = open_case_in(vault, CATALOGUE, "K-2", opened_at=_at("2026-06-05T15:00"))
    end_case(vault, CATALOGUE, closed, StageOutcome.RESOLVED, _at("2026-06-05T16:00"), None, "x")
    saved = save_settings(vault, CATALOGUE, {"closures": "2026-06-08"})
    assert saved.moved == 1
    assert _due(vault, "2026-06-05T16:00") == [("K-1", "stage", "2026-06-09T15:00")]
    with vault.sessions() as session:
        audited = session.execute(
            select(AuditEvent.action, AuditEvent.entity_id).where(
                AuditEvent.action == "deadlines.recomputed"
            )
        ).all()
        closed_due = session.scalar(select(StageRecord.due_at).where(StageRecord.case_id == closed))
    assert audited == [("deadlines.recomputed", 1)]
    assert closed_due is not None and closed_due.astimezone(LONDON).day == 8  # closed: as it was
    assert save_settings(vault, CATALOGUE, {"retention_years": 30}).moved == 0
    assert view_due(vault, CATALOGUE, _at("2026-06-05T16:00"))[0].due_at.day == 9


FICTIONSHIRE = """
id = "fictionshire"
version = "2026-04"
title = "Resolving professional differences"
partnership = "Fictionshire Safeguarding Children Partnership (fictional)"
source = "A fictional text for tests"

[[tracks]]
id = "escalation"
title = "Escalation"

[[tracks.stages]]
id = "1"
title = "Level 1"
raising_role = "Practitioner"
receiving_role = "Practitioner"
timescale = { working_days = 1 }
events = [{ id = "contact-failed", title = "The first contact failed" }]
record = ["discussion", "outcome"]
guidance = '"Fictional."'

[[tracks.stages]]
id = "2"
title = "Level 2"
raising_role = "Manager"
receiving_role = "Manager"
timescale = { working_days = 5, from = "1/opened" }
record = ["discussion", "outcome"]
guidance = '"Fictional."'

[[tracks.stages.milestones]]
title = "Manager contacted"
timescale = { working_days = 1, from = "1/contact-failed" }
"""


def test_a_milestone_counted_from_an_earlier_stage_s_event_is_due(
    vault: Vault, tmp_path: Path
) -> None:
    """Level 2 asks for the manager within one working day of level 1's failed first contact."""
    folder = tmp_path / "procedures"
    folder.mkdir()
    (folder / "fictionshire.toml").write_text(FICTIONSHIRE, encoding="utf-8")
    catalogue = load_catalogue(folder)
    case_id = open_case_in(
        vault,
        catalogue,
        "F-1",
        procedure_id="fictionshire",
        track_id="escalation",
        opened_at=_at("2026-06-08T10:00"),
    )
    failed = _at("2026-06-08T11:00")
    record_event(vault, catalogue, case_id, "contact-failed", failed, failed)
    escalate_case(vault, catalogue, case_id, _at("2026-06-08T12:00"), None, "Fictional: urgent.")
    with vault.sessions() as session:
        items = due_items(session, catalogue, working_calendar(session), _at("2026-06-08T13:00"))
    shown = [(i.kind, i.due_at.astimezone(LONDON).isoformat()[:16]) for i in items]
    assert shown == [("milestone", "2026-06-09T11:00"), ("stage", "2026-06-15T10:00")]


def test_a_review_time_on_a_new_closure_day_is_flagged_but_not_moved(vault: Vault) -> None:
    case_id = open_case_in(
        vault,
        CATALOGUE,
        "K-1",
        procedure_id="cambridgeshire-peterborough",
        track_id="resolution",
        opened_at=_at("2026-06-08T10:00"),
    )
    set_review_time(vault, CATALOGUE, case_id, _at("2026-06-10T12:00"))
    assert save_settings(vault, CATALOGUE, {"closures": "2026-06-10"}).moved == 0
    with vault.sessions() as session:
        (item,) = due_items(session, CATALOGUE, working_calendar(session), _at("2026-06-08T11:00"))
    assert (item.kind, item.outside_working_time) == ("review", True)
