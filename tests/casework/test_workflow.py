"""The escalation workflow on a real vault: open, discuss, escalate, resolve, correct, due."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from desktop.casework.case_opening import ChildDetails, open_case
from desktop.casework.due import due_items
from desktop.casework.workflow import (
    add_action,
    case_state,
    close_case,
    correct_stage,
    effective_stages,
    escalate,
    record_discussion,
)
from desktop.errors import FinalisedRecordError, InvalidInput
from desktop.models import Case, StageOutcome, StageRecord
from desktop.procedures.catalogue import load_catalogue
from desktop.procedures.workdays import LONDON, WorkingCalendar
from desktop.storage import audit
from desktop.storage.vault import Vault
from tests.factories import new_case, opened_case

CATALOGUE = load_catalogue()
CAL = WorkingCalendar()
T0 = dt.datetime(2026, 12, 24, 10, 0, tzinfo=LONDON)


def _case(session: object, reference: str) -> Case:
    from sqlalchemy.orm import Session

    assert isinstance(session, Session)
    case = session.scalar(select(Case).where(Case.reference == reference))
    assert case is not None
    return case


@pytest.mark.parametrize(
    ("procedure", "version", "track"),
    [(p.id, p.version, t.id) for p in CATALOGUE for t in p.tracks],
)
def test_every_track_walks_entry_to_last_then_resolves(
    vault: Vault, procedure: str, version: str, track: str
) -> None:
    steps = CATALOGUE.get(procedure, version).track(track)
    with vault.sessions.begin() as s:
        case = opened_case(
            s,
            vault.audit_key,
            CATALOGUE,
            "W-1",
            procedure_id=procedure,
            track_id=track,
            procedure_version=version,
            opened_at=T0,
            decision_date=T0.date(),
        )
        at = T0
        while True:
            state = case_state(case, CATALOGUE, at)
            assert state.status == "open"
            if not state.next_stages:
                break
            at += dt.timedelta(hours=1)
            escalate(s, vault.audit_key, CATALOGUE, CAL, case, at, state.next_stages[0])
        walked = [r.stage_id for r in effective_stages(case)]
        assert walked[0] == steps.stages[0].id and not steps.stage(walked[-1]).next
        with pytest.raises(InvalidInput, match="last stage"):
            escalate(s, vault.audit_key, CATALOGUE, CAL, case, at)
        close_case(s, vault.audit_key, case, at + dt.timedelta(hours=1), StageOutcome.RESOLVED)
    with vault.sessions() as s:
        case = _case(s, "W-1")
        assert case.procedure_version == version
        assert case_state(case, CATALOGUE, at).status == "resolved"
        assert all(r.finalised_at is not None for r in case.stages)
        assert audit.verify(s, vault.audit_key).intact


def test_urgent_north_lincolnshire_case_starts_at_senior_managers(vault: Vault) -> None:
    with vault.sessions.begin() as s:
        case = opened_case(
            s,
            vault.audit_key,
            CATALOGUE,
            "U-1",
            procedure_id="north-lincolnshire",
            track_id="help-and-safeguarding",
            urgent=True,
            opened_at=T0,
        )
        assert case.stages[0].stage_id == "C"
        assert case_state(case, CATALOGUE, T0).next_stages == ("D",)


def test_escalation_only_where_the_procedure_allows(vault: Vault) -> None:
    with vault.sessions.begin() as s:
        case = opened_case(
            s,
            vault.audit_key,
            CATALOGUE,
            "E-1",
            procedure_id="cambridgeshire-peterborough",
            track_id="resolution",
            opened_at=T0,
        )
        with pytest.raises(InvalidInput, match="only to 2"):
            escalate(s, vault.audit_key, CATALOGUE, CAL, case, T0, to_stage="3")
        escalate(s, vault.audit_key, CATALOGUE, CAL, case, T0)
        escalate(s, vault.audit_key, CATALOGUE, CAL, case, T0)
        state = case_state(case, CATALOGUE, T0)
        assert state.current_stage == "3" and state.next_stages == ("4a", "4b")
        escalate(s, vault.audit_key, CATALOGUE, CAL, case, T0, to_stage="4b")
        assert case_state(case, CATALOGUE, T0).next_stages == ()


def test_due_and_overdue_from_the_procedure_timescale(vault: Vault) -> None:
    with vault.sessions.begin() as s:
        case = opened_case(s, vault.audit_key, CATALOGUE, "D-1", opened_at=T0)
        assert case.stages[0].due_at == dt.datetime(2026, 12, 29, 10, tzinfo=LONDON)
        record = escalate(s, vault.audit_key, CATALOGUE, CAL, case, T0)
        assert record.due_at == T0 + dt.timedelta(hours=24)
        add_action(
            s,
            vault.audit_key,
            record,
            "Send the chronology",
            "Fictional DSL",
            T0 + dt.timedelta(hours=2),
        )
    later = T0 + dt.timedelta(hours=30)
    with vault.sessions() as s:
        state = case_state(_case(s, "D-1"), CATALOGUE, later)
        assert state.overdue and state.current_stage == "2"
        items = due_items(s, CATALOGUE, CAL, later)
    assert [(i.kind, i.overdue) for i in items] == [("action", True), ("stage", True)]
    assert items[1].outside_working_time  # 10:00 on Christmas Day


def test_finalised_stage_is_immutable_and_corrections_are_linked(vault: Vault) -> None:
    with vault.sessions.begin() as s:
        case = opened_case(s, vault.audit_key, CATALOGUE, "F-1", opened_at=T0)
        first = case.stages[0]
        record_discussion(s, vault.audit_key, first, T0, "telephone", ["A", "B"], "Fictional.")
        escalate(s, vault.audit_key, CATALOGUE, CAL, case, T0 + dt.timedelta(hours=1))
        with pytest.raises(InvalidInput, match="finalised"):
            record_discussion(s, vault.audit_key, first, T0, "email", [], "late")
    with vault.sessions() as s, pytest.raises(FinalisedRecordError):
        stage = s.scalar(select(StageRecord).where(StageRecord.stage_id == "1"))
        assert stage is not None
        stage.outcome = StageOutcome.RESOLVED
        s.commit()
    with vault.sessions.begin() as s:
        stage = s.scalar(select(StageRecord).where(StageRecord.stage_id == "1"))
        assert stage is not None
        fix = correct_stage(s, vault.audit_key, stage, {"outcome": "corrected"}, T0)
        assert fix.corrects_id == stage.id
        assert effective_stages(_case(s, "F-1"))[0].id == fix.id


def test_same_child_with_other_details_is_refused(vault: Vault) -> None:
    with vault.sessions.begin() as s:
        opened_case(s, vault.audit_key, CATALOGUE, "C-1", born=dt.date(2016, 5, 4), opened_at=T0)
        clash = new_case("C-2", child=ChildDetails("C-C-1", "Q.Q.", None), opened_at=T0)
        with pytest.raises(InvalidInput, match="other initials"):
            open_case(s, vault.audit_key, CATALOGUE, CAL, clash)
