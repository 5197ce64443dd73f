"""The sender's side of a transfer receipt: check who signed it and what it confirms, record it.

A receipt counts only if its signature is valid and covers the whole
document, its transfer id and package hash (read from the revision that
signature covers) are those of a package sent from this vault, and it was
signed by the recipient the package was sealed for.
"""

from __future__ import annotations

import datetime as dt
import re

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.documents.receipt_pdf import KEYWORD
from desktop.documents.signing import SignatureReport, signed_keywords
from desktop.errors import InvalidInput
from desktop.models import Transfer
from desktop.sharing.sealed import digest, fingerprint_of
from desktop.sharing.signed_documents import remember_signer, require_valid, verify
from desktop.sharing.transfer import SENT
from desktop.storage import audit
from desktop.text.display import visible

RECEIPT_LINE = re.compile(
    rf"{KEYWORD} transfer=(?P<id>[0-9a-f-]{{36}}) package-sha256=(?P<sha>[0-9a-f]{{64}})"
)


def confirm_receipt(
    session: Session,
    audit_key: audit.AuditKey,
    pdf: bytes,
    now: dt.datetime,
    *,
    trust: bool = False,
) -> Transfer:
    """Check a returned receipt and record it: valid, ours, from the recipient; audit it.

    Its transfer id and package hash are read from the revision its signature
    covers. It must be signed with the certificate the package was sealed to
    (or under the root that issued it), or under a root confirmed for this
    recipient: earlier, or now with ``trust`` after comparing fingerprints.

    Raises:
        SignatureInvalid: the receipt is not signed, altered or changed after signing.
        InvalidInput: not a receipt, not for a package sent from here, or signed by
            someone not confirmed as the recipient.
    """
    reports = verify(session, pdf)
    require_valid(reports, "the receipt was not recorded")
    found = RECEIPT_LINE.search(signed_keywords(pdf))
    if found is None:
        raise InvalidInput("This PDF is not an Escalation Recorder receipt.")
    sent = session.scalar(
        select(Transfer).where(Transfer.transfer_id == found["id"], Transfer.direction == SENT)
    )
    if sent is None:
        raise InvalidInput("This receipt is for a transfer this vault did not send.")
    if sent.package_sha256 != found["sha"]:
        raise InvalidInput("This receipt names a different package than the one sent.")
    signer = reports[0]
    if not _from_recipient(sent, signer):
        if not trust:
            raise InvalidInput(
                f"This receipt is not signed by the recipient the package was sealed for, "
                f"as far as this vault knows: it is signed by {visible(signer.signer)} under "
                f"a root with SHA-256 {signer.root_fingerprint}; compare that fingerprint "
                f"with {visible(sent.counterpart)} by telephone, then record the receipt "
                "again confirming it (--trust)."
            )
        sent.recipient_root = signer.root_fingerprint
        remember_signer(session, audit_key, signer.root_fingerprint, signer.root_subject)
    if sent.receipt_at is None:
        sent.receipt_at, sent.receipt_sha256 = now, digest(pdf)
        audit.record(session, audit_key, "transfer.confirmed", "transfer", sent.id)
    return sent


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
