"""Stages by their titles, and what to do now in a case, in the procedure's own words."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from desktop.procedures.catalogue import Stage, Track
from desktop.procedures.workdays import to_london

if TYPE_CHECKING:  # the dashboard reads labels without loading the case view's queries
    from desktop.casework.timeline import CaseDetail

_OWN_LABEL = ("level", "stage", "step", "tier")
SHORT_ID = 3  # "2", "4a", "B": a stage's number or letter, worth saying before its title


def label_of(stage: Stage) -> str:
    """Name a stage as people say it: its title, led by its id unless the title has one.

    "Level 2: Next managerial level or safeguarding lead" is its own label;
    "Line Manager to Line Manager" (stage B) reads "Stage B: Line Manager to Line Manager";
    a stage whose id is a word ("adjourned") is its title alone.
    """
    title = stage.title.strip()
    if not title:
        return f"Stage {stage.id}"
    if title.lower().startswith(_OWN_LABEL) or len(stage.id) > SHORT_ID:
        return title  # "Level 2: ...", or an id that is a word ("adjourned"), not a number
    return f"Stage {stage.id}: {title}"


def stage_label(track: Track, stage_id: str) -> str:
    """Return the label of the stage with ``stage_id`` in ``track`` ("Stage X" if it has none).

    Stage ids are unique within a track, not a procedure (North Lincolnshire's
    two tracks both start at "A"), hence the track.
    """
    try:
        return label_of(track.stage(stage_id))
    except KeyError:
        return f"Stage {stage_id}"


@dataclass(frozen=True)
class NowGuidance:
    """What to do now in a case: a heading, the steps in the app's words, the procedure's."""

    heading: str
    steps: tuple[str, ...]
    quote: str = ""  # the procedure's own words for the stage (its first paragraph)


def _when(value: dt.datetime) -> str:
    return to_london(value).strftime("%a %d %b %Y %H:%M")


def first_paragraph(guidance: str) -> str:
    """Return the first paragraph of a stage's guidance, as the procedure words it."""
    return guidance.strip().split("\n\n", 1)[0].strip()


def _closed(detail: CaseDetail) -> NowGuidance:
    status = detail.state.status
    if status == "unresolved":
        return NowGuidance(
            "The last stage ended unresolved",
            (
                "The procedure has no further stage. Keep the child-file summary on the "
                "child's file and follow your partnership's advice.",
            ),
        )
    return NowGuidance(
        f"This escalation is closed ({status})",
        ("Nothing more is due. Its documents can still be made below.",),
    )


def what_to_do_now(detail: CaseDetail) -> NowGuidance:
    """Say what the current stage asks of the user now, and what follows it."""
    stage = detail.current
    if detail.state.status != "open" or stage is None:
        return _closed(detail)
    latest = detail.entries[-1] if detail.entries else None
    following = [label_of(s) for s in detail.next_options]
    if latest is not None and latest.closed_at is not None:
        step = f"This stage was recorded ({latest.outcome or 'closed'})."
        if following:
            step += f" If the difference remains, escalate to {' or '.join(following)}."
        return NowGuidance(label_of(stage), (step,), first_paragraph(stage.guidance))
    due = detail.state.due_at
    timescale = stage.timescale.describe()
    steps = [
        f"{stage.raising_role} talks with: {stage.receiving_role}, {timescale}"
        + (f" (due {_when(due)})." if due else ".")
    ]
    if detail.draft:
        steps.append("A draft of this stage is saved: choose Record this stage to finish it.")
    else:
        steps.append("When you have talked, choose Record this stage to write down what was said.")
    if following:
        steps.append(f"If it is not resolved, escalate to {' or '.join(following)}.")
    return NowGuidance(label_of(stage), tuple(steps), first_paragraph(stage.guidance))
