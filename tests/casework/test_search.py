"""Search finds a case by reference, child's identifier or words, and shows where it matched."""

from __future__ import annotations

import datetime as dt

from desktop.casework.dashboard import CaseFilter, read_first_page, read_snippets
from desktop.casework.stage_entry import read_entry, save_draft
from desktop.casework.workflow import save_fields
from desktop.models import StageRecord
from desktop.procedures.catalogue import Catalogue, load_catalogue
from desktop.storage import schema
from desktop.storage.vault import Vault, unlock_with_passphrase
from tests.conftest import PASSPHRASE
from tests.factories import open_case_in

CATALOGUE = load_catalogue()
NOW = dt.datetime(2026, 11, 20, 12, 0, tzinfo=dt.UTC)


def _found(vault: Vault, words: str, catalogue: Catalogue = CATALOGUE) -> dict[str, str]:
    rows, total = read_first_page(vault, catalogue, CaseFilter("all", search=words), NOW)
    assert total == len(rows)
    found = read_snippets(vault, words, [row.case_id for row in rows])
    return {row.reference: found.get(row.case_id, "") for row in rows}


def _fields(vault: Vault, case_id: int, values: dict[str, object]) -> None:
    record_id = read_entry(vault, CATALOGUE, case_id).record_id
    with vault.sessions.begin() as session:
        record = session.get(StageRecord, record_id)
        assert record is not None
        save_fields(session, vault.audit_key, record, values)


def test_a_case_is_found_by_its_childs_identifier_and_reference(vault: Vault) -> None:
    open_case_in(
        vault,
        CATALOGUE,
        "ESC-2026-0042",
        identifier="PUPIL-7731",
        opened_at=NOW,
        summary="Fictional: the referral was closed.",
    )
    open_case_in(vault, CATALOGUE, "ESC-2026-0043", identifier="PUPIL-8800", opened_at=NOW)
    assert _found(vault, "PUPIL-7731") == {
        "ESC-2026-0042": "ESC-2026-0042 «PUPIL-7731» Fictional: the referral was closed."
    }
    assert set(_found(vault, "pupil-77")) == {"ESC-2026-0042"}  # the start of it
    assert set(_found(vault, "pupil")) == {"ESC-2026-0042", "ESC-2026-0043"}
    assert set(_found(vault, "ESC-2026-0043")) == {"ESC-2026-0043"}
    assert "«referral»" in _found(vault, "referral")["ESC-2026-0042"]
    assert _found(vault, "") == {"ESC-2026-0042": "", "ESC-2026-0043": ""}  # no search: none
    assert read_snippets(vault, "pupil", []) == {}


def test_a_stage_matches_by_its_words_not_its_field_names(vault: Vault) -> None:
    case_id = open_case_in(vault, CATALOGUE, "ESC-WORDS", identifier="C-WORDS", opened_at=NOW)
    _fields(vault, case_id, {"concern_why": "Fictional: the zebracorn plan was never shared."})
    save_draft(vault, read_entry(vault, CATALOGUE, case_id).record_id, {"x": "draftonly"})
    snippet = _found(vault, "zebracorn")["ESC-WORDS"]
    assert "«zebracorn»" in snippet and "concern_why" not in snippet and "{" not in snippet
    assert _found(vault, "concern_why") == {}  # a field's name is not a word of the record
    assert _found(vault, "draftonly") == {}  # drafts are not searched


def test_upgrading_an_older_vault_indexes_its_children(vault: Vault) -> None:
    case_id = open_case_in(vault, CATALOGUE, "ESC-OLD", identifier="PUPIL-5150", opened_at=NOW)
    _fields(vault, case_id, {"concern_why": "Fictional old words."})
    folder = vault.files.folder
    with vault.engine.begin() as connection:
        schema.downgrade(connection, "0010")  # as a vault written before this version
    vault.close()
    with unlock_with_passphrase(folder, PASSPHRASE) as older:
        with older.engine.connect() as connection:
            assert schema.current_revision(connection) == schema.head_revision()
        assert set(_found(older, "PUPIL-5150")) == {"ESC-OLD"}
        assert "«words»" in _found(older, "words")["ESC-OLD"]
