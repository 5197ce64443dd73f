"""``due --ics FILE``: upcoming deadlines for Outlook, checked like every other output."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select

from desktop.casework.stage_times import record_event
from desktop.cli.main import run
from desktop.models import AuditEvent
from desktop.procedures.catalogue import load_catalogue
from desktop.storage.locations import ENV_PASSPHRASE
from desktop.storage.vault import create_vault, unlock_with_passphrase
from tests.conftest import FAST_KDF, PASSPHRASE
from tests.factories import open_case_in


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(ENV_PASSPHRASE, PASSPHRASE)
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    folder = tmp_path / "vault"
    catalogue = load_catalogue()
    opened = dt.datetime.now(dt.UTC)
    with create_vault(folder, PASSPHRASE, params=FAST_KDF) as vault:
        case_id = open_case_in(
            vault, catalogue, "CAL-1", identifier="PUPIL-CAL-3", opened_at=opened
        )
        # reported to the line managers at once: their 24-hour check-point runs from then
        record_event(vault, catalogue, case_id, "reported", opened, opened)
    return folder


def test_due_ics_writes_the_calendar_and_audits_it(
    folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "deadlines.ics"
    assert run(["--vault", str(folder), "due", "--ics", str(target)]) == 0
    assert capsys.readouterr().err == f"Wrote 2 upcoming deadlines to {target}.\n"
    data = target.read_bytes()
    assert data.count(b"BEGIN:VEVENT") == 2 and b"CAL-1" in data and b"PUPIL-CAL-3" not in data
    with unlock_with_passphrase(folder, PASSPHRASE) as vault, vault.sessions() as session:
        last = session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert last is not None and (last.action, last.entity_id) == ("deadlines.exported", 2)


def test_due_ics_refuses_to_replace_a_file_or_write_in_the_vault(
    folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    existing = tmp_path / "old.ics"
    existing.write_bytes(b"kept")
    assert run(["--vault", str(folder), "due", "--ics", str(existing)]) == 2
    assert "already exists" in capsys.readouterr().err and existing.read_bytes() == b"kept"
    assert run(["--vault", str(folder), "due", "--ics", str(existing), "--force"]) == 0
    assert existing.read_bytes().startswith(b"BEGIN:VCALENDAR")
    assert run(["--vault", str(folder), "due", "--ics", str(folder / "in.ics")]) == 2
    assert "inside the vault folder" in capsys.readouterr().err
