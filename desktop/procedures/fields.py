"""The fields a stage record may hold, each declared once: kind, label, page and rules.

A procedure's stage lists the fields it asks for (its ``record``); this
registry says what each one is. The kind decides how typed text is read
(``parse_text``, for the command line), what a value still needs before the
stage can be saved (``problems``) and where the value is kept; the window
shows each kind with one widget (``desktop/ui/field_widgets.py``). The
procedure schema allows exactly these names. Nothing else dispatches on a
field's name.
"""

from __future__ import annotations

import datetime as dt
import enum
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

from desktop.errors import InvalidInput
from desktop.procedures.workdays import parse_instant

OUTCOMES = ("resolved", "unresolved", "withdrawn")  # StageOutcome's; no ORM import for procedures
ESCALATE_TO = (
    "escalate_to"  # kept beside the outcome: the next stage chosen, where there is a choice
)
DUE_TIME = dt.time(17, 0)  # an agreed action due on a day is due at its close
CHOOSE_OUTCOME = "Choose the outcome: resolved, unresolved or withdrawn."


class Kind(enum.StrEnum):
    """What a field holds; it decides parsing, checking, storing and the widget."""

    TEXT = "text"  # a passage: str
    TICK = "tick"  # yes or no: bool
    DISCUSSION = "discussion"  # {"at", "mode", "participants" (; between names), "notes"}
    ACTIONS = "actions"  # [{"action", "owner", "due"}, ...]
    OUTCOME = "outcome"  # "" (the stage stays open) or one of OUTCOMES
    CONFIRMATION = "confirmation"  # {"sent", "when", "how", "to"}


class Required(enum.Enum):
    """When a field the stage asks for must be filled in."""

    ALWAYS = "always"  # before the stage can be saved at all
    TO_CLOSE = "to close"  # only when the stage closes with an outcome
    NEVER = "never"  # it may stay empty (a tick left clear means no)


class Store(enum.Enum):
    """Where a field's value is kept in the vault."""

    FIELDS = "fields"  # the stage record's fields (JSON, keys sorted)
    DISCUSSION = "discussion"  # a discussion row
    ACTIONS = "actions"  # one agreed-action row per action


@dataclass(frozen=True)
class Field:
    """One field a stage may ask for on its record."""

    name: str
    kind: Kind
    label: str
    page: str  # the stage form's page that shows it
    required: Required = Required.ALWAYS
    missing: str = ""  # what to say when a required passage is empty

    @property
    def store(self) -> Store:
        """Where this field's value is kept."""
        return _RULES[self.kind].store


def _text(name: str, label: str, page: str, missing: str) -> Field:
    return Field(name, Kind.TEXT, label, page, Required.ALWAYS, missing)


_CONCERN, _VIEWS, _MEETING = "The concern", "Each side's view", "The meeting"
_CLOSING = "Outcome and records"

# In the order the stage form shows them; a page shows only the fields its stage asks for.
FIELDS: tuple[Field, ...] = (
    Field(
        "discussion",
        Kind.DISCUSSION,
        "When and how the discussion happened, and with whom",
        "The discussion",
    ),
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
    ),
    _text(
        "conference_decision",
        "The conference's decision and the plan status meanwhile",
        _VIEWS,
        "Record the conference's decision and the plan status meanwhile.",
    ),
    _text("chair", "Who chaired the meeting", _MEETING, "Say who chaired the meeting."),
    _text("attendees", "Who attended", _MEETING, "List who attended."),
    Field(
        "agreed_actions",
        Kind.ACTIONS,
        "Agreed actions, each with an owner and a due date",
        "Agreed actions",
    ),
    _text(
        "outstanding_issues",
        "Outstanding issues and how they will be pursued",
        _CLOSING,
        "Say what is outstanding and how it will be pursued.",
    ),
    Field("outcome", Kind.OUTCOME, "The outcome of this stage", _CLOSING, Required.TO_CLOSE),
    Field(
        "written_confirmation",
        Kind.CONFIRMATION,
        "Written confirmation sent (when, how, to whom)",
        _CLOSING,
        Required.TO_CLOSE,
    ),
    Field(
        "recorded_on_files", Kind.TICK, "Recorded on each agency's file", _CLOSING, Required.NEVER
    ),
    Field("partnership_notified", Kind.TICK, "Partnership notified", _CLOSING, Required.NEVER),
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
    return found.label if found else name


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
    unresolved, withdrawn or empty. A discussion, a written confirmation and
    agreed actions are JSON with the stored keys (an object, or a list of
    objects), times written dd/mm/yyyy HH:MM and due dates dd/mm/yyyy.

    Raises:
        InvalidInput: an unknown field, or text that is not a value of its kind.
    """
    spec = named(name)
    return _RULES[spec.kind].parse(spec, text)


def problems(spec: Field, value: object, closing: bool) -> list[str]:
    """Say, in plain words, what ``value`` still needs (nothing when it is complete).

    Args:
        closing: the stage is closing with an outcome, so fields required to
            close are checked too.
    """
    if spec.required is Required.NEVER or (spec.required is Required.TO_CLOSE and not closing):
        return []
    return _RULES[spec.kind].check(spec, value)


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


def instant(value: object) -> dt.datetime | None:
    """Return a stored time (ISO; London time without an offset) as UTC, or None if not one."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        return parse_instant(value)
    except ValueError:
        return None


def _filled(value: object) -> bool:
    return value is not None and bool(str(value).strip())


def _mapping(value: object) -> Mapping[str, object]:
    return value if isinstance(value, Mapping) else {}


def _check_text(spec: Field, value: object) -> list[str]:
    return [] if _filled(value) else [spec.missing]


def _check_discussion(_spec: Field, value: object) -> list[str]:
    talk = _mapping(value)
    found = []
    if instant(talk.get("at")) is None:
        found.append("Say when the discussion happened (date and time).")
    if not _filled(talk.get("mode")):
        found.append("Say how the discussion happened (telephone, meeting...).")
    if not _filled(talk.get("participants")):
        found.append("Say who took part in the discussion.")
    if not _filled(talk.get("notes")):
        found.append("Write what was discussed.")
    return found


def _check_actions(_spec: Field, value: object) -> list[str]:
    if value is not None and not isinstance(value, list):
        return ["List the agreed actions as rows of action, owner and due date."]
    found = []
    for number, item in enumerate(value or [], start=1):
        row = _mapping(item)
        if not _filled(row.get("action")):
            found.append(f"Agreed action {number} needs a description.")
        if not _filled(row.get("owner")):
            found.append(f"Agreed action {number} needs an owner.")
        if instant(row.get("due")) is None:
            found.append(f"Agreed action {number} needs a due date.")
    return found


def _check_outcome(_spec: Field, value: object) -> list[str]:
    return [] if value in OUTCOMES else [CHOOSE_OUTCOME]


def _check_confirmation(_spec: Field, value: object) -> list[str]:
    sent = _mapping(value)
    if sent.get("sent") is None:
        return ["Say whether written confirmation was sent."]
    if not sent["sent"]:
        return []
    found = []
    if instant(sent.get("when")) is None:
        found.append("Say when the written confirmation was sent.")
    if not _filled(sent.get("how")):
        found.append("Say how the written confirmation was sent.")
    if not _filled(sent.get("to")):
        found.append("Say to whom the written confirmation was sent.")
    return found


def _parse_tick(spec: Field, text: str) -> object:
    answer = text.strip().lower()
    if answer in ("yes", "y", "true"):
        return True
    if answer in ("no", "n", "false"):
        return False
    raise InvalidInput(f"'{spec.label}' takes yes or no.")


def _parse_outcome(_spec: Field, text: str) -> object:
    answer = text.strip().lower()
    if answer not in ("", *OUTCOMES):
        raise InvalidInput(f"{CHOOSE_OUTCOME.removesuffix('.')} (or nothing to keep it open).")
    return answer


def _load(text: str) -> object:
    """Return the JSON ``text`` holds, or None."""
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return None


def _object(spec: Field, given: object, keys: tuple[str, ...]) -> dict[str, object]:
    """Check one JSON object: exactly ``keys``, each text (``sent`` true or false)."""
    if not isinstance(given, dict) or set(given) != set(keys):
        raise InvalidInput(f"'{spec.label}' takes a JSON object with {', '.join(keys)}.")
    for key, value in given.items():
        if not isinstance(value, bool if key == "sent" else str):
            kind = "true or false" if key == "sent" else "text"
            raise InvalidInput(f"'{spec.label}' takes {kind} for {key}.")
    return given


def _typed_time(spec: Field, text: object, with_time: bool = True) -> str:
    shape = "%d/%m/%Y %H:%M" if with_time else "%d/%m/%Y"
    try:
        typed = dt.datetime.strptime(str(text).strip(), shape)
    except ValueError:
        written = "dd/mm/yyyy HH:MM" if with_time else "dd/mm/yyyy"
        raise InvalidInput(f"'{spec.label}' needs its date written {written}.") from None
    return (typed if with_time else dt.datetime.combine(typed.date(), DUE_TIME)).isoformat()


def _parse_discussion(spec: Field, text: str) -> object:
    talk = _object(spec, _load(text), ("at", "mode", "participants", "notes"))
    return {**talk, "at": _typed_time(spec, talk["at"])}


def _parse_confirmation(spec: Field, text: str) -> object:
    sent = _object(spec, _load(text), ("sent", "when", "how", "to"))
    return {**sent, "when": _typed_time(spec, sent["when"]) if sent["sent"] else ""}


def _parse_actions(spec: Field, text: str) -> object:
    rows = _load(text)
    if not isinstance(rows, list):
        raise InvalidInput(f"'{spec.label}' takes a JSON list of objects with action, owner, due.")
    parsed = []
    for row in rows:
        given = _object(spec, row, ("action", "owner", "due"))
        parsed.append({**given, "due": _typed_time(spec, given["due"], with_time=False)})
    return parsed


@dataclass(frozen=True)
class _KindRules:
    parse: Callable[[Field, str], object]
    check: Callable[[Field, object], list[str]]
    store: Store = Store.FIELDS


_RULES: Mapping[Kind, _KindRules] = MappingProxyType(
    {
        Kind.TEXT: _KindRules(lambda _spec, text: text, _check_text),
        Kind.TICK: _KindRules(_parse_tick, lambda _spec, _value: []),  # never required
        Kind.DISCUSSION: _KindRules(_parse_discussion, _check_discussion, Store.DISCUSSION),
        Kind.ACTIONS: _KindRules(_parse_actions, _check_actions, Store.ACTIONS),
        Kind.OUTCOME: _KindRules(_parse_outcome, _check_outcome),
        Kind.CONFIRMATION: _KindRules(_parse_confirmation, _check_confirmation),
    }
)
