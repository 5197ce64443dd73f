"""Subject access bundles: redactions are applied to the text itself, recorded and audited."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import select

from desktop.errors import InvalidInput
from desktop.exchange import import_cases, parse_exchange
from desktop.models import AuditEvent, Redaction
from desktop.procedures import load_catalogue
from desktop.settings import save_profile, working_calendar
from desktop.subject_access import (
    Line,
    Marked,
    Reason,
    SubjectRecords,
    gather,
    redacted,
    render_subject_access,
)
from desktop.vault import Vault
from tests.conftest import REPO, run_cli

NOW = dt.datetime(2027, 1, 11, 9, 30, tzinfo=dt.UTC)
OTHER_CHILD = "Zara Quill"


@pytest.fixture
def sar_vault(vault: Vault) -> Vault:
    sample = json.loads((REPO / "tests" / "exchange_sample.json").read_text("utf-8"))
    talk = sample["cases"][0]["stages"][0]["discussions"][0]
    talk["notes"] = f"Fictional: {OTHER_CHILD} (a sibling, fictional) was also discussed. Zażółć"
    catalogue = load_catalogue()
    with vault.sessions.begin() as session:
        cases = parse_exchange(json.dumps(sample).encode(), catalogue, set())
        import_cases(session, vault.audit_key, catalogue, working_calendar(session), cases)
        save_profile(session, "Fictional Lead", "DSL", "Nowhere Primary (fictional)")
    return vault


def _tools() -> None:
    for tool in ("pdftotext", "qpdf", "pdfsig"):
        if shutil.which(tool) is None:
            pytest.fail(f"{tool} is needed: run 'make test' to install poppler-utils and qpdf")


def test_withheld_text_is_nowhere_in_the_pdf(sar_vault: Vault, tmp_path: Path) -> None:
    _tools()
    marks = [
        Marked("Fictional SW", Reason.PROFESSIONAL),
        Marked(OTHER_CHILD.lower(), Reason.OTHER_CHILD),  # any case: it is matched regardless
    ]
    with sar_vault.sessions.begin() as session:
        pdf = render_subject_access(
            session, sar_vault.audit_key, load_catalogue(), "C-1042", marks, NOW
        )
    path = tmp_path / "sar.pdf"
    path.write_bytes(pdf)
    shown = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    flat = " ".join(shown.split())
    assert "[withheld: another professional]" in flat and "[withheld: another child]" in flat
    assert "Children's Services" in flat and "Fictional DSL" in flat  # the rest is all there
    qdf = tmp_path / "sar-qdf.pdf"
    subprocess.run(["qpdf", "--qdf", "--object-streams=disable", str(path), str(qdf)], check=True)
    raw = qdf.read_bytes()
    assert b"Fictional DSL" in raw  # the raw check can see unredacted text
    for withheld in ("Fictional SW", OTHER_CHILD):
        assert withheld.lower() not in flat.lower()
        assert withheld.lower().encode() not in raw.lower()
        assert withheld.lower().encode() not in pdf.lower()
    assert (
        "Signature is Valid."
        in subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, check=False).stdout
    )


def test_each_redaction_is_kept_with_its_reason_and_audited(sar_vault: Vault) -> None:
    marks = [Marked("Fictional SW", Reason.PROFESSIONAL), Marked(OTHER_CHILD, Reason.OTHER_CHILD)]
    with sar_vault.sessions.begin() as session:
        render_subject_access(session, sar_vault.audit_key, load_catalogue(), "C-1042", marks, NOW)
    with sar_vault.sessions() as session:
        rows = session.scalars(select(Redaction).order_by(Redaction.id)).all()
        kept = [(r.withheld, r.reason, r.occurrences) for r in rows]
        events = session.execute(
            select(AuditEvent.action, AuditEvent.entity, AuditEvent.entity_id)
        ).all()
    assert kept == [
        ("Fictional SW", "third-party-professional", 3),
        (OTHER_CHILD, "other-child", 1),
    ]
    assert ("redaction.third-party-professional", "redaction", rows[0].id) in events
    assert ("redaction.other-child", "redaction", rows[1].id) in events
    assert any(action == "subject_access.exported" for action, _e, _i in events)


def test_a_passage_matches_whole_words_only_and_longest_first() -> None:
    records = SubjectRecords(
        1,
        "A.B. (C-1)",
        (Line(2, "Notes", "Ann met Ann Smith at the Annual review; ann smith agreed."),),
        (),
    )
    marks = [Marked("Ann", Reason.PROFESSIONAL), Marked("Ann Smith", Reason.THIRD_PARTY)]
    value = redacted(records, marks).lines[0].value
    assert value == (
        "[withheld: another professional] met [withheld: another person] at the Annual "
        "review; [withheld: another person] agreed."
    )


def test_passages_that_are_not_in_the_records_are_refused(sar_vault: Vault) -> None:
    with sar_vault.sessions() as session:
        records = gather(session, load_catalogue(), "C-1042", NOW)
    assert "Fictional SW" in records.professionals
    with pytest.raises(InvalidInput, match="does not appear"):
        redacted(records, [Marked("Nobody Here", Reason.THIRD_PARTY)])
    with pytest.raises(InvalidInput, match="empty"):
        redacted(records, [Marked("   ", Reason.THIRD_PARTY)])


def test_command_line_bundle_and_clear_errors(sar_vault: Vault, tmp_path: Path) -> None:
    folder = str(sar_vault.files.folder)
    sar_vault.close()
    out = tmp_path / "bundle.pdf"
    made = run_cli(
        "--vault",
        folder,
        "subject-access",
        "C-1042",
        "--withhold",
        "Fictional SW=third-party-professional",
        "-o",
        str(out),
    )
    assert made.returncode == 0, made.stderr
    assert out.read_bytes().startswith(b"%PDF")
    unknown = run_cli("--vault", folder, "subject-access", "C-NOBODY", "-o", str(out), "--force")
    assert unknown.returncode == 2 and "no child with identifier" in unknown.stderr
    bad = run_cli("--vault", folder, "subject-access", "C-1042", "--withhold", "x=maybe")
    assert bad.returncode == 2 and "REASON one of" in bad.stderr
    assert "Traceback" not in unknown.stderr + bad.stderr
