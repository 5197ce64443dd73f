"""Subject access bundles: the child's records with passages withheld, laid out, signed, kept.

Each redaction is kept inside the vault with its reason and audited (reason
and id, not text); the withheld words are nowhere in the file. The services
at the end (preview, prepare, save, export) are what both front doors call.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from desktop.models import Redaction, SubjectAccessExport
from desktop.procedures.catalogue import Catalogue
from desktop.sharing.subject_access_records import (
    REASON_TEXT,
    Marked,
    SubjectRecords,
    Withheld,
    gather,
    redact,
)
from desktop.storage import audit
from desktop.storage.output import write_recorded
from desktop.storage.vault import Vault

if TYPE_CHECKING:  # the PDF libraries load only when a bundle is made
    from desktop.documents.identity import IdentityPem
    from desktop.documents.render import Header


def _start_export(
    session: Session, audit_key: audit.AuditKey, child_id: int, now: dt.datetime
) -> int:
    """Record that a bundle is being made, before its header takes the audit head.

    The bundle then carries its own event (as every signed document does); its
    hash is kept when it is saved.
    """
    export = SubjectAccessExport(child_id=child_id, at=now, sha256="")
    session.add(export)
    session.flush()
    audit.record(session, audit_key, "subject_access.exported", "subject_access", export.id)
    return export.id


def _record_export(
    session: Session,
    audit_key: audit.AuditKey,
    export_id: int,
    counts: Counter[str],
    marks: list[Marked],
    pdf: bytes,
) -> SubjectAccessExport:
    """Keep the bundle's hash and each redaction with its reason; audit them by id."""
    export = session.get_one(SubjectAccessExport, export_id)
    export.sha256 = hashlib.sha256(pdf).hexdigest()
    for mark in marks:
        row = Redaction(
            export=export,
            reason=mark.reason.value,
            withheld=mark.text.strip(),
            occurrences=counts[mark.text.strip()],
        )
        session.add(row)
        session.flush()
        audit.record(session, audit_key, f"redaction.{mark.reason.value}", "redaction", row.id)
    return export


@dataclass(frozen=True)
class SubjectAccessJob:
    """A redacted bundle's content and signer, read from the vault; laid out and signed apart."""

    child_id: int
    export_id: int
    shown: SubjectRecords
    counts: Counter[str]
    marks: tuple[Marked, ...]
    places: int
    header: Header
    signer: str
    identity: IdentityPem
    now: dt.datetime


def subject_access_job(
    session: Session,
    audit_key: audit.AuditKey,
    catalogue: Catalogue,
    child_identifier: str,
    marks: list[Marked],
    now: dt.datetime,
) -> SubjectAccessJob:
    """Gather the child's records, withhold the marked passages, read the signer.

    Raises:
        InvalidInput: no such child, a passage that is not in the records, or no profile.
    """
    from desktop.sharing.signed_documents import current_identity, document_header, signer_line

    records = gather(session, catalogue, child_identifier, now)
    withheld = redact(records, marks)  # once: it scans every line for every passage
    identity = current_identity(session)
    export_id = _start_export(session, audit_key, records.child_id, now)
    return SubjectAccessJob(
        records.child_id,
        export_id,
        withheld.records,
        Counter({mark.text: count for mark, count in withheld.hits}),
        tuple(mark for mark, _count in withheld.hits),
        withheld.places,
        document_header(session, f"Subject access {child_identifier}", "Subject access"),
        signer_line(session),
        identity,
        now,
    )


def produce_subject_access(job: SubjectAccessJob) -> bytes:
    """Lay out and sign the bundle, in memory; the vault is not used."""
    from desktop.sharing.signed_documents import lay_out_and_sign
    from desktop.sharing.subject_access_pdf import compose_subject_access

    reasons = Counter(REASON_TEXT[m.reason] for m in job.marks)
    story, slots = compose_subject_access(job.shown, reasons, job.signer, job.now)
    return lay_out_and_sign(job.identity, job.header, story, slots)


def record_subject_access(
    session: Session, audit_key: audit.AuditKey, job: SubjectAccessJob, pdf: bytes
) -> SubjectAccessExport:
    """Keep the bundle's hash and each redaction with its reason; audit them by id."""
    return _record_export(session, audit_key, job.export_id, job.counts, list(job.marks), pdf)


def render_subject_access(
    session: Session,
    audit_key: audit.AuditKey,
    catalogue: Catalogue,
    child_identifier: str,
    marks: list[Marked],
    now: dt.datetime,
) -> bytes:
    """Build the redacted bundle, sign it, and record it with its redactions."""
    job = subject_access_job(session, audit_key, catalogue, child_identifier, marks, now)
    pdf = produce_subject_access(job)
    record_subject_access(session, audit_key, job, pdf)
    return pdf


@dataclass(frozen=True)
class SubjectAccessPreview:
    """A child's records as gathered, and as the bundle would show them with ``marks`` withheld."""

    records: SubjectRecords
    shown: Withheld


def preview_subject_access(
    vault: Vault,
    catalogue: Catalogue,
    child_identifier: str,
    marks: list[Marked],
    now: dt.datetime,
) -> SubjectAccessPreview:
    """Read the child's records with ``marks`` withheld; audit the view (no names, no ids).

    Raises:
        InvalidInput: no such child, or a passage that is not in the records.
    """
    with vault.sessions.begin() as session:
        records = gather(session, catalogue, child_identifier, now)
        shown = redact(records, marks)
        audit.record(session, vault.audit_key, "subject_access.previewed", None, None)
    return SubjectAccessPreview(records, shown)


@dataclass(frozen=True)
class SavedBundle:
    """What a saved bundle withheld: how many passages, in how many places."""

    passages: int
    places: int


def prepare_subject_access(
    vault: Vault,
    catalogue: Catalogue,
    child_identifier: str,
    marks: list[Marked],
    now: dt.datetime,
) -> SubjectAccessJob:
    """Gather and withhold here; ``produce_subject_access`` lays out and signs, without the vault.

    Raises:
        InvalidInput: no such child, a passage that is not in the records, or no profile.
    """
    with vault.sessions.begin() as session:  # records that the bundle is made (it carries it)
        return subject_access_job(session, vault.audit_key, catalogue, child_identifier, marks, now)


def save_subject_access(
    vault: Vault, job: SubjectAccessJob, pdf: bytes, target: Path
) -> SavedBundle:
    """Record the bundle and its redactions and write it, together: no file, no record."""
    write_recorded(
        vault,
        target,
        pdf,
        lambda session: record_subject_access(session, vault.audit_key, job, pdf),
    )
    return SavedBundle(len(job.marks), job.places)


def export_subject_access(
    vault: Vault,
    catalogue: Catalogue,
    child_identifier: str,
    marks: list[Marked],
    now: dt.datetime,
    target: Path,
) -> SavedBundle:
    """Prepare, lay out and sign, then record and write the bundle: the window's steps in a row."""
    job = prepare_subject_access(vault, catalogue, child_identifier, marks, now)
    return save_subject_access(vault, job, produce_subject_access(job), target)
