"""Every transition checks the records the procedure requires; choices are never made silently.

On the old code `escalate_case` and `end_case` finalised a Berkshire level 2
with nothing recorded (no discussion, no record on the child's file, nothing
shared with the Business Manager), and Cambridgeshire's stage 3 always went to
4a.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import select

from desktop.casework.closing import Closing
from desktop.casework.dashboard import CaseFilter, first_page
from desktop.casework.document_kinds import documents_offered
from desktop.casework.stage_entry import record_stage
from desktop.casework.timeline import view_case
from desktop.casework.transitions import (
    check_transition,
    complete_records,
    end_case,
    escalate_case,
    reopen_case,
)
from desktop.errors import InvalidInput
from desktop.models import AuditEvent, StageOutcome, StageRecord
from desktop.procedures.catalogue import load_catalogue
from desktop.procedures.workdays import LONDON
from desktop.storage.vault import Vault
from tests.conftest import snapshot
from tests.factories import open_case_in

CATALOGUE = load_catalogue()
T0 = dt.datetime(2026, 6, 8, 10, 0, tzinfo=LONDON)
HOUR = dt.timedelta(hours=1)
TALK = {
    "at": "2026-06-08T10:30:00",
    "mode": "telephone",
    "participants": "Alex Example; Sam Sample",
    "notes": "Fictional: discussed the referral decision.",
}


def _actions(vault: Vault) -> list[str]:
    with vault.sessions() as session:
        return list(session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def test_a_level_2_with_nothing_recorded_ends_only_with_the_reason_it_is_incomplete(
    vault: Vault,
) -> None:
    case_id = open_case_in(vault, CATALOGUE, "T-1", opened_at=T0)
    record_stage(
        vault,
        CATALOGUE,
        case_id,
        {"discussion": TALK, "recorded_on_files": True, "outcome": "unresolved"},
        T0 + HOUR,
    )
    assert check_transition(vault, CATALOGUE, case_id).missing == (
        "When and how the discussion happened, and with whom",
        "The detail of the escalation and agreements reached recorded on the child's file "
        "held by each involved agency",
        "The details shared with the Safeguarding Children Partnership Business Manager as "
        "evidence of escalation",
    )
    before = snapshot(vault.files.folder)
    for refused in (
        lambda: escalate_case(vault, CATALOGUE, case_id, T0 + 2 * HOUR),
        lambda: end_case(vault, CATALOGUE, case_id, StageOutcome.RESOLVED, T0 + 2 * HOUR),
        lambda: end_case(
            vault, CATALOGUE, case_id, StageOutcome.WITHDRAWN, T0, Closing("Fictional reason.")
        ),
    ):
        with pytest.raises(InvalidInput, match=r"^Stage 2 cannot end yet: still to record: When"):
            refused()
    assert snapshot(vault.files.folder) == before  # refused: nothing written
    moved = escalate_case(
        vault, CATALOGUE, case_id, T0 + 2 * HOUR, incomplete_because="Fictional: urgent risk."
    )
    assert moved == "3"
    detail = view_case(vault, CATALOGUE, case_id, T0 + 3 * HOUR)
    assert detail.entries[1].incomplete_because == "Fictional: urgent risk."
    with vault.sessions() as session:
        rows, _total = first_page(session, CATALOGUE, CaseFilter("incomplete"), T0)
    assert [r.case_id for r in rows] == [case_id]
    completed = complete_records(
        vault,
        CATALOGUE,
        detail.entries[1].record_id,
        {"discussion": TALK, "recorded_on_files": True, "partnership_notified": True},
        "Fictional: recorded after the call.",
        T0 + 4 * HOUR,
    )
    detail = view_case(vault, CATALOGUE, case_id, T0 + 5 * HOUR)
    completion = next(e for e in detail.entries if e.record_id == completed)
    assert completion.kind == "records completed" and completion.incomplete_because is None
    assert detail.entries[1].incomplete_because == "Fictional: urgent risk."  # kept as it was
    with vault.sessions() as session:
        rows, _total = first_page(session, CATALOGUE, CaseFilter("incomplete"), T0)
    assert rows == []
    assert "stage.completed" in _actions(vault)


def test_a_choice_of_next_stage_is_asked_in_the_procedure_s_words(vault: Vault) -> None:
    case_id = open_case_in(
        vault,
        CATALOGUE,
        "T-1",
        procedure_id="cambridgeshire-peterborough",
        track_id="resolution",
        opened_at=T0,
    )
    reason = "Fictional: paperwork to follow."
    for at in (1, 2):
        escalate_case(vault, CATALOGUE, case_id, T0 + at * HOUR, incomplete_because=reason)
    options = check_transition(vault, CATALOGUE, case_id).next_options
    assert [(o.stage_id, o.words) for o in options] == [
        ("4a", '"a) Urgent resolution required - Resolution Panel Meeting"'),
        ("4b", '"b) Non-urgent and / or lessons learned"'),
    ]
    with pytest.raises(InvalidInput, match=r"offers a choice; choose 4a \"a\) Urgent"):
        escalate_case(vault, CATALOGUE, case_id, T0 + 3 * HOUR, incomplete_because=reason)
    assert escalate_case(vault, CATALOGUE, case_id, T0 + 3 * HOUR, "4b", reason) == "4b"


def test_closing_keeps_learning_and_referrals_and_a_case_reopens_as_a_linked_entry(
    vault: Vault,
) -> None:
    case_id = open_case_in(
        vault, CATALOGUE, "T-1", procedure_id="four-stage-dispute", track_id="dispute", opened_at=T0
    )
    record_stage(vault, CATALOGUE, case_id, {"discussion": TALK, "recorded_on_files": True}, T0)
    with pytest.raises(InvalidInput, match="Say why the case is withdrawn"):
        end_case(vault, CATALOGUE, case_id, StageOutcome.WITHDRAWN, T0 + HOUR)
    with pytest.raises(InvalidInput, match="offers no referral 'gossip'"):
        end_case(
            vault, CATALOGUE, case_id, StageOutcome.RESOLVED, T0, Closing(referred=("gossip",))
        )
    said = Closing(
        "Fictional: agreed a joint visit.", "Fictional: share chronologies.", ("learning",)
    )
    end_case(vault, CATALOGUE, case_id, StageOutcome.RESOLVED, T0 + HOUR, said)
    detail = view_case(vault, CATALOGUE, case_id, T0 + 2 * HOUR)
    fields = detail.entries[0].fields
    assert fields["closing_note"] == "Fictional: agreed a joint visit."
    assert fields["learning"] == "Fictional: share chronologies." and fields["referred"] == {
        "learning": True
    }
    assert "notification" in documents_offered(vault, CATALOGUE, case_id, "1")
    assert reopen_case(vault, CATALOGUE, case_id, "Fictional: new concern.", T0 + 3 * HOUR) == "1"
    detail = view_case(vault, CATALOGUE, case_id, T0 + 4 * HOUR)
    assert detail.state.status == "open"
    reopened = detail.entries[-1]
    assert reopened.kind == "reopened" and reopened.reopens_id == detail.entries[0].record_id
    assert reopened.fields == {"reopened_because": "Fictional: new concern."}
    assert "case.reopened" in _actions(vault)


def test_a_written_confirmation_is_offered_at_every_stage_and_required_only_where_asked(
    vault: Vault,
) -> None:
    case_id = open_case_in(vault, CATALOGUE, "T-1", opened_at=T0)
    assert documents_offered(vault, CATALOGUE, case_id, "1")[0] == "confirmation"
    nl = open_case_in(
        vault,
        CATALOGUE,
        "T-2",
        procedure_id="north-lincolnshire",
        track_id="help-and-safeguarding",
        opened_at=T0,
    )
    reason = "Fictional: recorded later."
    escalate_case(vault, CATALOGUE, nl, T0 + HOUR, incomplete_because=reason)
    assert "Written confirmation between the parties about the nature of the disagreement(s)" in (
        " ".join(check_transition(vault, CATALOGUE, nl).missing)
    )
    with vault.sessions() as session:
        stage_b = session.scalars(select(StageRecord).where(StageRecord.stage_id == "B")).one()
        assert json.loads(stage_b.fields_json) == {}
