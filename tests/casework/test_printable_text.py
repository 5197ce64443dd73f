"""Text the documents cannot print is refused as it is entered, naming the character."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from sqlalchemy import select

from desktop.casework.settings import save_profile
from desktop.casework.workflow import add_action, record_discussion, save_fields
from desktop.errors import InvalidInput
from desktop.models import Case
from desktop.procedures.catalogue import load_catalogue
from desktop.storage.vault import Vault
from tests.conftest import REPO, run_cli, snapshot
from tests.factories import opened_case

CATALOGUE = load_catalogue()
AT = dt.datetime(2026, 12, 24, 10, tzinfo=dt.UTC)
NAME = "张伟"  # a Chinese name no embedded font covers


def test_an_import_with_chinese_characters_is_refused_by_name(vault: Vault, tmp_path: Path) -> None:
    sample = json.loads((REPO / "tests" / "exchange_sample.json").read_text("utf-8"))
    sample["cases"][0]["summary"] = f"Fictional: the sibling {NAME} was also discussed"
    source = tmp_path / "chinese.json"
    source.write_text(json.dumps(sample, ensure_ascii=False), "utf-8")
    folder = vault.files.folder
    vault.close()
    before = {k: v for k, v in snapshot(folder).items() if k != "vault.lock"}  # holds the pid
    refused = run_cli("--vault", str(folder), "import", str(source))
    assert refused.returncode == 2, refused.stdout
    assert refused.stderr.strip().endswith(
        "Case ESC-0001: case.summary: contains '张' (U+5F20), '伟' (U+4F1F), which the "
        "documents cannot print; nothing was imported."
    )
    assert {k: v for k, v in snapshot(folder).items() if k != "vault.lock"} == before


def test_every_way_in_refuses_text_the_documents_cannot_print(vault: Vault) -> None:
    with vault.sessions.begin() as session:
        with pytest.raises(InvalidInput, match=r"The summary contains '张' \(U\+5F20\)"):
            opened_case(session, vault.audit_key, CATALOGUE, "ESC-1", summary=f"Met {NAME}")
        case = opened_case(session, vault.audit_key, CATALOGUE, "ESC-1", opened_at=AT)
        record = case.stages[0]
        with pytest.raises(InvalidInput, match="What was discussed contains '张'"):
            record_discussion(session, vault.audit_key, record, AT, "telephone", [], NAME)
        with pytest.raises(
            InvalidInput, match=r"The list of participants contains 'न' \(U\+0928\)"
        ):
            record_discussion(session, vault.audit_key, record, AT, "telephone", ["नमन"], "")
        with pytest.raises(InvalidInput, match="The agreed action contains '张'"):
            add_action(session, vault.audit_key, record, "Call", NAME, None)
        with pytest.raises(
            InvalidInput, match=r"'Learning identified' contains 'س' \(U\+0633\), 'ل'"
        ):
            save_fields(session, vault.audit_key, record, {"learning": "سلام"})
        with pytest.raises(InvalidInput, match="Your name contains '张'"):
            save_profile(session, NAME, "DSL", "Nowhere Primary")
        save_fields(session, vault.audit_key, record, {"learning": "Zażółć gęślą jaźń 🙂"})
    with vault.sessions() as session:
        assert session.scalars(select(Case.reference)).all() == ["ESC-1"]
