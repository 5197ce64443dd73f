"""Procedure definitions: load and validate ``*.toml``; look up stages and what follows.

A procedure is data (see docs/procedures.md): a partnership's tracks, each an
ordered list of stages with roles, timescale, required record fields,
documents produced and guidance quoted from the source text.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from desktop.errors import InvalidInput
from desktop.procedures.fields import LABELS
from desktop.procedures.files import bundled_texts, canonical_text, definition_hash, read_user_file
from desktop.procedures.schema import SchemaError, check_procedure
from desktop.procedures.workdays import Timescale
from desktop.text.display import visible

# Labels of the fields a stage may ask for, by name: the registry's (desktop.procedures.fields).
RECORD_FIELDS: Mapping[str, str] = LABELS

DOCUMENTS: dict[str, str] = {
    "written-confirmation": "Written confirmation between the parties",
    "meeting-record": "Multi-agency meeting record",
    "partnership-notification": "Partnership notification",
}


@dataclass(frozen=True)
class Milestone:
    """A check-point inside a stage, such as line managers' contact within 24 hours."""

    title: str
    timescale: Timescale


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
    """An area of disagreement the procedure names."""

    id: str
    title: str


@dataclass(frozen=True)
class Redirect:
    """A situation the procedure sends elsewhere (LADO, complaints, police...)."""

    id: str
    kind: str
    title: str
    route: str
    guidance: str


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


def _timescale(data: dict[str, object] | None) -> Timescale:
    if not data:
        return Timescale()
    days, hours = data.get("working_days"), data.get("hours")
    return Timescale(
        working_days=int(days) if isinstance(days, int) else None,
        hours=int(hours) if isinstance(hours, int) else None,
        same_working_day=bool(data.get("same_working_day", False)),
    )


def _stages(raw: list[dict[str, object]]) -> tuple[Stage, ...]:
    stages = []
    for index, item in enumerate(raw):
        following = [str(raw[index + 1]["id"])] if index + 1 < len(raw) else []
        nxt = item.get("next", following)
        milestones = item.get("milestones", [])
        assert isinstance(nxt, list) and isinstance(milestones, list)
        stages.append(
            Stage(
                id=str(item["id"]),
                title=str(item["title"]),
                raising_role=str(item["raising_role"]),
                receiving_role=str(item["receiving_role"]),
                timescale=_timescale(item.get("timescale")),  # type: ignore[arg-type]  # checked by schema
                record=tuple(item["record"]),  # type: ignore[arg-type]  # checked by schema
                produces=tuple(item.get("produces", [])),  # type: ignore[arg-type]  # checked by schema
                guidance=str(item["guidance"]).strip(),
                next=tuple(str(n) for n in nxt),
                milestones=tuple(
                    Milestone(str(m["title"]), _timescale(m["timescale"])) for m in milestones
                ),
                chair=str(item.get("chair", "")),
                rule=str(item.get("rule", "")).strip(),
                branch=str(item.get("branch", "")),
                notify=str(item.get("notify", "")),
            )
        )
    return tuple(stages)


def parse_procedure(text: str, origin: str) -> Procedure:
    """Parse and validate one procedure file's text.

    Raises:
        InvalidInput: naming ``origin``, the field and what is wrong.
    """
    text = canonical_text(text)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise InvalidInput(f"{origin}: not valid TOML ({error}).") from None
    except RecursionError:
        raise InvalidInput(f"{origin}: not a procedure file (nested too deeply).") from None
    except ValueError:  # Python refuses to read an integer of more than 4,300 digits
        raise InvalidInput(f"{origin}: holds a number with too many digits.") from None
    try:
        check_procedure(data, DOCUMENTS)
    except SchemaError as error:  # the problem may quote the file: one visible line
        raise InvalidInput(visible(f"{origin}: {error.path}: {error.problem}.")) from None
    tracks = tuple(
        Track(
            id=t["id"],
            title=t["title"],
            description=t.get("description", "").strip(),
            stages=_stages(t["stages"]),
            urgent_entry=t.get("urgent_entry"),
            urgent_guidance=t.get("urgent_guidance", "").strip(),
            rule=t.get("rule", "").strip(),
        )
        for t in data["tracks"]
    )
    return Procedure(
        id=data["id"],
        version=data["version"],
        title=data["title"],
        partnership=data["partnership"],
        source=data["source"].strip(),
        tracks=tracks,
        areas=tuple(Area(a["id"], a["title"]) for a in data.get("areas", [])),
        redirects=tuple(
            Redirect(r["id"], r["kind"], r["title"], r["route"], r["guidance"].strip())
            for r in data.get("redirects", [])
        ),
        contacts=tuple(Contact(c["agency"], c["role"]) for c in data.get("contacts", [])),
        supersedes=data.get("supersedes"),
        origin=origin,
        sha256=definition_hash(text),
        text=text,
    )


class Catalogue:
    """Every procedure version known: bundled ones and those in the vault's folder.

    It also indexes definitions by content hash: its own, and those read from a
    vault or a transfer package (``remember``), so each is parsed once.
    """

    def __init__(self, procedures: Iterable[Procedure], notices: Iterable[str] = ()) -> None:
        self._by_key: dict[tuple[str, str], Procedure] = {}
        for procedure in procedures:
            if procedure.key in self._by_key:
                raise InvalidInput(_duplicate(procedure, self._by_key[procedure.key]))
            self._by_key[procedure.key] = procedure
        self._by_hash = {p.sha256: p for p in self._by_key.values()}
        self.notices = tuple(notices)

    def __iter__(self) -> Iterator[Procedure]:
        return iter(sorted(self._by_key.values(), key=lambda p: (p.id, p.version)))

    def current(self) -> list[Procedure]:
        """Return the newest version of each procedure (the one nothing supersedes)."""
        superseded = {(p.id, p.supersedes) for p in self._by_key.values() if p.supersedes}
        return [p for p in self if p.key not in superseded]

    def get(self, procedure_id: str, version: str | None = None) -> Procedure:
        """Return a version (the current one when ``version`` is None).

        Raises:
            InvalidInput: no such procedure or version.
        """
        if version is not None:
            found = self._by_key.get((procedure_id, version))
            if found is None:
                raise InvalidInput(f"Unknown procedure '{procedure_id}' version '{version}'.")
            return found
        for procedure in self.current():
            if procedure.id == procedure_id:
                return procedure
        known = ", ".join(sorted({p.id for p in self}))
        raise InvalidInput(f"Unknown procedure '{procedure_id}' (known: {known}).")

    def for_new_case(self, procedure_id: str, version: str | None, sha256: str | None) -> Procedure:
        """Return what a new case opens under: the exact definition ``sha256`` names if known.

        An imported or transferred case names the definition it was opened under;
        without it (or when unknown here) the file's ``version`` is used, as ``get``.
        """
        exact = self._by_hash.get(sha256 or "")
        if exact is not None and exact.id == procedure_id and version in (None, exact.version):
            return exact
        return self.get(procedure_id, version)

    def by_hash(self, sha256: str) -> Procedure | None:
        """Return the definition whose canonical text has this SHA-256, if known."""
        return self._by_hash.get(sha256)

    def remember(self, sha256: str, procedure: Procedure) -> None:
        """Index a definition read from a vault or package under its hash (a cache)."""
        self._by_hash.setdefault(sha256, procedure)

    def with_definitions(self, procedures: Iterable[Procedure]) -> Catalogue:
        """Return a copy that also knows ``procedures`` by hash (a package's definitions)."""
        copy = Catalogue(self._by_key.values(), self.notices)
        copy._by_hash.update(self._by_hash)
        for procedure in procedures:
            copy.remember(procedure.sha256, procedure)
        return copy

    def resolve(self, procedure_id: str, version: str, sha256: str | None) -> Procedure:
        """Return the definition a case was opened under (its hash), already known here.

        A case recorded before the vault kept definitions has no hash: its
        version is looked up among the files.

        Raises:
            InvalidInput: neither the definition nor the file is known; one sentence.
        """
        if sha256 is not None:
            found = self._by_hash.get(sha256)
            if found is None:
                raise InvalidInput(
                    f"The vault's copy of procedure {procedure_id} version {version} is "
                    "missing; restore the vault from a backup."
                )
            return found
        found = self._by_key.get((procedure_id, version))
        if found is None:
            raise InvalidInput(
                f"Cases opened under procedure {procedure_id} version {version} need its "
                "file, which is no longer in the procedures folder: put it back there."
            )
        return found


def procedure_summary(procedure: Procedure) -> dict[str, object]:
    """Return the ``procedures --json`` form of one procedure version."""
    return {
        "id": procedure.id,
        "version": procedure.version,
        "title": procedure.title,
        "source": procedure.source,
        "tracks": [
            {
                "id": t.id,
                "title": t.title,
                "stages": [
                    {
                        "id": s.id,
                        "title": s.title,
                        "timescale": s.timescale.as_json(),
                        "produces": list(s.produces),
                    }
                    for s in t.stages
                ],
            }
            for t in procedure.tracks
        ],
        "areas": [{"id": a.id, "title": a.title} for a in procedure.areas],
    }


def _duplicate(procedure: Procedure, first: Procedure) -> str:
    return (
        f"{procedure.origin}: procedure {procedure.id} version {procedure.version} "
        f"is already defined by {first.origin}."
    )


def load_catalogue(user_folder: Path | None = None) -> Catalogue:
    """Load the bundled procedures and any ``*.toml`` in ``user_folder``.

    A user file that cannot be used (unreadable, invalid, too large, a version
    already defined) is skipped: ``notices`` holds one sentence naming each.
    Cases opened under it keep the definition the vault holds.
    """
    procedures = [parse_procedure(text, name) for name, text in bundled_texts()]
    by_key = {p.key: p for p in procedures}
    notices: list[str] = []
    if user_folder is not None and user_folder.is_dir():
        for path in sorted(user_folder.glob("*.toml")):
            try:
                procedure = parse_procedure(read_user_file(path), str(path))
                if procedure.key in by_key:
                    raise InvalidInput(_duplicate(procedure, by_key[procedure.key]))
            except InvalidInput as error:
                notices.append(f"{error.message.removesuffix('.')}; the file was skipped.")
                continue
            procedures.append(procedure)
            by_key[procedure.key] = procedure
    return Catalogue(procedures, notices)
