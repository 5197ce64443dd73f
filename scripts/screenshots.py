"""Take the README's screenshots from the real app with fictional demo data.

Run under a display (``make screenshots`` uses xvfb-run):
    python scripts/screenshots.py docs/screenshots
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSettings, QThreadPool
from PySide6.QtWidgets import QApplication

from desktop.casework.case_opening import ChildDetails, NewCase, Party, open_case
from desktop.casework.demo import generate_demo
from desktop.casework.settings import working_calendar
from desktop.casework.workflow import add_action, escalate, record_discussion
from desktop.procedures.catalogue import load_catalogue
from desktop.sharing.signing_profile import record_profile
from desktop.storage.keyfile import ScryptParams
from desktop.storage.vault import create_vault
from desktop.ui.main_window import MainWindow
from desktop.ui.services import Services
from desktop.ui.stage_form import StageForm


def _demo_vault(folder: Path) -> Services:
    import datetime as dt

    vault = create_vault(
        folder, "screenshot passphrase (fictional)", params=ScryptParams(n=2**14), origin="app"
    )
    catalogue = load_catalogue()
    now = dt.datetime.now(dt.UTC)
    with vault.sessions.begin() as session:
        record_profile(
            session,
            vault.audit_key,
            "Alex Example (fictional)",
            "Designated Safeguarding Lead",
            "Nowhere Primary School (fictional)",
        )
        calendar = working_calendar(session)
        generate_demo(session, vault.audit_key, catalogue, calendar, 300, now)
        case = open_case(
            session,
            vault.audit_key,
            catalogue,
            calendar,
            NewCase(
                reference="ESC-2026-0042",
                procedure_id="berkshire",
                track_id="escalation",
                child=ChildDetails("PUPIL-7731", "J.D."),
                area="referral-threshold",
                raised_by=Party(
                    "Alex Example",
                    "Designated Safeguarding Lead",
                    "Nowhere Primary School (fictional)",
                ),
                other_party=Party("Sam Sample", "Team manager", "Fictional Children's Services"),
                opened_at=now - dt.timedelta(days=2),
                summary="Fictional: referral declined.",
            ),
        )
        record = case.stages[0]
        record_discussion(
            session,
            vault.audit_key,
            record,
            now - dt.timedelta(days=2),
            "telephone",
            ["Alex Example", "Sam Sample"],
            "Fictional: the referral was declined as below threshold; school "
            "shared three new disclosures and asked for a review.",
        )
        add_action(
            session,
            vault.audit_key,
            record,
            "Send the chronology of disclosures",
            "Alex Example",
            now + dt.timedelta(days=1),
        )
    return Services(vault, catalogue)


def _documents(services: Services, case_id: int, out: Path) -> None:
    """Walk the demo case to level 4 and render one page of each document kind as PNG."""
    import datetime as dt
    import json
    import subprocess

    from desktop.models import Case
    from desktop.sharing.signed_documents import render_document

    vault, catalogue = services.vault, services.catalogue
    start = dt.datetime.now(dt.UTC) - dt.timedelta(days=2)
    with vault.sessions.begin() as session:
        case = session.get(Case, case_id)
        assert case is not None
        calendar = working_calendar(session)
        for hours, notes in (
            (
                3,
                "Team managers discussed the threshold decision; "
                "Children's Services will review the three disclosures.",
            ),
            (
                20,
                "Senior managers agreed a joint visit; the school remains "
                "concerned about the delay.",
            ),
            (
                30,
                "Senior managers' meeting chaired by the Head of "
                "Safeguarding (fictional); a strategy discussion is agreed.",
            ),
        ):
            record = escalate(
                session,
                vault.audit_key,
                catalogue,
                calendar,
                case,
                start + dt.timedelta(hours=hours),
            )
            record_discussion(
                session,
                vault.audit_key,
                record,
                start + dt.timedelta(hours=hours + 1),
                "meeting",
                ["Alex Example", "Sam Sample"],
                f"Fictional: {notes}",
            )
            add_action(
                session,
                vault.audit_key,
                record,
                "Share the written confirmation",
                "Alex Example",
                start + dt.timedelta(hours=hours + 24),
            )
            record.fields_json = json.dumps(
                {
                    "outstanding_issues": "Fictional: whether the case meets the threshold for "
                    "a child and family assessment.",
                    "chair": "Head of Safeguarding (fictional)",
                    "attendees": "Alex Example; Sam Sample; Jo Placeholder (fictional)",
                    "learning": "Fictional: share disclosures in writing the same day.",
                }
            )
        renders = (
            ("confirmation", "3"),
            ("notification", "3"),
            ("meeting-record", "4"),
            ("summary", None),
        )
        for kind, stage in renders:
            pdf = render_document(
                session, vault.audit_key, catalogue, "ESC-2026-0042", kind, stage
            ).pdf
            target = out / f"document-{kind}.pdf"
            target.write_bytes(pdf)
            subprocess.run(
                [
                    "pdftoppm",
                    "-r",
                    "70",
                    "-png",
                    "-f",
                    "1",
                    "-l",
                    "1",
                    "-singlefile",
                    str(target),
                    str(out / f"document-{kind}"),
                ],
                check=True,
            )
            target.unlink()


def _answered(app: QApplication, done: Callable[[], bool]) -> None:
    """Let a worker answer: the dialogs seal and sign off the GUI thread."""
    deadline = time.monotonic() + 60
    while not done():
        if time.monotonic() > deadline:
            raise RuntimeError("a worker did not answer within a minute")
        QThreadPool.globalInstance().waitForDone(50)
        app.processEvents()


def _sharing(
    app: QApplication, window: MainWindow, services: Services, case_id: int, out: Path
) -> None:
    """The Reports view, the Transfers dialog and the subject access dialog."""
    import datetime as dt

    from desktop.sharing.subject_access_records import Reason
    from desktop.ui.subject_access_dialog import SubjectAccessDialog
    from desktop.ui.transfers_dialog import TransfersDialog

    window.reports_action.trigger()
    assert window.reports is not None
    window.reports.start.set_day(dt.date(2024, 1, 1))
    window.reports.refresh()
    for _ in range(5):  # the charts' new heights settle over a few layout passes
        app.processEvents()
    window.grab().save(str(out / "reports.png"))
    window.open_case(case_id)
    with tempfile.TemporaryDirectory() as temp:
        transfers = TransfersDialog(services, "PUPIL-7731", window)
        transfers.recipient.setText("Imaginary Academy (fictional)")
        transfers.send_to(Path(temp) / "package.erpkg")
        _answered(app, lambda: "Saved" in transfers.message.text())
        transfers.show()
        app.processEvents()
        transfers.grab().save(str(out / "transfer-send.png"))
        words = transfers.message.text().split("<b>")[1].split("</b>")[0]
        transfers.done(0)
        other = create_vault(
            Path(temp) / "other", "other screenshot passphrase", params=ScryptParams(n=2**14)
        )
        with other.sessions.begin() as session:
            record_profile(
                session,
                other.audit_key,
                "Fictional Receiver",
                "DSL",
                "Imaginary Academy (fictional)",
            )
        receiving = TransfersDialog(Services(other, services.catalogue), "", window)
        receiving.passphrase.setText(words)
        receiving.open_file(Path(temp) / "package.erpkg")
        _answered(app, lambda: receiving.import_button.isEnabled())
        receiving.show()
        app.processEvents()
        receiving.grab().save(str(out / "transfer-receive.png"))
        receiving.done(0)
        other.close()
    access = SubjectAccessDialog(services, "PUPIL-7731", window)
    access.mark("Sam Sample", Reason.PROFESSIONAL)
    access.mark("Alex Example", Reason.PROFESSIONAL)
    access.show()
    app.processEvents()
    access.grab().save(str(out / "subject-access.png"))
    access.done(0)
    # as the list will look in 2040, when many of these fictional children are past 25
    import datetime as dt

    from desktop.ui.retention_dialog import RetentionDialog

    retention = RetentionDialog(services, window, today=dt.date(2040, 6, 1))
    retention.table.selectRow(0)
    retention.confirmation.setText(retention.chosen() or "")
    retention.show()
    app.processEvents()
    retention.grab().save(str(out / "retention.png"))
    retention.done(0)


def main() -> int:
    """Write dashboard.png, case-timeline.png and stage-form.png into the given folder."""
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots")
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(sys.argv)
    with tempfile.TemporaryDirectory() as temp:
        # the default window size every time, whatever a real session remembered
        QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, temp)
        services = _demo_vault(Path(temp) / "vault")
        window = MainWindow()
        window.show_vault(services)
        window.show()
        app.processEvents()
        window.grab().save(str(out / "dashboard.png"))
        from sqlalchemy import select

        from desktop.models import Case

        with services.vault.sessions() as session:
            case_id = session.scalar(select(Case.id).where(Case.reference == "ESC-2026-0042"))
        assert case_id is not None
        window.open_case(case_id)
        app.processEvents()
        window.grab().save(str(out / "case-timeline.png"))
        form = StageForm(services, case_id, window)
        form.show()
        app.processEvents()
        form.grab().save(str(out / "stage-form.png"))
        form.next()
        app.processEvents()
        form.grab().save(str(out / "stage-form-concern.png"))
        form.done(0)
        _sharing(app, window, services, case_id, out)
        window.show_locked()
        _documents(services, case_id, out)
        services.vault.close()
    print(f"Screenshots written to {out}/")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
