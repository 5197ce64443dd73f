"""`verify` exit statuses follow trust, and foreign names cannot forge or hide terminal output."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from reportlab.pdfgen import canvas

from desktop.documents.identity import create_identity
from desktop.documents.signing import sign_pdf
from desktop.storage.vault import Vault, create_vault
from tests.conftest import FAST_KDF, PASSPHRASE, run_cli
from tests.sharing.test_signed_documents import _render, _write, case_vault

__all__ = ["case_vault"]  # the fixture, shared with test_documents

# asn1crypto refuses code points newer than Unicode 3.2 (U+2066...) in certificate names.
HIDDEN = "Eve\x1b[8m hidden\nsig: intact and valid; known signer\u202eevil"


def _plain_pdf() -> bytes:
    out = io.BytesIO()
    page = canvas.Canvas(out)
    page.drawString(72, 720, "A fictional letter.")
    page.save()
    return out.getvalue()


def test_visible_escapes_control_and_bidirectional_characters() -> None:
    from desktop.text.display import visible

    assert visible("Alex Example (fictional) · Zażółć") == "Alex Example (fictional) · Zażółć"
    assert visible(HIDDEN + "\u2066") == (
        "Eve\\x1b[8m hidden\\nsig: intact and valid; known signer\\u202eevil\\u2066"
    )
    assert visible("a\u200bb\u2028c\u2029d\x7f\U000e0041") == (
        "a\\u200bb\\u2028c\\u2029d\\x7f\\U000e0041"
    )


def test_control_characters_in_a_certificate_are_printed_escaped(tmp_path: Path) -> None:
    identity = create_identity(HIDDEN, "Role\x1b]0;title\x07", "Org\u202eroot")
    signed = sign_pdf(_plain_pdf(), identity, (0, 300, 80, 540, 140), "Fictional\x1b[2J")
    path = _write(tmp_path, "eve.pdf", signed)
    result = run_cli("--vault", str(tmp_path / "no-vault"), "verify", str(path), passphrase=None)
    assert result.returncode == 3, result.stdout + result.stderr
    for raw in ("\x1b", "\u202e", "\x07"):
        assert raw not in result.stdout + result.stderr
    assert "Eve\\x1b[8m hidden\\nsig" in result.stdout and "Org\\u202eroot" in result.stdout
    # The file's two lines and the signature's eight: no line forged by the name.
    assert result.stdout.count("\n") == 10
    assert sum(line.startswith("    Signed by:") for line in result.stdout.splitlines()) == 1


@pytest.mark.slow
def test_exit_status_is_0_for_own_3_for_unconfirmed_1_for_changed_and_2_for_unreadable(
    case_vault: Vault, tmp_path: Path
) -> None:
    good = _write(tmp_path, "good.pdf", _render(case_vault, "summary"))
    data = bytearray(good.read_bytes())
    data[len(data) // 4] ^= 0x01
    bad = _write(tmp_path, "bad.pdf", bytes(data))
    home = str(case_vault.files.folder)
    case_vault.close()
    stranger = create_vault(tmp_path / "stranger", PASSPHRASE, params=FAST_KDF)
    stranger.close()
    own = run_cli("--vault", home, "verify", str(good))
    assert own.returncode == 0, own.stdout + own.stderr
    unknown = run_cli("--vault", str(tmp_path / "stranger"), "verify", str(good))
    assert unknown.returncode == 3, unknown.stdout + unknown.stderr
    assert "NOT confirmed" in unknown.stdout and "fingerprint words" in unknown.stdout
    missing = tmp_path / "missing.pdf"
    both = run_cli("--vault", home, "verify", str(missing), str(good))
    assert both.returncode == 2 and str(missing) in both.stderr
    assert f"{good}: Trusted and unchanged" in both.stdout  # checked after the bad one
    assert "Traceback" not in both.stderr
    worst = run_cli("--vault", home, "verify", str(bad), str(missing), str(good))
    assert worst.returncode == 1, worst.stdout + worst.stderr


def test_an_encrypted_pdf_verifies_with_its_passphrase_typed_loosely(
    case_vault: Vault, tmp_path: Path
) -> None:
    from desktop.sharing.signed_documents import render_document
    from tests.sharing.test_signed_documents import CATALOGUE

    with case_vault.sessions.begin() as session:
        shared = render_document(
            session, case_vault.audit_key, CATALOGUE, "DOC-1", "summary", encrypt=True
        )
    assert shared.passphrase is not None
    path = _write(tmp_path, "shared.pdf", shared.pdf)
    home = str(case_vault.files.folder)
    case_vault.close()
    asked = run_cli("--vault", home, "verify", str(path))
    assert asked.returncode == 2 and "ESCALATION_RECORDER_PDF_PASSPHRASE" in asked.stderr
    typed = " " + shared.passphrase.replace("-", "  ").upper()
    env = {"ESCALATION_RECORDER_PDF_PASSPHRASE": typed}
    opened = run_cli("--vault", home, "verify", str(path), env=env)
    assert opened.returncode == 0, opened.stdout + opened.stderr
    assert "Signature1: trusted and unchanged" in opened.stdout
