"""Retention: review dates, the list of cases past them, and a deliberate, audited purge."""

from __future__ import annotations

import copy
import datetime as dt
import json
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from desktop.casework.retention import past_review, purge, purge_case, purge_notice, review_by
from desktop.casework.settings import working_calendar
from desktop.casework.workflow import record_discussion
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
from desktop.procedures.catalogue import load_catalogue
from desktop.procedures.workdays import to_london
from desktop.sharing.exchange import import_cases, parse_exchange
from desktop.storage import audit
from desktop.storage.backup import automatic_backup, restore_backup, write_backup
from desktop.storage.files import make_private_folder
from desktop.storage.vault import Vault, create_vault, unlock_with_passphrase
from tests.conftest import FAST_KDF, PASSPHRASE, REPO, run_cli
from tests.factories import opened_case
from tests.storage.sqlcipher_pages import database_files, decrypted_pages

CATALOGUE = load_catalogue()
TODAY = dt.date(2026, 11, 23)


def _discussed(vault: Vault, reference: str, born: dt.date) -> None:
    """Open a case (child C-<reference>) on 6 Jan 2025 with a searchable discussion."""
    with vault.sessions.begin() as session:
        case = opened_case(
            session,
            vault.audit_key,
            CATALOGUE,
            reference,
            born=born,
            opened_at=dt.datetime(2025, 1, 6, 10, tzinfo=dt.UTC),
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
    _discussed(vault, "OLD-1", dt.date(1990, 3, 1))
    _discussed(vault, "NEW-1", dt.date(2015, 3, 1))
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
    _discussed(vault, "OLD-1", dt.date(1990, 3, 1))
    _discussed(vault, "NEW-1", dt.date(2015, 3, 1))
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


MARKERS = {
    "summary": "Quokkavellum",
    "decision": "Brindlemoorish",
    "notes": "Wyvernquillet",
    "field": "Marrowlatchen",
    "action": "Thistlecombery",
    "child": "C-GLIMMERVALE",
}
KEPT = "Kestrelhavenly"  # in the case that stays: shows the page reader sees text


def _marked_exchange() -> bytes:
    """Two cases: one past review carrying every marker, one current carrying KEPT."""
    sample = json.loads((REPO / "tests" / "exchange_sample.json").read_text("utf-8"))
    old = sample["cases"][0]
    old["child"].update(identifier=MARKERS["child"], date_of_birth="1990-01-01")
    old["summary"] = f"Fictional {MARKERS['summary']} summary"
    old["decision_challenged"] = f"Fictional {MARKERS['decision']} decision"
    stage = old["stages"][0]
    stage["discussions"][0]["notes"] = f"Fictional {MARKERS['notes']} notes"
    stage["actions"][0]["action"] = f"Fictional {MARKERS['action']} action"
    stage["fields"]["learning"] = f"Fictional {MARKERS['field']} learning"
    new = copy.deepcopy(old)
    new["reference"] = "ESC-0002"
    new["child"].update(identifier="C-2000", date_of_birth="2015-01-01")
    new["summary"] = new["decision_challenged"] = f"Fictional {KEPT} summary"
    new["stages"][0]["discussions"][0]["notes"] = f"Fictional {KEPT} notes"
    new["stages"][0]["actions"][0]["action"] = "Fictional action"
    new["stages"][0]["fields"]["learning"] = "Fictional learning"
    sample["cases"] = [old, new]
    return json.dumps(sample).encode()


def _import_marked(vault: Vault) -> None:
    with vault.sessions.begin() as session:
        cases = parse_exchange(_marked_exchange(), CATALOGUE, set())
        import_cases(session, vault.audit_key, CATALOGUE, working_calendar(session), cases)


def _markers_in(data: bytes) -> list[str]:
    """Name each marker found in ``data`` (whole, or past a prefix an index may share)."""
    low = data.lower()
    return [
        word
        for word in MARKERS.values()
        if word.lower().encode() in low or word.lower()[3:].encode() in low
    ]


def _held(zipped: Path, key: bytes, work: Path) -> bytes:
    with zipfile.ZipFile(zipped) as archive:
        work.write_bytes(archive.read("vault.db"))
    return decrypted_pages(work, key)


def test_a_purge_leaves_no_trace_in_any_decrypted_page_or_automatic_backup(
    vault: Vault, tmp_path: Path
) -> None:
    _import_marked(vault)
    key = bytes.fromhex(vault.sqlcipher_key[2:-1])
    automatic_backup(vault, keep=5, now=dt.datetime(2026, 11, 20, 9, tzinfo=dt.UTC))
    vault.backup_files(vault.files.backups / "20261121T090000Z-before-migration-0006")
    write_backup(vault, tmp_path / "usb-stick-backup.zip")  # a copy of the user's own
    with vault.sessions() as session:
        made = session.scalar(select(AuditEvent.at).order_by(AuditEvent.id.desc()).limit(1))
    assert made is not None
    folder = vault.files.folder
    vault.close()
    done = run_cli(
        "--vault", str(folder), "retention", "--purge", "ESC-0001", "--confirm", "ESC-0001"
    )
    assert done.returncode == 0, done.stderr
    pages = b"".join(decrypted_pages(path, key) for path in database_files(folder))
    assert KEPT.lower().encode() in pages.lower()  # the reader does see record text
    assert _markers_in(pages) == []
    copies = [
        _held(folder / "backups" / "auto-20261120T090000000000Z.zip", key, tmp_path / "a.db"),
        decrypted_pages(
            folder / "backups" / "20261121T090000Z-before-migration-0006" / "vault.db", key
        ),
    ]
    for held in copies:
        assert KEPT.lower().encode() in held.lower()  # rewritten, not emptied
        assert _markers_in(held) == []
    assert "removed from 2 automatic backup(s)" in done.stdout
    day = to_london(made).strftime("%d/%m/%Y")
    assert f"You made 1 backup(s) of your own since the case was entered (on {day})" in done.stdout
    assert run_cli("--vault", str(folder), "audit", "verify").returncode == 0
    restore_backup(
        folder / "backups" / "auto-20261120T090000000000Z.zip", tmp_path / "r", PASSPHRASE
    )
    # the rewritten backup restores, without the case, and its trail still verifies
    with (
        unlock_with_passphrase(tmp_path / "r", PASSPHRASE) as restored,
        restored.sessions() as session,
    ):
        assert session.scalars(select(Case.reference)).all() == ["ESC-0002"]
        assert audit.verify(session, restored.audit_key).intact


def test_a_backup_the_key_cannot_open_is_named_and_left_alone(vault: Vault, tmp_path: Path) -> None:
    write_backup(vault, tmp_path / "before-the-case.zip")  # made before: cannot hold it
    _import_marked(vault)
    other = create_vault(tmp_path / "other", "another fictional passphrase", params=FAST_KDF)
    stranger = vault.files.backups / "auto-20200101T000000000000Z.zip"
    make_private_folder(vault.files.backups)
    with other:
        write_backup(other, stranger)
    before = stranger.read_bytes()
    purged = purge_case(vault, "ESC-0001", "ESC-0001", TODAY)
    key = bytes.fromhex(vault.sqlcipher_key[2:-1])
    files = database_files(vault.files.folder)  # open: the WAL is there, and emptied
    assert len(files) == 2 and _markers_in(b"".join(decrypted_pages(p, key) for p in files)) == []
    assert purged.unreadable == ("auto-20200101T000000000000Z.zip",)
    assert purged.rewritten == () and purged.copies_made == ()
    assert stranger.read_bytes() == before
    notice = " ".join(purge_notice(purged))
    assert "auto-20200101T000000000000Z.zip" in notice and "of your own" not in notice


@pytest.mark.slow
def test_retention_command(tmp_path: object) -> None:
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
