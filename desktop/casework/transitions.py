"""Moving a case on: escalate, resolve, withdraw, reopen, and complete a stage's records later.

Every transition checks the records the procedure requires at the stage it
ends, and refuses, naming what is missing, unless the user says why they are
incomplete (urgent safeguarding never waits for paperwork); the reason stays
with the stage, which shows as incomplete until its records are completed as
a linked entry. The window and the command line call these same services.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.casework.closing import Closing, close_with, offers, reopen
from desktop.casework.settings import working_calendar
from desktop.casework.stage_entry import (
    NextOption,
    incomplete_sentence,
    keep_values,
    missing_records,
    next_options,
    refuse_unasked,
    stored_values,
)
from desktop.casework.workflow import (
    add_action,
    case_by_id,
    current_record,
    effective_stages,
    escalate,
    linked_entry,
    procedure_of,
    record_discussion,
)
from desktop.errors import InvalidInput, UnknownCase
from desktop.models import Case, StageOutcome, StageRecord
from desktop.procedures import fields
from desktop.procedures.catalogue import Catalogue, Redirect, Stage
from desktop.storage import audit
from desktop.storage.vault import Vault


@dataclass(frozen=True)
class Transition:
    """What ending a case's current stage involves: what is still missing, where it may go."""

    case_id: int
    reference: str
    stage: Stage
    missing: tuple[str, ...]  # the required records still empty (labels)
    next_options: tuple[NextOption, ...]
    closing_offers: tuple[Redirect, ...]


def case_id_of(vault: Vault, reference: str) -> int:
    """Return the id of the case with ``reference``.

    Raises:
        UnknownCase: no case has it.
    """
    with vault.sessions() as session:
        found = session.scalar(select(Case.id).where(Case.reference == reference))
    if found is None:
        raise UnknownCase(reference)
    return int(found)


def check_transition(vault: Vault, catalogue: Catalogue, case_id: int) -> Transition:
    """Read what ending the open case's current stage would leave missing (nothing is written).

    Raises:
        InvalidInput: the case is closed.
    """
    with vault.sessions() as session:
        case = case_by_id(session, case_id)
        procedure, track = procedure_of(catalogue, case)
        record = current_record(case)
        stage = track.stage(record.stage_id)
        return Transition(
            case.id,
            case.reference,
            stage,
            tuple(missing_records(stage, stored_values(record))),
            next_options(track, stage),
            offers(procedure),
        )


def _because(stage: Stage, record: StageRecord, incomplete_because: str | None) -> str | None:
    """Return the reason kept with a stage that ends incomplete; refuse one with no reason."""
    gaps = missing_records(stage, stored_values(record)) if record.closed_at is None else []
    reason = (incomplete_because or "").strip()
    if gaps and not reason:
        raise InvalidInput(incomplete_sentence(stage, gaps))
    return reason if gaps else None


def escalate_case(
    vault: Vault,
    catalogue: Catalogue,
    case_id: int,
    at: dt.datetime,
    to_stage: str | None = None,
    incomplete_because: str | None = None,
) -> str:
    """Escalate a case now (audited); return the stage it moved to.

    Raises:
        InvalidInput: a required record is missing and no reason is given, there
            is a choice of next stage and none is made, or there is no next stage.
    """
    with vault.sessions.begin() as session:
        case = case_by_id(session, case_id)
        _procedure, track = procedure_of(catalogue, case)
        record = current_record(case)
        because = _because(track.stage(record.stage_id), record, incomplete_because)
        calendar = working_calendar(session)
        moved = escalate(session, vault.audit_key, catalogue, calendar, case, at, to_stage, because)
        return moved.stage_id


def end_case(
    vault: Vault,
    catalogue: Catalogue,
    case_id: int,
    outcome: StageOutcome,
    at: dt.datetime,
    closing: Closing | None = None,
    incomplete_because: str | None = None,
) -> None:
    """Close a case resolved or withdrawn, keeping how it ended and any referral (audited).

    Raises:
        InvalidInput: a required record is missing and no reason is given, a
            withdrawal without its reason, or the case is closed already.
    """
    if outcome is StageOutcome.UNRESOLVED:
        raise InvalidInput("A case is closed unresolved only at the last stage, by escalating.")
    with vault.sessions.begin() as session:
        case = case_by_id(session, case_id)
        procedure, track = procedure_of(catalogue, case)
        record = current_record(case)
        because = _because(track.stage(record.stage_id), record, incomplete_because)
        said = closing or Closing()
        close_with(session, vault.audit_key, procedure, case, at, outcome, because, said)


def reopen_case(
    vault: Vault, catalogue: Catalogue, case_id: int, reason: str, at: dt.datetime
) -> str:
    """Reopen a closed case at the stage it ended at: a new entry linked to that stage (audited).

    Returns:
        The stage the case is open at again.

    Raises:
        InvalidInput: no reason, or the case is open.
    """
    if not reason.strip():
        raise InvalidInput("Say why the case is reopened: the reason stays with the case.")
    with vault.sessions.begin() as session:
        case = case_by_id(session, case_id)
        calendar = working_calendar(session)
        return reopen(session, vault.audit_key, catalogue, calendar, case, at, reason).stage_id


@dataclass(frozen=True)
class CompletionForm:
    """What completing a stage's records shows: the records it ended without, and why."""

    record_id: int
    reference: str
    stage: Stage
    missing: tuple[str, ...]  # field names
    incomplete_because: str


def completion_form(vault: Vault, catalogue: Catalogue, record_id: int) -> CompletionForm:
    """Read which required records a stage ended without (nothing is written).

    Raises:
        InvalidInput: the stage's records are not incomplete.
    """
    with vault.sessions() as session:
        record = session.get(StageRecord, record_id)
        if record is None:
            raise UnknownCase()
        if record.incomplete_because is None:
            raise InvalidInput("That stage's records are not incomplete.")
        _procedure, track = procedure_of(catalogue, record.case)
        stage = track.stage(record.stage_id)
        held = stored_values(record)
        names = tuple(n for n in stage.requires if fields.is_empty(fields.named(n), held.get(n)))
        return CompletionForm(
            record.id, record.case.reference, stage, names, record.incomplete_because
        )


def incomplete_entry(vault: Vault, case_id: int, stage_id: str) -> int:
    """Return the id of the case's entry for ``stage_id`` that ended with records incomplete.

    Raises:
        InvalidInput: no entry of that stage ended incomplete (or it was completed since).
    """
    with vault.sessions() as session:
        case = case_by_id(session, case_id)
        for record in reversed(effective_stages(case)):
            ended = record.finalised_at is not None
            if record.stage_id == stage_id and ended and record.incomplete_because is not None:
                return record.id
        reference = case.reference
    raise InvalidInput(f"Stage {stage_id} of case {reference} has no records left to complete.")


def _copy_rows(
    session: Session, audit_key: audit.AuditKey, source: StageRecord, to: StageRecord
) -> None:
    for talk in source.discussions:
        people = json.loads(talk.participants_json)
        record_discussion(session, audit_key, to, talk.at, talk.mode, people, talk.notes)
    for action in source.actions:
        add_action(session, audit_key, to, action.action, action.owner, action.due_at)


def complete_records(
    vault: Vault,
    catalogue: Catalogue,
    record_id: int,
    values: Mapping[str, Any],
    reason: str,
    at: dt.datetime,
) -> int:
    """Complete the records a stage ended without, as a new entry linked to it (audited).

    The stage that ended incomplete stays as it was; the completing entry holds
    its records with the ones added, and the stage no longer shows as incomplete.

    Returns:
        The completing entry's id.

    Raises:
        InvalidInput: the stage is not incomplete, a value is malformed, or a
            required record is still missing.
    """
    with vault.sessions.begin() as session:
        record = session.get(StageRecord, record_id)
        if record is None:
            raise UnknownCase()
        if record.incomplete_because is None or record.finalised_at is None:
            raise InvalidInput("That stage's records are not incomplete.")
        case: Case = record.case
        _procedure, track = procedure_of(catalogue, case)
        stage = track.stage(record.stage_id)
        refuse_unasked(stage, values, frozenset())
        problems = [
            p for n in stage.record for p in fields.problems(fields.named(n), values.get(n))
        ]
        gaps = missing_records(stage, {**stored_values(record), **values})
        if problems or gaps:
            raise InvalidInput(
                " ".join(problems) or f"Stage {stage.id} is still missing: {'; '.join(gaps)}."
            )
        return _completion(session, vault.audit_key, record, values, reason, at).id


def _completion(
    session: Session,
    audit_key: audit.AuditKey,
    record: StageRecord,
    values: Mapping[str, Any],
    reason: str,
    at: dt.datetime,
) -> StageRecord:
    completion = linked_entry(record)
    session.add(completion)
    session.flush()
    _copy_rows(session, audit_key, record, completion)
    said = {"completed_because": reason.strip()} if reason.strip() else {}
    keep_values(session, audit_key, completion, {**values, **said})
    completion.finalised_at = at
    if record.case.current_record_id == record.id:
        record.case.current_record_id = completion.id
    audit.record(session, audit_key, "stage.completed", "stage", completion.id)
    return completion
