"""The stage-record field registry: each kind parses typed text and says what a value needs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.casework.stage_entry import missing
from desktop.errors import InvalidInput
from desktop.models import StageOutcome
from desktop.procedures import fields
from desktop.procedures.catalogue import load_catalogue
from desktop.procedures.fields import FIELDS, Kind, Store

CATALOGUE = load_catalogue()
DOCS = Path(__file__).resolve().parents[2] / "docs" / "procedures.md"
TALK = {
    "at": "20/11/2026 10:30",
    "mode": "telephone",
    "participants": "Alex Example; Sam Sample",
    "notes": "Fictional: discussed the decision.",
}


def _one(kind: Kind) -> fields.Field:
    return next(spec for spec in FIELDS if spec.kind is kind)


def test_every_field_a_bundled_procedure_asks_for_is_declared_once() -> None:
    asked = {
        name
        for procedure in CATALOGUE
        for track in procedure.tracks
        for stage in track.stages
        for name in stage.record
    }
    assert asked <= fields.NAMES
    assert len(FIELDS) == len(fields.NAMES)  # no name declared twice
    assert set(Kind) == {spec.kind for spec in FIELDS}
    assert tuple(outcome.value for outcome in StageOutcome) == fields.OUTCOMES
    for spec in FIELDS:
        assert spec.label and spec.page
        assert bool(spec.missing) == (spec.kind is Kind.TEXT)
        assert bool(spec.sent_label) == (spec.kind is Kind.CONFIRMATION)
        assert spec.name in DOCS.read_text(encoding="utf-8"), f"docs/procedures.md: {spec.name}"


def test_pages_keep_the_form_order_and_show_only_what_the_stage_asks() -> None:
    pages = fields.pages(["outcome", "discussion", "chair"])
    assert [(title, [f.name for f in specs]) for title, specs in pages] == [
        ("The discussion", ["discussion"]),
        ("The meeting", ["chair"]),
        ("Outcome and records", ["outcome"]),
    ]


def test_text_is_kept_as_typed_and_empty_when_blank() -> None:
    spec = fields.named("concern_why")
    assert fields.parse_text("concern_why", "  Fictional reason. ") == "  Fictional reason. "
    assert fields.is_empty(spec, "   ") and fields.is_empty(spec, None)
    assert not fields.is_empty(spec, "Fictional reason.")
    assert fields.problems(spec, "Fictional reason.") == []
    assert spec.store is Store.FIELDS and spec.needed


@pytest.mark.parametrize(("typed", "value"), [("yes", True), ("Y", True), ("no", False)])
def test_a_tick_is_yes_or_no_and_records_nothing_until_ticked(typed: str, value: bool) -> None:
    assert fields.parse_text("recorded_on_files", typed) is value
    spec = fields.named("recorded_on_files")
    assert not spec.needed  # required only where a stage's procedure text says so
    assert fields.is_empty(spec, value) is (not value)
    assert fields.problems(spec, None) == []


def test_a_tick_refuses_anything_but_yes_or_no() -> None:
    with pytest.raises(InvalidInput, match="takes yes or no"):
        fields.parse_text("partnership_notified", "perhaps")


def test_a_discussion_reads_its_time_as_written_and_stores_iso() -> None:
    parsed = fields.parse_text("discussion", json.dumps(TALK))
    assert parsed == {**TALK, "at": "2026-11-20T10:30:00"}
    spec = fields.named("discussion")
    assert spec.store is Store.DISCUSSION
    assert fields.problems(spec, parsed) == []
    assert fields.is_empty(spec, {}) and fields.problems(spec, {}) == []
    assert fields.problems(spec, {"notes": "Begun."}) == [
        "Say when the discussion happened (date and time).",
        "Say how the discussion happened (telephone, meeting...).",
        "Say who took part in the discussion.",
    ]


@pytest.mark.parametrize(
    "text",
    [
        json.dumps({**TALK, "at": "31/02/2026 10:30"}),  # never turned into 3 March
        json.dumps({**TALK, "at": "2026-11-20"}),
        json.dumps({k: v for k, v in TALK.items() if k != "notes"}),
        json.dumps({**TALK, "mode": 3}),
        "not json",
    ],
)
def test_a_discussion_refuses_a_wrong_date_or_shape_in_one_sentence(text: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        fields.parse_text("discussion", text)
    assert refused.value.message.count(".") >= 1 and "\n" not in refused.value.message


def test_agreed_actions_read_due_dates_as_the_close_of_that_day() -> None:
    typed = [{"action": "Send chronology", "owner": "Alex Example", "due": "27/11/2026"}]
    parsed = fields.parse_text("agreed_actions", json.dumps(typed))
    assert parsed == [{**typed[0], "due": "2026-11-27T17:00:00"}]
    spec = fields.named("agreed_actions")
    assert spec.store is Store.ACTIONS
    assert fields.problems(spec, parsed) == []
    assert fields.problems(spec, []) == [] and fields.is_empty(spec, [])
    assert fields.problems(spec, [{"action": "Call", "due": "soon"}]) == [
        "Agreed action 1 needs an owner.",
        "Agreed action 1 needs a due date.",
    ]
    with pytest.raises(InvalidInput, match="dd/mm/yyyy"):
        fields.parse_text("agreed_actions", json.dumps([{**typed[0], "due": "next week"}]))


def test_an_action_due_date_shows_as_written_and_round_trips() -> None:
    assert fields.due_from_text("27/11/2026") == "2026-11-27T17:00:00"
    assert fields.due_as_text("2026-11-27T17:00:00") == "27/11/2026"
    assert fields.due_from_text("31/02/2026") == "31/02/2026"  # kept as typed; the check names it


def test_the_outcome_is_read_and_checked() -> None:
    spec = fields.named("outcome")
    assert fields.parse_text("outcome", " Resolved ") == "resolved"
    assert fields.parse_text("outcome", "") == ""
    with pytest.raises(InvalidInput, match="resolved, unresolved or withdrawn"):
        fields.parse_text("outcome", "sorted")
    assert fields.problems(spec, "") == []
    assert fields.problems(spec, "maybe") == [fields.CHOOSE_OUTCOME]
    assert fields.problems(spec, "withdrawn") == []


def test_a_written_confirmation_counts_only_once_sent_and_then_says_when_how_to_whom() -> None:
    spec = fields.named("written_confirmation")
    sent = {"sent": True, "when": "20/11/2026 16:00", "how": "secure email", "to": "Sam Sample"}
    parsed = fields.parse_text("written_confirmation", json.dumps(sent))
    assert parsed == {**sent, "when": "2026-11-20T16:00:00"}
    assert fields.is_empty(spec, None) and fields.is_empty(spec, {"sent": False})
    assert fields.problems(spec, {"sent": False}) == []
    assert not fields.is_empty(spec, parsed) and fields.problems(spec, parsed) == []
    assert fields.problems(spec, {**parsed, "to": " "}) == [
        "Say to whom the written confirmation between the parties was sent."
    ]
    with pytest.raises(InvalidInput, match="true or false for sent"):
        fields.parse_text("written_confirmation", json.dumps({**sent, "sent": "yes"}))


def test_a_london_time_the_clocks_skip_or_repeat_is_refused_naming_it() -> None:
    with pytest.raises(InvalidInput, match=r"29/03/2026 01:30 does not exist in London"):
        fields.parse_text("discussion", json.dumps({**TALK, "at": "29/03/2026 01:30"}))
    with pytest.raises(InvalidInput, match=r"25/10/2026 01:30 happened twice in London"):
        fields.parse_text("discussion", json.dumps({**TALK, "at": "25/10/2026 01:30"}))


def test_an_unknown_field_is_refused_naming_the_known_ones() -> None:
    with pytest.raises(InvalidInput, match=r"no stage field 'gossip'.*discussion"):
        fields.parse_text("gossip", "x")
    assert fields.label("gossip") == "gossip"
    assert fields.label("chair") == "Who chaired the meeting"


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=8,
)


@settings(max_examples=150, deadline=None)
@given(values=st.dictionaries(st.sampled_from(sorted(fields.NAMES)), JSON))
def test_any_draft_is_checked_without_failing(values: dict[str, object]) -> None:
    """A draft or typed values of any shape get sentences, never an exception.

    Old code: an agreed action that was not a table raised AttributeError.
    """
    stage = CATALOGUE.get("north-lincolnshire").track("help-and-safeguarding").stage("B")
    for problem in missing(stage, values):
        assert problem.endswith(".")


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("31/02/2026 10:00", "February 2026 has 28 days"),  # written dd/mm/yyyy: not its fault
        ("2/12/26 10:00", "all four digits"),
        ("25/10/2026 01:30", "a time just before or after that hour"),  # no offset to give
    ],
)
def test_a_typed_time_is_refused_in_the_words_the_window_uses(typed: str, said: str) -> None:
    from desktop.procedures.field_kinds import typed_time

    with pytest.raises(InvalidInput) as refused:
        typed_time("--at", typed)
    assert said in refused.value.message and "offset" not in refused.value.message
    assert refused.value.message.startswith("'--at': ")
