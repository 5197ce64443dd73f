"""Recording a stage: what its form asks for, what is missing, and the services that save it.

The form is generated from the stage's ``record`` list in the procedure data
and the field registry (``desktop/procedures/fields.py``). A value that was
given must be well formed at any time; the records the procedure requires
(the stage's ``requires``) are checked when the stage ends, and a stage may end
without them only with the reason they are incomplete: urgent safeguarding
never waits for paperwork. The services take the open vault, ids and plain
values, own their transaction and return frozen dataclasses.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from desktop.casework.closing import CLOSING_KEYS, close_with, closing_from, offers
from desktop.casework.settings import working_calendar
from desktop.casework.workflow import (
    add_action,
    effective_stages,
    escalate,
    procedure_of,
    record_discussion,
    save_fields,
)
from desktop.errors import InvalidInput
from desktop.models import Case, StageOutcome, StageRecord
from desktop.procedures import fields
from desktop.procedures.catalogue import Catalogue, Redirect, Stage, Track
from desktop.procedures.fields import CONTROLS, ESCALATE_TO, INCOMPLETE_BECAUSE, Kind, Store
from desktop.storage import audit
from desktop.storage.vault import Vault

TEXT_FIELDS = fields.names(Kind.TEXT)  # the passages, for the correction dialog
CARRIED = ("concern", "concern_expected", "concern_why", "concern_needed", "outcome_sought")


@dataclass(frozen=True)
class NextOption:
    """A stage the current one may escalate to, in the procedure's words."""

    stage_id: str
    title: str
    words: str  # the procedure's words for this choice (its heading), or the title


@dataclass(frozen=True)
class StageEntry:
    """What the form for a case's current stage shows: the stage, a saved draft, a start."""

    case_id: int
    reference: str
    record_id: int
    stage: Stage
    draft: Mapping[str, Any]
    start: Mapping[str, Any]  # what the form shows when there is no draft
    next_options: tuple[NextOption, ...] = ()
    closing_offers: tuple[Redirect, ...] = ()  # offered if this stage closes the case


@dataclass(frozen=True)
class StageRecorded:
    """What recording a stage did: the outcome chosen and where the case is now."""

    case_id: int
    record_id: int
    outcome: str  # "" when the stage stays open
    case_closed: bool


def next_options(track: Track, stage: Stage) -> tuple[NextOption, ...]:
    """Return the stages ``stage`` may escalate to, each with the procedure's words for it."""
    return tuple(
        NextOption(s, track.stage(s).title, track.stage(s).branch_guidance or track.stage(s).title)
        for s in stage.next
    )


def missing_records(stage: Stage, values: Mapping[str, Any]) -> list[str]:
    """Return the records the procedure requires at this stage that are still empty (labels)."""
    return [
        stage.label(name)
        for name in stage.requires
        if fields.is_empty(fields.named(name), values.get(name))
    ]


def incomplete_sentence(stage: Stage, gaps: list[str]) -> str:
    """The one sentence refusing to end a stage whose required records are missing."""
    return (
        f"Stage {stage.id} cannot end yet: still to record: {'; '.join(gaps)} (record them, "
        "or give the reason they are incomplete)."
    )


def missing(stage: Stage, values: Mapping[str, Any]) -> list[str]:
    """Return, in plain words, what keeps ``values`` from being saved on ``stage``.

    Every value given must be well formed; values that choose an outcome end
    the stage, so the outcome, the stage to escalate to (where there is a
    choice) and the records the stage requires are checked too, unless the
    reason they are incomplete is given.
    """
    problems: list[str] = []
    for name in stage.record:
        problems += fields.problems(fields.named(name), values.get(name))
    outcome = values.get("outcome")
    if outcome:
        problems += fields.problems(fields.named("outcome"), outcome)
        if (
            outcome == "unresolved"
            and len(stage.next) > 1
            and values.get(ESCALATE_TO) not in (stage.next)
        ):
            problems.append(f"Choose the stage to escalate to: {', '.join(stage.next)}.")
        gaps = missing_records(stage, values)
        if gaps and not str(values.get(INCOMPLETE_BECAUSE) or "").strip():
            problems.append(incomplete_sentence(stage, gaps))
    return list(dict.fromkeys(problems))


def _store(name: str) -> Store:
    """Where a value is kept."""
    return fields.named(name).store if name in fields.NAMES else Store.FIELDS


def load_draft(record: StageRecord) -> dict[str, Any]:
    """Return the saved draft of a stage form, or an empty one."""
    if not record.draft_json:
        return {}
    loaded = json.loads(record.draft_json)
    return loaded if isinstance(loaded, dict) else {}


def stored_values(record: StageRecord) -> dict[str, Any]:
    """Return what a stage record holds, in the form's shape (rows as the form gives them)."""
    values: dict[str, Any] = json.loads(record.fields_json or "{}")
    if record.discussions:
        last = record.discussions[-1]
        values["discussion"] = {
            "at": last.at.astimezone(dt.UTC).isoformat(),
            "mode": last.mode,
            "participants": "; ".join(json.loads(last.participants_json)),
            "notes": last.notes,
        }
    if record.actions:
        values["agreed_actions"] = [
            {"action": a.action, "owner": a.owner, "due": a.due_at.isoformat() if a.due_at else ""}
            for a in record.actions
        ]
    return values


def _case(session: Session, case_id: int) -> Case:
    case = session.get(Case, case_id)
    if case is None:
        raise InvalidInput("That case is no longer in the vault.")
    return case


def _start(case: Case, record: StageRecord, stage: Stage) -> dict[str, Any]:
    """What a stage's form starts from: its own saved record, else the last stage's concern."""
    start: dict[str, Any] = {}
    earlier = [r for r in effective_stages(case) if r.sequence < record.sequence]
    if earlier:
        before = stored_values(earlier[-1])
        start = {
            name: before[name] for name in CARRIED if name in stage.record and before.get(name)
        }
    if "parties" in stage.record:
        start["parties"] = _parties(case, stage, first=not earlier)
    return {**start, **stored_values(record)}


def _parties(case: Case, stage: Stage, first: bool) -> dict[str, dict[str, str]]:
    """This stage's parties as the form starts them: the case's at the first, else the roles."""
    if first:
        names = (case.raised_by_name, case.other_party_name)
        roles = (case.raised_by_role, case.other_party_role)
    else:
        names, roles = ("", ""), (stage.raising_role, stage.receiving_role)
    agencies = (case.raised_by_agency, case.other_party_agency)
    return {
        side: {"name": name, "role": role, "agency": agency}
        for side, name, role, agency in zip(
            ("raising", "receiving"), names, roles, agencies, strict=True
        )
    }


def read_entry(vault: Vault, catalogue: Catalogue, case_id: int) -> StageEntry:
    """Return the current stage of a case, for its form, with the draft kept of it."""
    with vault.sessions() as session:
        case = _case(session, case_id)
        record = effective_stages(case)[-1]
        procedure, track = procedure_of(catalogue, case)
        stage = track.stage(record.stage_id)
        return StageEntry(
            case.id,
            case.reference,
            record.id,
            stage,
            load_draft(record),
            _start(case, record, stage),
            next_options(track, stage),
            offers(procedure),
        )


def save_draft(vault: Vault, record_id: int, values: Mapping[str, Any]) -> bool:
    """Keep an unfinished form inside the vault so nothing typed is lost.

    Returns:
        False, with nothing kept, when the stage is finalised (or gone): a
        finalised stage has no draft.
    """
    with vault.sessions.begin() as session:
        record = session.get(StageRecord, record_id)
        if record is None or record.finalised_at is not None:
            return False
        record.draft_json = json.dumps(values, ensure_ascii=False, sort_keys=True)
        audit.record(session, vault.audit_key, "stage.draft_saved", "stage", record.id)
    return True


def refuse_unasked(stage: Stage, values: Mapping[str, Any], also: frozenset[str]) -> None:
    """Refuse a value for a field the stage does not ask for (naming it; nothing is saved)."""
    for name in values:
        if name not in CONTROLS and name not in also and name not in stage.record:
            asked = fields.named(name).label
            raise InvalidInput(f"Stage {stage.id} does not ask for '{asked}'; nothing was saved.")


def _new_rows(record: StageRecord, values: Mapping[str, Any]) -> tuple[Any, list[Any]]:
    """The discussion and actions in ``values`` that the record does not hold yet."""
    talk = values.get("discussion")
    if talk is not None and fields.is_empty(fields.named("discussion"), talk):
        talk = None
    if talk is not None:
        when = fields.instant(talk["at"])
        if any(
            (d.at, d.mode, d.notes) == (when, talk["mode"], talk["notes"])
            for d in record.discussions
        ):
            talk = None
    held = {(a.action, a.owner, a.due_at) for a in record.actions}
    rows = [
        row
        for row in values.get("agreed_actions") or []
        if (row["action"], row["owner"], fields.instant(row["due"])) not in held
    ]
    return talk, rows


def keep_values(
    session: Session, audit_key: audit.AuditKey, record: StageRecord, values: Mapping[str, Any]
) -> None:
    """Store a stage's values on its open record: fields merged, new rows added."""
    stored = json.loads(record.fields_json or "{}")
    given = {n: v for n, v in values.items() if n not in CONTROLS and _store(n) is Store.FIELDS}
    save_fields(session, audit_key, record, {**stored, **given})
    talk, rows = _new_rows(record, values)
    if talk is not None:
        people = [p.strip() for p in str(talk["participants"]).split(";") if p.strip()]
        when = fields.instant(talk["at"])
        assert when is not None  # checked by missing()
        record_discussion(session, audit_key, record, when, talk["mode"], people, talk["notes"])
    for row in rows:
        due = fields.instant(row["due"])
        add_action(session, audit_key, record, str(row["action"]), str(row["owner"]), due)
    record.draft_json = None


def apply_entry(
    session: Session,
    audit_key: audit.AuditKey,
    catalogue: Catalogue,
    case: Case,
    values: Mapping[str, Any],
    at: dt.datetime,
) -> StageRecord:
    """Save a stage form on the case's current stage, then act on its outcome.

    Resolved or withdrawn closes the case; unresolved escalates to the next
    stage (the one ``values`` names under ``escalate_to`` where the procedure
    offers a choice), or closes the case unresolved at the last stage; no
    outcome keeps the stage open. Closing the case keeps what the form's
    closing page says (``desktop.casework.closing``).

    Raises:
        InvalidInput: something the stage needs is missing (the message lists it).
    """
    procedure, track = procedure_of(catalogue, case)
    record = effective_stages(case)[-1]
    stage = track.stage(record.stage_id)
    refuse_unasked(stage, values, CLOSING_KEYS)
    held = {**stored_values(record), **values}  # what an earlier save kept counts too
    problems = missing(stage, held)
    if problems:
        raise InvalidInput(" ".join(problems))
    because = str(values.get(INCOMPLETE_BECAUSE) or "").strip() or None
    because = because if missing_records(stage, held) else None
    keep_values(
        session, audit_key, record, {k: v for k, v in values.items() if k not in CLOSING_KEYS}
    )
    outcome = values.get("outcome") or ""
    if outcome == "unresolved" and stage.next:
        calendar = working_calendar(session)
        escalate(
            session, audit_key, catalogue, calendar, case, at, values.get(ESCALATE_TO), because
        )
    elif outcome:
        closing = closing_from(values)
        close_with(session, audit_key, procedure, case, at, StageOutcome(outcome), because, closing)
    return record


def record_stage(
    vault: Vault,
    catalogue: Catalogue,
    case_id: int,
    values: Mapping[str, Any],
    at: dt.datetime,
) -> StageRecorded:
    """Record the case's current stage from its form's values and act on the outcome.

    Raises:
        InvalidInput: a value the stage needs is missing or wrong; nothing is saved.
    """
    with vault.sessions.begin() as session:
        case = _case(session, case_id)
        record = apply_entry(session, vault.audit_key, catalogue, case, values, at)
        return StageRecorded(
            case.id, record.id, str(values.get("outcome") or ""), case.closed_at is not None
        )
