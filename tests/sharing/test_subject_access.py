"""Subject access bundles: redactions are applied to the text itself, recorded and audited."""

from __future__ import annotations

import datetime as dt
import functools
import shutil
import subprocess
import tempfile
import unicodedata
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from desktop.documents.identity import IdentityPem, create_identity
from desktop.documents.render import Header
from desktop.errors import InvalidInput
from desktop.models import AuditEvent, Case, Discussion, Redaction
from desktop.procedures.catalogue import load_catalogue
from desktop.sharing.subject_access import (
    SubjectAccessJob,
    produce_subject_access,
    render_subject_access,
)
from desktop.sharing.subject_access_records import (
    REASON_TEXT,
    Line,
    Marked,
    Reason,
    SubjectRecords,
    gather,
    redact,
    redacted,
)
from desktop.storage.vault import Vault
from tests.conftest import run_cli
from tests.factories import import_sample, sample_exchange, signing_profile

NOW = dt.datetime(2027, 1, 11, 9, 30, tzinfo=dt.UTC)
OTHER_CHILD = "Zara Quill"
_HEADER = Header(
    "Subject access C-1", "Nowhere Primary (fictional)", NOW, "0" * 64, "Subject access"
)


@functools.cache
def _identity() -> IdentityPem:
    return create_identity("Fictional Lead", "DSL", "Nowhere Primary (fictional)", NOW)


@pytest.fixture
def sar_vault(vault: Vault) -> Vault:
    sample = sample_exchange()
    talk = sample["cases"][0]["stages"][0]["discussions"][0]
    talk["notes"] = f"Fictional: {OTHER_CHILD} (a sibling, fictional) was also discussed. Zażółć"
    import_sample(vault, load_catalogue(), sample)
    signing_profile(vault, "Fictional Lead", "DSL", "Nowhere Primary (fictional)")
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


WITHHELD = "Sabine Quarrie"  # another child, fictional
SPELLINGS = (
    "Sabine  Quarrie",  # two spaces
    "Sabine\u00a0Quarrie",  # a no-break space
    "Sabine\nQuarrie",  # a line break
    "Sabine\u200bQuarrie",  # a zero-width space instead of the space
    "SABINE QUARRIE",  # upper case
    "sabine \t\u2060Quarrie",  # a run of space, tab and word joiner
    "Sab\u00adine Quarrie",  # a soft hyphen inside the first name
    "Sabine Quar\ufeffrie",  # a zero-width no-break space inside the second
)


def _flat(text: str) -> str:
    """Text as a reader sees it: no spaces, invisible characters or hyphens, one case."""
    text = unicodedata.normalize("NFKC", text).casefold()
    invisible = ("Cf", "Cc", "Zs", "Zl", "Zp")
    return "".join(c for c in text if unicodedata.category(c) not in invisible and c != "-")


def _disclosed(pdf: bytes, folder: Path) -> list[str]:
    """Name each word of WITHHELD that pdftotext or the raw qpdf bytes still show."""
    path, qdf = folder / "bundle.pdf", folder / "bundle-qdf.pdf"
    path.write_bytes(pdf)
    shown = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    subprocess.run(["qpdf", "--qdf", "--object-streams=disable", str(path), str(qdf)], check=True)
    raw = qdf.read_bytes().lower()
    assert "fictionaldsl" in _flat(shown) and b"fictional dsl" in raw  # both see the text
    return [
        word
        for word in WITHHELD.lower().split()
        if word in _flat(shown) or word.encode() in raw or word.encode() in pdf.lower()
    ]


def test_every_spelling_of_a_withheld_name_is_withheld(sar_vault: Vault, tmp_path: Path) -> None:
    _tools()
    with sar_vault.sessions.begin() as session:
        talk = session.scalars(select(Discussion)).one()
        talk.notes = "Fictional: " + "; ".join(f"met {name} there" for name in SPELLINGS)
        case = session.scalars(select(Case)).one()
        case.summary = f"Fictional: about\n{WITHHELD.upper()}\n(a sibling)"
    with sar_vault.sessions.begin() as session:
        pdf = render_subject_access(
            session,
            sar_vault.audit_key,
            load_catalogue(),
            "C-1042",
            [Marked(WITHHELD, Reason.OTHER_CHILD)],
            NOW,
        )
    assert _disclosed(pdf, tmp_path) == []
    with sar_vault.sessions() as session:
        assert session.scalar(select(Redaction.occurrences)) == len(SPELLINGS) + 1


def test_the_list_of_names_has_one_entry_per_name(sar_vault: Vault) -> None:
    with sar_vault.sessions.begin() as session:
        case = session.scalars(select(Case)).one()
        case.other_party_name = "Fictional\u00a0 sw"
    with sar_vault.sessions() as session:
        records = gather(session, load_catalogue(), "C-1042", NOW)
    assert records.professionals == ("Fictional DSL", "Fictional\u00a0 sw")


_SEPARATORS = " \u00a0\n\t\u2003\u202f\u3000\u2028\u200b\u200d\u2060\ufeff\u00ad"
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad\u034f\ufe0f"


@st.composite
def _spelling(draw: st.DrawFn) -> str:
    """WITHHELD with any case, any run of spaces or format characters between its words,
    and invisible characters inside them."""
    words = []
    for word in WITHHELD.split():
        letters = [
            draw(st.sampled_from([c.lower(), c.upper()]))
            + draw(st.sampled_from(["", "", *_INVISIBLE]))
            for c in word
        ]
        words.append("".join(letters))
    gap = draw(st.text(_SEPARATORS, min_size=1, max_size=4))
    return words[0] + gap + words[1]


@settings(max_examples=300, deadline=None)
@given(_spelling(), st.sampled_from(list(Reason)))
def test_any_spelling_is_withheld_wherever_it_stands(spelling: str, reason: Reason) -> None:
    records = SubjectRecords(
        1, "A.B. (C-1)", (Line(2, "Notes", f"Fictional: {spelling} and ({spelling}) met."),), ()
    )
    shown = redact(records, [Marked(WITHHELD, reason)])
    assert shown.places == 2 and shown.hits[0][1] == 2
    label = f"[withheld: {REASON_TEXT[reason]}]"
    assert _flat(shown.records.lines[0].value) == _flat(f"Fictional: {label} and ({label}) met.")


@settings(max_examples=10, deadline=None)
@given(_spelling())
def test_a_generated_spelling_is_nowhere_in_the_pdf(spelling: str) -> None:
    _tools()
    records = SubjectRecords(
        1,
        "A.B. (C-1)",
        (
            Line(0, "Escalation ESC-1", "fictional"),
            Line(2, "Raised by", "Fictional DSL"),
            Line(2, "Notes", f"Fictional: met\n{spelling} today."),
        ),
        (),
    )
    withheld = redact(records, [Marked(WITHHELD, Reason.OTHER_CHILD)])
    job = SubjectAccessJob(
        1,
        1,
        withheld.records,
        Counter(),
        (Marked(WITHHELD, Reason.OTHER_CHILD),),
        1,
        _HEADER,
        "Fictional Lead",
        _identity(),
        NOW,
    )
    with tempfile.TemporaryDirectory() as folder:
        assert _disclosed(produce_subject_access(job), Path(folder)) == []


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
    assert "(1 passages withheld in 3 places)" in made.stdout
    shown = run_cli(
        "--vault",
        folder,
        "subject-access",
        "C-1042",
        "--show",
        "--withhold",
        "FICTIONAL  sw=third-party-professional",
        "--withhold",
        "Fictional\u00a0SW=other-child",  # the same name again: one entry
    )
    assert shown.returncode == 0, shown.stderr
    preview, _names = shown.stdout.split("Withheld 'FICTIONAL  sw'")
    assert "fictionalsw" not in _flat(preview) and "[withheld: another professional]" in preview
    assert "(another professional): 3 places." in shown.stdout and "other child" not in shown.stdout
    unknown = run_cli("--vault", folder, "subject-access", "C-NOBODY", "-o", str(out), "--force")
    assert unknown.returncode == 2 and "no child with identifier" in unknown.stderr
    bad = run_cli("--vault", folder, "subject-access", "C-1042", "--withhold", "x=maybe")
    assert bad.returncode == 2 and "REASON one of" in bad.stderr
    assert "Traceback" not in unknown.stderr + bad.stderr
