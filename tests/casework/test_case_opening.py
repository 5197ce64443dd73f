"""Opening a case: one check of a new case, the same for the service, the window and the import."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest
from sqlalchemy import func, select

from desktop.casework.case_opening import (
    ChildDetails,
    NewCase,
    Party,
    new_case_problems,
    open_new_case,
)
from desktop.errors import InvalidInput
from desktop.models import AuditEvent, Case
from desktop.procedures.catalogue import load_catalogue
from desktop.sharing.exchange_import import import_exchange
from desktop.storage.vault import Vault
from tests.conftest import REPO

CATALOGUE = load_catalogue()
OPENED = dt.datetime(2026, 11, 20, 10, tzinfo=dt.UTC)
WHOLE = NewCase(
    reference="OPEN-1",
    procedure_id="berkshire",
    track_id="escalation",
    child=ChildDetails("C-OPEN-1", "Q.Q.", dt.date(2015, 3, 1)),
    area="roles",
    raised_by=Party("Alex Example (fictional)", "DSL", "Nowhere Primary (fictional)"),
    other_party=Party("Sam Sample (fictional)", "Team manager", "Fictional Services"),
    opened_at=OPENED,
)
BROKEN = {
    "no other party": (
        dataclasses.replace(WHOLE, other_party=Party(" ", "", "")),
        "Give the other party's name, role and agency.",
    ),
    "no identifier": (
        dataclasses.replace(WHOLE, child=ChildDetails("", "Q.Q.")),
        "Give the child's identifier.",
    ),
    "born after the case opened": (
        dataclasses.replace(WHOLE, child=ChildDetails("C-1", "Q.Q.", dt.date(2026, 11, 21))),
        "The date of birth is in the future.",
    ),
    "a reference too long": (
        dataclasses.replace(WHOLE, reference="R" * 51),
        "The case reference is longer than 50 characters.",
    ),
}


def _counts(vault: Vault) -> tuple[int, int]:
    with vault.sessions() as session:
        cases = session.scalar(select(func.count()).select_from(Case))
        events = session.scalar(select(func.count()).select_from(AuditEvent))
        return int(cases or 0), int(events or 0)


@pytest.mark.parametrize("label", list(BROKEN))
def test_an_incomplete_case_is_refused_in_the_words_the_form_uses(vault: Vault, label: str) -> None:
    new, sentence = BROKEN[label]
    assert new_case_problems(new)[0] == sentence  # what the new-case pages show inline
    before = _counts(vault)
    with pytest.raises(InvalidInput) as refused:
        open_new_case(vault, CATALOGUE, new)
    assert refused.value.message == sentence
    assert _counts(vault) == before


def test_a_whole_case_opens_and_is_audited(vault: Vault) -> None:
    assert new_case_problems(WHOLE) == []
    case_id = open_new_case(vault, CATALOGUE, WHOLE)
    with vault.sessions() as session:
        last = session.scalar(select(AuditEvent).order_by(AuditEvent.id.desc()))
    assert last is not None and (last.action, last.entity_id) == ("case.created", case_id)


def test_the_import_refuses_an_incomplete_case_in_the_same_words(vault: Vault) -> None:
    sample = json.loads((REPO / "tests" / "exchange_sample.json").read_text("utf-8"))
    sample["cases"][0]["other_party"]["role"] = "   "
    before = _counts(vault)
    with pytest.raises(InvalidInput) as refused:
        import_exchange(vault, CATALOGUE, json.dumps(sample).encode())
    reference = sample["cases"][0]["reference"]
    assert refused.value.message == (
        f"Case {reference}: give the other party's name, role and agency; nothing was imported."
    )
    assert _counts(vault) == before
