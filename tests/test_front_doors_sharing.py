"""The command line and the window take the same sharing actions with the same audit events.

Two vaults hold the same records: one is driven through ``desktop.cli.main.run``,
the other through the widgets. Each action must leave the same events behind
(names, subjects and counts; never record text).
"""

from __future__ import annotations

import datetime as dt
import errno
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from desktop.cli.main import run
from desktop.models import AuditEvent
from desktop.procedures.catalogue import load_catalogue
from desktop.sharing.signatures import check_file
from desktop.storage.locations import ENV_PASSPHRASE
from desktop.storage.vault import Vault, create_vault, unlock_with_passphrase
from desktop.text.fingerprint_words import fingerprint_words
from desktop.ui.reports_view import ReportsView
from desktop.ui.services import Services
from desktop.ui.subject_access_dialog import SubjectAccessDialog
from desktop.ui.verify_dialog import VerifyDialog
from desktop.ui.worker import wait_for_workers
from tests.conftest import FAST_KDF, PASSPHRASE, REPO

Event = tuple[str, str | None, int | None]
START, END = dt.date(2020, 1, 1), dt.date(2030, 12, 31)


def _cli(folder: Path, *args: str) -> None:
    assert run(["--vault", str(folder), *args]) == 0, args


def _filled(folder: Path) -> Path:
    """A vault holding the sample case and a profile to sign with."""
    create_vault(folder, PASSPHRASE, params=FAST_KDF).close()
    _cli(folder, "import", str(REPO / "tests" / "exchange_sample.json"))
    _cli(
        folder,
        *("profile", "--name", "Alex Example (fictional)", "--role", "DSL"),
        *("--organisation", "Nowhere Primary (fictional)"),
    )
    return folder


def _last(vault: Vault) -> int:
    with vault.sessions() as session:
        return int(session.scalar(select(func.max(AuditEvent.id))) or 0)


def _since(vault: Vault, after: int) -> list[Event]:
    with vault.sessions() as session:
        rows = session.execute(
            select(AuditEvent.action, AuditEvent.entity, AuditEvent.entity_id)
            .where(AuditEvent.id > after)
            .order_by(AuditEvent.id)
        )
        return [(action, entity, entity_id) for action, entity, entity_id in rows]


class CommandLine:
    """One vault driven by in-process commands; each command's events are kept by name."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.events: dict[str, list[Event]] = {}

    def do(self, name: str, *args: str) -> None:
        with unlock_with_passphrase(self.folder, PASSPHRASE) as vault:
            after = _last(vault)
        _cli(self.folder, *args)
        with unlock_with_passphrase(self.folder, PASSPHRASE) as vault:
            self.events[name] = _since(vault, after)


@pytest.fixture
def folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Path, Path, Path]]:
    """The command line's vault, the window's vault, and a signed PDF both received."""
    monkeypatch.setenv(ENV_PASSPHRASE, PASSPHRASE)
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    sender = _filled(tmp_path / "sender")
    received = tmp_path / "received.pdf"
    _cli(sender, "render", "ESC-0001", "--document", "confirmation", "-o", str(received))
    [report] = check_file(received, frozenset()).reports
    words = fingerprint_words(report.root_fingerprint)  # as the sender reads them by phone
    doors = _filled(tmp_path / "cli"), _filled(tmp_path / "window")
    for door in doors:  # countersigning waits for the signer to be confirmed
        _cli(door, "signers", "confirm", str(received), "--words", words)
    yield *doors, received


def test_report_export_countersign_and_preview_leave_the_same_events(
    qtbot: QtBot, folders: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    cli_folder, window_folder, received = folders
    cli = CommandLine(cli_folder)
    period = ("--from", START.isoformat(), "--to", END.isoformat())
    cli.do("report csv", "report", *period, "-o", str(tmp_path / "cli.csv"))
    cli.do("report pdf", "report", *period, "--format", "pdf", "-o", str(tmp_path / "cli.pdf"))
    cli.do("countersign", "countersign", str(received), "-o", str(tmp_path / "cli-both.pdf"))
    cli.do("subject access preview", "subject-access", "C-1042", "--show")

    window: dict[str, list[Event]] = {}
    with unlock_with_passphrase(window_folder, PASSPHRASE, origin="app") as vault:
        services = Services(vault, load_catalogue())
        reports = ReportsView(services)
        verify = VerifyDialog(services)
        qtbot.addWidget(reports)
        qtbot.addWidget(verify)
        reports.start.set_day(START)
        reports.end.set_day(END)
        reports.refresh()

        after = _last(vault)
        reports.save_to(tmp_path / "window.csv", "csv")
        window["report csv"] = _since(vault, after)

        after = _last(vault)
        reports.save_to(tmp_path / "window.pdf", "pdf")  # signed on a worker
        qtbot.waitUntil(lambda: reports.message.text() == "Saved window.pdf.", timeout=20_000)
        window["report pdf"] = _since(vault, after)

        after = _last(vault)
        verify.countersign_to(received, tmp_path / "window-both.pdf")  # signed on a worker
        qtbot.waitUntil(lambda: "Countersigned" in verify.message.text(), timeout=20_000)
        window["countersign"] = _since(vault, after)

        after = _last(vault)
        preview = SubjectAccessDialog(services, "C-1042")
        qtbot.addWidget(preview)
        assert "Fictional SW" in preview.preview.toPlainText()
        window["subject access preview"] = _since(vault, after)
        wait_for_workers()

    assert window == cli.events
    assert cli.events["report csv"] == [("report.exported", None, 1)]  # with its count
    assert [action for action, _entity, _count in cli.events["report pdf"]] == ["report.rendered"]
    assert cli.events["countersign"] == [("document.countersigned", None, None)]
    assert cli.events["subject access preview"] == [("subject_access.previewed", None, None)]
    for name in ("cli.csv", "window.csv", "cli-both.pdf", "window-both.pdf"):
        assert (tmp_path / name).stat().st_size > 0, name


def test_a_countersignature_that_cannot_be_written_is_recorded_by_neither_door(
    qtbot: QtBot,
    folders: tuple[Path, Path, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _cli_folder, folder, received = folders
    real_replace = Path.replace

    def disk_full(self: Path, target: str | Path) -> Path:
        if Path(target).name == "both.pdf":
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_replace(self, target)

    monkeypatch.setattr(Path, "replace", disk_full)  # the file's last step: it never appears
    target = tmp_path / "both.pdf"
    with unlock_with_passphrase(folder, PASSPHRASE, origin="app") as vault:
        after = _last(vault)
        verify = VerifyDialog(Services(vault, load_catalogue()))
        qtbot.addWidget(verify)
        verify.countersign_to(received, target)
        qtbot.waitUntil(lambda: "disk is full" in verify.message.text(), timeout=20_000)
        assert _since(vault, after) == []
        wait_for_workers()
    assert run(["--vault", str(folder), "countersign", str(received), "-o", str(target)]) == 2
    assert "disk is full" in capsys.readouterr().err
    with unlock_with_passphrase(folder, PASSPHRASE) as vault:
        assert _since(vault, after) == []
    assert not target.exists()
