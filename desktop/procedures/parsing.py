"""Read a procedure file's text into a checked definition; its ``procedures --json`` form."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from typing import Any

from desktop.errors import InvalidInput
from desktop.procedures import fields
from desktop.procedures.definition import (
    DOCUMENTS,
    Area,
    Contact,
    Event,
    Milestone,
    Procedure,
    Redirect,
    Stage,
    Track,
)
from desktop.procedures.files import canonical_text, definition_hash
from desktop.procedures.schema import AT_CLOSE, SchemaError, check_procedure
from desktop.procedures.workdays import OPENED, Timescale
from desktop.text.display import visible


def timescale(data: Mapping[str, Any] | None) -> Timescale:
    """Return the timescale a checked table states (none stated: an empty one)."""
    if not data:
        return Timescale()
    days, hours = data.get("working_days"), data.get("hours")
    return Timescale(
        working_days=int(days) if isinstance(days, int) else None,
        hours=int(hours) if isinstance(hours, int) else None,
        same_working_day=bool(data.get("same_working_day", False)),
        phrase=" ".join(str(data.get("phrase", "")).split()),
        start=str(data.get("from", OPENED)),
        agreed=bool(data.get("agreed", False)),
        by_priority=tuple(
            (str(name), timescale(each)) for name, each in data.get("by_priority", {}).items()
        ),
        sooner_of=tuple(timescale(each) for each in data.get("sooner_of", [])),
    )


def _stage(item: dict[str, Any], following: list[str]) -> Stage:
    record = tuple(str(name) for name in item["record"])
    produced = item.get("produces", [])
    return Stage(
        id=str(item["id"]),
        title=str(item["title"]),
        raising_role=str(item["raising_role"]),
        receiving_role=str(item["receiving_role"]),
        timescale=timescale(item.get("timescale")),
        record=record,
        produces=tuple(str(p) for p in produced if isinstance(p, str)),
        produces_for=tuple(
            (str(p["document"]), str(p["outcome"])) for p in produced if isinstance(p, dict)
        ),
        guidance=str(item["guidance"]).strip(),
        next=tuple(str(n) for n in item.get("next", following)),
        milestones=tuple(
            Milestone(str(m["title"]), timescale(m["timescale"]))
            for m in item.get("milestones", [])
        ),
        chair=str(item.get("chair", "")),
        rule=str(item.get("rule", "")).strip(),
        branch=str(item.get("branch", "")),
        notify=str(item.get("notify", "")),
        requires=tuple(item["requires"]) if "requires" in item else fields.default_requires(record),
        labels=tuple((str(k), str(v)) for k, v in item.get("record_labels", {}).items()),
        events=tuple(Event(str(e["id"]), str(e["title"])) for e in item.get("events", [])),
        branch_guidance=str(item.get("branch_guidance", "")).strip(),
        advice=str(item.get("advice", "")).strip(),
        standing=str(item.get("standing", "")),
    )


def _stages(raw: list[dict[str, Any]]) -> tuple[Stage, ...]:
    return tuple(
        _stage(item, [str(raw[index + 1]["id"])] if index + 1 < len(raw) else [])
        for index, item in enumerate(raw)
    )


def _redirect(r: dict[str, Any]) -> Redirect:
    return Redirect(
        id=r["id"],
        kind=r["kind"],
        title=r["title"],
        advice=str(r.get("advice", r.get("route", ""))).strip(),
        guidance=r["guidance"].strip(),
        when=r.get("when", "close" if r["kind"] in AT_CLOSE else "start"),
        notify=r.get("notify", ""),
        milestone=r.get("milestone", ""),
        timescale=timescale(r["timescale"]) if "timescale" in r else None,
    )


def _track(t: dict[str, Any]) -> Track:
    return Track(
        id=t["id"],
        title=t["title"],
        description=t.get("description", "").strip(),
        stages=_stages(t["stages"]),
        urgent_entry=t.get("urgent_entry"),
        urgent_guidance=t.get("urgent_guidance", "").strip(),
        rule=t.get("rule", "").strip(),
        advice=t.get("advice", "").strip(),
    )


def _load(text: str, origin: str) -> Any:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise InvalidInput(f"{origin}: not valid TOML ({error}).") from None
    except RecursionError:
        raise InvalidInput(f"{origin}: not a procedure file (nested too deeply).") from None
    except ValueError:  # Python refuses to read an integer of more than 4,300 digits
        raise InvalidInput(f"{origin}: holds a number with too many digits.") from None


def parse_procedure(text: str, origin: str) -> Procedure:
    """Parse and validate one procedure file's text.

    Raises:
        InvalidInput: naming ``origin``, and every field that is wrong and why.
    """
    text = canonical_text(text)
    data = _load(text, origin)
    try:
        check_procedure(data, DOCUMENTS)
    except SchemaError as error:  # the problems may quote the file: one visible line
        raise InvalidInput(visible(f"{origin}: {error.sentence()}.")) from None
    return Procedure(
        id=data["id"],
        version=data["version"],
        title=data["title"],
        partnership=data["partnership"],
        source=data["source"].strip(),
        tracks=tuple(_track(t) for t in data["tracks"]),
        areas=tuple(
            Area(
                a["id"],
                a["title"],
                a.get("track", ""),
                tuple(a.get("entry", ())),
                a.get("guidance", "").strip(),
                a.get("advice", "").strip(),
            )
            for a in data.get("areas", [])
        ),
        redirects=tuple(_redirect(r) for r in data.get("redirects", [])),
        contacts=tuple(Contact(c["agency"], c["role"]) for c in data.get("contacts", [])),
        supersedes=data.get("supersedes"),
        origin=origin,
        sha256=definition_hash(text),
        text=text,
        priorities=tuple((p["id"], p["title"]) for p in data.get("priorities", [])),
        description=data.get("description", "").strip(),
    )


def _stage_summary(s: Stage) -> dict[str, object]:
    return {
        "id": s.id,
        "title": s.title,
        "timescale": s.timescale.as_json(),
        "produces": list(s.produces),
        "next": list(s.next),
        "raising_role": s.raising_role,
        "receiving_role": s.receiving_role,
        "record": list(s.record),
        "requires": list(s.requires),
        "events": [{"id": e.id, "title": e.title} for e in s.events],
        "branch": s.branch or None,
        "branch_guidance": s.branch_guidance or None,
        "standing": s.standing or None,
    }


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
                "description": t.description,
                "urgent_entry": t.urgent_entry,
                "stages": [_stage_summary(s) for s in t.stages],
            }
            for t in procedure.tracks
        ],
        "areas": [{"id": a.id, "title": a.title} for a in procedure.areas],
    }
