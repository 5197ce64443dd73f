"""Signed PDFs checked by the tools a recipient has: pdfsig, pdftotext, qpdf."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from desktop.casework.settings import working_calendar
from desktop.casework.workflow import escalate, record_discussion
from desktop.documents.signing import verify_pdf
from desktop.errors import InvalidInput
from desktop.models import AuditEvent, RenderedDocument
from desktop.procedures.catalogue import load_catalogue
from desktop.sharing.signatures import countersign
from desktop.sharing.signed_documents import render_document
from desktop.sharing.signers import verify
from desktop.storage.vault import Vault
from tests.factories import COUNTERPART, opened_case, profiled_vault, signing_profile

CATALOGUE = load_catalogue()
HOSTILE = "A <b>not bold</b> & \"quoted\" 'single' > less < more, tab\there"
MULTILINGUAL = "Zażółć gęślą jaźń · Ελληνικά · Кириллица · Gŵyl ŷd · emoji 🙂👍"
TOOLS = ("pdfsig", "pdftotext", "qpdf")


def _require_tools() -> None:
    missing = [t for t in TOOLS if shutil.which(t) is None]
    if missing:
        import os

        if os.environ.get("CI"):
            pytest.fail(f"CI must have {missing} (make test installs them)")
        pytest.skip(f"needs {missing}")


@pytest.fixture
def case_vault(vault: Vault) -> Iterator[Vault]:
    _require_tools()
    signing_profile(vault)
    with vault.sessions.begin() as session:
        case = opened_case(
            session,
            vault.audit_key,
            CATALOGUE,
            "DOC-1",
            area="referral-threshold",
            opened_at=dt.datetime(2026, 11, 20, 10, tzinfo=dt.UTC),
            summary=HOSTILE,
        )
        record_discussion(
            session,
            vault.audit_key,
            case.stages[0],
            dt.datetime(2026, 11, 20, 11, tzinfo=dt.UTC),
            "telephone",
            ["Alex Example", "Sam Sample"],
            MULTILINGUAL,
        )
        escalate(
            session,
            vault.audit_key,
            CATALOGUE,
            working_calendar(session),
            case,
            dt.datetime(2026, 11, 21, 9, tzinfo=dt.UTC),
        )  # stage 2 produces documents
    yield vault


def _render(vault: Vault, kind: str, **options: object) -> bytes:
    with vault.sessions.begin() as session:
        return render_document(session, vault.audit_key, CATALOGUE, "DOC-1", kind, **options).pdf  # type: ignore[arg-type]


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _pdfsig(path: Path) -> str:
    return subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, check=False).stdout


def _text(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


@pytest.mark.parametrize("kind", ["summary", "notification", "confirmation"])
def test_signature_valid_and_tampering_detected(
    case_vault: Vault, tmp_path: Path, kind: str
) -> None:
    pdf = _write(tmp_path, "doc.pdf", _render(case_vault, kind))
    report = _pdfsig(pdf)
    assert "Signature Validation: Signature is Valid." in report
    assert "Signature Type: ETSI.CAdES.detached" in report
    assert "Total document signed" in report
    assert (
        subprocess.run(["qpdf", "--check", str(pdf)], capture_output=True, check=False).returncode
        == 0
    )
    data = bytearray(pdf.read_bytes())
    index = data.index(b"Stream") if b"Stream" in data else len(data) // 3
    position = data.index(b"/Length", index // 2)
    data[position - 20] ^= 0x01  # one bit inside the signed byte range
    tampered = _write(tmp_path, "tampered.pdf", bytes(data))
    assert "Signature is Valid." not in _pdfsig(tampered)
    assert not all(r.intact for r in verify_pdf(bytes(data), set()))


def test_text_is_exactly_what_was_typed(case_vault: Vault, tmp_path: Path) -> None:
    pdf = _write(tmp_path, "summary.pdf", _render(case_vault, "summary"))
    text = " ".join(_text(pdf).split())
    assert " ".join(HOSTILE.replace("\t", " ").split()) in text
    for word in MULTILINGUAL.split():
        assert word in text, word
    assert "OFFICIAL-SENSITIVE" in text and "Page 1 of" in text
    assert "Nowhere Primary (fictional)" in text


def test_long_notes_paginate_with_nothing_cut(case_vault: Vault, tmp_path: Path) -> None:
    with case_vault.sessions.begin() as session:
        from desktop.models import StageRecord

        record = session.scalar(select(StageRecord).order_by(StageRecord.id.desc()))
        assert record is not None
        paragraphs = [f"Paragraph {n:03d} of a long fictional note." * 4 for n in range(240)]
        record_discussion(
            session,
            case_vault.audit_key,
            record,
            dt.datetime(2026, 11, 21, 9, tzinfo=dt.UTC),
            "meeting",
            ["A", "B"],
            "\n".join(paragraphs),
        )
    pdf = _write(tmp_path, "long.pdf", _render(case_vault, "summary"))
    text = _text(pdf)
    pages = text.count("\f")
    assert pages >= 5
    assert f"Page 1 of {pages}" in " ".join(text.split())
    for n in (0, 119, 239):
        assert f"Paragraph {n:03d}" in text
    assert "Signature is Valid." in _pdfsig(pdf)


def test_uncovered_scripts_are_refused_by_name(case_vault: Vault) -> None:
    with case_vault.sessions.begin() as session:
        from desktop.models import Case

        case = session.scalar(select(Case))
        assert case is not None
        case.summary = "اسم الطفل 李明"
    with pytest.raises(InvalidInput, match=r"no embedded font can show .*U\+0627.*U\+674E"):
        _render(case_vault, "summary")


def test_encrypted_share_is_aes_256_and_opens_with_the_passphrase(
    case_vault: Vault, tmp_path: Path
) -> None:
    with case_vault.sessions.begin() as session:
        rendered = render_document(
            session, case_vault.audit_key, CATALOGUE, "DOC-1", "summary", encrypt=True
        )
    assert rendered.passphrase and len(rendered.passphrase.split("-")) == 6
    assert len(rendered.passphrase) <= 32  # poppler reads only 32 bytes of the password
    pdf = _write(tmp_path, "shared.pdf", rendered.pdf)
    shown = subprocess.run(
        ["qpdf", f"--password={rendered.passphrase}", "--show-encryption", str(pdf)],
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    assert "R = 6" in shown and "AESv3" in shown
    wrong = subprocess.run(
        ["qpdf", "--password=wrong-words", "--check", str(pdf)], capture_output=True, check=False
    )
    assert wrong.returncode != 0
    opened = subprocess.run(
        ["pdftotext", "-upw", rendered.passphrase, str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "Child-file summary" in opened


def test_countersigned_confirmation_has_two_valid_signatures(
    case_vault: Vault, tmp_path: Path
) -> None:
    first = _render(case_vault, "confirmation", stage_id="2")
    other = profiled_vault(tmp_path / "other", *COUNTERPART)
    with other.sessions.begin() as session:
        from desktop.sharing.signers import trust_signer

        unknown = verify(session, first)
        assert unknown and not unknown[0].known
        trust_signer(session, other.audit_key, unknown[0])
        assert verify(session, first)[0].known
    countersign(other, tmp_path / "first.pdf", first, tmp_path / "countersigned.pdf")
    other.close()
    both = (tmp_path / "countersigned.pdf").read_bytes()
    path = _write(tmp_path, "both.pdf", both)
    report = _pdfsig(path)
    assert report.count("Signature is Valid.") == 2
    reports = verify_pdf(both, set())
    assert [r.intact and r.valid for r in reports] == [True, True]
    assert {r.signer_name for r in reports} == {
        "Alex Example (fictional)",
        "Sam Sample (fictional)",
    }


def test_render_is_recorded_and_audited_and_offered_only_where_the_stage_produces_it(
    case_vault: Vault,
) -> None:
    with pytest.raises(InvalidInput, match="does not produce a meeting record"):
        _render(case_vault, "meeting-record")
    pdf = _render(case_vault, "summary", recipient="Fictional business manager")
    import hashlib

    with case_vault.sessions() as session:
        row = session.scalar(select(RenderedDocument))
        assert row is not None
        assert (row.kind, row.sha256, row.recipient) == (
            "child-file-summary",
            hashlib.sha256(pdf).hexdigest(),
            "Fictional business manager",
        )
        actions = list(session.scalars(select(AuditEvent.action)))
    assert "document.rendered" in actions


def test_organisation_pkcs12_signs_instead(case_vault: Vault, tmp_path: Path) -> None:
    from cryptography.hazmat.primitives.serialization import (
        BestAvailableEncryption,
        load_pem_private_key,
        pkcs12,
    )
    from cryptography.x509 import load_pem_x509_certificate

    from desktop.documents.identity import create_identity
    from desktop.sharing.signed_documents import import_identity

    made = create_identity("Org Signer (fictional)", "Head of Safeguarding", "Fictional Trust")
    bundle = pkcs12.serialize_key_and_certificates(
        b"org",
        load_pem_private_key(made.key_pem.encode(), None),
        load_pem_x509_certificate(made.cert_pem.encode()),
        [load_pem_x509_certificate(made.chain_pem.encode())],
        BestAvailableEncryption(b"p12 secret"),
    )
    with case_vault.sessions.begin() as session:
        with pytest.raises(InvalidInput, match="password is not right"):
            import_identity(session, case_vault.audit_key, bundle, "wrong")
        import_identity(session, case_vault.audit_key, bundle, "p12 secret")
    reports = verify_pdf(_render(case_vault, "summary"), set())
    assert [r.intact and r.valid for r in reports] == [True]
    assert "Org Signer (fictional)" in reports[0].signer


def test_verify_command_exit_codes(case_vault: Vault, tmp_path: Path) -> None:
    from tests.conftest import run_cli

    good = _write(tmp_path, "good.pdf", _render(case_vault, "summary"))
    data = bytearray(good.read_bytes())
    data[len(data) // 4] ^= 0x01
    bad = _write(tmp_path, "bad.pdf", bytes(data))
    unsigned = _write(tmp_path, "plain.pdf", b"%PDF-1.4\n%%EOF\n")
    env = {"ESCALATION_RECORDER_VAULT": str(tmp_path / "no-vault-here")}
    ok = run_cli("verify", str(good), env=env, passphrase=None)
    assert ok.returncode == 3, ok.stdout + ok.stderr  # intact, but no vault here confirms it
    assert "Unchanged, but the signer is not confirmed" in ok.stdout
    assert run_cli("verify", str(good), str(bad), env=env, passphrase=None).returncode == 1
    plain = run_cli("verify", str(unsigned), env=env, passphrase=None)
    assert plain.returncode in (1, 2) and "Traceback" not in plain.stderr
