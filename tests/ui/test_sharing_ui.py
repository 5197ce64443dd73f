"""The Reports view, the Transfers dialog and the subject access dialog, through their widgets."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from pathlib import Path

from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from desktop.casework.demo import generate_demo
from desktop.casework.report import build_report
from desktop.casework.settings import working_calendar
from desktop.documents.signing import verify_pdf
from desktop.models import AuditEvent
from desktop.procedures.catalogue import load_catalogue
from desktop.ui.main_window import MainWindow
from desktop.ui.services import Services
from desktop.ui.subject_access_dialog import SubjectAccessDialog
from desktop.ui.transfers_dialog import TransfersDialog
from tests.factories import RECEIVER, import_sample, profiled_vault


def test_reports_view_shows_the_report_figures_as_charts(
    qtbot: QtBot, services: Services, tmp_path: Path
) -> None:
    now = dt.datetime.now(dt.UTC)
    with services.vault.sessions.begin() as session:
        generate_demo(
            session,
            services.vault.audit_key,
            services.catalogue,
            working_calendar(session),
            120,
            now,
        )
    window = MainWindow()
    qtbot.addWidget(window)
    window.show_vault(services)
    window.reports_action.trigger()
    view = window.reports
    assert view is not None and window.stack.currentWidget() is view
    view.start.set_day(dt.date(2020, 1, 1))
    view.refresh()
    with services.vault.sessions() as session:
        expected = build_report(
            session, services.catalogue, dt.date(2020, 1, 1), dt.date.today(), now
        )
    assert view.report is not None and view.report.escalations == expected.escalations == 120
    chart = view.charts["by_receiving_agency"]
    assert chart.figures == expected.by_receiving_agency
    assert "Fictional Police" in chart.accessibleDescription()
    assert chart.height() >= 5 * 22  # one row per receiving agency
    view.save_to(tmp_path / "report.json", "json")
    saved = json.loads((tmp_path / "report.json").read_text("utf-8"))
    assert saved["escalations"] == 120
    view.save_to(tmp_path / "report.pdf", "pdf")  # laid out and signed on a worker
    assert not view.save_buttons[2].isEnabled()
    qtbot.waitUntil(lambda: view.message.text() == "Saved report.pdf.", timeout=20_000)
    signed = verify_pdf((tmp_path / "report.pdf").read_bytes(), set())
    assert [r.intact and r.valid for r in signed] == [True]
    with services.vault.sessions() as session:
        last = session.scalar(select(AuditEvent.action).order_by(AuditEvent.id.desc()))
    assert last == "report.rendered"
    view.end.set_day(dt.date(2019, 1, 1))
    view.refresh()
    assert "before its start date" in view.message.text()


def test_transfer_send_receive_and_receipt_through_the_dialogs(
    qtbot: QtBot, services: Services, tmp_path: Path
) -> None:
    """Receiving goes in order: open, see, check the sender, import; the receipt is kept.

    On the old code the passphrase field was masked, "Import and save the receipt…" was
    enabled before the tick, the preview still said "Nothing has been imported yet" after
    importing, and the history said the receipt was "sent back by you".
    """
    import_sample(services.vault, services.catalogue)
    sender = TransfersDialog(services, "C-1042")
    qtbot.addWidget(sender)
    sender.recipient.setText("Imaginary Academy (fictional)")
    package = tmp_path / "package.erpkg"
    sender.send_to(package)  # sealed (scrypt) on a worker
    qtbot.waitUntil(lambda: "Read this passphrase" in sender.message.text(), timeout=20_000)
    words = sender.message.text().split("<b>")[1].split("</b>")[0]
    with profiled_vault(tmp_path / "other", *RECEIVER) as other:
        dialog = TransfersDialog(Services(other, load_catalogue()))
        qtbot.addWidget(dialog)
        receiving = dialog.receive
        assert receiving.passphrase.echoMode() == QLineEdit.EchoMode.Normal  # read out, seen
        receiving.open_file(package)
        assert "six words" in dialog.message.text()
        assert not receiving.import_button.isEnabled()
        receiving.passphrase.setText("wrong words for this fictional package")
        receiving.open_button.click()  # opened on a worker: its failure comes back as a sentence
        qtbot.waitUntil(lambda: "could not be opened" in dialog.message.text(), timeout=20_000)
        assert not receiving.import_button.isEnabled() and receiving.open_button.isEnabled()
        receiving.passphrase.setText(words.replace("-", " ").upper())  # as heard on the phone
        receiving.open_button.click()
        qtbot.waitUntil(lambda: receiving.preview is not None, timeout=20_000)
        shown = receiving.contents.toPlainText()
        assert "ESC-0001" in shown and "Berkshire" in shown and "(2026-03)" in shown
        assert "Nothing has been imported yet" in shown
        assert receiving.words.text() == receiving.preview.words  # type: ignore[union-attr]
        assert not receiving.import_button.isEnabled()  # not before the fingerprint step
        receiving.trust.setChecked(True)
        assert receiving.import_button.isEnabled()
        receipt = tmp_path / "receipt.pdf"
        receiving.import_to(receipt)  # the receipt is signed on a worker, then all is kept
        assert not receiving.import_button.isEnabled()
        qtbot.waitUntil(lambda: "Imported" in dialog.message.text(), timeout=20_000)
        after = receiving.contents.toPlainText()
        assert "Nothing has been imported yet" not in after and "Imported on" in after
        assert "receipt.pdf" in after and receipt.exists()
        assert dialog.history.rowCount() == 1
        assert dialog.history.item(0, 2).text() == "Received from"
        assert dialog.history.item(0, 3).text().startswith("Alex Example (fictional)")
        assert "sent back" not in dialog.history.item(0, 5).text()
        assert not dialog.again_button.isEnabled()
        dialog.history.selectRow(0)
        assert dialog.again_button.isEnabled()
        again = tmp_path / "again.pdf"
        dialog.save_receipt_to(dialog.transfers[0].transfer_id, again)
        assert again.read_bytes() == receipt.read_bytes()  # the same signed receipt
        with other.sessions() as session:
            last = list(session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))[-1]
        assert last == "transfer.receipt_saved"
    sender.record_receipt(receipt)  # checked on a worker; whose signature is compared first
    qtbot.waitUntil(lambda: "compare" in sender.message.text(), timeout=20_000)
    assert sender.history.item(0, 5).text() == "awaited"
    sender.receipt_trust.setChecked(True)
    sender.record_receipt(receipt)
    qtbot.waitUntil(lambda: "Receipt recorded" in sender.message.text(), timeout=20_000)
    assert sender.history.item(0, 5).text().startswith("returned")


def _select(dialog: SubjectAccessDialog, text: str) -> None:
    found = dialog.preview.document().find(text)
    assert not found.isNull(), text
    cursor = dialog.preview.textCursor()
    cursor.setPosition(found.selectionStart())
    cursor.setPosition(found.selectionEnd(), QTextCursor.MoveMode.KeepAnchor)
    dialog.preview.setTextCursor(cursor)


def test_subject_access_dialog_withholds_selected_words(
    qtbot: QtBot, services: Services, tmp_path: Path
) -> None:
    import_sample(services.vault, services.catalogue)
    dialog = SubjectAccessDialog(services, "C-1042")
    qtbot.addWidget(dialog)
    assert "Fictional SW" in dialog.preview.toPlainText()
    _select(dialog, "Raised by: Fictional DSL")  # a heading is not record text
    dialog.withhold()
    assert "does not appear in the record text" in dialog.message.text()
    _select(dialog, "Fictional SW")
    dialog.withhold()
    assert "Fictional SW" not in dialog.preview.toPlainText()
    assert "[withheld: another professional]" in dialog.preview.toPlainText()
    assert dialog.mark_list.count() == 1
    out = tmp_path / "bundle.pdf"
    dialog.save_to(out)  # laid out and signed on a worker
    assert not dialog.save.isEnabled()
    qtbot.waitUntil(lambda: "1 passage(s) withheld" in dialog.message.text(), timeout=20_000)
    assert dialog.save.isEnabled()
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", str(out), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert "Fictional SW" not in text and "Fictional DSL" in text
