"""What the dashboard lists: pages of cases filtered, searched and sorted in SQL."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, UnaryExpression, and_, bindparam, func, literal, or_, select, text
from sqlalchemy.orm import Session, aliased

from desktop.casework.guidance import stage_label
from desktop.casework.settings import working_calendar
from desktop.casework.workflow import LastStage, derive_state
from desktop.models import Case, Child, StageOutcome, StageRecord
from desktop.procedures.catalogue import Catalogue
from desktop.procedures.store import definition
from desktop.storage.vault import Vault

STATUSES = ("all", "open", "overdue", "resolved", "withdrawn", "closed", "incomplete")
# The filters that look at the current stage (how the case ended, or its due time).
_BY_STAGE = {"overdue", "resolved", "withdrawn"}
SORT_KEYS = ("reference", "child", "procedure", "stage", "due", "status")


@dataclass(frozen=True)
class CaseFilter:
    """What the user narrowed the list to."""

    status: str = "open"  # one of STATUSES ("incomplete": a stage's records are incomplete)
    procedure_id: str | None = None
    agency: str = ""
    search: str = ""


@dataclass(frozen=True)
class CaseRow:
    """One dashboard row."""

    case_id: int
    reference: str
    child: str
    procedure: str
    stage: str
    due_at: dt.datetime | None
    status: str
    overdue: bool


@dataclass(frozen=True)
class DueSummary:
    """The greeting after unlock: how many cases are open, overdue and due soon."""

    open: int
    overdue: int
    due_soon: int


def fts_query(words: str) -> str:
    """Turn what a user typed into a safe FTS5 query: every word must appear (prefixes too)."""
    tokens = [w.replace('"', '""') for w in words.split() if w.strip('"')]
    return " ".join(f'"{token}"*' for token in tokens)


# The case's reference, child's identifier, summary and decision, or a stage's or a
# discussion's words (migrations 0003 and 0010): the first match per case, a few words
# long. Not ordered by rank: ranking a common word's every match costs more than a page.
_SNIPPETS = text(
    "SELECT case_id, snippet(search_index, 3, '«', '»', '…', 10) FROM search_index "
    "WHERE search_index MATCH :match AND case_id IN :ids"
).bindparams(bindparam("ids", expanding=True))


def match_snippets(session: Session, words: str, case_ids: list[int]) -> dict[int, str]:
    """Return, for each case that ``words`` match, the words around its match (« » marks it).

    Read for the cases on screen only, after their rows: the list comes first.
    """
    match = fts_query(words)
    if not match or not case_ids:
        return {}
    found: dict[int, str] = {}
    for case_id, around in session.execute(_SNIPPETS, {"match": match, "ids": case_ids}):
        found.setdefault(case_id, " ".join(str(around).split()))
    return found


def _records_incomplete() -> Any:
    """A case with a stage that ended without a required record, not completed since."""
    stage = aliased(StageRecord)
    later = aliased(StageRecord)
    return (
        select(stage.id)
        .where(
            stage.case_id == Case.id,
            stage.incomplete_because.is_not(None),
            ~select(later.id).where(later.corrects_id == stage.id).exists(),
        )
        .exists()
    )


def _case_conditions(filt: CaseFilter) -> list[Any]:
    """The parts of a filter that only need the case row."""
    conditions: list[Any] = []
    if filt.status == "open":
        conditions.append(Case.closed_at.is_(None))
    elif filt.status == "closed":
        conditions.append(Case.closed_at.is_not(None))
    elif filt.status == "incomplete":
        conditions.append(_records_incomplete())
    if filt.procedure_id:
        conditions.append(Case.procedure_id == filt.procedure_id)
    if filt.agency.strip():
        pattern = f"%{filt.agency.strip()}%"
        conditions.append(
            or_(Case.raised_by_agency.ilike(pattern), Case.other_party_agency.ilike(pattern))
        )
    match = fts_query(filt.search)
    if match:
        hits = text("SELECT case_id FROM search_index WHERE search_index MATCH :match")
        conditions.append(Case.id.in_(hits.bindparams(match=match)))
    return conditions


def _base(filt: CaseFilter, now: dt.datetime) -> Select[Any]:
    query = (
        select(Case.id)
        .join(StageRecord, StageRecord.id == Case.current_record_id)
        .join(Child, Child.id == Case.child_id)
        .where(*_case_conditions(filt))
    )
    if filt.status == "overdue":
        query = query.where(
            Case.closed_at.is_(None), StageRecord.closed_at.is_(None), StageRecord.due_at < now
        )
    elif filt.status in ("resolved", "withdrawn"):
        query = query.where(
            Case.closed_at.is_not(None), StageRecord.outcome == StageOutcome(filt.status)
        )
    return query


def count_cases(session: Session, filt: CaseFilter, now: dt.datetime) -> int:
    """Return how many cases match ``filt``.

    Only the overdue, resolved and withdrawn filters look at the current stage;
    the others count cases alone, without reading a stage or child row for each.
    """
    if filt.status in _BY_STAGE:
        subquery = _base(filt, now).subquery()
        return int(session.scalar(select(func.count()).select_from(subquery)) or 0)
    query = select(func.count()).select_from(Case).where(*_case_conditions(filt))
    return int(session.scalar(query) or 0)


def _order(sort: str, descending: bool) -> list[UnaryExpression[Any]]:
    """Order by the chosen column (empty values last), then by reference."""
    keys: dict[str, list[Any]] = {
        "reference": [Case.reference],
        "child": [Child.identifier],
        "procedure": [Case.procedure_id, Case.procedure_version],
        "stage": [StageRecord.stage_id],
        "due": [StageRecord.due_at.is_(None), StageRecord.due_at],
        "status": [Case.closed_at.is_not(None), StageRecord.outcome],
    }
    chosen = keys.get(sort, keys["reference"])
    if sort != "reference":
        chosen = [*chosen, Case.reference]
    return [c.desc() if descending else c.asc() for c in chosen]


def _rows(
    session: Session, catalogue: Catalogue, ids: Any, order: list[Any], now: dt.datetime
) -> tuple[list[CaseRow], int]:
    """Read the full rows of the chosen ids, in order, with the total the ids carry."""
    query = (
        select(
            Case.id,
            Case.reference,
            Child.identifier,
            Child.initials,
            Case.procedure_id,
            Case.procedure_version,
            Case.procedure_sha256,
            Case.track_id,
            Case.closed_at,
            StageRecord.stage_id,
            StageRecord.closed_at,
            StageRecord.outcome,
            StageRecord.due_at,
            ids.c.total,
        )
        .join(ids, ids.c.id == Case.id)
        .join(StageRecord, StageRecord.id == Case.current_record_id)
        .join(Child, Child.id == Case.child_id)
        .order_by(*order)
    )
    rows, total = [], 0
    for (
        case_id,
        reference,
        identifier,
        initials,
        procedure_id,
        version,
        sha256,
        track_id,
        closed_at,
        stage_id,
        stage_closed,
        outcome,
        due,
        matches,
    ) in session.connection().execute(query):
        total = matches  # every row carries the same count
        procedure = definition(session, catalogue, procedure_id, version, sha256)
        last = LastStage(
            stage_id, stage_closed is not None, StageOutcome(outcome) if outcome else None, due
        )
        track = procedure.track(track_id)
        state = derive_state(track, last, closed_at is not None, now)
        rows.append(
            CaseRow(
                case_id,
                reference,
                f"{initials} ({identifier})",
                f"{procedure.short_name} {version}",
                stage_label(track, stage_id),
                state.due_at,
                state.status,
                state.overdue,
            )
        )
    return rows, int(total or 0)


def _page_ids(
    filt: CaseFilter, now: dt.datetime, order: list[Any], total: Any, offset: int, limit: int
) -> Any:
    """The ids of one page on the narrow sorted list, each with ``total`` beside it."""
    query = _base(filt, now).add_columns(total.label("total")).order_by(*order)
    return query.offset(offset).limit(limit).subquery()


def case_page(
    session: Session,
    catalogue: Catalogue,
    filt: CaseFilter,
    now: dt.datetime,
    sort: str = "due",
    descending: bool = False,
    offset: int = 0,
    limit: int = 200,
    *,
    from_end: bool = False,
) -> list[CaseRow]:
    """Return one page of dashboard rows: one query, whatever the page.

    The page's ids are chosen on the narrow sorted list first, then only those
    rows are read in full.

    Args:
        from_end: count ``offset`` from the last row instead (the order is reversed
            in SQL and the rows put back): the end of 50,000 rows costs what the
            start does, instead of stepping over every row before it.
    """
    order = _order(sort, descending != from_end)
    ids = _page_ids(filt, now, order, literal(0), offset, limit)
    rows, _none = _rows(session, catalogue, ids, order, now)
    if from_end:
        rows.reverse()
    return rows


def first_page(
    session: Session,
    catalogue: Catalogue,
    filt: CaseFilter,
    now: dt.datetime,
    sort: str = "due",
    descending: bool = False,
    limit: int = 200,
) -> tuple[list[CaseRow], int]:
    """Return the first page and how many cases match, in as few passes as the filter allows.

    A filter on the case row alone is counted on its own (an index count); one
    that needs the current stage or the search index is counted in the same
    pass that picks the first page's ids, so the search runs once, not twice.
    """
    if filt.status not in _BY_STAGE and not fts_query(filt.search):
        total = count_cases(session, filt, now)
        rows = case_page(session, catalogue, filt, now, sort, descending, 0, limit)
        return rows, total
    order = _order(sort, descending)
    ids = _page_ids(filt, now, order, func.count().over(), 0, limit)
    return _rows(session, catalogue, ids, order, now)


def due_summary(session: Session, now: dt.datetime, soon: dt.datetime) -> DueSummary:
    """Count open cases, overdue ones and those due before ``soon``."""
    open_stage = and_(Case.closed_at.is_(None), StageRecord.closed_at.is_(None))
    query = (
        select(
            func.count(),
            func.count().filter(and_(open_stage, StageRecord.due_at < now)),
            func.count().filter(
                and_(open_stage, StageRecord.due_at >= now, StageRecord.due_at < soon)
            ),
        )
        .select_from(Case)
        .join(StageRecord, StageRecord.id == Case.current_record_id)
        .where(Case.closed_at.is_(None))
    )
    total, overdue, due_soon = session.execute(query).one()
    return DueSummary(int(total), int(overdue), int(due_soon))


def next_reference(session: Session) -> str:
    """Suggest the next free case reference (ESC-0001, ESC-0002, ...)."""
    number = int(session.scalar(select(func.count()).select_from(Case)) or 0) + 1
    while session.scalar(select(Case.id).where(Case.reference == f"ESC-{number:04d}")):
        number += 1
    return f"ESC-{number:04d}"


def read_first_page(
    vault: Vault,
    catalogue: Catalogue,
    filt: CaseFilter,
    now: dt.datetime,
    sort: str = "due",
    descending: bool = False,
    limit: int = 200,
) -> tuple[list[CaseRow], int]:
    """Read the dashboard's first page and how many cases match, as :func:`first_page`."""
    with vault.sessions() as session:
        return first_page(session, catalogue, filt, now, sort, descending, limit)


def read_case_page(
    vault: Vault,
    catalogue: Catalogue,
    filt: CaseFilter,
    now: dt.datetime,
    sort: str,
    descending: bool,
    offset: int,
    limit: int,
    *,
    from_end: bool = False,
) -> list[CaseRow]:
    """Read one page of dashboard rows, as :func:`case_page`."""
    with vault.sessions() as session:
        return case_page(
            session, catalogue, filt, now, sort, descending, offset, limit, from_end=from_end
        )


def read_snippets(vault: Vault, words: str, case_ids: list[int]) -> dict[int, str]:
    """Read where ``words`` matched each of ``case_ids``, as :func:`match_snippets`."""
    with vault.sessions() as session:
        return match_snippets(session, words, case_ids)


def read_due_summary(vault: Vault, now: dt.datetime) -> DueSummary:
    """Count open cases, overdue ones and those due within the next working day."""
    with vault.sessions() as session:
        soon = working_calendar(session).add_working_days(now, 1)
        return due_summary(session, now, soon)
