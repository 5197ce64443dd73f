"""The command line and the window do the same case actions with the same audit events.

The window has no export: the command line's export is compared with the
service both front doors would call.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from desktop.cli.main import run
from desktop.models import AuditEvent
from desktop.procedures.catalogue import load_catalogue
from desktop.sharing.export import export_audited
from desktop.storage.locations import ENV_PASSPHRASE
from desktop.storage.vault import Vault, unlock_with_passphrase
from desktop.ui.case_view import CaseView
from desktop.ui.retention_dialog import RetentionDialog
from desktop.ui.services import Services
from desktop.ui.worker import wait_for_workers
from tests.conftest import PASSPHRASE
from tests.factories import open_case_in, profiled_vault

CATALOGUE = load_catalogue()
REFERENCE = "FD-1"


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A closed vault with a profile and one case past its review date (born 1990)."""
    monkeypatch.setenv(ENV_PASSPHRASE, PASSPHRASE)
    folder = tmp_path / "vault"
    with profiled_vault(folder) as vault:
        open_case_in(vault, CATALOGUE, REFERENCE, born=dt.date(1990, 1, 1))
    return folder


def _actions_after(folder: Path, action: Callable[[], object]) -> list[str]:
    """Run ``action`` (the vault closed around it) and return the audit events it recorded."""
    with unlock_with_passphrase(folder, PASSPHRASE) as vault, vault.sessions() as session:
        after = session.scalar(select(AuditEvent.id).order_by(AuditEvent.id.desc()))
    action()
    with unlock_with_passphrase(folder, PASSPHRASE) as vault, vault.sessions() as session:
        query = select(AuditEvent.action).where(AuditEvent.id > (after or 0))
        return list(session.scalars(query.order_by(AuditEvent.id)))


def _in_window(folder: Path, act: Callable[[Services], None]) -> Callable[[], None]:
    """The action ``act`` does through widgets on the unlocked vault."""

    def action() -> None:
        with unlock_with_passphrase(folder, PASSPHRASE, origin="app") as vault:
            act(Services(vault, CATALOGUE))

    return action


def _cli(folder: Path, *args: str) -> Callable[[], None]:
    def action() -> None:
        assert run(["--vault", str(folder), *args]) == 0

    return action


def test_export_records_the_same_events_from_the_command_line_and_the_service(
    folder: Path, tmp_path: Path
) -> None:
    def service() -> None:
        with unlock_with_passphrase(folder, PASSPHRASE, origin="app") as vault:
            now = dt.datetime.now(dt.UTC)
            export_audited(vault, CATALOGUE, now, _drain, REFERENCE)

    exported = str(tmp_path / "cli.json")
    by_cli = _actions_after(folder, _cli(folder, "export", "--case", REFERENCE, "-o", exported))
    assert by_cli == ["export.started", "case.exported"]
    assert _actions_after(folder, service) == by_cli


def _drain(pieces: Iterable[bytes]) -> None:
    for _piece in pieces:
        pass


def test_a_signed_summary_records_the_same_events_from_both_front_doors(
    qtbot: QtBot, folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "window.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a: (str(target), "PDF (*.pdf)"))
    cli_pdf = str(tmp_path / "cli.pdf")
    by_cli = _actions_after(
        folder, _cli(folder, "render", REFERENCE, "--document", "summary", "-o", cli_pdf)
    )
    with unlock_with_passphrase(folder, PASSPHRASE, origin="app") as vault:
        view = CaseView(Services(vault, CATALOGUE))
        qtbot.addWidget(view)
        view.show_case(1)  # viewing is audited on its own: count from here
        after = _newest(vault)
        panel = view.documents
        panel.kind.setCurrentIndex(panel.kind.findData("summary"))
        panel.generate_button.click()
        qtbot.waitUntil(lambda: panel.preview is not None, timeout=15_000)
        assert wait_for_workers() and panel.preview is not None
        panel.preview.save_button.click()  # saving the previewed bytes records nothing more
        with vault.sessions() as session:
            query = select(AuditEvent.action).where(AuditEvent.id > after)
            by_window = list(session.scalars(query.order_by(AuditEvent.id)))
    assert by_cli == ["document.rendered"]
    assert by_window == by_cli and target.exists()


def _newest(vault: Vault) -> int:
    with vault.sessions() as session:
        return int(session.scalar(select(AuditEvent.id).order_by(AuditEvent.id.desc())) or 0)


def test_listing_cases_past_review_is_audited_alike_from_both_front_doors(
    qtbot: QtBot, folder: Path
) -> None:
    def open_dialog(services: Services) -> None:
        dialog = RetentionDialog(services)
        qtbot.addWidget(dialog)
        assert dialog.table.rowCount() == 1

    by_cli = _actions_after(folder, _cli(folder, "retention"))
    assert by_cli == ["retention.viewed"]
    assert _actions_after(folder, _in_window(folder, open_dialog)) == by_cli
