"""The audit trail in plain words: every action the code records has its sentence."""

from __future__ import annotations

import datetime as dt
import importlib
import re
from pathlib import Path

import pytest

from desktop.casework.history import EVENTS, FOLDED, PREFIXES, describe_event, history_lines
from desktop.models import StageOutcome
from desktop.sharing.subject_access_records import Reason

DESKTOP = Path(__file__).resolve().parents[2] / "desktop"
# The calls that add an event to the chain, and the argument that is its action.
CALLS = (
    re.compile(r"\baudit\.record\(\s*session\s*,\s*[\w.]+\s*,\s*([^,)]+)"),
    re.compile(r"\baudit\.retire_key\(\s*session\s*,\s*[\w.]+\s*,\s*[\w.]+\s*,\s*([^,)]+)"),
)
# Actions built from a value: the values each can take.
FAMILIES = {
    'f"case.{outcome.value}"': [f"case.{o.value}" for o in StageOutcome],
    'f"redaction.{mark.reason.value}"': [f"redaction.{r.value}" for r in Reason],
}


def _module_of(path: Path) -> str:
    return ".".join(path.relative_to(DESKTOP.parent).with_suffix("").parts)


def recorded_actions() -> set[str]:
    """Every action name the code can record, read from its calls (constants resolved)."""
    found: set[str] = set()
    for path in DESKTOP.rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        for argument in (found for call in CALLS for found in call.findall(source)):
            argument = argument.strip()
            if argument in FAMILIES:
                found.update(FAMILIES[argument])
            elif argument.startswith('"'):
                found.add(argument.strip('"'))
            elif constants := re.findall(r"\b[A-Z][A-Z_]+\b", argument):
                module = importlib.import_module(_module_of(path))
                found.update(getattr(module, name) for name in constants)
            elif assigned := re.findall(rf"\b{re.escape(argument)} = (.+)", source):
                found.update(re.findall(r'"([\w.]+)"', " ".join(assigned)))  # a local name
            else:
                pytest.fail(f"{path.name}: an action this test cannot read: {argument}")
    return found


def test_the_scan_finds_the_actions_it_should() -> None:
    actions = recorded_actions()
    assert {"case.created", "stage.draft_saved", "vault.backed_up_automatically"} <= actions
    assert {"case.withdrawn", "redaction.legal-privilege", "vault.passphrase_changed"} <= actions
    assert len(actions) > 40


def test_every_recorded_action_has_its_own_plain_words() -> None:
    unnamed = {
        action
        for action in recorded_actions()
        if action not in EVENTS
        and action not in FOLDED
        and action != "export.started"
        and not action.startswith(tuple(PREFIXES))
    }
    assert unnamed == set()


@pytest.mark.parametrize("action", sorted(recorded_actions()))
def test_no_sentence_shows_a_dotted_name(action: str) -> None:
    text = describe_event(action, "case")
    if action in FOLDED:
        assert text is None
        return
    assert text and "." not in text and "_" not in text and text[0].isupper()


def test_an_action_of_a_newer_app_still_reads_as_words() -> None:
    assert describe_event("case.merged") == "Case merged"
    assert describe_event("stage.outcome_changed", "stage") == "Stage outcome changed"


def test_an_export_says_whether_it_was_this_case() -> None:
    assert describe_event("export.started", "case") == "Export of this case started"
    assert describe_event("export.started", None) == "Export started"


def test_draft_autosaves_and_repeated_views_fold_into_one_line_each() -> None:
    at = [dt.datetime(2026, 3, 2, 9, minute, tzinfo=dt.UTC) for minute in range(9)]
    events = [
        (at[0], "case.created"),
        (at[1], "case.viewed"),
        (at[2], "case.viewed"),
        (at[3], "stage.draft_saved"),
        (at[4], "stage.draft_saved"),
        (at[5], "stage.draft_saved"),
        (at[6], "stage.finalised"),
        (at[7], "stage.draft_saved"),
        (at[8], "case.viewed"),
    ]
    assert history_lines(events) == [
        (at[0], "Escalation opened"),
        (at[2], "Viewed (2 times)"),
        (at[5], "Draft saved (3 times)"),
        (at[6], "Stage recorded"),
        (at[7], "Draft saved"),
        (at[8], "Viewed"),
    ]
