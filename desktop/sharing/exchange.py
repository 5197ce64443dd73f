"""The JSON exchange format: validate everything before writing anything (export: export.py)."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from desktop.casework.case_opening import (
    NewCase,
    new_case_problems,
    open_case,
    reference_taken,
)
from desktop.casework.clocks import RISK_EVENT
from desktop.casework.closing import reopen
from desktop.casework.stage_entry import missing_records, stored_values
from desktop.casework.stage_times import keep_times
from desktop.casework.workflow import (
    add_action,
    close_case,
    effective_stages,
    escalate,
    finalise_stage,
    procedure_of,
    record_discussion,
    save_fields,
)
from desktop.errors import InvalidInput
from desktop.models import Case, StageOutcome, StageRecord
from desktop.procedures.catalogue import Catalogue, Procedure, Track
from desktop.procedures.workdays import WorkingCalendar
from desktop.sharing.exchange_values import (
    OUTCOMES,
    BadValue,
    in_years,
    read_child,
    read_event_times,
    read_fields,
    read_list,
    read_object,
    read_party,
    read_text,
    read_when,
)
from desktop.storage import audit
from desktop.text.display import visible
from desktop.text.lines import line_problem

FORMAT = "escalation-recorder.cases/1"
MAX_FILE = 50 * 1024 * 1024
SHA256 = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class ImportedStage:
    """One validated stage from an exchange file."""

    stage_id: str
    opened_at: dt.datetime
    discussions: tuple[tuple[dt.datetime, str, list[str], str], ...]
    actions: tuple[tuple[str, str, dt.datetime | None], ...]
    outcome: StageOutcome | None
    closed_at: dt.datetime | None
    fields: dict[str, Any]
    incomplete_because: str | None = None
    events: tuple[tuple[str, dt.datetime], ...] = ()  # what the stage's clocks count from
    due_at: dt.datetime | None = None  # kept where the user set it (a review time)


@dataclass(frozen=True)
class ImportedCase:
    """One validated case from an exchange file."""

    case: NewCase
    stages: tuple[ImportedStage, ...]


def _stage(value: Any, where: str) -> ImportedStage:
    data = read_object(value, where)
    opened = read_when(data.get("opened_at"), f"{where}.opened_at")
    assert opened is not None
    discussions = []
    for n, item in enumerate(read_list(data.get("discussions", []), f"{where}.discussions")):
        at = f"{where}.discussions[{n}]"
        d = read_object(item, at)
        people = read_list(d.get("participants", []), f"{at}.participants")
        if not all(isinstance(p, str) and line_problem(p) is None for p in people):
            raise BadValue(f"{at}.participants", "must be a list of names, each one plain line")
        when = read_when(d.get("at"), f"{at}.at")
        assert when is not None
        discussions.append(
            (
                when,
                read_text(d, "mode", at),
                people,
                read_text(d, "notes", at, "long", required=False),
            )
        )
    actions = []
    for n, item in enumerate(read_list(data.get("actions", []), f"{where}.actions")):
        at = f"{where}.actions[{n}]"
        a = read_object(item, at)
        actions.append(
            (
                read_text(a, "action", at, "long"),
                read_text(a, "owner", at),
                read_when(a.get("due"), f"{at}.due", required=False),
            )
        )
    outcome = data.get("outcome")
    if outcome is not None and (not isinstance(outcome, str) or outcome not in OUTCOMES):
        raise BadValue(f"{where}.outcome", f"must be one of {', '.join(sorted(OUTCOMES))} or null")
    closed = read_when(data.get("closed_at"), f"{where}.closed_at", required=False)
    if (closed is None) != (outcome is None):
        raise BadValue(where, "outcome and closed_at must both be set or both be null")
    if closed is not None and closed < opened:
        raise BadValue(f"{where}.closed_at", "is before opened_at")
    stage_id = data.get("stage")
    if not isinstance(stage_id, str):
        raise BadValue(f"{where}.stage", "must be a stage id")
    return ImportedStage(
        stage_id,
        opened,
        tuple(discussions),
        tuple(actions),
        StageOutcome(outcome) if outcome else None,
        closed,
        read_fields(data.get("fields", {}), f"{where}.fields"),
        read_text(data, "incomplete_because", where, "long", required=False) or None,
        tuple(read_event_times(data.get("events"), f"{where}.events").items()),
        read_when(data.get("due_at"), f"{where}.due_at", required=False),
    )


def _check_path(case: NewCase, stages: list[ImportedStage], catalogue: Catalogue) -> None:
    procedure = catalogue.for_new_case(
        case.procedure_id, case.procedure_version, case.procedure_sha256
    )
    try:
        track = procedure.track(case.track_id)
    except KeyError:
        raise BadValue(
            "track", f"procedure {procedure.id} has no track '{case.track_id}'"
        ) from None
    if case.priority is not None and case.priority not in dict(procedure.priorities):
        raise BadValue("priority", f"procedure {procedure.id} has no priority '{case.priority}'")
    if not stages:
        raise BadValue("stages", "must hold at least the entry stage")
    known = {s.id for s in track.stages}
    for n, stage in enumerate(stages):
        if stage.stage_id not in known:
            raise BadValue(f"stages[{n}].stage", f"'{stage.stage_id}' is not a stage of {track.id}")
    _check_events(procedure, track, stages)
    area = procedure.area(case.area)
    entries = {
        track.entry(case.urgent).id,
        *(area.entry if area and area.track == track.id else ()),
    }
    if stages[0].stage_id not in entries:
        raise BadValue(
            "stages[0].stage",
            f"a case on this track starts at stage {' or '.join(sorted(entries))}",
        )
    for n in range(1, len(stages)):
        before = stages[n - 1]
        if before.closed_at is None or before.outcome is None:
            raise BadValue(f"stages[{n - 1}]", "a stage followed by another must be closed")
        if stages[n].opened_at < before.closed_at:
            raise BadValue(f"stages[{n}].opened_at", "is before the previous stage closed")
        if stages[n].stage_id == before.stage_id:
            continue  # the case was reopened at the stage it had closed at
        if stages[n].stage_id not in track.stage(before.stage_id).next:
            raise BadValue(
                f"stages[{n}].stage",
                f"stage {before.stage_id} cannot escalate to {stages[n].stage_id}",
            )
        if before.outcome is not StageOutcome.UNRESOLVED:
            raise BadValue(f"stages[{n - 1}]", "a stage that escalated must be closed unresolved")


def _check_events(procedure: Procedure, track: Track, stages: list[ImportedStage]) -> None:
    """Refuse an event a stage does not have (its own, or a risk the case was opened under)."""
    risks = {f"{RISK_EVENT}{r.id}" for r in procedure.redirects_at("start")}
    for n, stage in enumerate(stages):
        events = risks | {e.id for e in track.stage(stage.stage_id).events}
        for name, _at in stage.events:
            if name not in events:
                raise BadValue(
                    f"stages[{n}].events", f"stage {stage.stage_id} has no event '{name}'"
                )


def _decision_date(value: Any) -> dt.date | None:
    if value is None:
        return None
    if not isinstance(value, str) or len(value) != 10:
        raise BadValue("decision_date", "must be a date (YYYY-MM-DD) or null")
    try:
        decided = dt.date.fromisoformat(value)
    except ValueError:
        raise BadValue("decision_date", f"'{value}' is not a real date") from None
    in_years(decided, "decision_date")
    return decided


def _optional_text(data: dict[str, Any], key: str) -> str:
    """Return a short text value that may be null or absent (then empty)."""
    return read_text(data, key, "case", required=False) if data.get(key) is not None else ""


def _case(value: Any, index: int, catalogue: Catalogue) -> ImportedCase:
    label = f"number {index + 1}"
    try:
        data = read_object(value, "case")
        reference = read_text(data, "reference", "case", required=False)
        label = reference[:50] or label
        urgent = data.get("urgent", False)
        if not isinstance(urgent, bool):
            raise BadValue("urgent", "must be true or false")
        version = data.get("procedure_version")
        if version is not None and not isinstance(version, str):
            raise BadValue("procedure_version", "must be text or null")
        definition = data.get("procedure_sha256")  # the exact definition, when known here
        if definition is not None and not (
            isinstance(definition, str) and SHA256.fullmatch(definition)
        ):
            raise BadValue("procedure_sha256", "must be a SHA-256 in hexadecimal or null")
        stages = [
            _stage(s, f"stages[{n}]") for n, s in enumerate(read_list(data.get("stages"), "stages"))
        ]
        new = NewCase(
            reference=reference,
            procedure_id=read_text(data, "procedure", "case"),
            procedure_version=version,
            track_id=read_text(data, "track", "case"),
            urgent=urgent,
            child=read_child(data.get("child"), "child"),
            area=read_text(data, "area", "case", "long", required=False),
            summary=read_text(data, "summary", "case", "long", required=False),
            raised_by=read_party(data.get("raised_by"), "raised_by"),
            other_party=read_party(data.get("other_party"), "other_party"),
            opened_at=stages[0].opened_at if stages else dt.datetime.now(dt.UTC),
            decision_challenged=read_text(
                data, "decision_challenged", "case", "long", required=False
            ),
            decision_date=_decision_date(data.get("decision_date")),
            decision_time=_optional_text(data, "decision_time"),
            priority=_optional_text(data, "priority") or None,
            procedure_sha256=definition,
            entry_stage=stages[0].stage_id if stages else None,
        )
        problems = new_case_problems(new)
        if problems:
            raise InvalidInput(_clause(problems[0]))
        _check_path(new, stages, catalogue)
    except (BadValue, InvalidInput) as error:
        said = visible(" ".join(str(error).split())).removesuffix(".")  # one line, one stop
        raise InvalidInput(
            f"Case {visible(' '.join(label.split()))}: {said}; nothing was imported."
        ) from None
    return ImportedCase(new, tuple(stages))


def _clause(sentence: str) -> str:
    """A sentence as a clause that follows "Case X: " ("Give the..." becomes "give the...")."""
    return sentence[:1].lower() + sentence[1:].removesuffix(".")


def load_json(raw: bytes, what: str, consequence: str) -> Any:
    """Parse JSON from a file or package; any failure is one sentence about ``what``.

    Raises:
        InvalidInput: not UTF-8 JSON, nested too deeply, or a number too long to read.
    """
    try:
        return json.loads(raw.decode("utf-8"))
    except RecursionError:
        raise InvalidInput(f"{what} is nested too deeply to be read; {consequence}.") from None
    except json.JSONDecodeError as error:
        raise InvalidInput(f"{what} is not valid JSON ({error}); {consequence}.") from None
    except UnicodeDecodeError:
        raise InvalidInput(f"{what} is not UTF-8 text; {consequence}.") from None
    except ValueError:  # Python refuses to read an integer of more than 4,300 digits
        raise InvalidInput(f"{what} holds a number with too many digits; {consequence}.") from None


def parse_exchange(raw: bytes, catalogue: Catalogue, existing: set[str]) -> list[ImportedCase]:
    """Validate a whole exchange file; raise InvalidInput naming the first bad case.

    Args:
        existing: references already in the vault (an import never overwrites).
    """
    if len(raw) > MAX_FILE:
        raise InvalidInput("The file is larger than 50 MB; nothing was imported.")
    data = load_json(raw, "The file", "nothing was imported")
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise InvalidInput(f"The file is not in the {FORMAT} format; nothing was imported.")
    if not isinstance(data.get("cases"), list):
        raise InvalidInput("The file's 'cases' must be a list; nothing was imported.")
    cases = [_case(item, n, catalogue) for n, item in enumerate(data["cases"])]
    seen = set(existing)
    for item in cases:
        if item.case.reference in seen:
            taken = _clause(reference_taken(item.case.reference))
            raise InvalidInput(f"Case {item.case.reference}: {taken}; nothing was imported.")
        seen.add(item.case.reference)
    return cases


def _not_in_the_file(catalogue: Catalogue, case: Case, record: StageRecord) -> str | None:
    """Say which required records a file's ended stage lacks (shown as records incomplete)."""
    _procedure, track = procedure_of(catalogue, case)
    gaps = missing_records(track.stage(record.stage_id), stored_values(record))
    return f"Not recorded in the imported file: {'; '.join(gaps)}." if gaps else None


def import_cases(
    session: Session,
    audit_key: audit.AuditKey,
    catalogue: Catalogue,
    calendar: WorkingCalendar,
    cases: list[ImportedCase],
) -> int:
    """Write validated cases in the caller's transaction; return how many."""
    for item in cases:
        case = open_case(session, audit_key, catalogue, calendar, item.case)
        for index, stage in enumerate(item.stages):
            record = effective_stages(case)[-1]
            if index and stage.stage_id == record.stage_id:
                record = reopen(session, audit_key, catalogue, calendar, case, stage.opened_at, "")
            elif index:
                record = escalate(
                    session, audit_key, catalogue, calendar, case, stage.opened_at, stage.stage_id
                )
            for at, mode, people, notes in stage.discussions:
                record_discussion(session, audit_key, record, at, mode, people, notes)
            for action, owner, due in stage.actions:
                add_action(session, audit_key, record, action, owner, due)
            if stage.fields:
                save_fields(session, audit_key, record, stage.fields)
            keep_times(calendar, catalogue, case, record, dict(stage.events), stage.due_at)
            because = stage.incomplete_because or _not_in_the_file(catalogue, case, record)
            if stage.outcome is StageOutcome.UNRESOLVED and stage.closed_at is not None:
                finalise_stage(session, audit_key, record, stage.outcome, stage.closed_at, because)
            elif stage.outcome is not None and stage.closed_at is not None:
                close_case(session, audit_key, case, stage.closed_at, stage.outcome, because)
    return len(cases)
