"""Rendered documents and the audit trail."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

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
