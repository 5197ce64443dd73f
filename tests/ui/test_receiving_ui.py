"""The other party's side through the real widgets: open, check, confirm, countersign, keep.

On the old code the verify window opened blank, said "This PDF is encrypted:
it opens only with its passphrase." and never asked for the words, showed
"intact and valid" in bold whatever the trust, trusted a signer on one click,
and offered countersigning before the signer was confirmed.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QFileDialog, QLineEdit
from pytestqt.qtbot import QtBot

from desktop.documents.signing import Verdict
from desktop.storage.vault import Vault
from desktop.ui.confirmed_signers_dialog import ConfirmedSignersDialog
from desktop.ui.keep_case_dialog import KeepCaseDialog
from desktop.ui.services import Services
from desktop.ui.settings_dialog import SettingsDialog
from desktop.ui.signed_file_panel import SignedFilePanel
from desktop.ui.verdict_style import MINIMUM_CONTRAST, contrast, verdict_colour
from desktop.ui.verify_dialog import VerifyDialog
from desktop.ui.worker import wait_for_workers
from tests.factories import escalated_case, profiled_vault
from tests.sharing.parties import (
    CATALOGUE,
    SENDER,
    document,
    events,
    pdfsig_agrees,
    require_poppler,
)
from tests.ui.accessibility_checks import JARGON

WAIT = 20_000


@pytest.fixture
def sender(tmp_path: Path) -> Iterator[Vault]:
    """The other party's vault: a DSL who signs a written confirmation of case DOC-1."""
    require_poppler()
    vault = profiled_vault(tmp_path / "sender", *SENDER)
    escalated_case(vault, CATALOGUE, "DOC-1")
    yield vault
    vault.close()


def _dialog(qtbot: QtBot, services: Services) -> VerifyDialog:
    dialog = VerifyDialog(services)
    qtbot.addWidget(dialog)
    return dialog


def _checked(qtbot: QtBot, dialog: VerifyDialog, paths: list[Path], then: str = "") -> None:
    before = list(dialog.panels)
    dialog.check(paths, then)  # on a worker; its answer replaces every panel
    qtbot.waitUntil(
        lambda: dialog.panels != before and [p.checked.path for p in dialog.panels] == paths,
        timeout=WAIT,
    )


def _rechecked(qtbot: QtBot, dialog: VerifyDialog, act: object) -> None:
    """Do ``act`` (a click) and wait for the check it starts to answer."""
    before = list(dialog.panels)
    act()  # type: ignore[operator]
    qtbot.waitUntil(lambda: bool(dialog.panels) and dialog.panels != before, timeout=WAIT)


def test_the_three_verdicts_in_words_icon_and_readable_colour(
    qtbot: QtBot, services: Services, sender: Vault, tmp_path: Path
) -> None:
    dialog = _dialog(qtbot, services)
    assert "Check a signed PDF" in dialog.instruction.text() and not dialog.panels  # not blank
    ours, theirs, broken = tmp_path / "ours.pdf", tmp_path / "theirs.pdf", tmp_path / "bad.pdf"
    escalated_case(services.vault, CATALOGUE, "OWN-1")
    from desktop.sharing.signed_documents import render_document

    with services.vault.sessions.begin() as session:
        ours.write_bytes(
            render_document(session, services.vault.audit_key, CATALOGUE, "OWN-1", "summary").pdf
        )
    theirs.write_bytes(document(sender).pdf)
    data = bytearray(theirs.read_bytes())
    data[len(data) // 4] ^= 0x01
    broken.write_bytes(bytes(data))
    dialog.message.setText("a stale line from before")
    _checked(qtbot, dialog, [ours, theirs, broken])
    assert dialog.message.text() == ""  # cleared for the next files
    headlines = [p.headline.text() for p in dialog.panels]
    assert headlines == [
        "Trusted and unchanged",
        "Unchanged, but the signer is not confirmed",
        "Changed or broken: do not rely on it",
    ]
    window = dialog.palette().color(QPalette.ColorRole.Window)
    for panel in dialog.panels:
        shown = QColor(panel.headline.styleSheet().split("color:")[1].strip(" ;"))
        assert contrast(shown, window) >= MINIMUM_CONTRAST
        assert panel.findChild(object, "verdictIcon") is not None
    mine, other = dialog.panels[0], dialog.panels[1]
    assert mine.confirm_box is None and other.confirm_box is not None
    details = " ".join(label.text() for label in other.findChildren(type(other.headline)))
    assert "Alex Example (fictional)" in details and "Designated Safeguarding Lead" in details
    for raw in ("Common Name", "Organization:"):
        assert raw not in details
    assert not dialog.counter_button.isEnabled()  # three files: nothing to countersign


@pytest.mark.parametrize("window", ["#ffffff", "#efefef", "#1e1e1e", "#353535", "#2b2b2b"])
@pytest.mark.parametrize("verdict", list(Verdict))
def test_each_verdict_colour_reads_at_4_5_to_1_on_light_and_dark_themes(
    window: str, verdict: Verdict
) -> None:
    palette = QPalette()
    palette.setColor(QPalette.ColorRole.Window, QColor(window))
    assert contrast(verdict_colour(verdict, palette), QColor(window)) >= MINIMUM_CONTRAST


def test_an_encrypted_pdf_asks_for_its_words_then_confirm_countersign_and_keep(
    qtbot: QtBot, services: Services, sender: Vault, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    escalated_case(services.vault, CATALOGUE, "REC-1")
    shared = document(sender, encrypt=True)
    assert shared.passphrase
    path = tmp_path / "shared.pdf"
    path.write_bytes(shared.pdf)
    dialog = _dialog(qtbot, services)
    _checked(qtbot, dialog, [path])
    assert dialog.locked_row.isVisibleTo(dialog)  # it asks for the words (old: "not readable")
    assert dialog.panels[0].headline.text().startswith("Encrypted")
    assert "Type the six words above" in dialog.panels[0].explanation.text()
    assert dialog.passphrase.echoMode() == QLineEdit.EchoMode.Normal  # read out: not masked
    dialog.passphrase.setText("wrong words for this fictional letter")
    _rechecked(qtbot, dialog, dialog.open_button.click)
    assert "does not open this PDF" in dialog.panels[0].explanation.text()
    dialog.passphrase.setText(" " + shared.passphrase.replace("-", "  ").upper())
    _rechecked(qtbot, dialog, dialog.open_button.click)
    panel = dialog.panels[0]
    assert panel.verdict is Verdict.UNCONFIRMED, panel.checked.problem
    assert not dialog.counter_button.isEnabled()
    assert "confirm the signer first" in dialog.offer.text()
    assert panel.confirm_box is not None and not panel.confirm_button.isEnabled()
    panel.compared.setChecked(True)  # the deliberate step: compared by phone, then Confirm
    _rechecked(qtbot, dialog, panel.confirm_button.click)
    assert dialog.panels[0].verdict is Verdict.TRUSTED
    assert events(services.vault)[-1] == "signer.trusted"
    assert (
        dialog.counter_button.isEnabled()
        and "asks for your countersignature" in dialog.offer.text()
    )
    out = tmp_path / "both.pdf"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *a: (str(out), "Signed PDFs (*.pdf)")
    )
    dialog.counter_button.click()  # checked and signed on a worker, then recorded and written
    qtbot.waitUntil(lambda: "Countersigned and saved" in dialog.message.text(), timeout=WAIT)
    qtbot.waitUntil(lambda: dialog.panels[0].checked.path == out, timeout=WAIT)
    assert dialog.panels[0].verdict is Verdict.TRUSTED  # the copy opens with the same words
    assert not dialog.counter_button.isEnabled()  # countersigned once: not offered again
    pdfsig_agrees(out, 2, shared.passphrase)
    monkeypatch.setattr(KeepCaseDialog, "ask", classmethod(lambda cls, *a: "REC-1"))
    dialog.keep_button.click()
    assert "Kept with case REC-1" in dialog.message.text()
    assert not JARGON.search(dialog.message.text())  # the fingerprint is kept, not shown
    assert events(services.vault)[-1] == "document.kept"


def test_countersigning_is_offered_only_for_a_document_that_asks_for_it(
    qtbot: QtBot, services: Services, sender: Vault, tmp_path: Path
) -> None:
    summary = tmp_path / "summary.pdf"
    summary.write_bytes(document(sender, "summary").pdf)
    dialog = _dialog(qtbot, services)
    _checked(qtbot, dialog, [summary])
    dialog.panels[0].compared.setChecked(True)
    _rechecked(qtbot, dialog, dialog.panels[0].confirm_button.click)
    assert dialog.panels[0].verdict is Verdict.TRUSTED
    assert not dialog.counter_button.isEnabled() and dialog.keep_button.isEnabled()
    assert "does not ask for another signature" in dialog.offer.text()
    mine = tmp_path / "mine.pdf"  # a confirmation the user signed: for the other party
    escalated_case(services.vault, CATALOGUE, "DOC-1")
    mine.write_bytes(document(services.vault).pdf)
    _checked(qtbot, dialog, [mine])
    assert not dialog.counter_button.isEnabled()
    assert "for the other party to countersign" in dialog.offer.text()


def test_confirmed_signers_are_listed_in_settings_and_withdrawn(
    qtbot: QtBot, services: Services, sender: Vault, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "theirs.pdf"
    path.write_bytes(document(sender).pdf)
    checker = _dialog(qtbot, services)
    _checked(qtbot, checker, [path])
    checker.panels[0].compared.setChecked(True)
    _rechecked(qtbot, checker, checker.panels[0].confirm_button.click)
    assert checker.panels[0].verdict is Verdict.TRUSTED
    settings = SettingsDialog(services)
    qtbot.addWidget(settings)
    shown: list[ConfirmedSignersDialog] = []
    monkeypatch.setattr(ConfirmedSignersDialog, "exec", lambda self: shown.append(self) or 0)
    settings.signers_button.click()
    [dialog] = shown
    assert dialog.table.rowCount() == 2
    assert "(your own)" in dialog.table.item(0, 0).text()
    dialog.table.selectRow(0)
    assert not dialog.withdraw_button.isEnabled()  # never one's own root
    dialog.table.selectRow(1)
    assert dialog.withdraw_button.isEnabled()
    assert "Nowhere Primary (fictional)" in dialog.table.item(1, 0).text()
    dialog.withdraw(dialog.signers[1].signer_id)
    assert dialog.table.rowCount() == 1 and events(services.vault)[-1] == "signer.withdrawn"
    _checked(qtbot, checker, [path])
    assert checker.panels[0].verdict is Verdict.UNCONFIRMED
    wait_for_workers()


def test_the_keep_dialog_finds_cases_as_the_reference_is_typed(
    qtbot: QtBot, services: Services
) -> None:
    escalated_case(services.vault, CATALOGUE, "REC-1")
    escalated_case(services.vault, CATALOGUE, "OTHER-2")
    dialog = KeepCaseDialog(services, "Written confirmation")
    qtbot.addWidget(dialog)
    assert dialog.matches.count() == 2
    dialog.reference.setText("rec")
    assert [dialog.matches.item(i).text() for i in range(dialog.matches.count())] == ["REC-1"]
    dialog.matches.setCurrentRow(0)
    assert dialog.chosen() == "REC-1"


def test_a_panel_shows_foreign_names_as_plain_visible_text(qtbot: QtBot, tmp_path: Path) -> None:
    from desktop.documents.identity import create_identity
    from desktop.documents.signing import sign_pdf
    from desktop.sharing.signatures import check_file
    from tests.documents.test_verify_trust import _plain_pdf

    identity = create_identity("Eve <b>bold</b>\x1b[8m", "Role", "Org\u202eevil")
    path = tmp_path / "eve.pdf"
    path.write_bytes(sign_pdf(_plain_pdf(), identity, (0, 300, 80, 540, 140), "Fictional"))
    panel = SignedFilePanel(check_file(path, frozenset()))
    qtbot.addWidget(panel)
    foreign = [
        label
        for label in panel.findChildren(type(panel.headline))
        if "Eve" in label.text() or "evil" in label.text()
    ]
    texts = [label.text() for label in foreign]
    assert "Eve <b>bold</b>\\x1b[8m" in texts and "Org\\u202eevil" in texts
    assert all(label.textFormat() == Qt.TextFormat.PlainText for label in foreign)
