"""Documents from another party, kept with a case by their hash, ready for a case system.

A countersigned written confirmation is saved where the user chooses (to
attach to their own case system); the vault keeps, under the case, what it
is, who signed it, when and its SHA-256, so the same file is recognised
later. A transfer package that brought a case is kept the same way, with the
transfer it belongs to: the case's timeline then says it arrived by transfer,
and from whom.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.documents.received_pdf import SignedFile
from desktop.errors import SignerNotConfirmed, UnknownCase
from desktop.models import Case, ReceivedDocument, Transfer
from desktop.sharing.sealed import MAGIC
from desktop.sharing.signers import require_valid
from desktop.storage import audit
from desktop.storage.vault import Vault

PACKAGE, PDF = "package", "pdf"
TRANSFER_PACKAGE = "transfer-package"
SIGNED_DOCUMENT = "signed-document"
COUNTERSIGNED = "countersigned-document"


@dataclass(frozen=True)
class KeptDocument:
    """A received document now kept with a case."""

    reference: str
    title: str
    sha256: str


def kind_of_sent_file(path: Path) -> str | None:
    """Say what a file someone sent is, from its first bytes: a package, a PDF, or neither.

    Raises:
        OSError: the file cannot be read.
    """
    with path.open("rb") as handle:
        head = handle.read(1024)
    if head.startswith(MAGIC):
        return PACKAGE
    if b"%PDF-" in head:  # the header may follow a little junk, as readers allow
        return PDF
    return None


def case_references(vault: Vault, starting: str = "", limit: int = 50) -> tuple[str, ...]:
    """Case references beginning with ``starting`` (any case), for choosing one; nothing written."""
    pattern = starting.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    with vault.sessions() as session:
        found = session.scalars(
            select(Case.reference)
            .where(Case.reference.ilike(f"{pattern}%", escape="\\"))
            .order_by(Case.reference)
            .limit(limit)
        )
        return tuple(found)


def _kind(signed: SignedFile) -> str:
    return COUNTERSIGNED if len(signed.reports) > 1 and not signed.empty_boxes else SIGNED_DOCUMENT


def keep_document(vault: Vault, reference: str, pdf: bytes, signed: SignedFile) -> KeptDocument:
    """Keep a checked, validly signed document with the case ``reference``; audit it.

    Args:
        signed: what checking ``pdf`` found (its signatures, title, empty boxes).

    Raises:
        UnknownCase: no case has that reference.
        SignatureInvalid: the document is not signed, or not validly; nothing is kept.
        SignerNotConfirmed: a signer is not one this vault trusts; nothing is kept.
    """
    require_valid(list(signed.reports), "it was not kept")
    if not all(r.known for r in signed.reports):
        raise SignerNotConfirmed(
            "Confirm who signed this document (compare their fingerprint words by "
            "telephone) before keeping it with a case; it was not kept."
        )
    sha256 = hashlib.sha256(pdf).hexdigest()
    title = (signed.title or "Signed document")[:200]
    with vault.sessions.begin() as session:
        case_id = session.scalar(select(Case.id).where(Case.reference == reference.strip()))
        if case_id is None:
            raise UnknownCase(reference.strip())
        kept = ReceivedDocument(
            case_id=case_id,
            kind=_kind(signed),
            title=title,
            sender="; ".join(r.signer for r in signed.reports),
            sha256=sha256,
            received_at=dt.datetime.now(dt.UTC),
        )
        session.add(kept)
        session.flush()
        audit.record(session, vault.audit_key, "document.kept", "case", case_id)
    return KeptDocument(reference.strip(), title, sha256)


def record_arrival(
    session: Session,
    audit_key: audit.AuditKey,
    transfer: Transfer,
    case_ids: Iterable[int],
    sender: str,
) -> None:
    """Keep, under each case a transfer brought, that it arrived by transfer and from whom."""
    for case_id in case_ids:
        session.add(
            ReceivedDocument(
                case_id=case_id,
                transfer_id=transfer.id,
                kind=TRANSFER_PACKAGE,
                title=f"Transfer {transfer.transfer_id}",
                sender=sender,
                sha256=transfer.package_sha256,
                received_at=transfer.at,
            )
        )
        audit.record(session, audit_key, "case.received", "case", case_id)
    session.flush()
