"""The primitives of checking a procedure file: collect every problem, name places by id."""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

MOST_ERRORS = 12


@dataclass
class SchemaError(Exception):
    """A procedure file has one or more missing or wrong fields."""

    problems: list[tuple[str, str]] = field(default_factory=list)

    @property
    def path(self) -> str:
        """The first problem's place."""
        return self.problems[0][0] if self.problems else ""

    @property
    def problem(self) -> str:
        """The first problem."""
        return self.problems[0][1] if self.problems else ""

    def sentence(self) -> str:
        """Every problem, place first, in one line (at most a dozen, then how many more)."""
        said = [f"{where}: {what}" if where else what for where, what in self.problems]
        more = len(said) - MOST_ERRORS
        shown = "; ".join(said[:MOST_ERRORS])
        return f"{shown}; and {more} more" if more > 0 else shown


class Checker:
    """Collects every problem of one file."""

    def __init__(self, documents: Collection[str]) -> None:
        self.documents = documents
        self.error = SchemaError()
        self.priorities: set[str] = set()

    def bad(self, path: str, problem: str) -> None:
        """Note one problem at ``path``."""
        self.error.problems.append((path, problem))

    def table(self, value: Any, path: str, required: set[str], optional: set[str]) -> bool:
        """Check a table's keys: the required present, none unknown (naming those allowed)."""
        if not isinstance(value, dict):
            self.bad(path, "must be a table")
            return False
        for name in sorted(required - value.keys()):
            self.bad(at(path, name), "is required but missing")
        allowed = ", ".join(sorted(required | optional))
        for name in sorted(str(k) for k in value.keys() - required - optional):
            self.bad(at(path, name), f"is not a known field (allowed here: {allowed})")
        return all(name in value for name in required)

    def text(self, value: Any, path: str, pattern: re.Pattern[str] | None = None) -> bool:
        """Check a value is non-empty text, matching ``pattern`` if given."""
        if not isinstance(value, str) or not value.strip():
            self.bad(path, "must be non-empty text")
            return False
        if pattern is not None and not pattern.match(value):
            self.bad(path, f"'{value}' must match {pattern.pattern}")
            return False
        return True

    def texts(self, data: dict[str, Any], path: str, names: tuple[str, ...]) -> None:
        """Check each of ``names`` that ``data`` holds is non-empty text."""
        for name in names:
            if name in data:
                self.text(data[name], at(path, name))

    def listed(self, value: Any, path: str, *, non_empty: bool = False) -> list[Any]:
        """Return ``value`` if it is a list (empty if not, with the problem noted)."""
        if not isinstance(value, list):
            self.bad(path, "must be a list")
            return []
        if non_empty and not value:
            self.bad(path, "must not be empty")
        return value

    def choices(self, value: Any, path: str, allowed: Collection[str]) -> list[str]:
        """Return the items of a list that are among ``allowed`` (noting each other one)."""
        good = []
        for index, item in enumerate(self.listed(value, path)):
            if not isinstance(item, str) or item not in allowed:
                self.bad(
                    f"{path}[{index}]", f"'{item}' is not one of: {', '.join(sorted(allowed))}"
                )
            else:
                good.append(item)
        return good

    def choice(self, value: Any, path: str, allowed: Collection[str]) -> bool:
        """Check one value is among ``allowed``."""
        if not isinstance(value, str) or value not in allowed:
            self.bad(path, f"'{value}' is not one of: {', '.join(sorted(allowed))}")
            return False
        return True

    def unique(self, ids: list[Any], path: str) -> None:
        """Check no id is used twice."""
        seen: set[str] = set()
        for item in ids:
            if isinstance(item, str) and item in seen:
                self.bad(path, f"the id '{item}' is used twice")
            seen.add(str(item))


def at(path: str, name: object) -> str:
    """Join a place and a key: after a named item with a comma, else with a dot."""
    if not path:
        return str(name)
    return f"{path}, {name}" if re.search(r"('|#\d+)$", path) else f"{path}.{name}"


def named(kind: str, item: Any, index: int, pattern: re.Pattern[str]) -> str:
    """Name a track, stage, area or redirect by its id (by its place while it has none)."""
    ident = item.get("id") if isinstance(item, dict) else None
    if isinstance(ident, str) and pattern.match(ident):
        return f"{kind} '{ident}'"
    return f"{kind} #{index + 1}"
