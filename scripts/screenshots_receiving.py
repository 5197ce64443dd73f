"""Screenshots of the other party's side: check, confirm, countersign, keep, receive, signers.

Called by scripts/screenshots.py (``make screenshots``); also runs alone under a display:
    python scripts/screenshots_receiving.py OUT_FOLDER
Two fictional vaults are made in a temporary folder: the sender (a school's
DSL) and the recipient (a team manager in Children's Social Care).
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSettings, QThreadPool
from PySide6.QtWidgets import QApplication, QWidget

from desktop.casework.case_opening import ChildDetails, NewCase, Party, open_case
from desktop.casework.demo import generate_demo
from desktop.casework.settings import working_calendar
from desktop.casework.workflow import escalate
from desktop.procedures.catalogue import Catalogue, load_catalogue
from desktop.sharing.signed_documents import render_document
from desktop.sharing.signers import list_confirmed_signers, withdraw_signer
from desktop.sharing.signing_profile import record_profile
from desktop.sharing.transfers import send_transfer
from desktop.storage.keyfile import ScryptParams
from desktop.storage.vault import Vault, create_vault
from desktop.ui.services import Services

SENDER = ("Alex Example (fictional)", "Designated Safeguarding Lead", "Nowhere Primary School")
RECIPIENT = ("Sam Sample (fictional)", "Team manager", "Fictional Children's Social Care")


def _vault(folder: Path, who: tuple[str, str, str]) -> Vault:
    vault = create_vault(folder, "screenshot passphrase (fictional)", params=ScryptParams(n=2**14))
    with vault.sessions.begin() as session:
        record_profile(session, vault.audit_key, *who)
    return vault


def _case(vault: Vault, catalogue: Catalogue, reference: str, child: str) -> None:
    now = dt.datetime.now(dt.UTC)
    with vault.sessions.begin() as session:
        calendar = working_calendar(session)
        case = open_case(
            session,
            vault.audit_key,
            catalogue,
            calendar,
            NewCase(
                reference=reference,
                procedure_id="berkshire",
                track_id="escalation",
                child=ChildDetails(child, "J.D."),
                area="referral-threshold",
                raised_by=Party("Alex Example", "DSL", "Nowhere Primary School (fictional)"),
                other_party=Party("Sam Sample", "Team manager", "Fictional Children's Services"),
                opened_at=now - dt.timedelta(days=3),
                summary="Fictional: referral declined.",
            ),
        )
        escalate(session, vault.audit_key, catalogue, calendar, case, now - dt.timedelta(days=1))


def _answered(app: QApplication, done: Callable[[], bool]) -> None:
    deadline = time.monotonic() + 60
    while not done():
        if time.monotonic() > deadline:
            raise RuntimeError("a worker did not answer within a minute")
        QThreadPool.globalInstance().waitForDone(50)
        app.processEvents()


def _shot(app: QApplication, widget: QWidget, path: Path) -> None:
    widget.show()
    for _ in range(3):
        app.processEvents()
    widget.grab().save(str(path))


def _checking(app: QApplication, out: Path, recipient: Services, files: dict[str, Path]) -> None:
    """The verify window: the instruction, the words asked for, the verdicts, countersigned."""
    from desktop.ui.keep_case_dialog import KeepCaseDialog
    from desktop.ui.verify_dialog import VerifyDialog

    dialog = VerifyDialog(recipient)
    _shot(app, dialog, out / "verify-start.png")
    dialog.check([files["encrypted"]])
    _answered(app, lambda: bool(dialog.panels))
    _shot(app, dialog, out / "verify-encrypted.png")
    dialog.passphrase.setText(files["words"].read_text().replace("-", " "))
    dialog.open_button.click()
    _answered(app, lambda: dialog.panels[0].checked.signed is not None)
    _shot(app, dialog, out / "verify-confirm-signer.png")
    dialog.check([files["broken"], files["summary"]])
    _answered(app, lambda: len(dialog.panels) == 2)
    _shot(app, dialog, out / "verify-broken.png")
    dialog.check([files["confirmation"]])
    _answered(app, lambda: len(dialog.panels) == 1)
    dialog.panels[0].compared.setChecked(True)
    dialog.panels[0].confirm_button.click()
    _answered(app, lambda: "Confirmed" in dialog.message.text())
    dialog.countersign_to(files["confirmation"], files["words"].with_name("countersigned.pdf"))
    _answered(app, lambda: "Countersigned and saved" in dialog.message.text())
    _answered(app, lambda: dialog.panels[0].checked.path.name == "countersigned.pdf")
    _shot(app, dialog, out / "verify-countersigned.png")
    keep = KeepCaseDialog(recipient, "Written confirmation", dialog)
    keep.reference.setText("REC")
    _shot(app, keep, out / "keep-with-case.png")
    keep.done(0)
    dialog.done(0)


def _receiving(
    app: QApplication, out: Path, recipient: Services, package: Path, words: str
) -> None:
    """Receive in order: the preview and the sender's words, then what happened, then history."""
    from desktop.ui.confirmed_signers_dialog import ConfirmedSignersDialog
    from desktop.ui.transfers_dialog import TransfersDialog

    dialog = TransfersDialog(recipient)
    dialog.receive.passphrase.setText(words.replace("-", " "))
    dialog.open_package(package)
    _answered(app, lambda: dialog.receive.preview is not None)
    _shot(app, dialog, out / "receive-preview.png")
    dialog.receive.trust.setChecked(True)
    _shot(app, dialog, out / "receive-confirmed.png")
    dialog.receive.import_to(package.with_name("receipt.pdf"))
    _answered(app, lambda: "Imported" in dialog.message.text())
    _shot(app, dialog, out / "receive-imported.png")
    dialog.tabs.setCurrentIndex(2)
    dialog.history.selectRow(0)
    _shot(app, dialog, out / "transfer-history.png")
    dialog.done(0)
    signers = ConfirmedSignersDialog(recipient)
    signers.table.selectRow(1)
    _shot(app, signers, out / "confirmed-signers.png")
    signers.done(0)


def _files(work: Path, sender: Vault, catalogue: Catalogue) -> dict[str, Path]:
    """What the sender shares: a confirmation, the same encrypted, a summary, a broken one."""
    files: dict[str, Path] = {}
    with sender.sessions.begin() as session:
        for name, kind, encrypt in (
            ("confirmation", "confirmation", False),
            ("encrypted", "confirmation", True),
            ("summary", "summary", False),
        ):
            stage = "2" if kind == "confirmation" else None
            made = render_document(
                session, sender.audit_key, catalogue, "ESC-2026-0042", kind, stage, encrypt=encrypt
            )
            files[name] = work / f"{name}.pdf"
            files[name].write_bytes(made.pdf)
            if made.passphrase:
                files["words"] = work / "words.txt"
                files["words"].write_text(made.passphrase)
    broken = bytearray(files["summary"].read_bytes())
    broken[len(broken) // 4] ^= 0x01
    files["broken"] = work / "changed.pdf"
    files["broken"].write_bytes(bytes(broken))
    return files


def receiving_screens(app: QApplication, out: Path, catalogue: Catalogue) -> None:
    """Write the receiving screens (and the countersigned page) into ``out``."""
    with tempfile.TemporaryDirectory() as temp:
        work = Path(temp)
        sender = _vault(work / "sender", SENDER)
        recipient = _vault(work / "recipient", RECIPIENT)
        _case(sender, catalogue, "ESC-2026-0042", "PUPIL-7731")
        with recipient.sessions.begin() as session:
            generate_demo(
                session,
                recipient.audit_key,
                catalogue,
                working_calendar(session),
                20,
                dt.datetime.now(dt.UTC),
            )
        _case(recipient, catalogue, "REC-2026-0107", "CSC-55120")
        services = Services(recipient, catalogue)
        files = _files(work, sender, catalogue)
        sent = send_transfer(
            sender,
            catalogue,
            "PUPIL-7731",
            "Fictional Children's Social Care",
            dt.datetime.now(dt.UTC),
            work / "package.erpkg",
        )
        _receiving(app, out, services, work / "package.erpkg", sent.passphrase or "")
        for signer in list_confirmed_signers(recipient):  # the checks below meet them anew
            if not signer.own:
                withdraw_signer(recipient, signer.signer_id)
        _checking(app, out, services, files)
        subprocess.run(
            [
                "pdftoppm",
                "-r",
                "70",
                "-png",
                "-singlefile",
                str(work / "countersigned.pdf"),
                str(out / "document-countersigned"),
            ],
            check=True,
        )
        sender.close()
        recipient.close()


def main() -> int:
    """Write the receiving screens into the given folder."""
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots")
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    with tempfile.TemporaryDirectory() as temp:
        QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, temp)
        receiving_screens(app, out, load_catalogue())
    print(f"Receiving screenshots written to {out}/")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
