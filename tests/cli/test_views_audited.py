"""Every command that shows or sends records leaves an audit event, even when cut short."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from desktop.casework.demo import generate_demo
from desktop.casework.settings import working_calendar
from desktop.cli.main import run
from desktop.models import AuditEvent
from desktop.procedures.catalogue import load_catalogue
from desktop.storage.locations import ENV_PASSPHRASE
from desktop.storage.vault import create_vault, unlock_with_passphrase
from tests.conftest import FAST_KDF, PASSPHRASE, REPO

CASES = 184  # enough that the export is far larger than a pipe's buffer
EXIT_PIPE = 141  # as a shell reports a command ended by a closed pipe (128 + SIGPIPE)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    folder = tmp_path / "vault"
    with (
        create_vault(folder, PASSPHRASE, params=FAST_KDF) as vault,
        vault.sessions.begin() as session,
    ):
        now = dt.datetime.now(dt.UTC)
        generate_demo(
            session, vault.audit_key, load_catalogue(), working_calendar(session), CASES, now
        )
    return folder


def _events(folder: Path, after: int = 0) -> list[tuple[str, str | None, int | None]]:
    with (
        unlock_with_passphrase(folder, PASSPHRASE) as vault,
        vault.sessions() as session,
    ):
        rows = session.execute(
            select(AuditEvent.action, AuditEvent.entity, AuditEvent.entity_id)
            .where(AuditEvent.id > after)
            .order_by(AuditEvent.id)
        )
        return [(action, entity, entity_id) for action, entity, entity_id in rows]


def _last_id(folder: Path) -> int:
    with unlock_with_passphrase(folder, PASSPHRASE) as vault, vault.sessions() as session:
        return int(session.scalar(select(AuditEvent.id).order_by(AuditEvent.id.desc())) or 0)


def _piped(folder: Path, *args: str) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ESCALATION_RECORDER")}
    env |= {ENV_PASSPHRASE: PASSPHRASE, "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    return subprocess.Popen(
        [sys.executable, "-m", "desktop", "--vault", str(folder), *args],
        env=env,
        cwd=REPO,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def _rest(process: subprocess.Popen[bytes]) -> str:
    """Wait for the command to end; return what it said on stderr."""
    assert process.stderr is not None
    with process.stderr:
        said = process.stderr.read().decode()
    process.wait(timeout=60)
    return said


def test_an_export_into_a_pipe_closed_early_is_audited_as_incomplete(folder: Path) -> None:
    after = _last_id(folder)
    process = _piped(folder, "export")
    assert process.stdout is not None and process.stderr is not None
    first = process.stdout.read(100)  # like `export | head -c 100`
    process.stdout.close()
    stderr = _rest(process)
    assert process.returncode == EXIT_PIPE, stderr
    assert first.startswith(b'{"format"')
    assert stderr == ""  # no "Broken pipe" sentence, no traceback
    events = _events(folder, after)
    actions = [action for action, _entity, _id in events]
    assert actions[-2:] == ["export.started", "export.incomplete"], actions
    assert events[-2][2] == CASES  # what was about to leave, recorded before the first byte
    sent = events[-1][2]
    assert sent is not None and sent < CASES


def test_a_whole_export_is_started_then_complete(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV_PASSPHRASE, PASSPHRASE)
    after = _last_id(folder)
    assert run(["--vault", str(folder), "export", "-o", str(tmp_path / "all.json")]) == 0
    reference = "DEMO-000001"
    assert run(["--vault", str(folder), "export", "--case", reference]) == 0
    actions = [(action, entity) for action, entity, _id in _events(folder, after)]
    assert actions[-4:] == [
        ("export.started", None),
        ("cases.exported", None),
        ("export.started", "case"),
        ("case.exported", "case"),
    ]


@pytest.mark.parametrize(
    ("args", "action"),
    [
        (["due"], "due.viewed"),
        (["due", "--json"], "due.viewed"),
        (["retention"], "retention.viewed"),
        (["transfer", "list"], "transfers.viewed"),
    ],
)
def test_each_listing_of_records_is_audited(
    folder: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    action: str,
) -> None:
    monkeypatch.setenv(ENV_PASSPHRASE, PASSPHRASE)
    after = _last_id(folder)
    assert run(["--vault", str(folder), *args]) == 0
    shown = capsys.readouterr().out
    events = _events(folder, after)
    assert [a for a, _entity, _id in events][-1:] == [action]
    count = events[-1][2]
    assert count is not None and (count > 0) == (action == "due.viewed")
    assert shown.strip()


@pytest.mark.parametrize(
    ("args", "action"),
    [
        (["due"], "due.viewed"),
        (["subject-access", "DEMO-C000001", "--show"], "subject_access.previewed"),
        (["report", "--from", "2020-01-01", "--to", "2030-12-31"], "report.exported"),
    ],
)
def test_a_view_into_a_closed_pipe_is_recorded_and_ends_quietly(
    folder: Path, args: list[str], action: str
) -> None:
    process = _piped(folder, *args)
    assert process.stdout is not None
    process.stdout.close()  # the reader is gone before the first line is written
    stderr = _rest(process)
    assert process.returncode == EXIT_PIPE, stderr
    assert stderr == ""
    assert [a for a, _entity, _id in _events(folder)][-1] == action
