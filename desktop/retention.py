"""Retention: when each case is due for review, and a deliberate, audited, irreversible purge."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete, func, select, text, update
from sqlalchemy.orm import Session

from desktop import audit
from desktop.errors import InvalidInput
from desktop.models import (
    AgreedAction,
    Case,
    Child,
    Discussion,
    Redaction,
    RenderedDocument,
    StageRecord,
    SubjectAccessExport,
    Transfer,
)


@dataclass(frozen=True)
class Retained:
    """A case and the date it is due for review."""

    case_id: int
    reference: str
    review_by: dt.date


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


def view_past_review(
    session: Session, audit_key: audit.AuditKey, years: int, today: dt.date
) -> list[Retained]:
    """Return the cases past their review date and record that they were listed (a count)."""
    due = past_review(session, years, today)
    audit.record(session, audit_key, "retention.viewed", None, len(due))
    return due


def purge(
    session: Session,
    audit_key: audit.AuditKey,
    reference: str,
    confirmation: str,
    years: int,
    today: dt.date,
) -> None:
    """Delete a case past its review date and everything recorded under it, for good.

    The deletion overwrites the freed pages (secure_delete is on); the audit
    trail keeps only the fact, the case id and the time.

    Raises:
        InvalidInput: the confirmation does not repeat the reference, or the case is
            not yet past its review date.
    """
    if confirmation != reference:
        raise InvalidInput("To purge, type the case reference again exactly; nothing was deleted.")
    due = {r.reference: r for r in past_review(session, years, today)}
    case = session.scalar(select(Case).where(Case.reference == reference))
    if case is None:
        raise InvalidInput(f"There is no case {reference}.")
    if reference not in due:
        raise InvalidInput(
            f"Case {reference} is not yet past its review date; nothing was deleted."
        )
    records = select(StageRecord.id).where(StageRecord.case_id == case.id)
    session.execute(delete(Discussion).where(Discussion.stage_record_id.in_(records)))
    session.execute(delete(AgreedAction).where(AgreedAction.stage_record_id.in_(records)))
    session.execute(delete(RenderedDocument).where(RenderedDocument.case_id == case.id))
    session.execute(text("DELETE FROM search_index WHERE case_id = :id"), {"id": case.id})
    session.execute(delete(StageRecord).where(StageRecord.case_id == case.id))
    child_id, case_id = case.child_id, case.id
    session.delete(case)
    session.flush()
    others = session.scalar(select(func.count()).select_from(Case).where(Case.child_id == child_id))
    if not others:
        # a transfer's record (id, hash, time) outlives the child it carried
        session.execute(update(Transfer).where(Transfer.child_id == child_id).values(child_id=None))
        # So does a subject access bundle's, with each redaction's reason and count;
        # the passages it withheld (other people's names and words about them) go
        # with the child's records.
        exports = select(SubjectAccessExport.id).where(SubjectAccessExport.child_id == child_id)
        session.execute(
            update(Redaction).where(Redaction.export_id.in_(exports)).values(withheld="")
        )
        session.execute(
            update(SubjectAccessExport)
            .where(SubjectAccessExport.child_id == child_id)
            .values(child_id=None)
        )
        session.execute(delete(Child).where(Child.id == child_id))
    audit.record(session, audit_key, "case.purged", "case", case_id)
