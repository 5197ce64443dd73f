"""Rendered documents and the audit trail."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from desktop.models.base import Base, UTCDateTime


class RenderedDocument(Base):
    """A PDF the app produced: its kind, hash, time and recipient."""

    __tablename__ = "rendered_document"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("escalation_case.id"), index=True)
    stage_record_id: Mapped[int | None] = mapped_column(ForeignKey("stage_record.id"))
    kind: Mapped[str] = mapped_column(String(50))
    sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    recipient: Mapped[str | None] = mapped_column(String(200))


class AuditEvent(Base):
    """One audited action: ids and an action name, never record text.

    ``mac`` is HMAC-SHA-256 over this event and the previous event's ``mac``.
    """

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    action: Mapped[str] = mapped_column(String(60))
    entity: Mapped[str | None] = mapped_column(String(40))
    entity_id: Mapped[int | None]
    origin: Mapped[str] = mapped_column(String(20))
    mac: Mapped[str] = mapped_column(String(64))


class AuditEpoch(Base):
    """An audit key retired by a passphrase change: it sealed the events up to ``last_event``.

    ``key`` is the retired key (hex); ``seal`` is HMAC-SHA-256 under the key
    that replaced it, so only a holder of the current key can add or change one.
    """

    __tablename__ = "audit_epoch"

    last_event: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    key: Mapped[str] = mapped_column(String(64))
    seal: Mapped[str] = mapped_column(String(64))


class SigningIdentity(Base):
    """The user's signing key and certificates (kept only inside the encrypted vault).

    The newest row signs; older rows stay to open packages sealed to their
    certificate. ``root_key_pem`` is the local root's key, kept so that a
    changed profile gets a new certificate under the same root (empty for an
    organisation's PKCS#12 and for identities made before it was kept).
    """

    __tablename__ = "signing_identity"

    id: Mapped[int] = mapped_column(primary_key=True)
    key_pem: Mapped[str] = mapped_column(Text)
    cert_pem: Mapped[str] = mapped_column(Text)
    chain_pem: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    root_key_pem: Mapped[str | None] = mapped_column(Text)


class KnownSigner(Base):
    """A signer's root certificate the user confirmed, by SHA-256 fingerprint."""

    __tablename__ = "known_signer"

    id: Mapped[int] = mapped_column(primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64), unique=True)
    subject: Mapped[str] = mapped_column(Text)
    added_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class Transfer(Base):
    """A transfer package sent to, or received from, another vault.

    ``counterpart`` is the recipient the sender named, or the sending organisation;
    a sent transfer's receipt, once imported and verified, sets ``receipt_at``.
    A receipt must be signed by ``recipient_certificate`` (the certificate a
    package was sealed to) or under ``recipient_root`` (the root the sender
    confirmed for the recipient by comparing its fingerprint).
    """

    __tablename__ = "transfer"

    id: Mapped[int] = mapped_column(primary_key=True)
    transfer_id: Mapped[str] = mapped_column(String(36), unique=True)
    direction: Mapped[str] = mapped_column(String(10))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    child_id: Mapped[int | None] = mapped_column(ForeignKey("child.id"), index=True)
    cases: Mapped[int]
    package_sha256: Mapped[str] = mapped_column(String(64))
    counterpart: Mapped[str] = mapped_column(String(200))
    receipt_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    receipt_sha256: Mapped[str | None] = mapped_column(String(64))
    recipient_certificate: Mapped[str | None] = mapped_column(Text)
    recipient_root: Mapped[str | None] = mapped_column(String(95))
    # A received transfer's signed receipt, kept whole so it can be saved again
    # (erased with the child's records at a purge: it names the child).
    receipt_pdf: Mapped[bytes | None] = mapped_column(LargeBinary)


class ReceivedDocument(Base):
    """A document that came from another party, kept with a case by its hash.

    A transfer package that brought the case (``transfer_id`` set), or a signed
    PDF received and kept with the case (a countersigned written confirmation,
    say): what it is, who sent or signed it, when, and its SHA-256, so the same
    file can be attached to the recipient's own case system and recognised later.
    """

    __tablename__ = "received_document"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("escalation_case.id"), index=True)
    transfer_id: Mapped[int | None] = mapped_column(ForeignKey("transfer.id"), index=True)
    kind: Mapped[str] = mapped_column(String(50))
    title: Mapped[str] = mapped_column(String(200))
    sender: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    received_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class SubjectAccessExport(Base):
    """A subject access bundle produced for a child: when, its hash, how many redactions."""

    __tablename__ = "subject_access_export"

    id: Mapped[int] = mapped_column(primary_key=True)
    child_id: Mapped[int | None] = mapped_column(ForeignKey("child.id"), index=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    sha256: Mapped[str] = mapped_column(String(64))
    redactions: Mapped[list[Redaction]] = relationship(back_populates="export")


class Redaction(Base):
    """One piece of third-party information withheld from a bundle, and why.

    The withheld text stays inside the encrypted vault, so the decision can be
    reviewed later (by the ICO, or on a complaint), until the child's records are
    purged at their review date, when it is erased and the reason and count kept;
    the audit trail records the reason and the id, never the text.
    """

    __tablename__ = "redaction"

    id: Mapped[int] = mapped_column(primary_key=True)
    export_id: Mapped[int] = mapped_column(ForeignKey("subject_access_export.id"), index=True)
    reason: Mapped[str] = mapped_column(String(40))
    withheld: Mapped[str] = mapped_column(Text)
    occurrences: Mapped[int]
    export: Mapped[SubjectAccessExport] = relationship(back_populates="redactions")
