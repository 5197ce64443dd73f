"""What a procedure definition holds: tracks of stages, areas, redirects, contacts.

A procedure is data (see docs/procedures.md): a partnership's tracks, each an
ordered list of stages with roles, timescale, the records it asks for and
requires, documents it produces and guidance quoted from the source text. The
app's own advice is kept apart from the quotes (``advice``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from desktop.procedures import fields
from desktop.procedures.workdays import Timescale

DOCUMENTS: dict[str, str] = {
    "written-confirmation": "Written confirmation between the parties",
    "meeting-record": "Multi-agency meeting record",
    "partnership-notification": "Partnership notification",
    "conference-request": "Request in writing to convene a child protection conference",
}


@dataclass(frozen=True)
class Milestone:
    """A check-point inside a stage, such as line managers' contact within 24 hours."""

    title: str
    timescale: Timescale


@dataclass(frozen=True)
class Event:
    """A moment inside a stage that a clock may count from (reported to the line managers)."""

    id: str
    title: str


@dataclass(frozen=True)
class Stage:
    """One stage of a track."""

    id: str
    title: str
    raising_role: str
    receiving_role: str
    timescale: Timescale
    record: tuple[str, ...]
    produces: tuple[str, ...]
    guidance: str
    next: tuple[str, ...]
    milestones: tuple[Milestone, ...] = ()
    chair: str = ""
    rule: str = ""
    branch: str = ""
    notify: str = ""
    requires: tuple[str, ...] = ()
    labels: tuple[tuple[str, str], ...] = ()  # (field, its label in the procedure's words)
    events: tuple[Event, ...] = ()
    branch_guidance: str = ""
    advice: str = ""
    standing: str = ""
    produces_for: tuple[tuple[str, str], ...] = ()  # (document, outcome): only for that outcome

    def label(self, name: str) -> str:
        """Return a field's label at this stage: the procedure's own words where it gives them."""
        return next((said for field, said in self.labels if field == name), fields.label(name))

    def event(self, event_id: str) -> Event:
        """Return this stage's event ``event_id``; raise KeyError if it has none."""
        for event in self.events:
            if event.id == event_id:
                return event
        raise KeyError(event_id)


@dataclass(frozen=True)
class Track:
    """An ordered path of stages for one kind of disagreement."""

    id: str
    title: str
    description: str
    stages: tuple[Stage, ...]
    urgent_entry: str | None = None
    urgent_guidance: str = ""
    rule: str = ""
    advice: str = ""

    def stage(self, stage_id: str) -> Stage:
        """Return the stage with ``stage_id``; raise KeyError if the track has none."""
        for stage in self.stages:
            if stage.id == stage_id:
                return stage
        raise KeyError(stage_id)

    def entry(self, urgent: bool) -> Stage:
        """Return where a case starts: the urgent entry when urgent and allowed."""
        if urgent and self.urgent_entry:
            return self.stage(self.urgent_entry)
        return self.stages[0]


@dataclass(frozen=True)
class Area:
    """An area of disagreement the procedure names; it may route to its own track or stages."""

    id: str
    title: str
    track: str = ""
    entry: tuple[str, ...] = ()
    guidance: str = ""
    advice: str = ""


@dataclass(frozen=True)
class Redirect:
    """A situation the procedure sends elsewhere (LADO, complaints, police...), or, at the
    close of a case, a body that learning or policy gaps go to.
    """

    id: str
    kind: str
    title: str
    advice: str
    guidance: str
    when: str = "start"  # "start": before a case opens; "close": offered when it closes
    notify: str = ""
    milestone: str = ""  # with a timescale: a deadline the case gets when this applies
    timescale: Timescale | None = None


@dataclass(frozen=True)
class Contact:
    """An agency and its safeguarding lead role, as the procedure lists them."""

    agency: str
    role: str


@dataclass(frozen=True)
class Procedure:
    """One version of one partnership's procedure."""

    id: str
    version: str
    title: str
    partnership: str
    source: str
    tracks: tuple[Track, ...]
    areas: tuple[Area, ...]
    redirects: tuple[Redirect, ...]
    contacts: tuple[Contact, ...]
    supersedes: str | None = None
    origin: str = ""
    sha256: str = ""
    text: str = field(default="", repr=False)
    priorities: tuple[tuple[str, str], ...] = ()
    description: str = ""  # quoted: what the procedure says of itself as a whole

    @property
    def short_name(self) -> str:
        """Return a short label for lists: the id in words (North Lincolnshire)."""
        return self.id.replace("-", " ").title()

    @property
    def key(self) -> tuple[str, str]:
        """The (id, version) pair that identifies this definition."""
        return (self.id, self.version)

    def track(self, track_id: str) -> Track:
        """Return the track with ``track_id``; raise KeyError if none."""
        for track in self.tracks:
            if track.id == track_id:
                return track
        raise KeyError(track_id)

    def area_title(self, area: str) -> str:
        """Return an area id's title, or the free text itself."""
        return next((a.title for a in self.areas if a.id == area), area)

    def area(self, area: str) -> Area | None:
        """Return the area with this id, or None for free text."""
        return next((a for a in self.areas if a.id == area), None)

    def redirects_at(self, when: str) -> tuple[Redirect, ...]:
        """Return the redirects shown before a case opens ("start") or offered at its close."""
        return tuple(r for r in self.redirects if r.when == when)
