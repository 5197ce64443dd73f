"""Render a case's document, sign it, record it; verify received ones against known signers."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from reportlab.platypus import Flowable
from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.casework.document_kinds import KINDS, STAGE_DOCUMENTS, offered_documents
from desktop.casework.report import PartnershipReport
from desktop.casework.settings import read_profile
from desktop.casework.timeline import case_detail
from desktop.documents.countersigning import purpose_keywords
from desktop.documents.identity import (
    IdentityPem,
    create_root,
    fingerprint,
    import_pkcs12,
    issue_signer,
    root_fingerprint,
)
from desktop.documents.render import Header, SignatureSlots, build_pdf
from desktop.documents.signing import (
    encrypt_pdf,
    sign_pdf,
)
from desktop.errors import InvalidInput, ProfileMissing, UnknownCase
from desktop.models import Case, RenderedDocument, SigningIdentity
from desktop.procedures.catalogue import Catalogue
from desktop.procedures.store import definition_for_case
from desktop.sharing.case_document_layout import PURPOSES, DocumentData, compose
from desktop.sharing.report_pdf import compose_report
from desktop.sharing.signers import remember_root
from desktop.storage import audit
from desktop.text.passphrases import word_passphrase


@dataclass(frozen=True)
class Rendered:
    """A signed document in memory, and the passphrase if it was encrypted."""

    pdf: bytes
    sha256: str
    passphrase: str | None


def current_identity(session: Session) -> IdentityPem:
    """Return the signing identity made when the profile was saved; reading never makes one.

    Raises:
        ProfileMissing: no profile was saved yet, so there is nothing to sign with.
    """
    stored = session.scalar(select(SigningIdentity).order_by(SigningIdentity.id.desc()))
    if stored is None:
        raise ProfileMissing()
    return IdentityPem(stored.key_pem, stored.cert_pem, stored.chain_pem)


def signing_identity(session: Session) -> IdentityPem:
    """Return the signing identity, making it from the saved profile the first time.

    For saving the profile (sharing.signing_profile); all else reads :func:`current_identity`.
    """
    me = read_profile(session)
    if me is None or session.scalar(select(SigningIdentity.id).limit(1)) is not None:
        return current_identity(session)
    root = create_root(me.organisation)
    made = issue_signer(root, me.name, me.role, me.organisation)
    store_identity(session, made, "local", me.organisation, root.key_pem)
    return made


def store_identity(
    session: Session,
    made: IdentityPem,
    source: str,
    root_subject: str,
    root_key_pem: str | None = None,
) -> None:
    """Keep a signing identity in the vault and remember its root as a known signer."""
    session.add(
        SigningIdentity(
            key_pem=made.key_pem,
            cert_pem=made.cert_pem,
            chain_pem=made.chain_pem,
            source=source,
            created_at=dt.datetime.now(dt.UTC),
            root_key_pem=root_key_pem,
        )
    )
    if made.chain_pem:
        remember_root(session, root_fingerprint(made.chain_pem), root_subject)


def _document_data(
    session: Session,
    audit_key: audit.AuditKey,
    catalogue: Catalogue,
    case: Case,
    kind: str,
    stage_id: str | None,
) -> DocumentData:
    detail = case_detail(session, catalogue, case.id, dt.datetime.now(dt.UTC))
    procedure = definition_for_case(session, catalogue, case)
    track = procedure.track(case.track_id)
    entry = None
    if kind in STAGE_DOCUMENTS:
        wanted = stage_id or (detail.entries[-1].stage_id if detail.entries else None)
        matches = [e for e in detail.entries if e.stage_id == wanted]
        if not matches:
            raise InvalidInput(f"Case {case.reference} has no stage {wanted}.")
        entry = matches[-1]
        offered = offered_documents(catalogue, case, entry.stage_id)
        if kind not in offered:
            offers = ", ".join(KINDS[k] for k in offered)
            raise InvalidInput(
                f"Stage {entry.stage_id} of this procedure does not produce a "
                f"{STAGE_DOCUMENTS[kind].replace('-', ' ')} (it offers {offers})."
            )
    stage = track.stage(entry.stage_id) if entry else None
    me = read_profile(session)
    if me is None:  # an organisation's identity imported before any profile was saved
        raise ProfileMissing()
    # The document's own event first: the head it carries then includes it.
    own = audit.record(session, audit_key, "document.rendered", "case", case.id)
    header = Header(
        case.reference,
        me.organisation,
        dt.datetime.now(dt.UTC),
        audit.Head(own.id, own.mac).text,
        KINDS[kind].replace("-", " ").capitalize(),
    )
    return DocumentData(
        kind,
        detail,
        entry,
        stage,
        tuple(track.stage(s) for s in stage.next) if stage else (),
        f"{me.name}, {me.role}, {me.organisation}",
        header,
    )


@dataclass(frozen=True)
class DocumentJob:
    """Everything one document needs, read from the vault: laid out and signed elsewhere.

    Plain data only, so the slow part (layout, signature) can run off the GUI
    thread without touching the vault.
    """

    case_id: int
    reference: str
    kind: str
    data: DocumentData
    identity: IdentityPem
    encrypt: bool


def prepare_document(
    session: Session,
    audit_key: audit.AuditKey,
    catalogue: Catalogue,
    reference: str,
    kind: str,
    stage_id: str | None = None,
    encrypt: bool = False,
) -> DocumentJob:
    """Read what a document needs, and record that it is made (its own audit event).

    Raises:
        InvalidInput: unknown document or case, a stage that does not produce it, or
            no profile to sign with (ProfileMissing).
    """
    if kind not in KINDS:
        raise InvalidInput(f"Unknown document '{kind}' (choose {', '.join(KINDS)}).")
    case = session.scalar(select(Case).where(Case.reference == reference))
    if case is None:
        raise UnknownCase(reference)
    identity = current_identity(session)
    data = _document_data(session, audit_key, catalogue, case, kind, stage_id)
    return DocumentJob(case.id, reference, kind, data, identity, encrypt)


def produce_document(job: DocumentJob) -> Rendered:
    """Lay out, sign (and optionally encrypt) the document in memory; the vault is not used."""
    story, slots = compose(job.data)
    purpose = PURPOSES.get(job.kind)
    pdf = build_pdf(job.data.header, story, purpose_keywords(purpose) if purpose else "")
    passphrase = word_passphrase() if job.encrypt else None
    if passphrase:
        pdf = encrypt_pdf(pdf, passphrase)  # encrypt first: encrypting later breaks signatures
    signed = sign_pdf(
        pdf,
        job.identity,
        slots.boxes[0],
        reason=f"{job.data.header.title}, {job.reference}",
        passphrase=passphrase,
        open_boxes=slots.boxes[1:],
    )
    return Rendered(signed, hashlib.sha256(signed).hexdigest(), passphrase)


def record_document(
    session: Session,
    audit_key: audit.AuditKey,
    job: DocumentJob,
    rendered: Rendered,
    recipient: str | None = None,
) -> None:
    """Keep the document's hash in the vault, under its case and stage.

    Its audit event was recorded when it was prepared (the document carries it).
    """
    record = RenderedDocument(
        case_id=job.case_id,
        kind=KINDS[job.kind],
        sha256=rendered.sha256,
        stage_record_id=job.data.entry.record_id if job.data.entry else None,
        created_at=dt.datetime.now(dt.UTC),
        recipient=recipient,
    )
    session.add(record)
    session.flush()


def render_document(
    session: Session,
    audit_key: audit.AuditKey,
    catalogue: Catalogue,
    reference: str,
    kind: str,
    stage_id: str | None = None,
    recipient: str | None = None,
    encrypt: bool = False,
) -> Rendered:
    """Render, sign (and optionally encrypt) a document in memory; record and audit it."""
    job = prepare_document(session, audit_key, catalogue, reference, kind, stage_id, encrypt)
    rendered = produce_document(job)
    record_document(session, audit_key, job, rendered, recipient)
    return rendered


def sign_story(
    session: Session,
    header: Header,
    story: list[Flowable],
    slots: SignatureSlots,
    keywords: str = "",
) -> bytes:
    """Lay out ``story`` and sign it in its first signature box, all in memory."""
    return lay_out_and_sign(current_identity(session), header, story, slots, keywords)


def lay_out_and_sign(
    identity: IdentityPem,
    header: Header,
    story: list[Flowable],
    slots: SignatureSlots,
    keywords: str = "",
) -> bytes:
    """Lay out ``story`` and sign it with ``identity``; no vault needed (worker threads)."""
    pdf = build_pdf(header, story, keywords)
    reason = f"{header.title}, {header.reference}"
    return sign_pdf(pdf, identity, slots.boxes[0], reason, open_boxes=slots.boxes[1:])


def document_header(session: Session, reference: str, title: str) -> Header:
    """The header every page carries, for a document that is not about one case."""
    me = read_profile(session)
    if me is None:
        raise ProfileMissing()
    head = audit.newest(session).text  # record the document's own event before this
    return Header(reference, me.organisation, dt.datetime.now(dt.UTC), head, title)


def signer_line(session: Session) -> str:
    """Name, role and organisation of the person signing, as printed under the signature."""
    me = read_profile(session)
    return f"{me.name}, {me.role}, {me.organisation}" if me else ""


@dataclass(frozen=True)
class ReportJob:
    """What the signed partnership report needs from the vault: laid out and signed elsewhere."""

    report: PartnershipReport
    header: Header
    signer: str
    identity: IdentityPem


def prepare_report(
    session: Session, audit_key: audit.AuditKey, report: PartnershipReport
) -> ReportJob:
    """Audit the report (its figures only, no case ids); read its header, signer and identity."""
    audit.record(session, audit_key, "report.rendered", None, report.escalations)
    period = f"{report.start:%d %b %Y} to {report.end:%d %b %Y}"
    header = document_header(session, period, "Partnership escalation report")
    return ReportJob(report, header, signer_line(session), current_identity(session))


def produce_report(job: ReportJob) -> bytes:
    """Lay out the report with its charts and sign it, in memory; the vault is not used."""
    story, slots = compose_report(job.report, job.header.organisation, job.signer)
    return lay_out_and_sign(job.identity, job.header, story, slots)


def import_identity(session: Session, audit_key: audit.AuditKey, data: bytes, password: str) -> str:
    """Use an organisation-issued PKCS#12 for signing from now on; return its fingerprint."""
    made = import_pkcs12(data, password)
    store_identity(session, made, "pkcs12", "organisation root")
    audit.record(session, audit_key, "identity.imported")
    return fingerprint(made.cert_pem)
