"""The calendar file of deadlines: well-formed iCalendar, reference and stage only."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select

from desktop.casework.case_opening import ChildDetails, Party
from desktop.casework.deadlines import Deadline
from desktop.casework.workflow import add_action
from desktop.errors import InvalidInput
from desktop.models import AuditEvent
from desktop.procedures.catalogue import load_catalogue
from desktop.procedures.workdays import LONDON
from desktop.sharing.deadline_calendar import (
    calendar_file,
    escape_text,
    fold,
    save_deadline_calendar,
)
from desktop.storage.vault import Vault
from tests.factories import opened_case

STAMP = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def parse(data: bytes) -> list[dict[str, str]]:
    """Read an iCalendar file strictly: CRLF lines, folds of 75 octets, one calendar of events."""
    assert data.endswith(b"\r\n")
    raw = data.split(b"\r\n")[:-1]
    assert all(b"\n" not in line and b"\r" not in line for line in raw)
    assert all(len(line) <= 75 for line in raw)
    lines: list[bytes] = []
    for line in raw:
        if line.startswith(b" "):
            lines[-1] += line[1:]
        else:
            lines.append(line)
    text = [line.decode("utf-8") for line in lines]
    assert text[0] == "BEGIN:VCALENDAR" and text[-1] == "END:VCALENDAR"
    assert "VERSION:2.0" in text and any(t.startswith("PRODID:") for t in text)
    events: list[dict[str, str]] = []
    for line in text[1:-1]:
        name, _, value = line.partition(":")
        if name == "BEGIN":
            assert value == "VEVENT"
            events.append({})
        elif name == "END":
            assert value == "VEVENT" and {"UID", "DTSTAMP", "DTSTART", "SUMMARY"} <= set(events[-1])
        elif events and name not in ("VERSION", "PRODID", "CALSCALE", "METHOD"):
            events[-1][name] = value
    return events


def test_one_event_per_deadline_in_utc() -> None:
    due = dt.datetime(2026, 7, 1, 14, 30, tzinfo=LONDON)  # summer time: 13:30 UTC
    item = Deadline("stage:7", "ESC-0007", "Level 2: Next managerial level", "stage", due)
    events = parse(calendar_file([item], STAMP))
    assert events == [
        {
            "UID": events[0]["UID"],
            "DTSTAMP": "20260302T090000Z",
            "DTSTART": "20260701T133000Z",
            "DTEND": "20260701T134500Z",
            "SUMMARY": "ESC-0007 — Level 2: Next managerial level due",
            "TRANSP": "TRANSPARENT",
        }
    ]
    again = parse(calendar_file([item], STAMP + dt.timedelta(days=1)))
    assert again[0]["UID"] == events[0]["UID"]  # a newer export updates the same event


@given(st.text(min_size=1, max_size=300))
def test_any_summary_folds_at_75_octets_and_unfolds_to_itself(words: str) -> None:
    line = f"SUMMARY:{escape_text(words)}"
    folded = fold(line)
    assert all(len(part) <= 75 for part in folded[:-2].split(b"\r\n"))
    assert folded[:-2].replace(b"\r\n ", b"").decode("utf-8") == line


def test_a_line_break_or_comma_cannot_start_a_property() -> None:
    assert escape_text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"


def test_the_saved_file_names_no_child_and_no_typed_text_and_is_audited(
    vault: Vault, tmp_path: Path
) -> None:
    catalogue = load_catalogue()
    opened = dt.datetime(2026, 3, 2, 10, tzinfo=dt.UTC)
    with vault.sessions.begin() as session:
        case = opened_case(
            session,
            vault.audit_key,
            catalogue,
            "ICS-1",
            child=ChildDetails("PUPIL-ICS-9", "Q.X."),
            raised_by=Party("Fictional DSL", "DSL", "Nowhere Primary (fictional)"),
            other_party=Party("Fictional Worker", "Social worker", "Fictional Services"),
            opened_at=opened,
        )
        add_action(
            session,
            vault.audit_key,
            case.stages[0],
            "Phone the fictional aunt",
            "Fictional owner",
            opened + dt.timedelta(hours=3),
        )
    target = tmp_path / "deadlines.ics"
    count = save_deadline_calendar(vault, catalogue, opened, target)
    data = target.read_bytes()
    events = parse(data)
    assert count == len(events) == 2  # the action and the stage: nothing reported to managers yet
    assert all(e["SUMMARY"].startswith("ICS-1 — Level 1: Practitioners") for e in events)
    for private in (b"PUPIL-ICS-9", b"Q.X.", b"aunt", b"Fictional", b"DESCRIPTION"):
        assert private not in data
    with vault.sessions() as session:
        last = session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert last is not None and (last.action, last.entity_id) == ("deadlines.exported", 2)


def test_a_place_inside_the_vault_is_refused_and_nothing_is_recorded(vault: Vault) -> None:
    with vault.sessions() as session:
        before = session.scalar(select(func.count()).select_from(AuditEvent))
    with pytest.raises(InvalidInput, match="inside the vault folder"):
        save_deadline_calendar(vault, load_catalogue(), STAMP, vault.files.folder / "deadlines.ics")
    with vault.sessions() as session:
        assert session.scalar(select(func.count()).select_from(AuditEvent)) == before
