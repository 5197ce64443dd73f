"""The hash-chained audit trail: every edit, deletion or reordering is found."""

from __future__ import annotations

import sqlcipher3
from sqlalchemy import select

from desktop.models import AuditEvent
from desktop.storage import audit
from desktop.storage.vault import Vault


def _events(vault: Vault, count: int) -> None:
    with vault.sessions.begin() as session:
        for n in range(count):
            audit.record(session, vault.audit_key, "case.viewed", "case", n)


def _raw(vault: Vault) -> sqlcipher3.Connection:
    key = vault._material.sqlcipher_key
    vault.close()
    connection = sqlcipher3.connect(str(vault.files.database))
    connection.execute(f'PRAGMA key = "{key}"')
    return connection


def _verify(vault: Vault) -> audit.ChainReport:
    with vault.sessions() as session:
        return audit.verify(session, vault.audit_key)


def test_a_fresh_chain_verifies_and_its_head_is_the_last_mac(vault: Vault) -> None:
    _events(vault, 5)
    report = _verify(vault)
    assert report.intact and report.events == 6  # vault.created + five
    with vault.sessions() as session:
        last = session.scalar(select(AuditEvent.mac).order_by(AuditEvent.id.desc()))
        assert audit.head(session) == last == report.head


def test_events_hold_ids_and_actions_only(vault: Vault) -> None:
    _events(vault, 1)
    with vault.sessions() as session:
        event = session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
        assert event is not None
        assert (event.action, event.entity, event.entity_id) == ("case.viewed", "case", 0)


def _reopen(vault: Vault) -> Vault:
    from desktop.storage.vault import unlock_with_passphrase
    from tests.conftest import PASSPHRASE

    return unlock_with_passphrase(vault.files.folder, PASSPHRASE)


def test_an_edited_event_is_named(vault: Vault) -> None:
    _events(vault, 4)
    raw = _raw(vault)
    raw.execute("UPDATE audit_event SET entity_id = 99 WHERE id = 3")
    raw.commit()
    raw.close()
    with _reopen(vault) as reopened:
        report = _verify(reopened)
    assert not report.intact and report.broken_event == 3
    assert "event 3 (case.viewed) does not match" in report.reason


def test_a_deleted_event_is_found(vault: Vault) -> None:
    _events(vault, 4)
    raw = _raw(vault)
    raw.execute("DELETE FROM audit_event WHERE id = 2")
    raw.commit()
    raw.close()
    with _reopen(vault) as reopened:
        report = _verify(reopened)
    assert not report.intact and report.broken_event == 3
    assert "event 2 is missing" in report.reason


def test_reordered_events_are_found(vault: Vault) -> None:
    _events(vault, 4)
    raw = _raw(vault)
    raw.execute("UPDATE audit_event SET id = -1 WHERE id = 2")
    raw.execute("UPDATE audit_event SET id = 2 WHERE id = 3")
    raw.execute("UPDATE audit_event SET id = 3 WHERE id = -1")
    raw.commit()
    raw.close()
    with _reopen(vault) as reopened:
        report = _verify(reopened)
    assert not report.intact and report.broken_event == 2


def test_a_forged_event_without_the_audit_key_is_found(vault: Vault) -> None:
    _events(vault, 2)
    with vault.sessions.begin() as session:
        forger = audit.AuditKey(b"\x00" * 32, "cli")
        audit.record(session, forger, "case.purged", "case", 1)
    report = _verify(vault)
    assert not report.intact and report.broken_event == 4
