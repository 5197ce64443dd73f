"""The values of an exchange file's case, read and checked one by one (a bad one is named)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from desktop.casework.case_opening import ChildDetails, Party
from desktop.models import StageOutcome
from desktop.models.cases import PlanStatus
from desktop.procedures.workdays import parse_instant
from desktop.text.lines import line_problem

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
GROUP_KEY = re.compile(r"[a-z0-9][a-z0-9_-]{0,59}")  # inside a group: also a procedure's ids
EVENT_NAME = re.compile(r"[a-z0-9][a-z0-9:_-]{0,99}")  # an event's id, or redirect:<id>
GROUP_DEPTH = 2  # a stage's parties: a side, then its person (name, role, agency)


class BadValue(Exception):
    """A value of an exchange file is missing or wrong: where, and what is wrong."""

    def __init__(self, where: str, problem: str) -> None:
        super().__init__(f"{where}: {problem}")


def read_text(
    data: dict[str, Any], key: str, where: str, size: str = "short", required: bool = True
) -> str:
    """Return a text value of ``data`` checked for size, controls and printable characters."""
    value = data.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        raise BadValue(f"{where}.{key}", "must be non-empty text")
    if size == "short":
        problem = line_problem(value, NARROW.get(key, LIMITS["short"]))
        if problem is not None:
            raise BadValue(f"{where}.{key}", problem)
    if len(value) > LIMITS[size]:
        raise BadValue(f"{where}.{key}", f"is longer than {LIMITS[size]:,} characters")
    if CONTROL.search(value):
        raise BadValue(f"{where}.{key}", "contains control characters")
    from desktop.documents.fonts import undrawable  # the fonts load only for an import

    if shown := undrawable(value):
        raise BadValue(f"{where}.{key}", f"contains {shown}, which the documents cannot print")
    return value


def in_years(value: dt.date, where: str) -> None:
    """Refuse a date outside the years a record can be about."""
    if not YEARS[0] <= value.year <= YEARS[1]:
        raise BadValue(where, f"'{value.isoformat()}' is not between {YEARS[0]} and {YEARS[1]}")


def read_when(value: Any, where: str, *, required: bool = True) -> dt.datetime | None:
    """Return a date-time (London time without an offset; refused if the clocks skip or repeat)."""
    if value is None and not required:
        return None
    if not isinstance(value, str):
        raise BadValue(where, "must be an ISO 8601 date-time")
    if len(value) > 40:
        raise BadValue(where, "is too long to be a date-time")
    try:
        instant = parse_instant(value, strict=True)
    except OverflowError:
        raise BadValue(where, f"'{value[:40]}' is not a real date-time") from None
    except ValueError as error:
        said = str(error) if "London" in str(error) else f"'{value[:40]}' is not a real date-time"
        raise BadValue(where, said) from None
    in_years(instant, where)
    return instant


def read_object(value: Any, where: str) -> dict[str, Any]:
    """Return ``value`` if it is a JSON object."""
    if not isinstance(value, dict):
        raise BadValue(where, "must be an object")
    return value


def read_party(value: Any, where: str) -> Party:
    """Return a party: name, role and agency."""
    data = read_object(value, where)
    name, role, agency = (
        read_text(data, k, where, required=False) for k in ("name", "role", "agency")
    )
    return Party(name, role, agency)


def read_child(value: Any, where: str) -> ChildDetails:
    """Return the child: identifier, initials, date of birth and plan status."""
    data = read_object(value, where)
    born = data.get("date_of_birth")
    try:
        dob = dt.date.fromisoformat(born) if isinstance(born, str) else None
    except ValueError:
        raise BadValue(f"{where}.date_of_birth", f"'{str(born)[:20]}' is not a real date") from None
    if born is not None and dob is None:
        raise BadValue(f"{where}.date_of_birth", "must be a date (YYYY-MM-DD) or null")
    if dob is not None:
        in_years(dob, f"{where}.date_of_birth")
    plan = data.get("plan_status", PlanStatus.NONE.value)
    if not isinstance(plan, str) or plan not in PLANS:
        raise BadValue(f"{where}.plan_status", f"must be one of {', '.join(sorted(PLANS))}")
    return ChildDetails(
        read_text(data, "identifier", where, required=False),
        read_text(data, "initials", where, required=False),
        dob,
        PlanStatus(plan),
    )


def read_fields(value: Any, where: str, depth: int = 0) -> dict[str, Any]:
    """A stage form's fields: text, a tick (true/false) or a small group (two levels at most)."""
    data = read_object(value, where)
    if len(data) > 60:
        raise BadValue(where, "holds more than 60 fields")
    fields: dict[str, Any] = {}
    for name, item in data.items():
        if not (GROUP_KEY if depth else FIELD_NAME).fullmatch(name):
            raise BadValue(where, f"'{name[:40]}' is not a field name")
        if isinstance(item, str):
            fields[name] = read_text(data, name, where, "long", required=False)
        elif item is None or isinstance(item, bool):
            fields[name] = item
        elif isinstance(item, dict) and depth < GROUP_DEPTH:
            fields[name] = read_fields(item, f"{where}.{name}", depth + 1)
        else:
            raise BadValue(f"{where}.{name}", "must be text, true/false or null")
    return fields


def read_list(value: Any, where: str) -> list[Any]:
    """Return ``value`` if it is a JSON list."""
    if not isinstance(value, list):
        raise BadValue(where, "must be a list")
    return value


def read_event_times(value: Any, where: str) -> dict[str, dt.datetime]:
    """Return the events recorded in a stage ({id: when}); an absent list is none."""
    if value is None:
        return {}
    data = read_object(value, where)
    if len(data) > 60:
        raise BadValue(where, "holds more than 60 events")
    found: dict[str, dt.datetime] = {}
    for name, when in data.items():
        if not EVENT_NAME.fullmatch(name):
            raise BadValue(where, f"'{name[:40]}' is not an event id")
        at = read_when(when, f"{where}.{name}")
        assert at is not None
        found[name] = at
    return found
