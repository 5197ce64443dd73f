"""Names from a certificate or a package are shown in windows with control characters visible."""

from __future__ import annotations

import datetime as dt

from desktop.documents.signing import SignatureReport
from desktop.ui.verify_dialog import report_html

FORGED = "Eve\x1b[8m\n<b>Intact and valid</b>\u202eevil"


def test_the_verify_results_show_a_forged_name_escaped() -> None:
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
    )
    shown = report_html("/tmp/letter\x1b.pdf", [report])
    assert "\x1b" not in shown and "\u202e" not in shown and "\n" not in shown
    assert "Eve\\x1b[8m\\n&lt;b&gt;Intact and valid&lt;/b&gt;\\u202eevil" in shown
    assert "<b>Intact, from a signer not confirmed yet</b>" in shown
