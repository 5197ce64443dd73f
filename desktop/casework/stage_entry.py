"""A stage form's values: which fields a stage asks for, what is missing, and saving them.

The form is generated from the stage's ``record`` list in the procedure data;
these pure functions say what each field needs, so the widgets stay thin and
the rules are testable without a window.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

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
from desktop.procedures.catalogue import Catalogue, Stage
from desktop.procedures.workdays import WorkingCalendar, parse_instant
from desktop.storage import audit

# The pages of a stage form, in order; a page shows only the fields its stage asks for.
PAGES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("The discussion", ("discussion",)),
    ("The concern", ("concern_expected", "concern_why", "concern_needed", "outcome_sought")),
    ("Each side's view", ("other_party_rationale", "lived_experience", "conference_decision")),
    ("The meeting", ("chair", "attendees")),
    ("Agreed actions", ("agreed_actions",)),
    (
        "Outcome and records",
        (
            "outstanding_issues",
            "outcome",
            "written_confirmation",
            "recorded_on_files",
            "partnership_notified",
            "learning",
        ),
    ),
)
TEXT_FIELDS = frozenset(
    {
        "concern_expected",
        "concern_why",
        "concern_needed",
        "outcome_sought",
        "other_party_rationale",
        "lived_experience",
        "conference_decision",
        "chair",
        "attendees",
        "outstanding_issues",
        "learning",
    }
)
TICK_FIELDS = frozenset({"recorded_on_files", "partnership_notified"})
OUTCOMES = ("", "resolved", "unresolved", "withdrawn")

MISSING_TEXT = {
    "concern_expected": "Say what is expected of the other agency.",
    "concern_why": "Say why the arrangements are not being applied.",
    "concern_needed": "Say what needs to be done.",
    "outcome_sought": "Say what outcome you are seeking.",
    "other_party_rationale": "Record the other party's rationale.",
    "lived_experience": "Describe the child's lived experience.",
    "conference_decision": "Record the conference's decision and the plan status meanwhile.",
    "chair": "Say who chaired the meeting.",
    "attendees": "List who attended.",
    "outstanding_issues": "Say what is outstanding and how it will be pursued.",
    "learning": "Record any learning identified (or say there was none).",
}


def pages_for(stage: Stage) -> list[tuple[str, list[str]]]:
    """Return the form's pages for ``stage``: only pages with a field it asks for."""
    asked = set(stage.record)
    return [
        (title, [f for f in fields if f in asked])
        for title, fields in PAGES
        if asked.intersection(fields)
    ]


def _when(value: Any) -> dt.datetime | None:
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        return parse_instant(value)
    except ValueError:
        return None


def _missing_discussion(value: Any) -> list[str]:
    talk = value if isinstance(value, Mapping) else {}
    problems = []
    if _when(talk.get("at")) is None:
        problems.append("Say when the discussion happened (date and time).")
    if not str(talk.get("mode", "")).strip():
        problems.append("Say how the discussion happened (telephone, meeting...).")
    if not str(talk.get("participants", "")).strip():
        problems.append("Say who took part in the discussion.")
    if not str(talk.get("notes", "")).strip():
        problems.append("Write what was discussed.")
    return problems


def _missing_actions(value: Any) -> list[str]:
    problems = []
    for number, row in enumerate(value if isinstance(value, list) else [], start=1):
        if not str(row.get("action", "")).strip():
            problems.append(f"Agreed action {number} needs a description.")
        if not str(row.get("owner", "")).strip():
            problems.append(f"Agreed action {number} needs an owner.")
        if _when(row.get("due")) is None:
            problems.append(f"Agreed action {number} needs a due date.")
    return problems


def _missing_confirmation(value: Any) -> list[str]:
    sent = value if isinstance(value, Mapping) else {}
    if sent.get("sent") is None:
        return ["Say whether written confirmation was sent."]
    if not sent["sent"]:
        return []
    problems = []
    if _when(sent.get("when")) is None:
        problems.append("Say when the written confirmation was sent.")
    if not str(sent.get("how", "")).strip():
        problems.append("Say how the written confirmation was sent.")
    if not str(sent.get("to", "")).strip():
        problems.append("Say to whom the written confirmation was sent.")
    return problems


def missing(stage: Stage, values: Mapping[str, Any], finalising: bool) -> list[str]:
    """Return, in plain words, what the stage still needs before it can be saved.

    Args:
        finalising: the user is closing the stage (resolved, unresolved, withdrawn),
            so the outcome and written confirmation are needed too.
    """
    problems: list[str] = []
    for field in stage.record:
        value = values.get(field)
        if field == "discussion":
            problems += _missing_discussion(value)
        elif field == "agreed_actions":
            problems += _missing_actions(value)
        elif field in TEXT_FIELDS and not str(value or "").strip():
            problems.append(MISSING_TEXT[field])
        elif field == "outcome" and finalising and values.get("outcome") not in OUTCOMES[1:]:
            problems.append("Choose the outcome: resolved, unresolved or withdrawn.")
        elif field == "written_confirmation" and finalising:
            problems += _missing_confirmation(value)
    if finalising and values.get("outcome") not in OUTCOMES[1:]:
        problems.append("Choose the outcome: resolved, unresolved or withdrawn.")
    return list(dict.fromkeys(problems))


def save_draft(
    session: Session, audit_key: audit.AuditKey, record: StageRecord, values: Mapping[str, Any]
) -> None:
    """Keep an unfinished form inside the vault so nothing typed is lost."""
    if record.finalised_at is not None:
        raise InvalidInput("This stage is finalised; its form cannot change.")
    record.draft_json = json.dumps(values, ensure_ascii=False, sort_keys=True)
    audit.record(session, audit_key, "stage.draft_saved", "stage", record.id)


def load_draft(record: StageRecord) -> dict[str, Any]:
    """Return the saved draft of a stage form, or an empty one."""
    if not record.draft_json:
        return {}
    loaded = json.loads(record.draft_json)
    return loaded if isinstance(loaded, dict) else {}


def apply_entry(
    session: Session,
    audit_key: audit.AuditKey,
    catalogue: Catalogue,
    calendar: WorkingCalendar,
    case: Case,
    values: Mapping[str, Any],
    at: dt.datetime,
    escalate_to: str | None = None,
) -> StageRecord:
    """Save a completed stage form on the case's current stage, then act on its outcome.

    Resolved or withdrawn closes the case; unresolved escalates to the next
    stage (``escalate_to`` where the procedure offers a choice), or closes the
    case unresolved at the last stage; no outcome keeps the stage open.

    Raises:
        InvalidInput: something the stage needs is missing (the message lists it).
    """
    _procedure, track = procedure_of(catalogue, case)
    record = effective_stages(case)[-1]
    stage = track.stage(record.stage_id)
    outcome = values.get("outcome") or ""
    problems = missing(stage, values, finalising=bool(outcome))
    if problems:
        raise InvalidInput(" ".join(problems))
    stored = {k: v for k, v in values.items() if k not in {"discussion", "agreed_actions"}}
    save_fields(session, audit_key, record, stored)
    talk = values.get("discussion")
    if isinstance(talk, Mapping):
        people = [p.strip() for p in str(talk["participants"]).split(";") if p.strip()]
        when = _when(talk["at"])
        assert when is not None
        record_discussion(
            session, audit_key, record, when, str(talk["mode"]), people, str(talk["notes"])
        )
    for row in values.get("agreed_actions") or []:
        add_action(
            session, audit_key, record, str(row["action"]), str(row["owner"]), _when(row["due"])
        )
    record.draft_json = None
    if outcome in ("resolved", "withdrawn"):
        close_case(session, audit_key, case, at, StageOutcome(outcome))
    elif outcome == "unresolved" and stage.next:
        escalate(session, audit_key, catalogue, calendar, case, at, escalate_to)
    elif outcome == "unresolved":
        finalise_stage(session, audit_key, record, StageOutcome.UNRESOLVED, at)
        close_case(session, audit_key, case, at, StageOutcome.UNRESOLVED)
    return record
