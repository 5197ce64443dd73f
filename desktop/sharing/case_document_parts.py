"""What the case documents share: their data, and the pieces each stage's record shows."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from desktop.casework.timeline import CaseDetail, TimelineEntry
from desktop.documents.render import Header, facts, grid, para, when
from desktop.procedures.catalogue import Stage
from desktop.procedures.fields import label


@dataclass(frozen=True)
class DocumentData:
    """Everything a document needs, read from the vault in one session."""

    kind: str
    detail: CaseDetail
    entry: TimelineEntry | None
    stage: Stage | None
    next_stages: tuple[Stage, ...]
    signer: str
    header: Header


def field_text(entry: TimelineEntry | None, name: str) -> str:
    """Return a passage a stage recorded, or nothing."""
    if entry is None:
        return ""
    value = entry.fields.get(name)
    return value if isinstance(value, str) else ""


def actions_table(entry: TimelineEntry, st: dict[str, ParagraphStyle]) -> Flowable:
    """Return a stage's agreed actions as a table (saying None when there are none)."""
    rows = [[action, owner, when(due)] for action, owner, due in entry.actions] or [
        ["None", "", ""]
    ]
    return grid(["Action", "Owner", "Due"], rows, [95 * mm, 40 * mm, None], st)


def discussions(entry: TimelineEntry, st: dict[str, ParagraphStyle]) -> list[Flowable]:
    """Return a stage's discussions: when, how, with whom, then what was said."""
    out: list[Flowable] = []
    for at, mode, people, notes in entry.discussions:
        out.append(para(f"{when(at)} · {mode} · with {people}", st["h3"]))
        out.append(para(notes or "—", st["body"]))
    return out


def _person(value: object) -> str:
    person = value if isinstance(value, Mapping) else {}
    parts = [str(person.get(key) or "").strip() for key in ("name", "role", "agency")]
    return ", ".join(part for part in parts if part)


def stage_parties(data: DocumentData) -> tuple[str, str]:
    """Return the stage's two parties as recorded at that stage (raising, receiving).

    A stage that recorded none shows its roles with the case's agencies; the
    first stage falls back to the parties the case was opened with.
    """
    detail, entry, stage = data.detail, data.entry, data.stage
    recorded = entry.fields.get("parties") if entry else None
    sides = recorded if isinstance(recorded, Mapping) else {}
    raising, receiving = _person(sides.get("raising")), _person(sides.get("receiving"))
    first = bool(detail.entries) and entry is not None and entry is detail.entries[0]
    if not raising:
        raising = detail.raised_by if first or stage is None else f"{stage.raising_role}"
    if not receiving:
        receiving = detail.other_party if first or stage is None else f"{stage.receiving_role}"
    return raising, receiving


def decision_facts(detail: CaseDetail) -> list[tuple[str, str]]:
    """The decision or inaction challenged, and its date, as facts (none when not recorded)."""
    shown = []
    if detail.decision:
        shown.append(("Decision challenged", detail.decision))
    if detail.decision_at:
        shown.append(("Date of the decision", detail.decision_at))
    return shown


def incomplete_note(entry: TimelineEntry, st: dict[str, ParagraphStyle]) -> list[Flowable]:
    """Say that a stage ended with required records missing, and why."""
    if not entry.incomplete_because:
        return []
    return [
        para("Records incomplete", st["h3"]),
        para(
            "This stage ended without every record the procedure requires. The reason "
            f"given: {entry.incomplete_because}",
            st["body"],
        ),
    ]


def recorded_passages(entry: TimelineEntry, st: dict[str, ParagraphStyle]) -> list[Flowable]:
    """Every passage a stage recorded, under its label (closing and reopening notes too)."""
    out: list[Flowable] = []
    for name, value in entry.fields.items():
        if isinstance(value, str) and value.strip() and label(name) != name:
            out += [para(label(name), st["h3"]), para(value, st["body"])]
    return out


def stage_facts(data: DocumentData, st: dict[str, ParagraphStyle]) -> Flowable:
    """The facts heading a stage's document: case, child, track, stage, timescale, outcome."""
    detail, entry, stage = data.detail, data.entry, data.stage
    assert entry is not None and stage is not None
    return facts(
        [
            ("Case", detail.reference),
            ("Child", detail.child),
            ("Track", detail.track),
            ("Stage", stage.title),
            ("Stage opened", when(entry.opened_at)),
            ("Timescale", f"{stage.timescale.describe()}; due {when(entry.due_at)}"),
            ("Outcome", entry.outcome or "open"),
            *decision_facts(detail),
        ],
        st,
    )
