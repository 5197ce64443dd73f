"""The fields a stage record may hold, each declared once: kind, label, page and rules.

A procedure's stage lists the fields it asks for (its ``record``) and, where the
procedure's text makes some of them mandatory, which must be recorded before
the stage ends (its ``requires``); this registry says what each field is. The
kind (``desktop.procedures.field_kinds``) decides how typed text is read
(``parse_text``, for the command line), whether a value is empty, what a given
value still needs (``problems``) and where the value is kept; the window shows
each kind with one widget (``desktop/ui/field_widgets.py``). The procedure
schema allows exactly these names. Nothing else dispatches on a field's name.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from types import MappingProxyType

from desktop.errors import InvalidInput
from desktop.procedures.field_kinds import (
    CHOOSE_OUTCOME,
    DUE_TIME,
    OUTCOMES,
    RULES,
    Field,
    Kind,
    Store,
    instant,
)

__all__ = [
    "CHOOSE_OUTCOME",
    "DUE_TIME",
    "OUTCOMES",
    "Field",
    "Kind",
    "Store",
    "instant",
]

ESCALATE_TO = (
    "escalate_to"  # kept beside the outcome: the next stage chosen, where there is a choice
)
INCOMPLETE_BECAUSE = "incomplete_because"  # why a stage ends with a required record missing
CONTROLS = frozenset({ESCALATE_TO, INCOMPLETE_BECAUSE})  # form values that are not fields


def _text(name: str, label: str, page: str, missing: str, needed: bool = True) -> Field:
    return Field(name, Kind.TEXT, label, page, needed, missing)


def _tick(name: str, label: str, page: str) -> Field:
    return Field(name, Kind.TICK, label, page, needed=False)


_PARTIES, _CONCERN, _VIEWS = "The parties at this stage", "The concern", "Each side's view"
_CONFERENCE, _MEETING = "The conference", "The meeting"
_CLOSING = "Outcome and records"

# In the order the stage form shows them; a page shows only the fields its stage asks for.
FIELDS: tuple[Field, ...] = (
    Field(
        "parties",
        Kind.PARTIES,
        "The parties at this stage (name, role and agency of each side)",
        _PARTIES,
        needed=False,
    ),
    Field(
        "discussion",
        Kind.DISCUSSION,
        "When and how the discussion happened, and with whom",
        "The discussion",
    ),
    _text("concern", "The concern", _CONCERN, "Describe the concern."),
    _text(
        "concern_expected",
        "What is expected of the other agency",
        _CONCERN,
        "Say what is expected of the other agency.",
    ),
    _text(
        "concern_why",
        "Why the arrangements are not being applied",
        _CONCERN,
        "Say why the arrangements are not being applied.",
    ),
    _text("concern_needed", "What needs to be done", _CONCERN, "Say what needs to be done."),
    _text("outcome_sought", "The outcome sought", _CONCERN, "Say what outcome you are seeking."),
    _text(
        "request_supported_by",
        "Who in your agency supports the request",
        _CONCERN,
        "Say who in your agency supports the request.",
    ),
    Field(
        "request_in_writing",
        Kind.CONFIRMATION,
        "The request in writing (when, how, to whom)",
        _CONCERN,
        needed=False,
        sent_label="The request was &made in writing",
    ),
    _text(
        "other_party_rationale",
        "The other party's rationale",
        _VIEWS,
        "Record the other party's rationale.",
    ),
    _text(
        "lived_experience",
        "The child's lived experience",
        _VIEWS,
        "Describe the child's lived experience.",
        needed=False,
    ),
    _tick(
        "reports_to_chair",
        "Reports were sent to the conference chair beforehand",
        _CONFERENCE,
    ),
    _tick(
        "chair_prior_discussion",
        "The conference chair recorded the prior discussion on the child's records",
        _CONFERENCE,
    ),
    _tick(
        "reasons_considered",
        "The reasons for dispute were considered within conference and the decisions reviewed",
        _CONFERENCE,
    ),
    _text(
        "majority_decision",
        "The conference's majority decision",
        _CONFERENCE,
        "Record the conference's majority decision.",
    ),
    _text(
        "minority_reasons",
        "The concerns and reasons of those with a differing view",
        _CONFERENCE,
        "Record the concerns and reasons of those with a differing view.",
    ),
    _text(
        "conference_decision",
        "The conference's decision and the plan status meanwhile",
        _CONFERENCE,
        "Record the conference's decision and the plan status meanwhile.",
    ),
    _text("chair", "Who chaired the meeting", _MEETING, "Say who chaired the meeting."),
    _text("attendees", "Who attended", _MEETING, "List who attended."),
    Field(
        "agreed_actions",
        Kind.ACTIONS,
        "Agreed actions, each with an owner and a due date",
        "Agreed actions",
        needed=False,
    ),
    _text(
        "outstanding_issues",
        "Outstanding issues and how they will be pursued",
        _CLOSING,
        "Say what is outstanding and how it will be pursued.",
    ),
    Field("outcome", Kind.OUTCOME, "The outcome of this stage", _CLOSING),
    Field(
        "written_confirmation",
        Kind.CONFIRMATION,
        "Written confirmation between the parties (when, how, to whom)",
        _CLOSING,
        needed=False,
        sent_label="Written confirmation was &sent",
    ),
    _tick("recorded_on_files", "Recorded on each agency's file", _CLOSING),
    _tick("partnership_notified", "Partnership notified", _CLOSING),
    _tick("chair_reported", "The meeting's chair reported on the issues arising", _CLOSING),
    _text(
        "learning",
        "Learning identified",
        _CLOSING,
        "Record any learning identified (or say there was none).",
    ),
)
_BY_NAME = MappingProxyType({spec.name: spec for spec in FIELDS})
NAMES = frozenset(_BY_NAME)
LABELS: Mapping[str, str] = MappingProxyType({spec.name: spec.label for spec in FIELDS})
# What closing or reopening a case keeps on its last stage, beside the form's fields.
CLOSING_LABELS: Mapping[str, str] = MappingProxyType(
    {
        "closing_note": "How the case ended",
        "referred": "Referred when the case closed",
        "reopened_because": "Why the case was reopened",
        "completed_because": "Why the records were completed later",
    }
)


def default_requires(record: Sequence[str]) -> tuple[str, ...]:
    """Return what a stage needs before it ends when it does not list it (``requires``)."""
    return tuple(name for name in record if _BY_NAME[name].needed and name != "outcome")


def named(name: str) -> Field:
    """Return the field called ``name``.

    Raises:
        InvalidInput: no stage field has that name (the message lists those that do).
    """
    found = _BY_NAME.get(name)
    if found is None:
        raise InvalidInput(f"There is no stage field '{name}' (fields: {', '.join(_BY_NAME)}).")
    return found


def label(name: str) -> str:
    """Return a field's label, or the name itself when it is not a stage field."""
    found = _BY_NAME.get(name)
    return found.label if found else CLOSING_LABELS.get(name, name)


def names(kind: Kind) -> frozenset[str]:
    """Return the names of the fields of one kind."""
    return frozenset(spec.name for spec in FIELDS if spec.kind is kind)


def pages(record: Sequence[str]) -> list[tuple[str, list[Field]]]:
    """Return the form's pages for a stage's ``record``: only pages with a field it asks for."""
    asked = set(record)
    shown: dict[str, list[Field]] = {}
    for spec in FIELDS:
        if spec.name in asked:
            shown.setdefault(spec.page, []).append(spec)
    return list(shown.items())


def parse_text(name: str, text: str) -> object:
    """Read a field's value as typed on the command line, in the form the stage form keeps.

    A passage is the text itself; a tick is yes or no; an outcome is resolved,
    unresolved, withdrawn or empty. A discussion, a written confirmation, the
    parties and agreed actions are JSON with the stored keys (an object, or a
    list of objects), times written dd/mm/yyyy HH:MM and due dates dd/mm/yyyy.

    Raises:
        InvalidInput: an unknown field, or text that is not a value of its kind.
    """
    spec = named(name)
    return RULES[spec.kind].parse(spec, text)


def is_empty(spec: Field, value: object) -> bool:
    """Say whether nothing is recorded for a field (a tick left clear records nothing)."""
    return RULES[spec.kind].empty(value)


def problems(spec: Field, value: object) -> list[str]:
    """Say, in plain words, what a value that was given still needs (nothing when empty)."""
    if is_empty(spec, value):
        return []
    return RULES[spec.kind].check(spec, value)


def due_from_text(text: str) -> str:
    """Return an action's due date typed dd/mm/yyyy as stored (ISO, at the close of that day).

    Anything else is kept as typed, so the check can name it.
    """
    try:
        day = dt.datetime.strptime(text.strip(), "%d/%m/%Y").date()
    except ValueError:
        return text
    return dt.datetime.combine(day, DUE_TIME).isoformat()


def due_as_text(value: object) -> str:
    """Return a stored due date as the user writes it (dd/mm/yyyy)."""
    if not isinstance(value, str) or not value:
        return ""
    try:
        return dt.datetime.fromisoformat(value).strftime("%d/%m/%Y")
    except ValueError:
        return value
