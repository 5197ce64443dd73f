"""Two fictional parties to an escalation, each with a vault: the sender and the recipient.

The sender (a school's DSL) records a case and signs its written
confirmation; the recipient (a team manager in Children's Social Care) checks,
confirms, countersigns and keeps it. Helpers, not tests.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import func, select

from desktop.documents.signing import verify_pdf
from desktop.models import AuditEvent
from desktop.procedures.catalogue import load_catalogue
from desktop.sharing.signed_documents import Rendered, render_document
from desktop.storage.vault import Vault
from tests.factories import COUNTERPART, OWNER, import_sample, profiled_vault, sample_exchange

CATALOGUE = load_catalogue()
SENDER = OWNER  # a school's DSL
RECIPIENT = COUNTERPART  # a team manager in Children's Social Care


def withdrawn_case_sender(folder: Path) -> Vault:
    """A new sender's vault holding the sample case of child C-1042, withdrawn on 5 Jan 2027."""
    sample = sample_exchange()
    last = sample["cases"][0]["stages"][-1]
    last["outcome"], last["closed_at"] = "withdrawn", "2027-01-05T10:00:00+00:00"
    sender = profiled_vault(folder, *SENDER)
    import_sample(sender, CATALOGUE, sample)
    return sender


def document(vault: Vault, kind: str = "confirmation", *, encrypt: bool = False) -> Rendered:
    """Render and sign a document of the case DOC-1 (an escalated_case first)."""
    stage = "2" if kind == "confirmation" else None
    with vault.sessions.begin() as session:
        return render_document(
            session, vault.audit_key, CATALOGUE, "DOC-1", kind, stage, encrypt=encrypt
        )


def events(vault: Vault) -> list[str]:
    """Every audit event's action, oldest first."""
    with vault.sessions() as session:
        return list(session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def event_count(vault: Vault) -> int:
    """How many audit events the vault holds."""
    with vault.sessions() as session:
        return int(session.scalar(select(func.count()).select_from(AuditEvent)) or 0)


def require_poppler() -> None:
    """Skip (or, in CI, fail) without poppler's pdfsig and pdftotext."""
    missing = [t for t in ("pdfsig", "pdftotext", "pdftocairo") if shutil.which(t) is None]
    if missing:
        import os

        if os.environ.get("CI"):
            pytest.fail(f"CI must have {missing} (make test installs them)")
        pytest.skip(f"needs {missing}")


def pdfsig_agrees(path: Path, signatures: int, passphrase: str | None = None) -> str:
    """Check with poppler's pdfsig that every one of ``signatures`` signatures is valid."""
    words = ["-upw", passphrase] if passphrase else []
    shown = subprocess.run(
        ["pdfsig", *words, str(path)], capture_output=True, text=True, check=False
    ).stdout
    assert shown.count("Signature Validation: Signature is Valid.") == signatures, shown
    assert f"Signature #{signatures + 1}" not in shown, shown
    assert [r.valid for r in verify_pdf(path.read_bytes(), set(), passphrase)] == [
        True
    ] * signatures
    return shown


def pdf_text(path: Path, passphrase: str | None = None, *, stamps: bool = False) -> str:
    """The PDF's text as poppler reads it (layout kept, except with ``stamps``).

    With ``stamps``, the signature boxes' text too, box by box: pdftotext skips
    annotations, so the page is first drawn with them by pdftocairo.
    """
    words = ["-upw", passphrase] if passphrase else []
    layout = ["-layout"]
    if stamps:
        flat = path.with_name(f"{path.stem}-drawn.pdf")
        subprocess.run(["pdftocairo", "-pdf", *words, str(path), str(flat)], check=True)
        path, words, layout = flat, [], []
    return subprocess.run(
        ["pdftotext", *layout, *words, str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
