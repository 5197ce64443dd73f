"""Procedure files: every bundled one loads, every track walks end to end, bad files are named."""

from __future__ import annotations

import copy
import json
import tomllib
from pathlib import Path
from typing import Any

import pytest
from desktop.resources import __file__ as resources_init
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.errors import InvalidInput
from desktop.procedures.catalogue import load_catalogue, parse_procedure, procedure_summary

CATALOGUE = load_catalogue()
BUNDLED = Path(resources_init).parent / "procedures"


def test_the_five_source_texts_are_bundled_with_their_ids_and_versions() -> None:
    assert {p.key for p in CATALOGUE} == {
        ("north-lincolnshire", "2023"),
        ("north-lincolnshire", "2019-10"),
        ("cambridgeshire-peterborough", "2025-10"),
        ("four-stage-dispute", "undated"),
        ("berkshire", "2026-03"),
    }
    assert CATALOGUE.get("north-lincolnshire").version == "2023"
    assert CATALOGUE.get("north-lincolnshire", "2019-10").version == "2019-10"


def test_north_lincolnshire_tracks_and_rules() -> None:
    nl = CATALOGUE.get("north-lincolnshire")
    assert [t.id for t in nl.tracks] == [
        "help-and-safeguarding",
        "convening-conference",
        "conference-majority",
        "conference-equally-divided",
        "serious-case",
    ]
    help_track = nl.track("help-and-safeguarding")
    assert [s.id for s in help_track.stages] == ["A", "B", "C", "D", "E"]
    assert help_track.entry(urgent=True).id == "C"
    assert "telephone" in help_track.urgent_guidance
    divided = nl.track("conference-equally-divided")
    assert divided.stages[0].timescale.working_days == 15
    assert divided.stages[0].timescale.start == "decision"
    assert "child protection plan" in divided.rule
    assert "written-confirmation" in help_track.stage("B").produces
    assert "meeting-record" in help_track.stage("D").produces
    # the 2019 version had no urgent entry at senior manager level
    assert (
        CATALOGUE.get("north-lincolnshire", "2019-10")
        .track("help-and-safeguarding")
        .entry(urgent=True)
        .id
        == "A"
    )


def test_cambridgeshire_stage_four_splits_and_lists_leads() -> None:
    cp = CATALOGUE.get("cambridgeshire-peterborough")
    track = cp.track("resolution")
    assert track.stage("3").next == ("4a", "4b")
    assert track.stage("4a").next == ()
    assert track.stage("4a").branch == "urgent" and track.stage("4b").branch == "non-urgent"
    assert len(cp.contacts) == 16
    assert {r.kind for r in cp.redirects} >= {
        "immediate-risk",
        "whistleblowing",
        "lado",
        "complaints",
    }
    assert len(cp.areas) == 13
    assert [r.id for r in cp.redirects_at("close")] == ["lessons-learned"]


def test_berkshire_and_four_stage_timescales() -> None:
    berks = CATALOGUE.get("berkshire").track("escalation")
    assert [(s.timescale.working_days, s.timescale.hours) for s in berks.stages] == [
        (1, None),
        (None, 24),
        (None, 24),
        (None, 48),
    ]
    assert "partnership-notification" in berks.stage("2").produces
    assert berks.stage("1").milestones[0].timescale.hours == 24
    assert berks.stage("1").milestones[0].timescale.start == "reported"
    four = CATALOGUE.get("four-stage-dispute").track("dispute")
    assert four.stage("1").timescale.working_days == 1
    assert "CAF/TAC" in four.stage("2").guidance
    assert four.stage("2").timescale.describe() == "without delay"
    assert any(r.kind == "out-of-scope" for r in CATALOGUE.get("four-stage-dispute").redirects)


@pytest.mark.parametrize("procedure", list(CATALOGUE), ids=lambda p: f"{p.id}-{p.version}")
def test_every_track_walks_from_entry_to_last(procedure: object) -> None:
    from desktop.procedures.catalogue import Procedure

    assert isinstance(procedure, Procedure)
    for track in procedure.tracks:
        stage = track.entry(urgent=False)
        seen = [stage.id]
        while stage.next:
            stage = track.stage(stage.next[0])
            seen.append(stage.id)
        assert seen[0] == track.stages[0].id
        assert not stage.next
        for s in track.stages:
            assert s.record and s.guidance and s.raising_role and s.receiving_role


def test_procedures_json_shape() -> None:
    summary = [procedure_summary(p) for p in CATALOGUE]
    json.dumps(summary)
    berks = next(p for p in summary if p["id"] == "berkshire")
    assert set(berks) == {"id", "version", "title", "source", "tracks", "areas"}
    stage = berks["tracks"][0]["stages"][0]  # type: ignore[index]
    assert stage["timescale"] == {"working_days": 1, "phrase": "within one working day"}
    assert stage["next"] == ["2"] and stage["produces"] == []
    assert stage["events"] == [
        {"id": "reported", "title": "Reported to the line manager / team manager"}
    ]
    cambs = next(p for p in summary if p["id"] == "cambridgeshire-peterborough")
    third = cambs["tracks"][0]["stages"][2]  # type: ignore[index]
    assert third["next"] == ["4a", "4b"]


def _broken(path: str, old: str, new: str) -> str:
    text = (BUNDLED / path).read_text()
    assert old in text
    return text.replace(old, new, 1)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            'timescale = { working_days = 1, phrase = "within one working day" }',
            "timescale = { working_days = -1 }",
            "track 'escalation', stage '1', timescale.working_days: must be a whole number "
            "from 0 to 365",
        ),
        (
            'timescale = { hours = 24, from = "reported"',
            'timescale = { fortnights = 2, from = "reported"',
            "track 'escalation', stage '1', milestones[0].timescale.fortnights: is not a known "
            "field (allowed here: agreed, by_priority, from, hours, phrase, same_working_day, "
            "sooner_of, working_days)",
        ),
        (
            'produces = ["meeting-record", "partnership-notification"]',
            'produces = ["letter"]',
            "track 'escalation', stage '4', produces[0]: 'letter' is not one of",
        ),
        ('id = "berkshire"', 'ident = "berkshire"', "id: is required but missing"),
        (
            'record = ["parties", "discussion", "concern_expected"',
            'record = ["parties", "gossip", "concern_expected"',
            "track 'escalation', stage '1', record[1]: 'gossip' is not one of",
        ),
    ],
)
def test_invalid_file_names_file_field_and_problem(old: str, new: str, message: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_procedure(_broken("berkshire-2026-03.toml", old, new), "my-partnership.toml")
    assert caught.value.message.startswith("my-partnership.toml: ")
    assert message in caught.value.message


def test_not_toml_is_named() -> None:
    with pytest.raises(InvalidInput, match=r"bad.toml: not valid TOML"):
        parse_procedure("id = ", "bad.toml")


def test_user_folder_adds_a_partnership_and_skips_a_bad_one_with_a_notice(tmp_path: Path) -> None:
    text = (BUNDLED / "berkshire-2026-03.toml").read_text()
    (tmp_path / "fictional.toml").write_text(
        text.replace('id = "berkshire"', 'id = "fictionshire"', 1)
    )
    catalogue = load_catalogue(tmp_path)
    assert catalogue.get("fictionshire").origin == str(tmp_path / "fictional.toml")
    assert catalogue.notices == ()
    (tmp_path / "dup.toml").write_text(text)
    (tmp_path / "folder.toml").mkdir()
    (tmp_path / "latin1.toml").write_bytes("title = 'Caf\xe9'".encode("latin-1"))
    catalogue = load_catalogue(tmp_path)
    assert catalogue.get("fictionshire").origin == str(tmp_path / "fictional.toml")
    assert catalogue.get("berkshire").origin == "berkshire-2026-03.toml"
    assert catalogue.notices == (
        f"{tmp_path / 'dup.toml'}: procedure berkshire version 2026-03 is already defined by "
        "berkshire-2026-03.toml; the file was skipped.",
        f"{tmp_path / 'folder.toml'}: not a regular file; the file was skipped.",
        f"{tmp_path / 'latin1.toml'}: not UTF-8 text; the file was skipped.",
    )


def test_a_crlf_copy_of_a_file_is_the_same_definition() -> None:
    text = (BUNDLED / "berkshire-2026-03.toml").read_text()
    crlf = "\ufeff" + text.replace("\n", "\r\n")
    assert parse_procedure(crlf, "copy.toml").sha256 == CATALOGUE.get("berkshire").sha256
    assert parse_procedure(crlf, "copy.toml").text == text


def _toml(value: Any) -> str:
    """Write a value as one line of TOML (inline tables and arrays)."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(k)} = {_toml(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(value)


_VALUES = st.recursive(
    st.booleans() | st.integers(-(10**6), 10**6) | st.text(max_size=12) | st.floats(-1e6, 1e6),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
)


def _paths(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place in a parsed document: each key of a table and each item of an array."""
    keys = list(node) if isinstance(node, dict) else range(len(node))
    found = []
    for key in keys:
        found.append((*path, key))
        if isinstance(node[key], dict | list):
            found += _paths(node[key], (*path, key))
    return found


BERKSHIRE = tomllib.loads((BUNDLED / "berkshire-2026-03.toml").read_text())
PATHS = _paths(BERKSHIRE)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(places=st.lists(st.sampled_from(PATHS), min_size=1, max_size=3), data=st.data())
def test_any_change_to_a_procedure_loads_or_is_refused_in_one_sentence(
    places: list[tuple[Any, ...]], data: st.DataObject
) -> None:
    document = copy.deepcopy(BERKSHIRE)
    for *parents, key in places:
        node: Any = document
        try:
            for parent in parents:
                node = node[parent]
            node[key] = data.draw(_VALUES)
        except (KeyError, IndexError, TypeError):
            continue  # an earlier change replaced this place
    text = "\n".join(f"{json.dumps(k)} = {_toml(v)}" for k, v in document.items())
    try:
        parse_procedure(text, "fuzzed.toml")
    except InvalidInput as error:
        assert error.message.startswith("fuzzed.toml: ")
        assert "\n" not in error.message
