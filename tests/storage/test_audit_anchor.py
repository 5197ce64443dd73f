"""The audit trail's head is anchored outside the database and printed on what leaves it."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
import sqlcipher3
from sqlalchemy import delete, select

from desktop.documents.printed_head import printed_head
from desktop.errors import InvalidInput
from desktop.models import AuditEvent
from desktop.procedures.catalogue import load_catalogue
from desktop.sharing.signed_documents import render_document
from desktop.sharing.subject_access import render_subject_access
from desktop.storage import audit, schema
from desktop.storage.backup import write_backup
from desktop.storage.keyfile import read_key_file
from desktop.storage.vault import Vault, unlock_with_passphrase
from tests.conftest import PASSPHRASE, REPO, run_cli
from tests.factories import import_sample, signing_profile

CATALOGUE = load_catalogue()
CHILD = json.loads((REPO / "tests" / "exchange_sample.json").read_text())["cases"][0]["child"][
    "identifier"
]
NOW = dt.datetime(2027, 1, 11, 9, 30, tzinfo=dt.UTC)
HEAD_LINE = re.compile(r"Audit trail head (?:event (\d+) )?([0-9a-f]{64})")


def _events(vault: Vault, count: int) -> None:
    for n in range(count):
        with vault.sessions.begin() as session:
            audit.record(session, vault.audit_key, "case.viewed", "case", n)


def _raw(folder: Path, key: str) -> sqlcipher3.Connection:
    connection = sqlcipher3.connect(str(folder / "vault.db"))
    connection.execute(f'PRAGMA key = "{key}"')
    return connection


@pytest.mark.parametrize(
    ("cut", "said"),
    [
        ("DELETE FROM audit_event WHERE id > 4", "event 8 was recorded"),
        ("DELETE FROM audit_event", "event 8 was recorded"),
    ],
)
def test_a_truncated_or_wiped_trail_is_found(
    vault: Vault, tmp_path: Path, cut: str, said: str
) -> None:
    _events(vault, 7)
    key, folder = vault.sqlcipher_key, vault.files.folder
    vault.close()
    raw = _raw(folder, key)
    raw.execute(cut)
    raw.commit()
    raw.close()
    result = run_cli("--vault", str(folder), "audit", "verify")
    assert result.returncode == 1, result.stdout + result.stderr
    assert said in result.stderr and "deleted" in result.stderr, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def _printed_head(pdf: Path) -> tuple[int | None, str]:
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    found = HEAD_LINE.search(text)
    assert found is not None, text[-400:]
    return (int(found[1]) if found[1] else None), found[2]


def _rewrite_history(folder: Path, event_id: int) -> None:
    """What a key holder can do: drop an event, re-seal the rest, re-anchor the new head."""
    with unlock_with_passphrase(folder, PASSPHRASE) as vault:
        with vault.sessions.begin() as session:
            later = session.scalars(
                select(AuditEvent).where(AuditEvent.id > event_id).order_by(AuditEvent.id)
            ).all()
            kept = [(e.action, e.entity, e.entity_id) for e in later]
            session.execute(delete(AuditEvent).where(AuditEvent.id >= event_id))
            for action, entity, entity_id in kept:
                audit.record(session, vault.audit_key, action, entity, entity_id)
            head = audit.newest(session)
        anchor = audit.seal_anchor(vault.audit_key, head)
    key_file = read_key_file(folder / "vault.key")
    (folder / "vault.key").write_text(replace(key_file, anchor=anchor).to_json())


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler's pdftotext")
def test_a_document_carries_its_own_event_and_reveals_a_rewritten_history(
    vault: Vault, tmp_path: Path
) -> None:
    signing_profile(vault)
    import_sample(vault, CATALOGUE)
    pdf = tmp_path / "summary.pdf"
    with vault.sessions.begin() as session:
        rendered = render_document(session, vault.audit_key, CATALOGUE, "ESC-0001", "summary")
    pdf.write_bytes(rendered.pdf)
    with vault.sessions() as session:
        own = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "document.rendered")
        ).one()
    assert _printed_head(pdf) == (own.id, own.mac)  # the head after its own render event
    folder = vault.files.folder
    vault.close()
    good = run_cli("--vault", str(folder), "audit", "verify", "--against", str(pdf))
    assert good.returncode == 0, good.stderr
    assert f"event {own.id}" in good.stdout
    _rewrite_history(folder, 3)
    inside = run_cli("--vault", str(folder), "audit", "verify")
    assert inside.returncode == 0, inside.stderr  # a key holder's rewrite verifies inside...
    caught = run_cli("--vault", str(folder), "audit", "verify", "--against", str(pdf))
    assert caught.returncode == 1, caught.stdout + caught.stderr  # ...not against the document
    assert pdf.name in caught.stderr and "rewritten" in caught.stderr


def test_a_subject_access_bundle_carries_its_own_event(vault: Vault, tmp_path: Path) -> None:
    signing_profile(vault)
    import_sample(vault, CATALOGUE)
    with vault.sessions.begin() as session:
        pdf = render_subject_access(session, vault.audit_key, CATALOGUE, CHILD, [], NOW)
    (tmp_path / "bundle.pdf").write_bytes(pdf)
    with vault.sessions() as session:
        own = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "subject_access.exported")
        ).one()
    assert _printed_head(tmp_path / "bundle.pdf") == (own.id, own.mac)


def test_a_backup_carries_the_head_at_its_own_event(vault: Vault, tmp_path: Path) -> None:
    _events(vault, 3)
    target = tmp_path / "backup.zip"
    write_backup(vault, target)
    with zipfile.ZipFile(target) as archive:
        key = json.loads(archive.read("vault.key"))
        (tmp_path / "inner").mkdir()
        (tmp_path / "inner" / "vault.db").write_bytes(archive.read("vault.db"))
    raw = _raw(tmp_path / "inner", vault.sqlcipher_key)
    last = raw.execute("SELECT id, action, mac FROM audit_event ORDER BY id DESC").fetchone()
    raw.close()
    assert last[1] == "vault.backed_up"
    assert (key["audit_anchor"]["event"], key["audit_anchor"]["mac"]) == (last[0], last[2])


def _strip_anchor(vault: Vault) -> None:
    data = json.loads(vault.files.key.read_text())
    del data["audit_anchor"]
    vault.files.key.write_text(json.dumps(data))


def test_a_removed_anchor_is_reported_and_never_quietly_made_again(vault: Vault) -> None:
    _events(vault, 3)
    vault.close()
    _strip_anchor(vault)
    with unlock_with_passphrase(vault.files.folder, PASSPHRASE) as reopened:
        _events(reopened, 2)
        report = reopened.verify_audit()
    assert not report.intact and "holds no anchored head" in report.reason
    assert "audit_anchor" not in json.loads(vault.files.key.read_text())


def test_a_vault_from_before_anchoring_is_anchored_when_first_opened(vault: Vault) -> None:
    _events(vault, 3)
    with vault.engine.begin() as connection:
        schema.downgrade(connection, "0008")  # the schema before retired audit keys
    vault.close()
    _strip_anchor(vault)
    with unlock_with_passphrase(vault.files.folder, PASSPHRASE) as reopened:
        report = reopened.verify_audit()
        with reopened.sessions() as session:
            last = session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert report.intact, report.reason
    assert last is not None and last.action == "audit.anchored"
    assert report.anchored == last.id == 5


def test_heads_printed_before_they_carried_an_event_number_are_still_found(vault: Vault) -> None:
    _events(vault, 2)
    with vault.sessions() as session:
        newest = audit.newest(session)
        old_style = audit.parse_head(f"ESC-0001; audit head {newest.mac}")
        assert old_style == audit.Head(0, newest.mac)
        assert audit.holds(session, old_style)
        assert not audit.holds(session, audit.Head(newest.event, "f" * 64))
    with pytest.raises(InvalidInput, match="not a PDF"):
        printed_head(b"%PDF-1.7 but nothing else")


def test_a_truncated_trail_stays_found_after_it_grows_past_the_anchor(vault: Vault) -> None:
    _events(vault, 7)  # events 1..8, anchored at 8
    key, folder = vault.sqlcipher_key, vault.files.folder
    vault.close()
    raw = _raw(folder, key)
    raw.execute("DELETE FROM audit_event WHERE id > 4")
    raw.commit()
    raw.close()
    with unlock_with_passphrase(folder, PASSPHRASE) as reopened:
        _events(reopened, 6)  # the chain reaches event 10, past the anchored 8
        report = reopened.verify_audit()
    assert not report.intact and report.broken_event == 8
    assert "rewritten" in report.reason
