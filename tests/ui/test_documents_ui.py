"""The documents panel and the Verify dialog, driven through their widgets."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from desktop.documents.signing import verify_pdf
from desktop.sharing.signatures import countersign
from desktop.ui.case_view import CaseView
from desktop.ui.services import Services
from desktop.ui.verify_dialog import VerifyDialog
from tests.factories import COUNTERPART, escalated_case, profiled_vault

ESCALATED = dt.datetime(2026, 11, 20, 15, tzinfo=dt.UTC)


def _case_view(qtbot: QtBot, services: Services) -> CaseView:
    """A case view showing the test case (its documents panel is ``.documents``)."""
    case_id = escalated_case(services.vault, services.catalogue, "UI-DOC-1", ESCALATED)
    view = CaseView(services)
    qtbot.addWidget(view)
    view.show_case(case_id)
    return view


def test_panel_offers_the_stage_documents_and_previews_the_signed_pdf(
    qtbot: QtBot, services: Services
) -> None:
    view = _case_view(qtbot, services)
    panel = view.documents
    offered = [panel.kind.itemData(i) for i in range(panel.kind.count())]
    assert offered == ["confirmation", "notification", "summary"]  # Berkshire level 2
    panel.kind.setCurrentIndex(2)
    panel.generate_button.click()
    assert not panel.generate_button.isEnabled()  # signing goes on off the GUI thread
    qtbot.waitUntil(lambda: panel.preview is not None, timeout=15_000)
    assert panel.generate_button.isEnabled() and panel.preview is not None
    reports = verify_pdf(panel.preview.pdf, set())
    assert [r.intact and r.valid for r in reports] == [True]
    assert panel.preview.windowTitle() == "UI-DOC-1 child file summary — preview"


def test_verify_dialog_reports_trusts_and_countersigns(
    qtbot: QtBot, services: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    escalated_case(services.vault, services.catalogue, "UI-DOC-1", ESCALATED)
    from desktop.sharing.signed_documents import render_document

    vault = services.vault
    with vault.sessions.begin() as session:
        pdf = render_document(
            session, vault.audit_key, services.catalogue, "UI-DOC-1", "confirmation"
        ).pdf
    received = tmp_path / "received.pdf"
    received.write_bytes(pdf)
    tampered = tmp_path / "tampered.pdf"
    data = bytearray(pdf)
    data[len(data) // 4] ^= 0x01
    tampered.write_bytes(bytes(data))
    dialog = VerifyDialog(services)
    qtbot.addWidget(dialog)
    dialog.check([received, tampered])  # verified on a worker
    qtbot.waitUntil(lambda: len(dialog.panels) == 2, timeout=15_000)
    assert [p.headline.text() for p in dialog.panels] == [
        "Trusted and unchanged",  # our own root is known
        "Changed or broken: do not rely on it",
    ]
    assert not dialog.counter_button.isEnabled()  # two files, one broken
    dialog.check([received])
    qtbot.waitUntil(lambda: len(dialog.panels) == 1, timeout=15_000)
    assert not dialog.counter_button.isEnabled()  # signed by the user: for the other party
    theirs = tmp_path / "theirs.pdf"  # countersigned in another vault: its root is not known
    with profiled_vault(tmp_path / "other", *COUNTERPART) as other:
        countersign(other, received, pdf, theirs, accept_unconfirmed=True)
    before = dialog.panels[0]
    dialog.check([theirs])
    qtbot.waitUntil(lambda: dialog.panels[0] is not before, timeout=15_000)
    panel = dialog.panels[0]
    assert panel.headline.text() == "Unchanged, but the signer is not confirmed"
    assert panel.confirm_box is not None and not panel.confirm_button.isEnabled()
    panel.compared.setChecked(True)
    panel.confirm_button.click()  # remembered (audited), then checked again on a worker
    qtbot.waitUntil(lambda: "Confirmed" in dialog.message.text(), timeout=15_000)
    assert dialog.panels[0].headline.text() == "Trusted and unchanged"
    assert dialog.panels[0].confirm_box is None
