"""Subject access records: every line recorded about one child, and the passages withheld.

The bundle is built as labelled lines of record text. The user marks passages
to withhold (another professional's name, another child) with a reason; each
one is removed from the text itself, wherever it occurs and however it is
spaced, cased or encoded (desktop.text.passages), before the PDF is laid out, so
the withheld words are nowhere in the file. Each redaction is kept inside the
vault with its reason and audited (reason and id, not text).
"""

from __future__ import annotations

import datetime as dt
import enum
import json
import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from desktop.casework.workflow import case_state, procedure_of
from desktop.errors import InvalidInput
from desktop.models import Case, Child, StageRecord
from desktop.procedures.catalogue import RECORD_FIELDS, Catalogue
from desktop.procedures.workdays import to_london
from desktop.text.passages import compile_passage, find, fold, passage_key


class Reason(enum.StrEnum):
    """Why a passage is withheld (the exemptions a DSL most often relies on)."""

    PROFESSIONAL = "third-party-professional"
    OTHER_CHILD = "other-child"
    THIRD_PARTY = "third-party"
    SERIOUS_HARM = "serious-harm"
    LEGAL = "legal-privilege"


REASON_TEXT = {
    Reason.PROFESSIONAL: "another professional",
    Reason.OTHER_CHILD: "another child",
    Reason.THIRD_PARTY: "another person",
    Reason.SERIOUS_HARM: "risk of serious harm",
    Reason.LEGAL: "legal privilege",
}
MAX_REDACTION = 500


@dataclass(frozen=True)
class Line:
    """One line of the bundle: fixed wording, and record text that redactions apply to."""

    level: int  # 0: a case, 1: a stage, 2: a detail
    label: str
    value: str


@dataclass(frozen=True)
class SubjectRecords:
    """Everything recorded about one child, in order, before any redaction."""

    child_id: int
    child: str
    lines: tuple[Line, ...]
    professionals: tuple[str, ...]


@dataclass(frozen=True)
class Marked:
    """A passage the user chose to withhold, and why."""

    text: str
    reason: Reason


def _when(value: dt.datetime | None) -> str:
    return f"{to_london(value):%d %b %Y %H:%M}" if value else "—"


def _field_text(value: Any) -> str:
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dict):
        parts = [f"{k}: {_field_text(v)}" for k, v in value.items() if v not in (None, "")]
        return "; ".join(parts)
    return "" if value is None else str(value)


def _stage_lines(record: StageRecord, title: str) -> list[Line]:
    label = f"Stage {record.stage_id}: {title}" + (" (correction)" if record.corrects_id else "")
    lines = [
        Line(
            1,
            label,
            f"opened {_when(record.opened_at)}, closed {_when(record.closed_at)}, "
            f"outcome {record.outcome.value if record.outcome else 'open'}",
        )
    ]
    for talk in record.discussions:
        people = ", ".join(json.loads(talk.participants_json))
        lines.append(Line(2, f"Discussion, {_when(talk.at)}", f"{talk.mode}, with {people}"))
        lines.append(Line(2, "What was discussed", talk.notes))
    for name, value in json.loads(record.fields_json or "{}").items():
        text = _field_text(value).strip()
        if name in RECORD_FIELDS and text:
            lines.append(Line(2, RECORD_FIELDS[name], text))
    for action in record.actions:
        lines.append(
            Line(
                2,
                "Agreed action",
                f"{action.action} (owner {action.owner}, due {_when(action.due_at)})",
            )
        )
    return lines


def gather(
    session: Session, catalogue: Catalogue, child_identifier: str, now: dt.datetime
) -> SubjectRecords:
    """Read every case and stage about the child (corrections included), unredacted."""
    if not child_identifier.strip():
        raise InvalidInput("Say whose records to gather: the child's identifier.")
    child = session.scalar(select(Child).where(Child.identifier == child_identifier))
    if child is None:
        raise InvalidInput(f"There is no child with identifier {child_identifier}.")
    cases = session.scalars(
        select(Case)
        .where(Case.child_id == child.id)
        .order_by(Case.opened_at, Case.id)
        .options(
            selectinload(Case.stages).selectinload(StageRecord.discussions),
            selectinload(Case.stages).selectinload(StageRecord.actions),
        )
    ).all()
    lines: list[Line] = []
    people: list[str] = []
    for case in cases:
        procedure, track = procedure_of(catalogue, case)
        lines += [
            Line(
                0, f"Escalation {case.reference}", f"{procedure.partnership} ({procedure.version})"
            ),
            Line(2, "Opened", _when(case.opened_at)),
            Line(2, "Status", case_state(case, catalogue, now).status),
            Line(2, "Area of disagreement", procedure.area_title(case.area)),
            Line(2, "Summary", case.summary),
            Line(2, "Decision challenged", case.decision_challenged),
            Line(
                2,
                "Raised by",
                f"{case.raised_by_name}, {case.raised_by_role}, {case.raised_by_agency}",
            ),
            Line(
                2,
                "Other party",
                f"{case.other_party_name}, {case.other_party_role}, {case.other_party_agency}",
            ),
        ]
        people += [case.raised_by_name, case.other_party_name]
        for record in case.stages:
            lines += _stage_lines(record, track.stage(record.stage_id).title)
            for talk in record.discussions:
                people += json.loads(talk.participants_json)
            people += [a.owner for a in record.actions]
    names: dict[str, str] = {}  # one entry per name however it is spaced or cased
    for person in people:
        if passage_key(person):
            names.setdefault(passage_key(person), person.strip())
    return SubjectRecords(
        child.id,
        f"{child.initials} ({child.identifier})",
        tuple(line for line in lines if line.value.strip() or line.level < 2),
        tuple(names.values()),
    )


def _distinct(marks: list[Marked]) -> list[Marked]:
    """Return the marks without repeats: two that read the same are one (the first kept)."""
    kept: dict[str, Marked] = {}
    for mark in marks:
        kept.setdefault(passage_key(mark.text), mark)
    return list(kept.values())


def _patterns(marks: list[Marked]) -> list[re.Pattern[str]]:
    """Compile each passage; refuse an empty or overlong one by name."""
    patterns = []
    for mark in marks:
        text = mark.text.strip()
        if len(text) > MAX_REDACTION:
            raise InvalidInput(f"A passage to withhold is longer than {MAX_REDACTION} characters.")
        pattern = compile_passage(text)
        if pattern is None:
            raise InvalidInput("A passage to withhold is empty.")
        patterns.append(pattern)
    return patterns


def _withhold_line(
    value: str, marks: list[Marked], patterns: list[re.Pattern[str]], hits: list[int]
) -> tuple[str, int]:
    """Replace every match of every passage in ``value``; return it and the places withheld.

    Overlapping matches are withheld as one place, for the reason of the longest
    passage among them; ``hits`` counts each passage's matches.
    """
    folded = fold(value)
    found: list[tuple[int, int, int]] = []
    for index, pattern in enumerate(patterns):
        spans = find(pattern, folded)
        hits[index] += len(spans)
        found += [(start, end, index) for start, end in spans]
    found.sort()
    places: list[tuple[int, int, int]] = []
    for start, end, index in found:
        if places and start < places[-1][1]:
            last_start, last_end, last = places[-1]
            longer = index if len(marks[index].text) > len(marks[last].text) else last
            places[-1] = (last_start, max(end, last_end), longer)
        else:
            places.append((start, end, index))
    out, at = [], 0
    for start, end, index in places:
        out += [value[at:start], f"[withheld: {REASON_TEXT[marks[index].reason]}]"]
        at = end
    return "".join([*out, value[at:]]), len(places)


@dataclass(frozen=True)
class Withheld:
    """Records with the marked passages withheld, and how often each was found."""

    records: SubjectRecords
    hits: tuple[tuple[Marked, int], ...]
    places: int


def redact(records: SubjectRecords, marks: list[Marked]) -> Withheld:
    """Withhold every marked passage wherever it occurs, however it is spaced or cased.

    Repeated passages count once. Raises InvalidInput for an empty or overlong
    passage, or one that occurs nowhere in the record text.
    """
    marks = _distinct([Marked(m.text.strip(), m.reason) for m in marks])
    patterns = _patterns(marks)
    hits = [0] * len(marks)
    lines, places = [], 0
    for line in records.lines:
        value, withheld = _withhold_line(line.value, marks, patterns, hits)
        lines.append(Line(line.level, line.label, value))
        places += withheld
    for mark, count in zip(marks, hits, strict=True):
        if not count:
            raise InvalidInput(
                f"'{mark.text[:60]}' does not appear in the record text (headings are not "
                "redacted); nothing was exported."
            )
    shown = SubjectRecords(records.child_id, records.child, tuple(lines), ())
    return Withheld(shown, tuple(zip(marks, hits, strict=True)), places)


def place_count(count: int) -> str:
    """Say how many places: "1 place", "3 places"."""
    return f"{count} place{'' if count == 1 else 's'}"


def redacted(records: SubjectRecords, marks: list[Marked]) -> SubjectRecords:
    """Return the records with every marked passage replaced in the text itself."""
    return redact(records, marks).records


def preview_text(records: SubjectRecords) -> str:
    """The bundle as plain text, for the redaction view."""
    out = []
    for line in records.lines:
        if line.level == 0:
            out.append(f"\n{line.label.upper()}: {line.value}")
        elif line.level == 1:
            out.append(f"\n  {line.label} ({line.value})")
        else:
            out.append(f"    {line.label}: {line.value}")
    return "\n".join(out).strip() + "\n"
