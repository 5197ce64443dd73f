"""The format any partnership can write: starting events, priorities, "whichever is sooner",
agreed deadlines, "immediately", standing, documents for an outcome, areas with their own track;
and validation that names stages by id, lists the allowed keys and reports every error at once.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from desktop.casework.clocks import ClockFacts, timescale_due
from desktop.errors import InvalidInput
from desktop.procedures.catalogue import load_catalogue, parse_procedure
from desktop.procedures.workdays import LONDON, WorkingCalendar

FICTIONSHIRE = """
id = "fictionshire"
version = "2026-04"
title = "Resolving professional differences (fictional)"
partnership = "Fictionshire Safeguarding Children Partnership (fictional)"
source = "A fictional procedure written for the tests"
priorities = [{ id = "high", title = "High" }, { id = "low", title = "Low" }]

[[areas]]
id = "quality"
title = "The quality of help"
track = "main"
entry = ["2"]
guidance = '"A quoted sentence."'

[[tracks]]
id = "main"
title = "Main"

[[tracks.stages]]
id = "1"
title = "Step 1"
standing = "informal"
raising_role = "Practitioner"
receiving_role = "Practitioner"
events = [{ id = "contact-failed", title = "The first contact failed" }]
milestones = [{ title = "Called", timescale = { working_days = 1, from = "contact-failed" } }]
timescale = { phrase = "immediately" }
record = ["discussion", "outcome"]
produces = [{ document = "written-confirmation", outcome = "resolved" }]
guidance = '"A quoted sentence."'

[[tracks.stages]]
id = "2"
title = "Step 2"
standing = "formal"
raising_role = "Manager"
receiving_role = "Manager"
timescale = { working_days = 5, from = "1/opened" }
record = ["discussion", "outcome"]
guidance = '"A quoted sentence."'

[[tracks.stages]]
id = "3"
title = "Step 3"
raising_role = "Senior manager"
receiving_role = "Senior manager"
timescale = { by_priority = { high = { working_days = 1 }, low = { working_days = 5 } } }
record = ["discussion", "outcome"]
guidance = '"A quoted sentence."'

[[tracks.stages]]
id = "4"
title = "Step 4"
raising_role = "Head"
receiving_role = "Head"
timescale = { sooner_of = [{ working_days = 10 }, { hours = 48, from = "case-opened" }] }
record = ["discussion", "outcome"]
guidance = '"A quoted sentence."'

[[tracks.stages]]
id = "5"
title = "Step 5"
raising_role = "Partners"
receiving_role = "Partners"
timescale = { agreed = true, phrase = "by the date the managers agree" }
record = ["discussion", "outcome"]
guidance = '"A quoted sentence."'
"""
CAL = WorkingCalendar()
MONDAY = dt.datetime(2026, 6, 8, 10, 0, tzinfo=LONDON)


def _due(stage: str, facts: ClockFacts, milestone: bool = False) -> str:
    found = parse_procedure(FICTIONSHIRE, "fictionshire.toml").track("main").stage(stage)
    timescale = found.milestones[0].timescale if milestone else found.timescale
    due = timescale_due(CAL, timescale, facts)
    return due.at.astimezone(LONDON).isoformat()[:16] if due else "none"


def test_every_new_kind_of_timescale_is_counted_from_its_own_event() -> None:
    facts = ClockFacts(MONDAY, MONDAY)
    assert _due("1", facts) == "none"  # "immediately": the app sets no deadline
    assert _due("1", facts, milestone=True) == "none"  # the contact has not failed yet
    failed = ClockFacts(MONDAY, MONDAY, events={"contact-failed": MONDAY})
    assert _due("1", failed, milestone=True) == "2026-06-09T10:00"
    later = MONDAY + dt.timedelta(days=2)
    assert _due("2", ClockFacts(later, MONDAY, earlier={"1/opened": MONDAY})) == "2026-06-15T10:00"
    assert _due("3", ClockFacts(MONDAY, MONDAY, priority="high")) == "2026-06-09T10:00"
    assert _due("3", ClockFacts(MONDAY, MONDAY, priority="low")) == "2026-06-15T10:00"
    assert _due("3", ClockFacts(MONDAY, MONDAY)) == "none"  # no priority chosen
    assert _due("4", ClockFacts(later, MONDAY)) == "2026-06-10T10:00"  # 48 hours, the sooner
    assert _due("5", facts) == "none"  # agreed for each case: the user sets it


def test_standing_documents_for_an_outcome_and_an_area_s_own_track_are_read() -> None:
    procedure = parse_procedure(FICTIONSHIRE, "fictionshire.toml")
    first = procedure.track("main").stage("1")
    assert first.standing == "informal" and first.produces == ()
    assert first.produces_for == (("written-confirmation", "resolved"),)
    assert first.timescale.describe() == "immediately"
    area = procedure.area("quality")
    assert area is not None and (area.track, area.entry) == ("main", ("2",))
    assert procedure.track("main").stage("5").timescale.describe() == (
        "by the date the managers agree"
    )


def test_every_error_of_a_file_is_named_at_once_by_ids_with_the_keys_allowed() -> None:
    broken = (
        FICTIONSHIRE.replace('standing = "formal"', 'standing = "official"')
        .replace("working_days = 5, from", "fortnights = 5, from")
        .replace('entry = ["2"]', 'entry = ["9"]')
        .replace("high = { working_days = 1 }", "urgent = { working_days = 1 }")
    )
    with pytest.raises(InvalidInput) as refused:
        parse_procedure(broken, "fictionshire.toml")
    said = refused.value.message
    assert said.startswith("fictionshire.toml: ") and "\n" not in said
    for part in (
        "track 'main', stage '2', standing: 'official' is not one of: formal, informal",
        "track 'main', stage '2', timescale.fortnights: is not a known field (allowed here: "
        "agreed, by_priority, from, hours, phrase, same_working_day, sooner_of, working_days)",
        "area 'quality', entry[0]: '9' is not one of: 1, 2, 3, 4, 5",
        "track 'main', stage '3', timescale.by_priority.urgent: is not a priority of this "
        "procedure (high, low)",
    ):
        assert part in said


def test_a_file_that_supersedes_an_unknown_version_is_skipped_with_a_notice(
    tmp_path: Path,
) -> None:
    (tmp_path / "fiction.toml").write_text(
        FICTIONSHIRE.replace('version = "2026-04"', 'version = "2026-04"\nsupersedes = "1999"')
    )
    (tmp_path / "fiction-ok.toml").write_text(
        FICTIONSHIRE.replace('id = "fictionshire"', 'id = "fictionshire-two"')
    )
    catalogue = load_catalogue(tmp_path)
    assert catalogue.notices == (
        f"{tmp_path / 'fiction.toml'}: supersedes: version 1999 of fictionshire is not known "
        "here; the file was skipped.",
    )
    assert catalogue.get("fictionshire-two").version == "2026-04"


def _keys(node: object) -> set[str]:
    if isinstance(node, dict):
        return {str(k) for k in node} | {k for v in node.values() for k in _keys(v)}
    if isinstance(node, list):
        return {k for v in node for k in _keys(v)}
    return set()


def test_docs_describe_every_key_the_bundled_files_use() -> None:
    import tomllib

    from desktop.resources import __file__ as resources

    docs = (Path(__file__).parents[2] / "docs" / "procedures.md").read_text(encoding="utf-8")
    used: set[str] = set()
    for path in (Path(resources).parent / "procedures").glob("*.toml"):
        used |= _keys(tomllib.loads(path.read_text(encoding="utf-8")))
    undocumented = {key for key in used if f"{key}" not in docs}
    assert undocumented == set()
