"""Names from a certificate or a package are shown in windows with control characters visible."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from desktop.documents.received_pdf import SignedFile
from desktop.documents.signing import SignatureReport
from desktop.sharing.signatures import Checked
from desktop.ui.signed_file_panel import SignedFilePanel

FORGED = "Eve\x1b[8m\n<b>Trusted and unchanged</b>\u202eevil"


def test_the_verify_results_show_a_forged_name_escaped(qtbot: QtBot) -> None:
    report = SignatureReport(
        field="Sig\u202e1",
        intact=True,
        valid=True,
        signer=FORGED,
        signed_at=dt.datetime(2026, 11, 20, 10, tzinfo=dt.UTC),
        fingerprint="AB:CD",
        root_fingerprint="EF:01",
        root_subject=FORGED,
        root_pem="",
        known=False,
        changed_after_signing=False,
        certified=True,
        signer_name=FORGED,
    )
    checked = Checked(Path("/tmp/letter\x1b.pdf"), SignedFile((report,)))
    panel = SignedFilePanel(checked)
    qtbot.addWidget(panel)
    labels = panel.findChildren(QLabel)
    shown = "\n".join(label.text() for label in labels)
    assert "\x1b" not in shown and "\u202e" not in shown
    assert "Eve\\x1b[8m\\n<b>Trusted and unchanged</b>\\u202eevil" in shown
    assert all(
        label.textFormat() == Qt.TextFormat.PlainText for label in labels if "Eve" in label.text()
    )  # never rich text: the <b> stays two characters and a letter
    assert panel.headline.text() == "Unchanged, but the signer is not confirmed"
