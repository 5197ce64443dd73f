"""Fidelity to the source texts: every rule of each seed, quoted beside the assertions holding it.

Each table in ``tests/procedures/fidelity/`` names a source text (kept beside
it, as received) and the procedure file written from it, then lists the
text's rules: the sentence quoted (a literal substring of the source, only
runs of whitespace collapsed) and the assertions that hold it
(``fidelity_checks.Checker``). A further check reads every field the file
presents as the procedure's words and finds each quoted passage in the source,
so the app never shows its own words as the procedure's. The next
partnership's file is checked the same way: copy its text here and write its
table.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from desktop.procedures.catalogue import Procedure, load_catalogue
from desktop.procedures.workdays import Timescale
from tests.procedures.fidelity_checks import Checker, collapse, passages

HERE = Path(__file__).parent / "fidelity"
TABLES = sorted(HERE.glob("*.toml"))
CATALOGUE = load_catalogue()


def _load(path: Path) -> dict[str, Any]:
    table: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8"))
    return table


def _procedure(table: dict[str, Any]) -> Procedure:
    return CATALOGUE.get(table["procedure"], table["version"])


def _source(table: dict[str, Any]) -> str:
    return collapse((HERE / table["source"]).read_text(encoding="utf-8"))


ROWS = [
    pytest.param(path, rule, id=f"{path.stem}:{rule['id']}")
    for path in TABLES
    for rule in _load(path)["rule"]
]


@pytest.mark.parametrize(("path", "rule"), ROWS)
def test_each_rule_is_quoted_from_its_source_and_held(path: Path, rule: dict[str, Any]) -> None:
    table = _load(path)
    assert collapse(rule["quote"]) in _source(table), "the quote is not in the source text"
    assert rule["holds"], "every rule needs an assertion that holds it"
    checker = Checker(_procedure(table))
    for line in rule["holds"]:
        checker.run(rule["quote"], line)


@pytest.mark.parametrize("path", TABLES, ids=lambda p: p.stem)
def test_the_table_lists_every_rule_once(path: Path) -> None:
    table = _load(path)
    ids = [rule["id"] for rule in table["rule"]]
    assert len(ids) == len(set(ids)) == table["rules"]


def _phrases(timescale: Timescale | None) -> list[str]:
    if timescale is None:
        return []
    found = [timescale.phrase] if timescale.phrase else []
    for _name, each in timescale.by_priority:
        found += _phrases(each)
    for each in timescale.sooner_of:
        found += _phrases(each)
    return found


def _the_procedure_s_words(procedure: Procedure) -> list[tuple[str, str]]:
    """Every field the app shows as the procedure's words, with where it is."""
    found = [("description", procedure.description)]
    found += [(f"area {a.id}", a.guidance) for a in procedure.areas]
    found += [(f"redirect {r.id}", r.guidance) for r in procedure.redirects]
    for track in procedure.tracks:
        for name in ("description", "urgent_guidance", "rule"):
            found.append((f"{track.id}.{name}", getattr(track, name)))
        for stage in track.stages:
            for name in ("guidance", "rule", "branch_guidance"):
                found.append((f"{track.id}/{stage.id}.{name}", getattr(stage, name)))
    return [(where, text) for where, text in found if text]


def _timescale_phrases(procedure: Procedure) -> list[str]:
    found = [p for r in procedure.redirects for p in _phrases(r.timescale)]
    for track in procedure.tracks:
        for stage in track.stages:
            found += _phrases(stage.timescale)
            for milestone in stage.milestones:
                found += _phrases(milestone.timescale)
    return found


@pytest.mark.parametrize("path", TABLES, ids=lambda p: p.stem)
def test_every_passage_shown_as_the_procedure_s_words_is_in_the_source(path: Path) -> None:
    table = _load(path)
    source, procedure = _source(table), _procedure(table)
    for where, text in _the_procedure_s_words(procedure):
        quoted = passages(text)
        assert quoted is not None, f"{where} holds words outside quotation marks"
        for passage in quoted:
            assert passage in source, f"{where}: not in the source: {passage[:90]}"
    for phrase in _timescale_phrases(procedure):
        assert collapse(phrase) in source, f"the timescale phrase {phrase!r} is not the text's"
