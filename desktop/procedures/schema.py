"""The schema of a procedure file: every field checked, errors naming the field's path.

A stage's ``record`` may name only the fields of the registry
(``desktop.procedures.fields``).
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from desktop.procedures.fields import NAMES

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
STAGE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{0,31}$")
REDIRECT_KINDS = (
    "immediate-risk",
    "whistleblowing",
    "lado",
    "complaints",
    "out-of-scope",
    "policy-gap",
    "learning",
)


@dataclass
class SchemaError(Exception):
    """A field of a procedure file is missing or wrong."""

    path: str
    problem: str


def _table(value: Any, path: str, required: set[str], optional: set[str]) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise SchemaError(path, "must be a table")
    for name in sorted(required - value.keys()):
        raise SchemaError(f"{path}.{name}" if path else name, "is required but missing")
    for name in sorted(value.keys() - required - optional):
        raise SchemaError(f"{path}.{name}" if path else name, "is not a known field")
    return value


def _text(value: Any, path: str, pattern: re.Pattern[str] | None = None) -> str:
    if not isinstance(value, str) or not value.strip():
        raise SchemaError(path, "must be non-empty text")
    if pattern is not None and not pattern.match(value):
        raise SchemaError(path, f"'{value}' must match {pattern.pattern}")
    return value


def _list(value: Any, path: str, *, non_empty: bool = False) -> list[Any]:
    if not isinstance(value, list):
        raise SchemaError(path, "must be a list")
    if non_empty and not value:
        raise SchemaError(path, "must not be empty")
    return value


def _choices(value: Any, path: str, allowed: Collection[str], *, non_empty: bool) -> None:
    for index, item in enumerate(_list(value, path, non_empty=non_empty)):
        if not isinstance(item, str) or item not in allowed:
            raise SchemaError(
                f"{path}[{index}]", f"'{item}' is not one of: {', '.join(sorted(allowed))}"
            )


def check_timescale(value: Any, path: str) -> None:
    """Check a timescale table: exactly one of working_days, hours, same_working_day."""
    table = _table(value, path, set(), {"working_days", "hours", "same_working_day"})
    if len(table) != 1:
        raise SchemaError(path, "must have exactly one of working_days, hours, same_working_day")
    ((name, amount),) = table.items()
    limits = {"working_days": (0, 365), "hours": (1, 24 * 30)}
    if name == "same_working_day":
        if amount is not True:
            raise SchemaError(f"{path}.{name}", "must be true")
        return
    low, high = limits[name]
    if isinstance(amount, bool) or not isinstance(amount, int) or not low <= amount <= high:
        raise SchemaError(f"{path}.{name}", f"must be a whole number from {low} to {high}")


def _check_stage(stage: Any, path: str, documents: Collection[str]) -> None:
    _table(
        stage,
        path,
        {"id", "title", "raising_role", "receiving_role", "record", "guidance"},
        {"timescale", "produces", "next", "milestones", "chair", "rule", "branch", "notify"},
    )
    _text(stage["id"], f"{path}.id", STAGE_ID)
    for name in ("title", "raising_role", "receiving_role", "guidance"):
        _text(stage[name], f"{path}.{name}")
    for name in ("chair", "rule", "branch", "notify"):
        if name in stage:
            _text(stage[name], f"{path}.{name}")
    if "timescale" in stage:
        check_timescale(stage["timescale"], f"{path}.timescale")
    _choices(stage["record"], f"{path}.record", NAMES, non_empty=True)
    _choices(stage.get("produces", []), f"{path}.produces", documents, non_empty=False)
    for index, milestone in enumerate(_list(stage.get("milestones", []), f"{path}.milestones")):
        where = f"{path}.milestones[{index}]"
        _table(milestone, where, {"title", "timescale"}, set())
        _text(milestone["title"], f"{where}.title")
        check_timescale(milestone["timescale"], f"{where}.timescale")


def _check_track(track: Any, path: str, documents: Collection[str]) -> None:
    _table(
        track,
        path,
        {"id", "title", "stages"},
        {"description", "urgent_entry", "urgent_guidance", "rule"},
    )
    _text(track["id"], f"{path}.id", SLUG)
    _text(track["title"], f"{path}.title")
    stages = _list(track["stages"], f"{path}.stages", non_empty=True)
    for index, stage in enumerate(stages):
        _check_stage(stage, f"{path}.stages[{index}]", documents)
    ids = [s["id"] for s in stages]
    _unique(ids, f"{path}.stages")
    for index, stage in enumerate(stages):
        for target in _list(stage.get("next", []), f"{path}.stages[{index}].next"):
            if target not in ids or ids.index(target) <= index:
                raise SchemaError(
                    f"{path}.stages[{index}].next", f"'{target}' is not a later stage of this track"
                )
    if "urgent_entry" in track and track["urgent_entry"] not in ids:
        raise SchemaError(f"{path}.urgent_entry", f"'{track['urgent_entry']}' is not a stage")
    if "urgent_entry" in track and "urgent_guidance" not in track:
        raise SchemaError(f"{path}.urgent_guidance", "is required with urgent_entry")
    for name in ("description", "urgent_guidance", "rule"):
        if name in track:
            _text(track[name], f"{path}.{name}")


def _unique(ids: list[str], path: str) -> None:
    seen: set[str] = set()
    for item in ids:
        if item in seen:
            raise SchemaError(path, f"the id '{item}' is used twice")
        seen.add(item)


def check_procedure(data: Any, documents: Collection[str]) -> None:
    """Check a parsed procedure file; raise SchemaError at the first problem.

    Args:
        documents: the names of the documents a stage may produce.
    """
    _table(
        data,
        "",
        {"id", "version", "title", "partnership", "source", "tracks"},
        {"supersedes", "areas", "redirects", "contacts"},
    )
    _text(data["id"], "id", SLUG)
    _text(data["version"], "version", re.compile(r"^[A-Za-z0-9][A-Za-z0-9.-]{0,31}$"))
    for name in ("title", "partnership", "source"):
        _text(data[name], name)
    if "supersedes" in data:
        _text(data["supersedes"], "supersedes")
    tracks = _list(data["tracks"], "tracks", non_empty=True)
    for index, track in enumerate(tracks):
        _check_track(track, f"tracks[{index}]", documents)
    _unique([t["id"] for t in tracks], "tracks")
    areas = _list(data.get("areas", []), "areas")
    for index, area in enumerate(areas):
        _table(area, f"areas[{index}]", {"id", "title"}, set())
        _text(area["id"], f"areas[{index}].id", SLUG)
        _text(area["title"], f"areas[{index}].title")
    _unique([a["id"] for a in areas], "areas")
    redirects = _list(data.get("redirects", []), "redirects")
    for index, redirect in enumerate(redirects):
        where = f"redirects[{index}]"
        _table(redirect, where, {"id", "kind", "title", "route", "guidance"}, set())
        _text(redirect["id"], f"{where}.id", SLUG)
        _choices([redirect["kind"]], f"{where}.kind", REDIRECT_KINDS, non_empty=True)
        for name in ("title", "route", "guidance"):
            _text(redirect[name], f"{where}.{name}")
    _unique([r["id"] for r in redirects], "redirects")
    for index, contact in enumerate(_list(data.get("contacts", []), "contacts")):
        _table(contact, f"contacts[{index}]", {"agency", "role"}, set())
        _text(contact["agency"], f"contacts[{index}].agency")
        _text(contact["role"], f"contacts[{index}].role")
