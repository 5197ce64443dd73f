"""Two fictional parties to an escalation, each with a vault: the sender and the recipient.

The sender (a school's DSL) records a case and signs its written
confirmation; the recipient (a team manager in Children's Social Care) checks,
confirms, countersigns and keeps it. Helpers, not tests.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import func, select

from desktop.casework.case_opening import ChildDetails, NewCase, Party, open_case
from desktop.casework.settings import working_calendar
from desktop.casework.workflow import escalate
from desktop.documents.signing import verify_pdf
from desktop.models import AuditEvent
from desktop.procedures.catalogue import load_catalogue
from desktop.sharing.signed_documents import Rendered, render_document
from desktop.sharing.signing_profile import record_profile
from desktop.storage.vault import Vault, create_vault
from tests.conftest import FAST_KDF, PASSPHRASE

CATALOGUE = load_catalogue()
SENDER = ("Alex Example (fictional)", "Designated Safeguarding Lead", "Nowhere Primary (fictional)")
RECIPIENT = ("Sam Sample (fictional)", "Team manager", "Fictional Children's Services")


def party_vault(folder: Path, who: tuple[str, str, str]) -> Vault:
    """A new vault whose owner signs as ``who`` (name, role, organisation)."""
    vault = create_vault(folder, PASSPHRASE, params=FAST_KDF)
    with vault.sessions.begin() as session:
        record_profile(session, vault.audit_key, *who)
    return vault


def add_case(vault: Vault, reference: str = "DOC-1") -> None:
    """Record a case at a stage that produces a written confirmation (Berkshire, stage 2)."""
    with vault.sessions.begin() as session:
        case = open_case(
            session,
            vault.audit_key,
            CATALOGUE,
            working_calendar(session),
            NewCase(
                reference=reference,
                procedure_id="berkshire",
                track_id="escalation",
                child=ChildDetails(f"C-{reference}", "Q.Z."),
                area="referral-threshold",
                raised_by=Party("Alex Example", "DSL", "Nowhere Primary (fictional)"),
                other_party=Party("Sam Sample", "Team manager", "Fictional Children's Services"),
                opened_at=dt.datetime(2026, 11, 20, 10, tzinfo=dt.UTC),
                summary="Fictional: a referral declined",
            ),
        )
        escalate(
            session,
            vault.audit_key,
            CATALOGUE,
            working_calendar(session),
            case,
            dt.datetime(2026, 11, 21, 9, tzinfo=dt.UTC),
        )


def document(vault: Vault, kind: str = "confirmation", *, encrypt: bool = False) -> Rendered:
    """Render and sign a document of the case DOC-1 (add_case first)."""
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
