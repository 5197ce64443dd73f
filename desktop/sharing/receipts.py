"""Transfer receipts: the recipient signs one as a package is imported; the sender records it.

The recipient's receipt is laid out and signed before the import, in memory,
so the import and the receipt file are kept together or not at all.

A receipt counts for the sender only if its signature is valid and covers
the whole document, its transfer id and package hash (read from the revision
that signature covers) are those of a package sent from this vault, and it
was signed by the recipient the package was sealed for.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.documents.identity import IdentityPem
from desktop.documents.receipt_pdf import KEYWORD, ReceiptData, compose_receipt, receipt_keywords
from desktop.documents.render import Header
from desktop.documents.signing import SignatureReport, signed_keywords, verify_pdf
from desktop.errors import InvalidInput
from desktop.models import KnownSigner, Transfer
from desktop.procedures.catalogue import Catalogue
from desktop.procedures.workdays import WorkingCalendar
from desktop.sharing.sealed import digest, fingerprint_of
from desktop.sharing.signed_documents import (
    current_identity,
    document_header,
    lay_out_and_sign,
    signer_line,
)
from desktop.sharing.signers import remember_signer, require_valid
from desktop.sharing.transfer import (
    SENT,
    IncomingPackage,
    import_package,
    require_trusted,
)
from desktop.storage import audit
from desktop.text.display import visible
from desktop.text.fingerprint_words import fingerprint_words

RECEIPT_LINE = re.compile(
    rf"{KEYWORD} transfer=(?P<id>[0-9a-f-]{{36}}) package-sha256=(?P<sha>[0-9a-f]{{64}})"
)


@dataclass(frozen=True)
class ReceiptJob:
    """What the receipt for an opened package says, and who signs it: signed apart."""

    header: Header
    data: ReceiptData
    keywords: str
    identity: IdentityPem


def receipt_job(
    session: Session, package: IncomingPackage, now: dt.datetime, *, trust_signer: bool = False
) -> ReceiptJob:
    """Read what the receipt needs before anything is imported (it is signed, then imported).

    Raises:
        InvalidInput: the sender's root is not confirmed and ``trust_signer`` is not set.
    """
    require_trusted(package, trust_signer)
    sent_refs = {v: k for k, v in package.renamed.items()}
    kept = tuple(
        (sent_refs.get(c.case.reference, c.case.reference), c.case.reference) for c in package.cases
    )
    data = ReceiptData(
        package.transfer_id,
        package.sha256,
        package.sender,
        package.sent_at,
        now,
        signer_line(session),
        package.child,
        kept,
    )
    return ReceiptJob(
        document_header(session, f"Transfer {package.transfer_id[:8]}", "Receipt"),
        data,
        receipt_keywords(package.transfer_id, package.sha256),
        current_identity(session),
    )


def sign_receipt(job: ReceiptJob) -> bytes:
    """Lay out and sign the receipt, in memory; the vault is not used."""
    story, slots = compose_receipt(job.data)
    return lay_out_and_sign(job.identity, job.header, story, slots, job.keywords)


def receive_package(
    session: Session,
    audit_key: audit.AuditKey,
    catalogue: Catalogue,
    calendar: WorkingCalendar,
    package: IncomingPackage,
    now: dt.datetime,
    *,
    trust_signer: bool = False,
) -> bytes:
    """Sign the receipt, then import an opened package in the caller's transaction; return it."""
    receipt = sign_receipt(receipt_job(session, package, now, trust_signer=trust_signer))
    import_package(
        session,
        audit_key,
        catalogue,
        calendar,
        package,
        now,
        trust_signer=trust_signer,
        receipt=receipt,
    )
    return receipt


@dataclass(frozen=True)
class ReadReceipt:
    """What a returned receipt confirms, read from the revision its signature covers."""

    reports: tuple[SignatureReport, ...]
    transfer_id: str
    package_sha256: str
    sha256: str


def read_receipt(pdf: bytes, known: frozenset[str]) -> ReadReceipt:
    """Check a receipt's signatures (against the ``known`` roots) and read it; no vault is used.

    Raises:
        SignatureInvalid: the receipt is not signed, altered or changed after signing.
        InvalidInput: it is not a receipt of this app.
    """
    reports = verify_pdf(pdf, set(known))
    require_valid(reports, "the receipt was not recorded")
    found = RECEIPT_LINE.search(signed_keywords(pdf))
    if found is None:
        raise InvalidInput("This PDF is not an Escalation Recorder receipt.")
    return ReadReceipt(tuple(reports), found["id"], found["sha"], digest(pdf))


def record_receipt(
    session: Session,
    audit_key: audit.AuditKey,
    receipt: ReadReceipt,
    now: dt.datetime,
    *,
    trust: bool = False,
) -> Transfer:
    """Record a checked receipt: ours, from the recipient; audit it.

    It must be signed with the certificate the package was sealed to (or under
    the root that issued it), or under a root confirmed for this recipient:
    earlier, or now with ``trust`` after comparing fingerprints.

    Raises:
        InvalidInput: not for a package sent from here, or signed by someone not
            confirmed as the recipient.
    """
    sent = session.scalar(
        select(Transfer).where(
            Transfer.transfer_id == receipt.transfer_id, Transfer.direction == SENT
        )
    )
    if sent is None:
        raise InvalidInput("This receipt is for a transfer this vault did not send.")
    if sent.package_sha256 != receipt.package_sha256:
        raise InvalidInput("This receipt names a different package than the one sent.")
    signer = receipt.reports[0]
    if not _from_recipient(sent, signer):
        if not trust:
            raise InvalidInput(
                f"This receipt is not signed by the recipient the package was sealed for, "
                f"as far as this vault knows: it is signed by {visible(signer.signer)}; "
                f"compare their fingerprint words ({fingerprint_words(signer.root_fingerprint)}) "
                f"with {visible(sent.counterpart)} by telephone, then record the receipt "
                "again confirming it (--trust, or the tick box)."
            )
        sent.recipient_root = signer.root_fingerprint
        remember_signer(session, audit_key, signer.root_fingerprint, signer.root_subject)
    if sent.receipt_at is None:
        sent.receipt_at, sent.receipt_sha256 = now, receipt.sha256
        audit.record(session, audit_key, "transfer.confirmed", "transfer", sent.id)
    return sent


def confirm_receipt(
    session: Session,
    audit_key: audit.AuditKey,
    pdf: bytes,
    now: dt.datetime,
    *,
    trust: bool = False,
) -> Transfer:
    """Check a returned receipt and record it in the caller's transaction (``record_receipt``)."""
    known = frozenset(session.scalars(select(KnownSigner.fingerprint)))
    return record_receipt(session, audit_key, read_receipt(pdf, known), now, trust=trust)


def _from_recipient(sent: Transfer, signer: SignatureReport) -> bool:
    """Whether the receipt's signer is the one the package was sealed for, or confirmed."""
    if sent.recipient_root is not None and sent.recipient_root == signer.root_fingerprint:
        return True
    if not sent.recipient_certificate:
        return False
    sealed_to = x509.load_pem_x509_certificate(sent.recipient_certificate.encode())
    if fingerprint_of(sealed_to) == signer.fingerprint:
        return True
    try:
        root = x509.load_pem_x509_certificate(signer.root_pem.encode())
        sealed_to.verify_directly_issued_by(root)
    except (ValueError, TypeError, InvalidSignature):
        return False
    return True
