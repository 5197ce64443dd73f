"""Hash-chained audit events: record one, read the chain's head, verify the chain.

Each event's MAC (HMAC-SHA-256 under the audit key) covers the event and the
MAC before it, so an edited, deleted or reordered event breaks the chain for
anyone without the key. Deleting the newest events leaves a shorter chain that
still links, so the head is also anchored outside the database, in the key
file (``seal_anchor``): the anchor is written after each commit, so it may lag
the database after a crash but never lead it. A passphrase change retires the
audit key: the old key is kept in ``audit_epoch``, sealed by its successor, and
events up to the change stay verifiable under it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import re
from dataclasses import dataclass, replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.models import AuditEpoch, AuditEvent, utcnow
from desktop.storage.keyfile import AuditAnchor

GENESIS = "0" * 64
RECORDED = "audit.recorded"  # set in Session.info by record(): the head moved
_HEAD_TEXT = re.compile(r"audit (?:trail )?head (?:event (\d{1,18}) )?([0-9a-f]{64})", re.I)


@dataclass(frozen=True)
class AuditKey:
    """The HMAC key of the audit chain and the origin ("cli", "app") of new events."""

    key: bytes
    origin: str = "cli"


@dataclass(frozen=True)
class Head:
    """One event of the chain by number and MAC: the head a document or the key file keeps."""

    event: int
    mac: str

    @property
    def text(self) -> str:
        """The form printed on documents: ``event N <mac>``."""
        return f"event {self.event} {self.mac}"


def parse_head(text: str) -> Head | None:
    """Find ``audit head [event N] <mac>`` in ``text``; event 0 when no number is given.

    Documents made before heads carried their event number print the MAC alone.
    """
    found = _HEAD_TEXT.search(text)
    if found is None:
        return None
    return Head(int(found[1] or 0), found[2].lower())


@dataclass(frozen=True)
class ChainReport:
    """The result of verifying the audit chain."""

    intact: bool
    events: int
    head: str
    broken_event: int | None = None
    reason: str = ""
    anchored: int | None = None


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


def _seal(key: bytes, *parts: object) -> str:
    body = json.dumps(parts, separators=(",", ":"), ensure_ascii=True)
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
    session.info[RECORDED] = True
    return event


def head(session: Session) -> str:
    """Return the MAC of the newest event (the chain's head), or the genesis value."""
    return newest(session).mac


def newest(session: Session) -> Head:
    """Return the newest event by number and MAC (event 0 and the genesis value if none)."""
    last = session.execute(
        select(AuditEvent.id, AuditEvent.mac).order_by(AuditEvent.id.desc()).limit(1)
    ).first()
    return Head(last.id, last.mac) if last else Head(0, GENESIS)


def seal_anchor(audit_key: AuditKey, head: Head) -> AuditAnchor:
    """Return the key file's anchor for ``head``, sealed with the audit key."""
    return AuditAnchor(head.event, head.mac, _seal(audit_key.key, "anchor", head.event, head.mac))


def anchor_holds(session: Session, audit_key: AuditKey, anchor: AuditAnchor) -> bool:
    """Say whether ``anchor`` is sealed with ``audit_key`` and the chain still holds its head.

    Only such an anchor may be moved forward: one that no longer matches is
    the evidence that events were deleted or rewritten, and is left as it is.
    """
    head = Head(anchor.event, anchor.mac)
    sealed = hmac.compare_digest(seal_anchor(audit_key, head).seal, anchor.seal)
    return sealed and anchor.event > 0 and holds(session, head)


def holds(session: Session, head: Head) -> bool:
    """Say whether the chain still holds ``head`` (by number, or by MAC when it has none)."""
    if head.event == 0:
        found = session.scalar(select(AuditEvent.id).where(AuditEvent.mac == head.mac).limit(1))
        return found is not None
    mac = session.scalar(select(AuditEvent.mac).where(AuditEvent.id == head.event))
    return mac is not None and hmac.compare_digest(mac, head.mac)


def retire_key(session: Session, old: AuditKey, new_key: bytes, action: str) -> AuditEvent:
    """Record ``action`` as the last event under ``old`` and keep ``old`` sealed by ``new_key``.

    Events after it are recorded under the new key and chain on from its MAC.
    """
    event = record(session, old, action)
    retired = old.key.hex()
    session.add(
        AuditEpoch(
            last_event=event.id, key=retired, seal=_seal(new_key, "epoch", event.id, retired)
        )
    )
    session.flush()
    return event


def _epoch_keys(session: Session, current: bytes) -> tuple[list[tuple[int, bytes]], str]:
    """Return the retired keys with the last event of each, checking each one's seal."""
    epochs = list(session.scalars(select(AuditEpoch).order_by(AuditEpoch.last_event)))
    keys: list[tuple[int, bytes]] = []
    for index, epoch in enumerate(epochs):
        try:
            retired = bytes.fromhex(epoch.key)
            later = epochs[index + 1 :]
            successor = bytes.fromhex(later[0].key) if later else current
        except ValueError:
            return [], f"the audit key retired at event {epoch.last_event} is damaged"
        if not hmac.compare_digest(
            _seal(successor, "epoch", epoch.last_event, epoch.key), epoch.seal
        ):
            return (
                [],
                f"the audit key retired at event {epoch.last_event} is not sealed by the next",
            )
        keys.append((epoch.last_event, retired))
    return keys, ""


def verify(
    session: Session,
    audit_key: AuditKey,
    anchor: AuditAnchor | None = None,
    *,
    anchor_required: bool = False,
) -> ChainReport:
    """Recompute every MAC in order; report the first event that does not match.

    An edited event fails its own MAC; a deleted or reordered one breaks the
    numbering or the link to its predecessor. With ``anchor`` (the key file's),
    a chain that no longer reaches the anchored head was cut short.
    """
    keys, problem = _epoch_keys(session, audit_key.key)
    if problem:
        return ChainReport(False, 0, GENESIS, None, problem)
    previous, count, anchored_mac = GENESIS, 0, None
    rows = session.execute(select(AuditEvent).order_by(AuditEvent.id)).scalars()
    for event in rows:
        while keys and event.id > keys[0][0]:
            keys.pop(0)
        key = keys[0][1] if keys else audit_key.key
        reason = _check_event(key, previous, count + 1, event)
        if reason:
            return ChainReport(False, count, previous, event.id, reason)
        previous, count = event.mac, count + 1
        if anchor is not None and event.id == anchor.event:
            anchored_mac = event.mac
    report = ChainReport(True, count, previous, anchored=anchor.event if anchor else None)
    return _check_anchor(report, audit_key, anchor, anchored_mac, anchor_required)


def _check_event(key: bytes, previous: str, expected_id: int, event: AuditEvent) -> str:
    """Say what is wrong with ``event`` as the next link of the chain, or ''."""
    if event.id != expected_id:
        return f"event {expected_id} is missing before event {event.id}"
    mac = _mac(
        key,
        previous,
        event.id,
        event.at,
        event.action,
        event.entity,
        event.entity_id,
        event.origin,
    )
    if not hmac.compare_digest(mac, event.mac):
        return f"event {event.id} ({event.action}) does not match its seal"
    return ""


def _check_anchor(
    report: ChainReport,
    audit_key: AuditKey,
    anchor: AuditAnchor | None,
    anchored_mac: str | None,
    required: bool,
) -> ChainReport:
    """Compare an intact chain with the head anchored in the key file."""
    if anchor is None:
        if not required:
            return report
        reason = (
            "the key file holds no anchored head (it was removed or replaced), "
            "so deleted events cannot be ruled out"
        )
        return ChainReport(False, report.events, report.head, None, reason)
    broken = ChainReport(False, report.events, report.head, anchor.event, anchored=anchor.event)
    if not hmac.compare_digest(
        seal_anchor(audit_key, Head(anchor.event, anchor.mac)).seal, anchor.seal
    ):
        return replace(
            broken, reason="the head anchored in the key file is not sealed by this vault"
        )
    if anchor.event > report.events:
        now = f"ends at event {report.events}" if report.events else "is empty"
        deleted = f"event {anchor.event} was recorded, but the trail now {now}: events were deleted"
        return replace(broken, reason=deleted)
    if anchor.event > 0 and not hmac.compare_digest(anchored_mac or "", anchor.mac):
        return replace(
            broken,
            reason=f"event {anchor.event} differs from the anchored head: the trail was rewritten",
        )
    return report
