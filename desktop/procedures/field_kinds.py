"""What each kind of stage-record field holds: how typed text is read and a value is checked.

The registry (``desktop.procedures.fields``) declares the fields; each field's
kind decides, here, how text typed on the command line is read (``parse``),
whether a value is empty (nothing recorded), what a value that was given still
needs (``check``) and where it is kept.
"""

from __future__ import annotations

import datetime as dt
import enum
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from desktop.errors import InvalidInput
from desktop.procedures.workdays import london_time, parse_instant
from desktop.text.dates import DAY_SHAPE, MOMENT_SHAPE, read_day, read_moment

OUTCOMES = ("resolved", "unresolved", "withdrawn")  # StageOutcome's; no ORM import for procedures
DUE_TIME = dt.time(17, 0)  # an agreed action due on a day is due at its close
CHOOSE_OUTCOME = "Choose the outcome: resolved, unresolved or withdrawn."
SIDES = ("raising", "receiving")
PERSON = ("name", "role", "agency")


class Kind(enum.StrEnum):
    """What a field holds; it decides parsing, checking, storing and the widget."""

    TEXT = "text"  # a passage: str
    TICK = "tick"  # yes or no: bool
    DISCUSSION = "discussion"  # {"at", "mode", "participants" (; between names), "notes"}
    ACTIONS = "actions"  # [{"action", "owner", "due"}, ...]
    OUTCOME = "outcome"  # "" (the stage stays open) or one of OUTCOMES
    CONFIRMATION = "confirmation"  # {"sent", "when", "how", "to"}
    PARTIES = "parties"  # {"raising": {"name", "role", "agency"}, "receiving": {...}}


class Store(enum.Enum):
    """Where a field's value is kept in the vault."""

    FIELDS = "fields"  # the stage record's fields (JSON, keys sorted)
    DISCUSSION = "discussion"  # a discussion row
    ACTIONS = "actions"  # one agreed-action row per action


@dataclass(frozen=True)
class Field:
    """One field a stage may ask for on its record.

    ``needed`` says whether it must be filled in before a stage ends when the
    stage does not list its required records itself (``requires``); a stage
    that lists them decides, field by field, from the procedure's text.
    """

    name: str
    kind: Kind
    label: str
    page: str  # the stage form's page that shows it
    needed: bool = True
    missing: str = ""  # what to say when a passage the stage needs is empty
    sent_label: str = ""  # a confirmation's tick, with its Alt key

    @property
    def store(self) -> Store:
        """Where this field's value is kept."""
        return RULES[self.kind].store


def instant(value: object) -> dt.datetime | None:
    """Return a stored time (ISO; London time without an offset) as UTC, or None if not one."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        return parse_instant(value)
    except ValueError:
        return None


def filled(value: object) -> bool:
    """Say whether a value holds something other than blanks."""
    return value is not None and bool(str(value).strip())


def mapping(value: object) -> Mapping[str, object]:
    """Return ``value`` if it is a mapping, else an empty one."""
    return value if isinstance(value, Mapping) else {}


def _check_discussion(_spec: Field, value: object) -> list[str]:
    talk = mapping(value)
    found = []
    if instant(talk.get("at")) is None:
        found.append("Say when the discussion happened (date and time).")
    if not filled(talk.get("mode")):
        found.append("Say how the discussion happened (telephone, meeting...).")
    if not filled(talk.get("participants")):
        found.append("Say who took part in the discussion.")
    if not filled(talk.get("notes")):
        found.append("Write what was discussed.")
    return found


def _check_actions(_spec: Field, value: object) -> list[str]:
    if not isinstance(value, list):
        return ["List the agreed actions as rows of action, owner and due date."]
    found = []
    for number, item in enumerate(value, start=1):
        row = mapping(item)
        if not filled(row.get("action")):
            found.append(f"Agreed action {number} needs a description.")
        if not filled(row.get("owner")):
            found.append(f"Agreed action {number} needs an owner.")
        if instant(row.get("due")) is None:
            found.append(f"Agreed action {number} needs a due date.")
    return found


def _check_outcome(_spec: Field, value: object) -> list[str]:
    return [] if value in OUTCOMES else [CHOOSE_OUTCOME]


def _check_confirmation(spec: Field, value: object) -> list[str]:
    sent = mapping(value)
    what = spec.label.split(" (")[0].lower()
    found = []
    if instant(sent.get("when")) is None:
        found.append(f"Say when the {what} was sent.")
    if not filled(sent.get("how")):
        found.append(f"Say how the {what} was sent.")
    if not filled(sent.get("to")):
        found.append(f"Say to whom the {what} was sent.")
    return found


def _no_check(_spec: Field, _value: object) -> list[str]:
    return []


def _empty_discussion(value: object) -> bool:
    talk = mapping(value)
    return not (filled(talk.get("participants")) or filled(talk.get("notes")))


def _empty_parties(value: object) -> bool:
    sides = mapping(value)
    return not any(filled(mapping(sides.get(side)).get("name")) for side in SIDES)


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


def typed_time(label: str, text: object, with_time: bool = True) -> str:
    """Read a time typed dd/mm/yyyy HH:MM (or a day, dd/mm/yyyy) as stored: ISO London time.

    Raises:
        InvalidInput: not written that way, or a time the London clocks skip or repeat.
    """
    try:
        read = read_moment(str(text)) if with_time else read_day(str(text))
    except InvalidInput as refused:  # the window's words: what is wrong, not only the shape
        said = refused.message
        raise InvalidInput(f"'{label}': {said[:1].lower()}{said[1:]}") from None
    if read is None:
        raise InvalidInput(f"'{label}' needs {MOMENT_SHAPE if with_time else DAY_SHAPE}.")
    if not isinstance(read, dt.datetime):
        return dt.datetime.combine(read, DUE_TIME).isoformat()
    typed = read
    try:
        london_time(typed)
    except ValueError as error:
        said = str(error).split("; give it with its offset")[0]  # no offset can be typed here
        twice = "; give a time just before or after that hour" if said != str(error) else ""
        raise InvalidInput(f"'{label}': {said}{twice}.") from None
    return typed.isoformat()


def _parse_discussion(spec: Field, text: str) -> object:
    talk = _object(spec, _load(text), ("at", "mode", "participants", "notes"))
    return {**talk, "at": typed_time(spec.label, talk["at"])}


def _parse_confirmation(spec: Field, text: str) -> object:
    sent = _object(spec, _load(text), ("sent", "when", "how", "to"))
    return {**sent, "when": typed_time(spec.label, sent["when"]) if sent["sent"] else ""}


def _parse_actions(spec: Field, text: str) -> object:
    rows = _load(text)
    if not isinstance(rows, list):
        raise InvalidInput(f"'{spec.label}' takes a JSON list of objects with action, owner, due.")
    parsed = []
    for row in rows:
        given = _object(spec, row, ("action", "owner", "due"))
        parsed.append({**given, "due": typed_time(spec.label, given["due"], with_time=False)})
    return parsed


def _parse_parties(spec: Field, text: str) -> object:
    given = _load(text)
    if not isinstance(given, dict) or set(given) - set(SIDES):
        raise InvalidInput(f"'{spec.label}' takes a JSON object with raising and receiving.")
    return {side: _object(spec, person, PERSON) for side, person in given.items()}


@dataclass(frozen=True)
class KindRules:
    """How one kind of field is read from text, found empty, checked and stored."""

    parse: Callable[[Field, str], object]
    check: Callable[[Field, object], list[str]]
    empty: Callable[[object], bool]
    store: Store = Store.FIELDS


RULES: Mapping[Kind, KindRules] = MappingProxyType(
    {
        Kind.TEXT: KindRules(lambda _spec, text: text, _no_check, lambda v: not filled(v)),
        Kind.TICK: KindRules(_parse_tick, _no_check, lambda value: value is not True),
        Kind.DISCUSSION: KindRules(
            _parse_discussion, _check_discussion, _empty_discussion, Store.DISCUSSION
        ),
        Kind.ACTIONS: KindRules(
            _parse_actions, _check_actions, lambda v: v is None or v == [], Store.ACTIONS
        ),
        Kind.OUTCOME: KindRules(_parse_outcome, _check_outcome, lambda v: v in (None, "")),
        Kind.CONFIRMATION: KindRules(
            _parse_confirmation,
            _check_confirmation,
            lambda value: mapping(value).get("sent") is not True,
        ),
        Kind.PARTIES: KindRules(_parse_parties, _no_check, _empty_parties),
    }
)
