"""Stages by title, and what to do now in the procedure's own words."""

from __future__ import annotations

import datetime as dt

import pytest

from desktop.casework.guidance import label_of, stage_label, what_to_do_now
from desktop.casework.timeline import case_detail
from desktop.casework.workflow import close_case
from desktop.models import StageOutcome
from desktop.procedures.catalogue import load_catalogue
from desktop.storage.vault import Vault
from tests.factories import open_case_in

CATALOGUE = load_catalogue()
T0 = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)  # a Monday


def test_a_stage_is_labelled_by_its_title() -> None:
    berkshire = CATALOGUE.get("berkshire", "2026-03").track("escalation")
    assert stage_label(berkshire, "2") == "Level 2: Next managerial level or safeguarding lead"
    lincs = CATALOGUE.get("north-lincolnshire", "2023").tracks[0]
    assert stage_label(lincs, "B") == "Stage B: Line Manager to Line Manager"
    assert stage_label(lincs, "Z") == "Stage Z"  # not in the track: never a crash
    conference = next(
        t
        for t in CATALOGUE.get("north-lincolnshire", "2023").tracks
        if any(s.id == "adjourned" for s in t.stages)
    )
    assert stage_label(conference, "adjourned") == "Conference adjourned and reconvened"


@pytest.mark.parametrize(
    "stage",
    [s for p in CATALOGUE for t in p.tracks for s in t.stages],
    ids=lambda s: f"{s.id}:{s.title[:20]}",
)
def test_every_bundled_stage_has_a_label_with_its_title(stage: object) -> None:
    from desktop.procedures.catalogue import Stage

    assert isinstance(stage, Stage)
    label = label_of(stage)
    assert stage.title in label and label != stage.id


def test_what_to_do_now_quotes_the_current_stage_and_names_the_next(vault: Vault) -> None:
    case_id = open_case_in(vault, CATALOGUE, "GUIDE-1", opened_at=T0)
    with vault.sessions() as session:
        detail = case_detail(session, CATALOGUE, case_id, T0)
    now = what_to_do_now(detail)
    stage = CATALOGUE.get("berkshire", "2026-03").track("escalation").stage("1")
    assert now.heading == stage.title
    assert now.quote.startswith('"Most differences of opinion can be resolved')
    assert now.quote in stage.guidance  # the procedure's own words, not the app's
    assert "within one working day (due Tue 03 Mar 2026 10:00)" in now.steps[0]
    assert "Record this stage" in now.steps[1]
    assert now.steps[2].endswith("Level 2: Next managerial level or safeguarding lead.")


def test_a_closed_case_has_nothing_more_to_do(vault: Vault) -> None:
    case_id = open_case_in(vault, CATALOGUE, "GUIDE-2", opened_at=T0)
    from desktop.models import Case

    with vault.sessions.begin() as session:
        case = session.get(Case, case_id)
        assert case is not None
        close_case(session, vault.audit_key, case, T0, StageOutcome.RESOLVED)
    with vault.sessions() as session:
        detail = case_detail(session, CATALOGUE, case_id, T0)
    now = what_to_do_now(detail)
    assert now.heading == "This escalation is closed (resolved)" and not now.quote
