"""Procedure files: every bundled one loads, every track walks end to end, bad files are named."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from desktop.resources import __file__ as resources_init

from desktop.errors import InvalidInput
from desktop.procedures import load_catalogue, parse_procedure, procedure_summary

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
    assert "child protection plan" in divided.stages[0].rule
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
    assert len(cp.areas) == 11


def test_berkshire_and_four_stage_timescales() -> None:
    berks = CATALOGUE.get("berkshire").track("escalation")
    assert [s.timescale.as_json() for s in berks.stages] == [
        {"working_days": 1},
        {"hours": 24},
        {"hours": 24},
        {"hours": 48},
    ]
    assert "partnership-notification" in berks.stage("2").produces
    assert berks.stage("1").milestones[0].timescale.hours == 24
    four = CATALOGUE.get("four-stage-dispute").track("dispute")
    assert four.stage("1").timescale.working_days == 1
    assert "CAF/TAC" in four.stage("2").rule
    assert any(r.kind == "out-of-scope" for r in CATALOGUE.get("four-stage-dispute").redirects)


@pytest.mark.parametrize("procedure", list(CATALOGUE), ids=lambda p: f"{p.id}-{p.version}")
def test_every_track_walks_from_entry_to_last(procedure: object) -> None:
    from desktop.procedures import Procedure

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
    assert stage == {
        "id": "1",
        "title": stage["title"],
        "timescale": {"working_days": 1},
        "produces": [],
    }


def _broken(path: str, old: str, new: str) -> str:
    text = (BUNDLED / path).read_text()
    assert old in text
    return text.replace(old, new, 1)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "timescale = { working_days = 1 }",
            "timescale = { working_days = -1 }",
            "tracks[0].stages[0].timescale.working_days: must be a whole number from 0 to 365",
        ),
        (
            "timescale = { hours = 24 }",
            "timescale = { fortnights = 2 }",
            "tracks[0].stages[0].milestones[0].timescale.fortnights: is not a known field",
        ),
        (
            'produces = ["written-confirmation", "partnership-notification"]',
            'produces = ["letter"]',
            "tracks[0].stages[1].produces[0]: 'letter' is not one of",
        ),
        ('id = "berkshire"', 'ident = "berkshire"', "id: is required but missing"),
        (
            'record = ["discussion", "concern_expected"',
            'record = ["gossip", "concern_expected"',
            "tracks[0].stages[0].record[0]: 'gossip' is not one of",
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


def test_user_folder_adds_a_partnership_and_rejects_a_bad_one(tmp_path: Path) -> None:
    text = (BUNDLED / "berkshire-2026-03.toml").read_text()
    (tmp_path / "fictional.toml").write_text(
        text.replace('id = "berkshire"', 'id = "fictionshire"', 1)
    )
    catalogue = load_catalogue(tmp_path)
    assert catalogue.get("fictionshire").origin == str(tmp_path / "fictional.toml")
    (tmp_path / "dup.toml").write_text(text)
    with pytest.raises(InvalidInput, match="already defined"):
        load_catalogue(tmp_path)
