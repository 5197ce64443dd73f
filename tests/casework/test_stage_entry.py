"""Stage-entry services on a real vault: read the form, keep a draft, record the stage."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import select

from desktop.casework import stage_entry
from desktop.casework.case_opening import Party
from desktop.casework.workflow import effective_stages
from desktop.errors import InvalidInput
from desktop.models import AuditEvent, Case, StageRecord
from desktop.procedures import fields
from desktop.procedures.catalogue import load_catalogue
from desktop.procedures.workdays import LONDON
from desktop.storage.vault import Vault
from tests.factories import open_case_in

CATALOGUE = load_catalogue()
T0 = dt.datetime(2026, 11, 16, 10, 0, tzinfo=LONDON)
DSL = Party("Fictional DSL", "Designated Safeguarding Lead", "Nowhere Primary")
# What `case record REF --field NAME=VALUE` will pass: text, read by the registry.
TYPED = {
    "discussion": json.dumps(
        {
            "at": "20/11/2026 10:30",
            "mode": "telephone",
            "participants": "Alex Example; Sam Sample",
            "notes": "Fictional: discussed the decision.",
        }
    ),
    "agreed_actions": json.dumps(
        [{"action": "Send chronology", "owner": "Alex Example", "due": "27/11/2026"}]
    ),
    "recorded_on_files": "yes",
    "outcome": "unresolved",
}


def _typed(stage_record: tuple[str, ...]) -> dict[str, object]:
    values = {name: fields.parse_text(name, text) for name, text in TYPED.items()}
    for name in fields.names(fields.Kind.TEXT) & set(stage_record):
        values[name] = fields.parse_text(name, f"Fictional {name.replace('_', ' ')}.")
    return values


def _actions(vault: Vault) -> list[str]:
    with vault.sessions() as session:
        return list(session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def test_a_draft_is_kept_and_read_back_with_the_stage(vault: Vault) -> None:
    case_id = open_case_in(vault, CATALOGUE, "SE-1", raised_by=DSL, opened_at=T0)
    entry = stage_entry.read_entry(vault, CATALOGUE, case_id)
    assert entry.reference == "SE-1" and entry.draft == {}
    assert "discussion" in entry.stage.record
    assert stage_entry.save_draft(vault, entry.record_id, {"concern_why": "Fictional."})
    assert stage_entry.read_entry(vault, CATALOGUE, case_id).draft == {"concern_why": "Fictional."}
    assert _actions(vault)[-1] == "stage.draft_saved"


def test_recording_typed_values_escalates_and_keeps_rows(vault: Vault) -> None:
    case_id = open_case_in(vault, CATALOGUE, "SE-1", raised_by=DSL, opened_at=T0)
    entry = stage_entry.read_entry(vault, CATALOGUE, case_id)
    stage_entry.save_draft(vault, entry.record_id, {"concern_why": "Half typed."})
    done = stage_entry.record_stage(vault, CATALOGUE, case_id, _typed(entry.stage.record), T0)
    assert (done.record_id, done.outcome, done.case_closed) == (
        entry.record_id,
        "unresolved",
        False,
    )
    with vault.sessions() as session:
        case = session.get(Case, case_id)
        assert case is not None
        first, second = effective_stages(case)
        assert second.stage_id == entry.stage.next[0]
        assert first.draft_json is None
        assert first.discussions[0].participants_json == '["Alex Example", "Sam Sample"]'
        assert first.actions[0].due_at == dt.datetime(2026, 11, 27, 17, 0, tzinfo=LONDON)
        stored = json.loads(first.fields_json or "{}")
        assert stored["recorded_on_files"] is True
        assert not {"discussion", "agreed_actions"} & stored.keys()  # kept as rows
    assert {"stage.changed", "discussion.created", "action.created", "case.escalated"} <= set(
        _actions(vault)
    )
    # The stage is finalised now: it keeps no draft.
    assert not stage_entry.save_draft(vault, entry.record_id, {"concern_why": "Late."})


def test_a_stage_missing_what_it_needs_saves_nothing(vault: Vault) -> None:
    case_id = open_case_in(vault, CATALOGUE, "SE-1", raised_by=DSL, opened_at=T0)
    entry = stage_entry.read_entry(vault, CATALOGUE, case_id)
    before = _actions(vault)
    with pytest.raises(InvalidInput, match="Stage 1 cannot end yet: still to record: When and"):
        stage_entry.record_stage(vault, CATALOGUE, case_id, {"outcome": "resolved"}, T0)
    assert _actions(vault) == before
    with vault.sessions() as session:
        record = session.get(StageRecord, entry.record_id)
        assert record is not None and json.loads(record.fields_json) == {}


def test_a_field_the_stage_does_not_ask_for_is_refused(vault: Vault) -> None:
    case_id = open_case_in(vault, CATALOGUE, "SE-1", raised_by=DSL, opened_at=T0)
    entry = stage_entry.read_entry(vault, CATALOGUE, case_id)
    assert "chair" not in entry.stage.record
    values = {**_typed(entry.stage.record), "chair": "Fictional chair"}
    with pytest.raises(InvalidInput, match="does not ask for 'Who chaired the meeting'"):
        stage_entry.record_stage(vault, CATALOGUE, case_id, values, T0)


def test_a_new_stage_starts_from_the_last_stage_s_concern_with_its_own_parties(
    vault: Vault,
) -> None:
    case_id = open_case_in(vault, CATALOGUE, "SE-1", raised_by=DSL, opened_at=T0)
    first = stage_entry.read_entry(vault, CATALOGUE, case_id)
    assert first.start["parties"]["raising"] == {
        "name": "Fictional DSL",
        "role": "Designated Safeguarding Lead",
        "agency": "Nowhere Primary",
    }
    stage_entry.record_stage(vault, CATALOGUE, case_id, _typed(first.stage.record), T0)
    second = stage_entry.read_entry(vault, CATALOGUE, case_id)
    assert second.stage.id == "2" and second.draft == {}
    assert second.start["concern_expected"] == "Fictional concern expected."
    assert second.start["parties"]["raising"] == {
        "name": "",
        "role": "Next managerial level / appropriate safeguarding lead",
        "agency": "Nowhere Primary",
    }
    assert [o.stage_id for o in second.next_options] == ["3"]


def test_records_kept_by_an_earlier_save_count_when_the_stage_ends(vault: Vault) -> None:
    """`case record` one field at a time: the stage ends on what it holds, not only on this call."""
    case_id = open_case_in(vault, CATALOGUE, "SE-1", raised_by=DSL, opened_at=T0)
    typed = _typed(stage_entry.read_entry(vault, CATALOGUE, case_id).stage.record)
    stage_entry.record_stage(vault, CATALOGUE, case_id, {"discussion": typed["discussion"]}, T0)
    stage_entry.record_stage(vault, CATALOGUE, case_id, {"recorded_on_files": True}, T0)
    done = stage_entry.record_stage(vault, CATALOGUE, case_id, {"outcome": "unresolved"}, T0)
    assert done.outcome == "unresolved"
    with vault.sessions() as session:
        record = session.get(StageRecord, done.record_id)
        assert record is not None and record.incomplete_because is None
