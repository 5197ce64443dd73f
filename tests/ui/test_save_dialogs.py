"""Every save dialog refuses the vault's own folder, with one sentence on screen."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog, QLabel
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from desktop.models import AuditEvent, Case
from desktop.sharing.signatures import check_file
from desktop.sharing.signers import confirm_signer
from desktop.ui.case_view import CaseView
from desktop.ui.reports_view import ReportsView
from desktop.ui.services import Services
from desktop.ui.subject_access_dialog import SubjectAccessDialog
from desktop.ui.transfers_dialog import TransfersDialog
from desktop.ui.verify_dialog import VerifyDialog
from tests.conftest import REPO
from tests.factories import escalated_case, import_sample, profiled_vault
from tests.sharing.parties import CATALOGUE, SENDER, document

UI = REPO / "desktop" / "ui"


def _state(services: Services) -> tuple[str, int]:
    key = services.vault.files.key.read_bytes()
    with services.vault.sessions() as session:
        events = session.scalar(select(func.count()).select_from(AuditEvent))
    return hashlib.sha256(key).hexdigest(), int(events or 0)


def test_each_save_dialog_refuses_a_place_inside_the_vault(
    qtbot: QtBot, services: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import_sample(services.vault, services.catalogue)
    with services.vault.sessions() as session:
        case_id = session.scalar(select(Case.id))
    assert case_id is not None
    theirs = tmp_path / "theirs.pdf"  # a confirmation from the other party, confirmed here
    with profiled_vault(tmp_path / "other", *SENDER) as other:
        escalated_case(other, CATALOGUE, "DOC-1")
        theirs.write_bytes(document(other).pdf)
    [report] = check_file(theirs, frozenset()).reports
    confirm_signer(services.vault, report.root_fingerprint, report.root_subject)
    key_file = services.vault.files.key
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args: (str(key_file), ""))
    case_view = CaseView(services)
    reports = ReportsView(services)
    access = SubjectAccessDialog(services, "C-1042")
    transfers = TransfersDialog(services, "C-1042")
    verify = VerifyDialog(services)
    for widget in (case_view, reports, access, transfers, verify):
        qtbot.addWidget(widget)
    case_view.show_case(case_id)
    transfers.recipient.setText("Imaginary Academy (fictional)")
    verify.check([theirs])
    qtbot.waitUntil(verify.counter_button.isEnabled, timeout=15_000)  # checked on a worker
    reports.refresh()
    case_view.documents.generate_button.click()
    qtbot.waitUntil(lambda: case_view.documents.preview is not None, timeout=15_000)
    preview = case_view.documents.preview
    assert preview is not None
    before = _state(services)
    clicks: dict[str, tuple[Callable[[], None], QLabel]] = {
        "document": (preview.save_button.click, preview.message),
        "encrypted document": (preview.share_button.click, preview.message),
        "report csv": (reports.save_buttons[0].click, reports.message),
        "report pdf": (reports.save_buttons[2].click, reports.message),
        "subject access": (access.save.click, access.message),
        "transfer package": (transfers.save_package.click, transfers.message),
        "certificate": (transfers.findChild(object, "saveCertificate").click, transfers.message),
        "countersign": (verify.counter_button.click, verify.message),
    }
    for name, (click, message) in clicks.items():
        message.clear()
        click()
        assert "inside the vault folder" in message.text(), (name, message.text())
        assert _state(services) == before, name


def test_only_one_module_opens_a_save_dialog_and_it_asks_before_replacing() -> None:
    callers = sorted(p.name for p in UI.glob("*.py") if "getSaveFileName" in p.read_text())
    assert callers == ["save_dialog.py"]
    assert not [p.name for p in UI.glob("*.py") if "DontConfirmOverwrite" in p.read_text()]


def test_a_place_outside_the_vault_is_saved(
    qtbot: QtBot, services: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "report.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args: (str(target), ""))
    reports = ReportsView(services)
    qtbot.addWidget(reports)
    reports.start.set_day(dt.date(2020, 1, 1))
    reports.save_buttons[0].click()
    assert reports.message.text() == "Saved report.csv." and target.exists()
