"""Retention: review dates, the list of cases past them, and a deliberate, audited purge."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select, text

from desktop import audit
from desktop.errors import InvalidInput
from desktop.models import (
    AuditEvent,
    Case,
    Child,
    Discussion,
    Redaction,
    StageRecord,
    SubjectAccessExport,
)
from desktop.procedures import load_catalogue
from desktop.retention import past_review, purge, review_by
from desktop.settings import working_calendar
from desktop.vault import Vault
from desktop.workflow import ChildDetails, NewCase, Party, open_case, record_discussion

CATALOGUE = load_catalogue()
TODAY = dt.date(2026, 11, 23)


def _case(vault: Vault, reference: str, born: dt.date | None) -> None:
    with vault.sessions.begin() as session:
        case = open_case(
            session,
            vault.audit_key,
            CATALOGUE,
            working_calendar(session),
            NewCase(
                reference=reference,
                procedure_id="berkshire",
                track_id="escalation",
                child=ChildDetails(f"C-{reference}", "R.T.", born),
                area="roles",
                raised_by=Party("A", "B", "C"),
                other_party=Party("D", "E", "F"),
                opened_at=dt.datetime(2025, 1, 6, 10, tzinfo=dt.UTC),
            ),
        )
        record_discussion(
            session,
            vault.audit_key,
            case.stages[0],
            dt.datetime(2025, 1, 6, 11, tzinfo=dt.UTC),
            "telephone",
            ["A"],
            "Retentionmarker fictional notes",
        )


def test_review_dates() -> None:
    assert review_by(dt.date(2000, 5, 1), dt.date(2025, 1, 1), 25) == dt.date(2025, 5, 1)
    assert review_by(dt.date(2004, 2, 29), dt.date(2025, 1, 1), 25) == dt.date(2029, 2, 28)
    assert review_by(None, dt.date(2025, 1, 6), 25) == dt.date(2050, 1, 6)


def test_list_and_purge(vault: Vault) -> None:
    _case(vault, "OLD-1", dt.date(1990, 3, 1))
    _case(vault, "NEW-1", dt.date(2015, 3, 1))
    with vault.sessions.begin() as session:
        assert [r.reference for r in past_review(session, 25, TODAY)] == ["OLD-1"]
        with pytest.raises(InvalidInput, match="type the case reference again"):
            purge(session, vault.audit_key, "OLD-1", "old-1", 25, TODAY)
        with pytest.raises(InvalidInput, match="not yet past"):
            purge(session, vault.audit_key, "NEW-1", "NEW-1", 25, TODAY)
        purge(session, vault.audit_key, "OLD-1", "OLD-1", 25, TODAY)
    with vault.sessions() as session:
        references = list(session.scalars(select(Case.reference)))
        assert references == ["NEW-1"]
        assert session.scalar(select(func.count()).select_from(Child)) == 1
        assert session.scalar(select(func.count()).select_from(StageRecord)) == 1
        assert session.scalar(select(func.count()).select_from(Discussion)) == 1
        hits = session.execute(
            text("SELECT count(*) FROM search_index WHERE search_index MATCH 'retentionmarker'")
        ).scalar()
        assert hits == 1  # only NEW-1's notes remain searchable
        last = session.scalar(select(AuditEvent).order_by(AuditEvent.id.desc()))
        assert last is not None and last.action == "case.purged"
        assert audit.verify(session, vault.audit_key).intact


def test_a_purged_childs_withheld_passages_go_with_the_records(vault: Vault) -> None:
    _case(vault, "OLD-1", dt.date(1990, 3, 1))
    _case(vault, "NEW-1", dt.date(2015, 3, 1))
    with vault.sessions.begin() as session:
        for identifier in ("C-OLD-1", "C-NEW-1"):
            child = session.scalar(select(Child.id).where(Child.identifier == identifier))
            export = SubjectAccessExport(
                child_id=child, at=dt.datetime.now(dt.UTC), sha256="0" * 64
            )
            export.redactions.append(
                Redaction(
                    reason="other-child", withheld=f"Fictional Zebedee {identifier}", occurrences=2
                )
            )
            session.add(export)
    with vault.sessions.begin() as session:
        purge(session, vault.audit_key, "OLD-1", "OLD-1", 25, TODAY)
    with vault.sessions() as session:
        kept = session.execute(
            select(
                SubjectAccessExport.child_id,
                Redaction.reason,
                Redaction.withheld,
                Redaction.occurrences,
            )
            .join(Redaction.export)
            .order_by(Redaction.id)
        ).all()
    new_child = kept[1][0]
    assert kept == [
        (None, "other-child", "", 2),
        (new_child, "other-child", "Fictional Zebedee C-NEW-1", 2),
    ]


def test_retention_command(tmp_path: object) -> None:
    import json
    from pathlib import Path

    from tests.conftest import REPO, run_cli

    assert isinstance(tmp_path, Path)
    sample = json.loads((REPO / "tests" / "exchange_sample.json").read_text())
    sample["cases"][0]["child"]["date_of_birth"] = "1990-01-01"
    source = tmp_path / "old.json"
    source.write_text(json.dumps(sample))
    folder = str(tmp_path / "vault")
    assert run_cli("--vault", folder, "init").returncode == 0
    assert run_cli("--vault", folder, "import", str(source)).returncode == 0
    listed = run_cli("--vault", folder, "retention")
    assert "ESC-0001  review by 2015-01-01" in listed.stdout
    refused = run_cli("--vault", folder, "retention", "--purge", "ESC-0001")
    assert refused.returncode == 2 and "type the case reference again" in refused.stderr
    done = run_cli("--vault", folder, "retention", "--purge", "ESC-0001", "--confirm", "ESC-0001")
    assert done.returncode == 0, done.stderr
    assert "0 cases past" in run_cli("--vault", folder, "retention").stdout
    assert run_cli("--vault", folder, "audit", "verify").returncode == 0
