"""Retention: when each case is due for review, and a deliberate, audited, irreversible purge.

A purge deletes the case from the vault, from its full-text index and from
the automatic backups in the vault's backups folder, then compacts the
database so no page, free or in the write-ahead log, still holds the text.
Copies the app cannot reach (backups the user made elsewhere) are named by
date from the audit trail, so the user can delete them too.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, func, select, text
from sqlalchemy.orm import Session

from desktop.casework.settings import read_settings
from desktop.errors import InvalidInput, UnknownCase
from desktop.models import AuditEvent, Case, Child
from desktop.procedures.workdays import to_london
from desktop.storage import audit
from desktop.storage.backup import MANUAL_BACKUP, compact, remove_from_backups
from desktop.storage.vault import Vault


@dataclass(frozen=True)
class Retained:
    """A case and the date it is due for review."""

    case_id: int
    reference: str
    review_by: dt.date


@dataclass(frozen=True)
class Purged:
    """What a purge deleted, and the copies outside the vault that may still hold the case.

    ``rewritten``: automatic backups the case was removed from; ``unreadable``:
    backups in the backups folder the current key does not open (made before
    the database was re-keyed), which may still hold it; ``copies_made``: when
    the user made a backup of their own since the case was entered.
    """

    reference: str
    rewritten: tuple[str, ...]
    unreadable: tuple[str, ...]
    copies_made: tuple[dt.datetime, ...]


@dataclass(frozen=True)
class PurgePlan:
    """A case checked for purging (found by its reference and its child's identifier)."""

    case_id: int
    reference: str
    child_identifier: str
    today: dt.date
    copies_made: tuple[dt.datetime, ...]


@dataclass(frozen=True)
class BackupsPurged:
    """The automatic backups a case was removed from, and those the key does not open."""

    rewritten: tuple[str, ...]
    unreadable: tuple[str, ...]


def review_by(date_of_birth: dt.date | None, opened: dt.date, years: int) -> dt.date:
    """Return the review date: the child's date of birth plus ``years`` (else the opening)."""
    start = date_of_birth or opened
    try:
        return start.replace(year=start.year + years)
    except ValueError:  # 29 February
        return start.replace(year=start.year + years, day=28)


def past_review(session: Session, years: int, today: dt.date) -> list[Retained]:
    """Return the cases whose review date has passed, oldest first."""
    rows = session.execute(
        select(Case.id, Case.reference, Child.date_of_birth, Case.opened_at).join(
            Child, Child.id == Case.child_id
        )
    )
    found = [
        Retained(case_id, ref, review_by(born, opened.date(), years))
        for case_id, ref, born, opened in rows
    ]
    return sorted((r for r in found if r.review_by < today), key=lambda r: r.review_by)


@dataclass(frozen=True)
class RetentionView:
    """The retention rule (years after birth) and the cases past their review date."""

    years: int
    due: tuple[Retained, ...]


def view_retention(vault: Vault, today: dt.date) -> RetentionView:
    """List the cases past their review date and record that they were listed (a count)."""
    with vault.sessions.begin() as session:
        years = read_settings(session).retention_years
        due = past_review(session, years, today)
        audit.record(session, vault.audit_key, "retention.viewed", None, len(due))
    return RetentionView(years, tuple(due))


def _target(
    session: Session, reference: str, confirmation: str, years: int, today: dt.date
) -> tuple[int, str]:
    """Return the case's id and child identifier; refuse one not typed again or not due."""
    if confirmation != reference:
        raise InvalidInput("To purge, type the case reference again exactly; nothing was deleted.")
    found = session.execute(
        select(Case.id, Child.identifier)
        .join(Child, Child.id == Case.child_id)
        .where(Case.reference == reference)
    ).first()
    if found is None:
        raise UnknownCase(reference)
    if reference not in {r.reference for r in past_review(session, years, today)}:
        raise InvalidInput(
            f"Case {reference} is not yet past its review date; nothing was deleted."
        )
    return found[0], found[1]


# Each step names the table it needs, so the same deletion runs on a backup
# made under an older schema (a table it lacks has nothing to delete).
_UNDER_CASE = (
    (
        "discussion",
        "DELETE FROM discussion WHERE stage_record_id IN "
        "(SELECT id FROM stage_record WHERE case_id = :case)",
    ),
    (
        "agreed_action",
        "DELETE FROM agreed_action WHERE stage_record_id IN "
        "(SELECT id FROM stage_record WHERE case_id = :case)",
    ),
    ("rendered_document", "DELETE FROM rendered_document WHERE case_id = :case"),
    ("received_document", "DELETE FROM received_document WHERE case_id = :case"),
    ("search_index", "DELETE FROM search_index WHERE case_id = :case"),
    ("stage_record", "DELETE FROM stage_record WHERE case_id = :case"),
    ("escalation_case", "DELETE FROM escalation_case WHERE id = :case"),
)
# Only when the child has no other case. A transfer's record (id, hash, time)
# and a subject access bundle's (with each redaction's reason and count)
# outlive the child; the passages it withheld (other people's names and words
# about them) and a received transfer's receipt (it names the child and the
# cases) go with the child's records.
_UNDER_CHILD = (
    ("transfer.receipt_pdf", "UPDATE transfer SET receipt_pdf = NULL WHERE child_id = :child"),
    ("transfer", "UPDATE transfer SET child_id = NULL WHERE child_id = :child"),
    (
        "redaction",
        "UPDATE redaction SET withheld = '' WHERE export_id IN "
        "(SELECT id FROM subject_access_export WHERE child_id = :child)",
    ),
    (
        "subject_access_export",
        "UPDATE subject_access_export SET child_id = NULL WHERE child_id = :child",
    ),
    ("child", "DELETE FROM child WHERE id = :child"),
)


def remove_case(connection: Connection, reference: str, child_identifier: str) -> int | None:
    """Delete the case (and its child, if it has no other) from a vault or backup database.

    The case is found by its reference and its child's identifier, so a backup
    of another vault that reuses the reference is left alone. The full-text
    index is then merged, which drops the deleted entries' words from its
    pages (a delete alone only adds tombstones beside them).

    Returns:
        The deleted case's id, or None when the database does not hold it.
    """
    found = connection.execute(
        text(
            "SELECT c.id, c.child_id FROM escalation_case c JOIN child h ON h.id = c.child_id "
            "WHERE c.reference = :reference AND h.identifier = :child"
        ),
        {"reference": reference, "child": child_identifier},
    ).first()
    if found is None:
        return None
    case_id, child_id = int(found[0]), int(found[1])
    tables = set(
        connection.execute(text("SELECT name FROM sqlite_master WHERE type = 'table'")).scalars()
    )
    if "transfer" in tables:  # a column added later is named "table.column"
        columns = connection.execute(text("SELECT name FROM pragma_table_info('transfer')"))
        tables |= {f"transfer.{column}" for column in columns.scalars()}
    _run(connection, tables, _UNDER_CASE, {"case": case_id})
    others = connection.execute(
        text("SELECT count(*) FROM escalation_case WHERE child_id = :child"), {"child": child_id}
    ).scalar()
    if not others:
        _run(connection, tables, _UNDER_CHILD, {"child": child_id})
    if "search_index" in tables:
        connection.execute(text("INSERT INTO search_index (search_index) VALUES ('optimize')"))
    return case_id


def _run(
    connection: Connection,
    tables: set[str],
    steps: tuple[tuple[str, str], ...],
    params: dict[str, Any],
) -> None:
    for table, sql in steps:
        if table in tables:
            connection.execute(text(sql), params)


def purge(
    session: Session,
    audit_key: audit.AuditKey,
    reference: str,
    confirmation: str,
    years: int,
    today: dt.date,
) -> int:
    """Delete a case past its review date and everything recorded under it, in the vault.

    The deletion overwrites the freed cells (secure_delete is on); the audit
    trail keeps only the fact, the case id and the time. ``purge_case`` is the
    whole action: the automatic backups too, and the database compacted.

    Returns:
        The deleted case's id.

    Raises:
        InvalidInput: the confirmation does not repeat the reference, or the case is
            not yet past its review date.
    """
    case_id, child_identifier = _target(session, reference, confirmation, years, today)
    remove_case(session.connection(), reference, child_identifier)
    audit.record(session, audit_key, "case.purged", "case", case_id)
    return case_id


def _copies_made(session: Session, case_id: int) -> tuple[dt.datetime, ...]:
    """When the user made backups of their own since the case was entered (audit trail)."""
    entered = session.scalar(
        select(func.max(AuditEvent.id)).where(
            AuditEvent.action == "case.created",
            AuditEvent.entity == "case",
            AuditEvent.entity_id == case_id,
        )
    )
    made = select(AuditEvent.at).where(
        AuditEvent.action == MANUAL_BACKUP, AuditEvent.id > (entered or 0)
    )
    return tuple(session.scalars(made.order_by(AuditEvent.id)))


def plan_purge(vault: Vault, reference: str, confirmation: str, today: dt.date) -> PurgePlan:
    """Check that the case may be purged, and find the backups the user made of it.

    Raises:
        InvalidInput: as ``purge``; nothing is deleted anywhere.
    """
    with vault.sessions() as session:
        years = read_settings(session).retention_years
        case_id, child_identifier = _target(session, reference, confirmation, years, today)
        copies = _copies_made(session, case_id)
    return PurgePlan(case_id, reference, child_identifier, today, copies)


def purge_backups(plan: PurgePlan, folder: Path, key: str) -> BackupsPurged:
    """Remove the case from every backup in ``folder`` (the vault's); no vault is used.

    Run before ``complete_purge``: if it is interrupted, the case is still in
    the vault, and purging it again finishes the job.
    """
    rewritten, unreadable = remove_from_backups(
        folder,
        key,
        lambda connection: (
            remove_case(connection, plan.reference, plan.child_identifier) is not None
        ),
    )
    return BackupsPurged(rewritten, unreadable)


def complete_purge(vault: Vault, plan: PurgePlan, backups: BackupsPurged) -> Purged:
    """Delete the case from the vault, audit it, vacuum and empty the write-ahead log.

    Raises:
        InvalidInput: the case is no longer there to purge.
    """
    with vault.sessions.begin() as session:
        years = read_settings(session).retention_years
        purge(session, vault.audit_key, plan.reference, plan.reference, years, plan.today)
        for _name in backups.rewritten:
            audit.record(session, vault.audit_key, "backup.case_removed", "case", plan.case_id)
    raw = vault.engine.raw_connection()
    try:
        compact(raw.driver_connection)
    finally:
        raw.close()
    return Purged(plan.reference, backups.rewritten, backups.unreadable, plan.copies_made)


def purge_case(vault: Vault, reference: str, confirmation: str, today: dt.date) -> Purged:
    """Delete a case past its review date for good: its automatic backups, then the vault.

    Raises:
        InvalidInput: as ``purge``; nothing is deleted anywhere.
    """
    plan = plan_purge(vault, reference, confirmation, today)
    backups = purge_backups(plan, vault.files.backups, vault.sqlcipher_key)
    return complete_purge(vault, plan, backups)


def purge_notice(purged: Purged) -> list[str]:
    """Say what was deleted, and which copies outside the vault may still hold the case."""
    lines = [f"Case {purged.reference} and everything recorded under it were deleted for good."]
    if purged.rewritten:
        lines.append(
            f"It was also removed from {len(purged.rewritten)} automatic backup(s) in the "
            "vault's backups folder."
        )
    if purged.unreadable:
        lines.append(
            "These backups in the vault's backups folder were made under an earlier key, so "
            f"they could not be checked and may still hold it: {', '.join(purged.unreadable)}. "
            "Delete them if they are no longer needed."
        )
    if purged.copies_made:
        days = dict.fromkeys(f"{to_london(at):%d/%m/%Y}" for at in purged.copies_made)
        lines.append(
            f"You made {len(purged.copies_made)} backup(s) of your own since the case was "
            f"entered (on {', '.join(days)}); they still hold it: delete or replace them."
        )
    return lines
