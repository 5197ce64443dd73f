"""Export in the exchange format: every case (or one, or one child's) with its derived state.

The document is built by SQLite itself and streamed as UTF-8; see the comment
above ``_CASES_SQL`` for why.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager, closing
from typing import Any

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from desktop.casework.workflow import LastStage, derive_state
from desktop.errors import UnknownCase
from desktop.models import StageOutcome, stored_text
from desktop.procedures.catalogue import Catalogue
from desktop.procedures.store import remember_definitions
from desktop.sharing.exchange import FORMAT
from desktop.storage import audit
from desktop.storage.vault import Vault


def _iso_sql(column: str) -> str:
    """SQL turning a stored UTC time ("YYYY-MM-DD HH:MM:SS.ffffff") into ISO 8601 +00:00.

    As Python's isoformat() writes it: no fraction when the microseconds are
    zero (".000000" can only be the fraction). NULL stays NULL.
    """
    return f"replace(replace({column}, '.000000', ''), ' ', 'T') || '+00:00'"


def _flag_sql(condition: str) -> str:
    """Return SQL for a JSON true or false.

    json('true') is a constant SQLite computes once per query; the earlier
    json(CASE ...) was parsed again for every stage (a fifth of the export).
    """
    return f"CASE WHEN {condition} THEN json('true') ELSE json('false') END"


def _party_sql(prefix: str) -> str:
    return (
        f"json_object('name', c.{prefix}_name, 'role', c.{prefix}_role, "
        f"'agency', c.{prefix}_agency)"
    )


# Each case is assembled as JSON by SQLite itself (JSON1, inside the encrypted
# database), with its stages, discussions and actions: 50,000 cases export in
# about a second instead of building half a million Python dicts. Python adds
# only the derived state, from each case's latest effective stage (the one the
# workflow keeps in current_record_id). A stage's object goes into the array as
# JSON directly: wrapping it in json() again re-parsed every stage (a third of
# the time).
_EFFECTIVE = "NOT EXISTS (SELECT 1 FROM stage_record x WHERE x.corrects_id = s.id)"
_STAGE_JSON = f"""json_object(
    'stage', s.stage_id,
    'opened_at', {_iso_sql("s.opened_at")},
    'discussions', (SELECT json_group_array(json_object(
        'at', {_iso_sql("d.at")}, 'mode', d.mode,
        'participants', json(d.participants_json), 'notes', d.notes) ORDER BY d.at, d.id)
        FROM discussion d WHERE d.stage_record_id = s.id),
    'actions', (SELECT json_group_array(json_object(
        'action', a.action, 'owner', a.owner, 'due', {_iso_sql("a.due_at")}) ORDER BY a.id)
        FROM agreed_action a WHERE a.stage_record_id = s.id),
    'outcome', s.outcome,
    'closed_at', {_iso_sql("s.closed_at")},
    'fields', json(s.fields_json),
    'due_at', {_iso_sql("s.due_at")},
    'due_outside_working_time', {_flag_sql("s.due_outside_working_time")},
    'overdue', {_flag_sql("s.closed_at IS NULL AND s.due_at < :now")},
    'incomplete_because', s.incomplete_because,
    'events', json(coalesce(s.events_json, '{{}}')))"""  # noqa: S608 - constants only
_CASES_SQL = f"""
SELECT c.procedure_id, c.procedure_version, c.procedure_sha256, c.track_id,
    c.closed_at IS NOT NULL, last.stage_id, last.closed_at IS NOT NULL, last.outcome,
    CAST(json_object(
        'reference', c.reference, 'procedure', c.procedure_id,
        'procedure_version', c.procedure_version, 'track', c.track_id,
        'urgent', {_flag_sql("c.urgent")},
        'child', json_object('identifier', ch.identifier, 'initials', ch.initials,
                             'date_of_birth', ch.date_of_birth, 'plan_status', ch.plan_status),
        'area', c.area, 'summary', c.summary,
        'decision_challenged', c.decision_challenged, 'decision_date', c.decision_date,
        'decision_time', c.decision_time, 'priority', c.priority,
        'raised_by', {_party_sql("raised_by")}, 'other_party', {_party_sql("other_party")},
        'stages', (SELECT json_group_array({_STAGE_JSON} ORDER BY s.sequence, s.id)
                   FROM stage_record s WHERE s.case_id = c.id AND {_EFFECTIVE})) AS BLOB)
FROM escalation_case c
JOIN child ch ON ch.id = c.child_id
JOIN stage_record last ON last.id = c.current_record_id
WHERE (:reference IS NULL OR c.reference = :reference)
  AND (:child IS NULL OR ch.identifier = :child)
  AND c.reference >= :from_reference AND (:to_reference IS NULL OR c.reference < :to_reference)
ORDER BY c.reference
"""  # noqa: S608 - only constant column names are interpolated, never input


_ROWS_PER_PIECE = 256
# From this many cases, a whole export reads its second half on a second
# connection and thread while the first half is written (SQLite builds JSON on
# both CPUs at once): 50,000 cases in about two-thirds of the time. Below it the
# second connection's set-up is not worth it.
SPLIT_FROM = 4_000

Row = tuple[Any, ...]
Reader = Callable[[], AbstractContextManager[Any]]


class ExportStream:
    """The exchange document in UTF-8 pieces, a few hundred cases each; ``count`` once consumed.

    SQLite hands each case's JSON over as UTF-8 bytes (CAST AS BLOB), so 75 MB
    for 50,000 cases is never decoded, joined and encoded again in Python.
    """

    def __init__(
        self,
        session: Session,
        catalogue: Catalogue,
        now: dt.datetime,
        parameters: dict[str, Any],
        reader: Reader | None,
    ) -> None:
        self._session, self._catalogue, self._now = session, catalogue, now
        self._parameters, self._reader = parameters, reader
        self.count = 0

    def __iter__(self) -> Iterator[bytes]:
        yield json.dumps({"format": FORMAT})[:-1].encode() + b', "cases": ['
        middle = self._middle()
        if middle is None:
            pieces = self._pieces(self._read_here(None), after_cases=False)
        else:
            pieces = self._in_two(middle)
        for piece, count in pieces:
            self.count += count
            yield piece
        yield b"]}\n"

    def _in_two(self, middle: str) -> Iterator[tuple[bytes, int]]:
        """The first half read and rendered here while a second thread does the rest."""
        stop = threading.Event()
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="export") as pool:
            later = pool.submit(self._render_apart, middle, stop)
            try:
                yield from self._pieces(self._read_here(middle), after_cases=False)
                yield from later.result()
            finally:
                stop.set()  # the consumer gave up (a failed write): the thread stops too

    def _middle(self) -> str | None:
        """The reference the second half starts at, or None to read in one go."""
        if self._reader is None or self._parameters["reference"] or self._parameters["child"]:
            return None
        count = self._session.scalar(text("SELECT count(*) FROM escalation_case")) or 0
        if count < SPLIT_FROM:
            return None
        middle: str = self._session.scalar(
            text("SELECT reference FROM escalation_case ORDER BY reference LIMIT 1 OFFSET :half"),
            {"half": count // 2},
        )
        return middle

    def _read_here(self, to_reference: str | None) -> Iterator[Sequence[Row]]:
        """Rows up to ``to_reference`` (or all) from the session's connection, in batches."""
        cursor = self._session.connection().connection.cursor()
        try:
            cursor.execute(_CASES_SQL, {**self._parameters, "to_reference": to_reference})
            while rows := cursor.fetchmany(_ROWS_PER_PIECE):
                yield rows
        finally:
            cursor.close()

    def _render_apart(self, from_reference: str, stop: threading.Event) -> list[tuple[bytes, int]]:
        """On the second thread: cases from ``from_reference`` on, on a connection of its own."""
        assert self._reader is not None
        parameters = {**self._parameters, "from_reference": from_reference, "to_reference": None}
        with self._reader() as connection:
            cursor = connection.execute(_CASES_SQL, parameters)

            def batches() -> Iterator[Sequence[Row]]:
                while not stop.is_set() and (rows := cursor.fetchmany(_ROWS_PER_PIECE)):
                    yield rows

            return list(self._pieces(batches(), after_cases=True))

    def _pieces(
        self, batches: Iterator[Sequence[Row]], *, after_cases: bool
    ) -> Iterator[tuple[bytes, int]]:
        """Each batch of case rows as one piece of the document (cases, separators, state)."""
        # The case-level state (status, current and next stage) does not depend on
        # the due time, so a few hundred distinct positions cover 50,000 cases.
        endings: dict[Row, bytes] = {}
        separator = b",\n" if after_cases else b""
        for rows in batches:
            pieces: list[bytes] = []
            for *position, case_json in rows:
                key = tuple(position)
                ending = endings.get(key)
                if ending is None:
                    state = _state_text(self._catalogue, position, self._now)
                    ending = endings[key] = f", {state}}}".encode()
                pieces += (separator, case_json[:-1], ending)
                separator = b",\n"
            yield b"".join(pieces), len(rows)


def export_stream(
    session: Session,
    catalogue: Catalogue,
    now: dt.datetime,
    reference: str | None = None,
    child: str | None = None,
    reader: Reader | None = None,
) -> ExportStream:
    """Return every case (or one, or one child's) as exchange-format UTF-8 pieces.

    One query whatever the number of cases (two, on two threads, for a large
    export when ``reader`` opens another read-only connection to the same vault,
    as ``Vault.reader`` does); the derived state is computed from each case's
    latest stage and reused for every case in the same position.

    Raises:
        UnknownCase: there is no case ``reference``.
    """
    if reference is not None and not session.scalar(
        text("SELECT 1 FROM escalation_case WHERE reference = :r"), {"r": reference}
    ):
        raise UnknownCase(reference)
    remember_definitions(session, catalogue)  # read here: the state is derived on two threads
    parameters = {
        "now": stored_text(now),
        "reference": reference,
        "child": child,
        "from_reference": "",
        "to_reference": None,
    }
    return ExportStream(session, catalogue, now, parameters, reader)


def export_json(
    session: Session,
    catalogue: Catalogue,
    now: dt.datetime,
    reference: str | None = None,
    child: str | None = None,
    reader: Reader | None = None,
) -> tuple[str, int]:
    """Return every case (or one, or one child's) as exchange-format JSON text, and how many."""
    stream = export_stream(session, catalogue, now, reference, child, reader)
    return b"".join(stream).decode("utf-8"), stream.count


def export_audited(
    vault: Vault,
    catalogue: Catalogue,
    now: dt.datetime,
    deliver: Callable[[Iterable[bytes]], None],
    reference: str | None = None,
) -> int:
    """Export every case (or one) to ``deliver``, audited before the first byte leaves.

    ``export.started`` is committed first (with the number of cases, or the
    case); then ``cases.exported`` (``case.exported``) when every piece was
    delivered, or ``export.incomplete`` with how many cases were handed over
    when delivery stopped (a closed pipe, a full disk, an interruption).

    Returns:
        How many cases were exported.

    Raises:
        UnknownCase: there is no case ``reference``.
    """
    sessions, audit_key = vault.sessions, vault.audit_key
    with sessions.begin() as session:
        entity, entity_id = _exported(session, reference)
        audit.record(session, audit_key, "export.started", entity, entity_id)
    delivered = 0
    try:
        with sessions() as session:
            stream = export_stream(session, catalogue, now, reference, reader=vault.reader)

            def pieces() -> Generator[bytes, None, None]:
                nonlocal delivered
                for piece in stream:
                    yield piece
                    delivered = stream.count  # the consumer asked for more: this one went

            with closing(pieces()) as counted:
                deliver(counted)
    except BaseException:
        _record_incomplete(sessions, audit_key, entity, entity_id if entity else delivered)
        raise
    done = "case.exported" if reference is not None else "cases.exported"
    with sessions.begin() as session:
        audit.record(session, audit_key, done, entity, entity_id if entity else stream.count)
    return stream.count


def _exported(session: Session, reference: str | None) -> tuple[str | None, int]:
    """The audit event's subject: ("case", its id) for one case, else (None, how many)."""
    if reference is None:
        return None, session.scalar(text("SELECT count(*) FROM escalation_case")) or 0
    case_id = session.scalar(
        text("SELECT id FROM escalation_case WHERE reference = :r"), {"r": reference}
    )
    if case_id is None:
        raise UnknownCase(reference)
    return "case", int(case_id)


def _record_incomplete(
    sessions: sessionmaker[Session],
    audit_key: audit.AuditKey,
    entity: str | None,
    entity_id: int,
) -> None:
    """Mark a started export as cut short; the start stays recorded if even this fails."""
    try:
        with sessions.begin() as session:
            audit.record(session, audit_key, "export.incomplete", entity, entity_id)
    except SQLAlchemyError:
        pass  # the vault cannot be written now (full disk): the started event stands


def _state_text(catalogue: Catalogue, position: list[Any], now: dt.datetime) -> str:
    procedure_id, version, sha256, track_id, case_closed, stage_id, closed, outcome = position
    track = catalogue.resolve(procedure_id, version, sha256).track(track_id)
    last = LastStage(stage_id, bool(closed), StageOutcome(outcome) if outcome else None, None)
    state = derive_state(track, last, bool(case_closed), now)
    text_ = json.dumps(
        {
            "status": state.status,
            "current_stage": state.current_stage,
            "next_stage": state.next_stages[0] if state.next_stages else None,
            "next_stages": list(state.next_stages),
        },
        ensure_ascii=False,
    )
    return text_[1:-1]


def export_cases(
    session: Session,
    catalogue: Catalogue,
    now: dt.datetime,
    reference: str | None = None,
    child: str | None = None,
) -> dict[str, Any]:
    """Return every case (or one, or one child's) in the exchange format, parsed."""
    exported: dict[str, Any] = json.loads(export_json(session, catalogue, now, reference, child)[0])
    return exported
