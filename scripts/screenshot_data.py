"""The screenshots' fictional data: a demo vault, and the signed documents as pictures."""

from __future__ import annotations

from pathlib import Path

from desktop.casework.case_opening import ChildDetails, NewCase, Party, open_case
from desktop.casework.demo import generate_demo
from desktop.casework.settings import working_calendar
from desktop.casework.workflow import add_action, escalate, record_discussion
from desktop.procedures.catalogue import load_catalogue
from desktop.sharing.signing_profile import record_profile
from desktop.storage.keyfile import ScryptParams
from desktop.storage.vault import create_vault
from desktop.ui.services import Services


def demo_vault(folder: Path) -> Services:
    """Return services over a new vault: a profile, 300 demo cases and ESC-2026-0042."""
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


def _open(services: Services, reference: str, procedure: str, child: str, days: int) -> int:
    """Open a fictional case ``days`` ago under ``procedure``'s first track."""
    import datetime as dt

    vault, catalogue = services.vault, services.catalogue
    chosen = catalogue.get(procedure)
    with vault.sessions.begin() as session:
        return open_case(
            session,
            vault.audit_key,
            catalogue,
            working_calendar(session),
            NewCase(
                reference=reference,
                procedure_id=procedure,
                track_id=chosen.tracks[0].id,
                child=ChildDetails(child, "K.L."),
                area=chosen.areas[0].id,
                raised_by=Party("Alex Example", "Designated Safeguarding Lead", "Nowhere Primary"),
                other_party=Party("Sam Sample", "Team manager", "Fictional Children's Services"),
                opened_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=days),
                summary="Fictional: a referral was declined.",
            ),
        ).id


def story_cases(services: Services) -> tuple[int, int]:
    """Add a resolved case (ESC-2026-0040) and one at a choice of stage 4a or 4b (ESC-2026-0043).

    Returns their ids: (closed, choice).
    """
    import datetime as dt

    from desktop.casework.closing import Closing
    from desktop.casework.transitions import end_case, escalate_case
    from desktop.models import StageOutcome

    vault, catalogue = services.vault, services.catalogue
    now = dt.datetime.now(dt.UTC)
    closed = _open(services, "ESC-2026-0040", "berkshire", "PUPIL-7720", 9)
    escalate_case(vault, catalogue, closed, now - dt.timedelta(days=8), None, "Fictional: urgent.")
    said = Closing(
        "Fictional: Children's Services reviewed the three disclosures and opened an assessment.",
        "Fictional: share disclosures in writing on the day.",
    )
    because = "Fictional: the notes of the call are with the team manager."
    end_case(
        vault, catalogue, closed, StageOutcome.RESOLVED, now - dt.timedelta(days=7), said, because
    )
    choice = _open(services, "ESC-2026-0043", "cambridgeshire-peterborough", "PUPIL-7745", 6)
    for days in (5, 3):
        escalate_case(
            vault, catalogue, choice, now - dt.timedelta(days=days), None, "Fictional: urgent."
        )
    return closed, choice


def render_documents(services: Services, case_id: int, out: Path) -> None:
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
