"""Hash-chained audit events: record one, read the chain's head, verify the chain."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.models import AuditEvent, utcnow

GENESIS = "0" * 64


@dataclass(frozen=True)
class AuditKey:
    """The HMAC key of the audit chain and the origin ("cli", "app") of new events."""

    key: bytes
    origin: str = "cli"


@dataclass(frozen=True)
class ChainReport:
    """The result of verifying the audit chain."""

    intact: bool
    events: int
    head: str
    broken_event: int | None = None
    reason: str = ""


def _mac(
    key: bytes,
    previous: str,
    event_id: int,
    at: dt.datetime,
    action: str,
    entity: str | None,
    entity_id: int | None,
    origin: str,
) -> str:
    when = at.astimezone(dt.UTC).isoformat(timespec="microseconds")
    body = json.dumps(
        [previous, event_id, when, action, entity, entity_id, origin],
        separators=(",", ":"),
        ensure_ascii=True,
    )
    return hmac.new(key, body.encode("ascii"), hashlib.sha256).hexdigest()


def record(
    session: Session,
    audit_key: AuditKey,
    action: str,
    entity: str | None = None,
    entity_id: int | None = None,
) -> AuditEvent:
    """Append an event to the chain in the caller's transaction.

    Args:
        action: a dotted verb such as ``case.created``; never record text.
        entity: the kind of row acted on, such as ``case``.
        entity_id: that row's id.
    """
    last = session.execute(
        select(AuditEvent.id, AuditEvent.mac).order_by(AuditEvent.id.desc()).limit(1)
    ).first()
    previous = last.mac if last else GENESIS
    event_id = (last.id if last else 0) + 1
    at = utcnow()
    mac = _mac(audit_key.key, previous, event_id, at, action, entity, entity_id, audit_key.origin)
    event = AuditEvent(
        id=event_id,
        at=at,
        action=action,
        entity=entity,
        entity_id=entity_id,
        origin=audit_key.origin,
        mac=mac,
    )
    session.add(event)
    session.flush()
    return event


def head(session: Session) -> str:
    """Return the MAC of the newest event (the chain's head), or the genesis value."""
    mac = session.scalar(select(AuditEvent.mac).order_by(AuditEvent.id.desc()).limit(1))
    return mac or GENESIS


def verify(session: Session, audit_key: AuditKey) -> ChainReport:
    """Recompute every MAC in order; report the first event that does not match.

    An edited event fails its own MAC; a deleted or reordered one breaks the
    numbering or the link to its predecessor.
    """
    previous = GENESIS
    expected_id = 1
    count = 0
    rows = session.execute(select(AuditEvent).order_by(AuditEvent.id)).scalars()
    for event in rows:
        if event.id != expected_id:
            return ChainReport(
                False,
                count,
                previous,
                event.id,
                f"event {expected_id} is missing before event {event.id}",
            )
        mac = _mac(
            audit_key.key,
            previous,
            event.id,
            event.at,
            event.action,
            event.entity,
            event.entity_id,
            event.origin,
        )
        if not hmac.compare_digest(mac, event.mac):
            return ChainReport(
                False,
                count,
                previous,
                event.id,
                f"event {event.id} ({event.action}) does not match its seal",
            )
        previous = event.mac
        expected_id += 1
        count += 1
    return ChainReport(True, count, previous)
