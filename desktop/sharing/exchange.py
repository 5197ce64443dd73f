"""The JSON exchange format: validate everything before writing anything (export: export.py)."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from desktop.casework.case_opening import (
    ChildDetails,
    NewCase,
    Party,
    new_case_problems,
    open_case,
    reference_taken,
)
from desktop.casework.workflow import (
    add_action,
    close_case,
    effective_stages,
    escalate,
    finalise_stage,
    record_discussion,
    save_fields,
)
from desktop.errors import InvalidInput
from desktop.models import StageOutcome
from desktop.models.cases import PlanStatus
from desktop.procedures.catalogue import Catalogue
from desktop.procedures.workdays import WorkingCalendar, parse_instant
from desktop.storage import audit
from desktop.text.display import visible
from desktop.text.lines import line_problem

FORMAT = "escalation-recorder.cases/1"
MAX_FILE = 50 * 1024 * 1024
LIMITS = {"short": 200, "long": 100_000}
# One-line fields narrower than a name, as wide as their columns in desktop/models
# (a new case's own are checked with the case: casework.case_opening).
NARROW = {"mode": 50}
# In long text: controls other than tab and line breaks, and unpaired surrogates
# (JSON can spell them; no UTF-8 can hold them).
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
YEARS = (1900, 2100)  # dates outside these are typing errors, and overflow working-day sums
OUTCOMES = {o.value for o in StageOutcome}
PLANS = {p.value for p in PlanStatus}
FIELD_NAME = re.compile(r"[a-z][a-z0-9_]{0,59}")
SHA256 = re.compile(r"[0-9a-f]{64}")


class _Bad(Exception):
    def __init__(self, where: str, problem: str) -> None:
        super().__init__(f"{where}: {problem}")


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


@dataclass(frozen=True)
class ImportedCase:
    """One validated case from an exchange file."""

    case: NewCase
    stages: tuple[ImportedStage, ...]


def _text(
    data: dict[str, Any], key: str, where: str, size: str = "short", required: bool = True
) -> str:
    value = data.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        raise _Bad(f"{where}.{key}", "must be non-empty text")
    if size == "short":
        problem = line_problem(value, NARROW.get(key, LIMITS["short"]))
        if problem is not None:
            raise _Bad(f"{where}.{key}", problem)
    if len(value) > LIMITS[size]:
        raise _Bad(f"{where}.{key}", f"is longer than {LIMITS[size]:,} characters")
    if CONTROL.search(value):
        raise _Bad(f"{where}.{key}", "contains control characters")
    from desktop.documents.fonts import undrawable  # the fonts load only for an import

    if shown := undrawable(value):
        raise _Bad(f"{where}.{key}", f"contains {shown}, which the documents cannot print")
    return value


def _in_years(value: dt.date, where: str) -> None:
    if not YEARS[0] <= value.year <= YEARS[1]:
        raise _Bad(where, f"'{value.isoformat()}' is not between {YEARS[0]} and {YEARS[1]}")


def _when(value: Any, where: str, *, required: bool = True) -> dt.datetime | None:
    if value is None and not required:
        return None
    if not isinstance(value, str):
        raise _Bad(where, "must be an ISO 8601 date-time")
    if len(value) > 40:
        raise _Bad(where, "is too long to be a date-time")
    try:
        instant = parse_instant(value)
    except (ValueError, OverflowError):
        raise _Bad(where, f"'{value[:40]}' is not a real date-time") from None
    _in_years(instant, where)
    return instant


def _object(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _Bad(where, "must be an object")
    return value


def _party(value: Any, where: str) -> Party:
    data = _object(value, where)
    name, role, agency = (_text(data, k, where, required=False) for k in ("name", "role", "agency"))
    return Party(name, role, agency)


def _child(value: Any, where: str) -> ChildDetails:
    data = _object(value, where)
    born = data.get("date_of_birth")
    try:
        dob = dt.date.fromisoformat(born) if isinstance(born, str) else None
    except ValueError:
        raise _Bad(f"{where}.date_of_birth", f"'{str(born)[:20]}' is not a real date") from None
    if born is not None and dob is None:
        raise _Bad(f"{where}.date_of_birth", "must be a date (YYYY-MM-DD) or null")
    if dob is not None:
        _in_years(dob, f"{where}.date_of_birth")
    plan = data.get("plan_status", PlanStatus.NONE.value)
    if not isinstance(plan, str) or plan not in PLANS:
        raise _Bad(f"{where}.plan_status", f"must be one of {', '.join(sorted(PLANS))}")
    return ChildDetails(
        _text(data, "identifier", where, required=False),
        _text(data, "initials", where, required=False),
        dob,
        PlanStatus(plan),
    )


def _fields(value: Any, where: str, depth: int = 0) -> dict[str, Any]:
    """A stage form's fields: text, a tick (true/false) or, one level down, a small group."""
    data = _object(value, where)
    if len(data) > 60:
        raise _Bad(where, "holds more than 60 fields")
    fields: dict[str, Any] = {}
    for name, item in data.items():
        if not FIELD_NAME.fullmatch(name):
            raise _Bad(where, f"'{name[:40]}' is not a field name")
        if isinstance(item, str):
            fields[name] = _text(data, name, where, "long", required=False)
        elif item is None or isinstance(item, bool):
            fields[name] = item
        elif isinstance(item, dict) and depth == 0:
            fields[name] = _fields(item, f"{where}.{name}", depth + 1)
        else:
            raise _Bad(f"{where}.{name}", "must be text, true/false or null")
    return fields


def _stage(value: Any, where: str) -> ImportedStage:
    data = _object(value, where)
    opened = _when(data.get("opened_at"), f"{where}.opened_at")
    assert opened is not None
    discussions = []
    for n, item in enumerate(_list(data.get("discussions", []), f"{where}.discussions")):
        at = f"{where}.discussions[{n}]"
        d = _object(item, at)
        people = _list(d.get("participants", []), f"{at}.participants")
        if not all(isinstance(p, str) and line_problem(p) is None for p in people):
            raise _Bad(f"{at}.participants", "must be a list of names, each one plain line")
        when = _when(d.get("at"), f"{at}.at")
        assert when is not None
        discussions.append(
            (when, _text(d, "mode", at), people, _text(d, "notes", at, "long", required=False))
        )
    actions = []
    for n, item in enumerate(_list(data.get("actions", []), f"{where}.actions")):
        at = f"{where}.actions[{n}]"
        a = _object(item, at)
        actions.append(
            (
                _text(a, "action", at, "long"),
                _text(a, "owner", at),
                _when(a.get("due"), f"{at}.due", required=False),
            )
        )
    outcome = data.get("outcome")
    if outcome is not None and (not isinstance(outcome, str) or outcome not in OUTCOMES):
        raise _Bad(f"{where}.outcome", f"must be one of {', '.join(sorted(OUTCOMES))} or null")
    closed = _when(data.get("closed_at"), f"{where}.closed_at", required=False)
    if (closed is None) != (outcome is None):
        raise _Bad(where, "outcome and closed_at must both be set or both be null")
    if closed is not None and closed < opened:
        raise _Bad(f"{where}.closed_at", "is before opened_at")
    stage_id = data.get("stage")
    if not isinstance(stage_id, str):
        raise _Bad(f"{where}.stage", "must be a stage id")
    return ImportedStage(
        stage_id,
        opened,
        tuple(discussions),
        tuple(actions),
        StageOutcome(outcome) if outcome else None,
        closed,
        _fields(data.get("fields", {}), f"{where}.fields"),
    )


def _list(value: Any, where: str) -> list[Any]:
    if not isinstance(value, list):
        raise _Bad(where, "must be a list")
    return value


def _check_path(case: NewCase, stages: list[ImportedStage], catalogue: Catalogue) -> None:
    procedure = catalogue.for_new_case(
        case.procedure_id, case.procedure_version, case.procedure_sha256
    )
    try:
        track = procedure.track(case.track_id)
    except KeyError:
        raise _Bad("track", f"procedure {procedure.id} has no track '{case.track_id}'") from None
    if not stages:
        raise _Bad("stages", "must hold at least the entry stage")
    known = {s.id for s in track.stages}
    for n, stage in enumerate(stages):
        if stage.stage_id not in known:
            raise _Bad(f"stages[{n}].stage", f"'{stage.stage_id}' is not a stage of {track.id}")
    entry = track.entry(case.urgent).id
    if stages[0].stage_id != entry:
        raise _Bad("stages[0].stage", f"a case on this track starts at stage {entry}")
    for n in range(1, len(stages)):
        before = stages[n - 1]
        if stages[n].stage_id not in track.stage(before.stage_id).next:
            raise _Bad(
                f"stages[{n}].stage",
                f"stage {before.stage_id} cannot escalate to {stages[n].stage_id}",
            )
        if before.outcome is not StageOutcome.UNRESOLVED or before.closed_at is None:
            raise _Bad(f"stages[{n - 1}]", "a stage that escalated must be closed unresolved")
        if stages[n].opened_at < before.closed_at:
            raise _Bad(f"stages[{n}].opened_at", "is before the previous stage closed")


def _decision_date(value: Any) -> dt.date | None:
    if value is None:
        return None
    if not isinstance(value, str) or len(value) != 10:
        raise _Bad("decision_date", "must be a date (YYYY-MM-DD) or null")
    try:
        decided = dt.date.fromisoformat(value)
    except ValueError:
        raise _Bad("decision_date", f"'{value}' is not a real date") from None
    _in_years(decided, "decision_date")
    return decided


def _case(value: Any, index: int, catalogue: Catalogue) -> ImportedCase:
    label = f"number {index + 1}"
    try:
        data = _object(value, "case")
        reference = _text(data, "reference", "case", required=False)
        label = reference[:50] or label
        urgent = data.get("urgent", False)
        if not isinstance(urgent, bool):
            raise _Bad("urgent", "must be true or false")
        version = data.get("procedure_version")
        if version is not None and not isinstance(version, str):
            raise _Bad("procedure_version", "must be text or null")
        definition = data.get("procedure_sha256")  # the exact definition, when known here
        if definition is not None and not (
            isinstance(definition, str) and SHA256.fullmatch(definition)
        ):
            raise _Bad("procedure_sha256", "must be a SHA-256 in hexadecimal or null")
        stages = [
            _stage(s, f"stages[{n}]") for n, s in enumerate(_list(data.get("stages"), "stages"))
        ]
        new = NewCase(
            reference=reference,
            procedure_id=_text(data, "procedure", "case"),
            procedure_version=version,
            track_id=_text(data, "track", "case"),
            urgent=urgent,
            child=_child(data.get("child"), "child"),
            area=_text(data, "area", "case", "long", required=False),
            summary=_text(data, "summary", "case", "long", required=False),
            raised_by=_party(data.get("raised_by"), "raised_by"),
            other_party=_party(data.get("other_party"), "other_party"),
            opened_at=stages[0].opened_at if stages else dt.datetime.now(dt.UTC),
            decision_challenged=_text(data, "decision_challenged", "case", "long", required=False),
            decision_date=_decision_date(data.get("decision_date")),
            procedure_sha256=definition,
        )
        problems = new_case_problems(new)
        if problems:
            raise InvalidInput(_clause(problems[0]))
        _check_path(new, stages, catalogue)
    except (_Bad, InvalidInput) as error:
        said = visible(" ".join(str(error).split()))  # one line, whatever the file held
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
            if index:
                record = escalate(
                    session, audit_key, catalogue, calendar, case, stage.opened_at, stage.stage_id
                )
            for at, mode, people, notes in stage.discussions:
                record_discussion(session, audit_key, record, at, mode, people, notes)
            for action, owner, due in stage.actions:
                add_action(session, audit_key, record, action, owner, due)
            if stage.fields:
                save_fields(session, audit_key, record, stage.fields)
            if stage.outcome is StageOutcome.UNRESOLVED and stage.closed_at is not None:
                finalise_stage(session, audit_key, record, stage.outcome, stage.closed_at)
            elif stage.outcome is not None and stage.closed_at is not None:
                close_case(session, audit_key, case, stage.closed_at, stage.outcome)
    return len(cases)
