"""The schema of a procedure file: every field checked, every error named by ids, all at once.

A stage's ``record`` may name only the fields of the registry
(``desktop.procedures.fields``). Tracks, stages, areas and redirects are named
by their ids in the messages (``track 'escalation', stage '2', timescale``), an
unknown key lists the keys allowed there, and a file's errors are reported
together.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from typing import Any

from desktop.procedures.fields import NAMES, OUTCOMES
from desktop.procedures.schema_checks import Checker, SchemaError, at, named

__all__ = ["SchemaError", "check_procedure"]

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
AT_CLOSE = ("policy-gap", "learning")  # offered when a case closes, never before it opens
BUILT_IN_STARTS = ("opened", "case-opened", "decision")
STANDINGS = ("informal", "formal")
NUMBERS = {"working_days": (0, 365), "hours": (1, 24 * 30)}
KINDS = ("working_days", "hours", "same_working_day", "agreed", "by_priority", "sooner_of")


def check_timescale(
    checker: Checker, value: Any, path: str, starts: Collection[str], nested: bool = False
) -> None:
    """Check a timescale: one kind (or only the procedure's phrase), and where it counts from."""
    allowed = {*KINDS, "phrase", "from"} - ({"by_priority", "sooner_of"} if nested else set())
    if not checker.table(value, path, set(), allowed):
        return
    kinds = [name for name in KINDS if name in value]
    if len(kinds) > 1:
        checker.bad(path, f"must have only one of {', '.join(KINDS)}")
    if not kinds and "phrase" not in value:
        checker.bad(path, f"must state one of {', '.join(KINDS)}, or the procedure's phrase")
    if "phrase" in value:
        checker.text(value["phrase"], at(path, "phrase"))
    for name, (low, high) in NUMBERS.items():
        amount = value.get(name)
        if name in value and (
            isinstance(amount, bool) or not isinstance(amount, int) or not low <= amount <= high
        ):
            checker.bad(at(path, name), f"must be a whole number from {low} to {high}")
    for name in ("same_working_day", "agreed"):
        if name in value and value[name] is not True:
            checker.bad(at(path, name), "must be true")
    if "from" in value:
        counted = {"working_days", "hours", "same_working_day"} & value.keys()
        if not counted:
            checker.bad(at(path, "from"), "needs working_days, hours or same_working_day")
        elif not isinstance(value["from"], str) or value["from"] not in starts:
            known = ", ".join(sorted(starts))
            checker.bad(
                at(path, "from"), f"'{value['from']}' is not an event here (events: {known})"
            )
    if "by_priority" in value:
        _by_priority(checker, value["by_priority"], at(path, "by_priority"), starts)
    if "sooner_of" in value:
        parts = checker.listed(value["sooner_of"], at(path, "sooner_of"))
        if len(parts) < 2:
            checker.bad(at(path, "sooner_of"), "must list at least two timescales")
        for index, part in enumerate(parts):
            check_timescale(checker, part, at(path, f"sooner_of[{index}]"), starts, nested=True)


def _by_priority(checker: Checker, value: Any, path: str, starts: Collection[str]) -> None:
    if not isinstance(value, dict) or not value:
        checker.bad(path, "must be a table of a timescale for each priority")
        return
    for name, each in value.items():
        if name not in checker.priorities:
            known = ", ".join(sorted(checker.priorities)) or "none declared"
            checker.bad(at(path, name), f"is not a priority of this procedure ({known})")
        check_timescale(checker, each, at(path, name), starts, nested=True)


STAGE_REQUIRED = {"id", "title", "raising_role", "receiving_role", "record", "guidance"}
STAGE_OPTIONAL = {
    "timescale",
    "produces",
    "next",
    "milestones",
    "chair",
    "rule",
    "branch",
    "branch_guidance",
    "notify",
    "requires",
    "record_labels",
    "events",
    "advice",
    "standing",
}


def _events(checker: Checker, stage: dict[str, Any], path: str) -> list[str]:
    ids = []
    for index, event in enumerate(checker.listed(stage.get("events", []), at(path, "events"))):
        where = at(path, f"events[{index}]")
        if checker.table(event, where, {"id", "title"}, set()):
            checker.text(event["title"], at(where, "title"))
            if checker.text(event["id"], at(where, "id"), SLUG):
                if event["id"] in BUILT_IN_STARTS:
                    checker.bad(at(where, "id"), f"'{event['id']}' is the name of a built-in event")
                ids.append(event["id"])
    checker.unique(ids, at(path, "events"))
    return ids


def _produces(checker: Checker, value: Any, path: str) -> None:
    for index, item in enumerate(checker.listed(value, path)):
        where = f"{path}[{index}]"
        if isinstance(item, dict):
            if checker.table(item, where, {"document", "outcome"}, set()):
                checker.choice(item["document"], at(where, "document"), checker.documents)
                checker.choice(item["outcome"], at(where, "outcome"), OUTCOMES)
        else:
            checker.choice(item, where, checker.documents)


def _check_stage(checker: Checker, stage: Any, path: str, earlier: Collection[str]) -> None:
    checker.table(stage, path, STAGE_REQUIRED, STAGE_OPTIONAL)
    if not isinstance(stage, dict):
        return
    if "id" in stage:
        checker.text(stage["id"], at(path, "id"), STAGE_ID)
    checker.texts(stage, path, ("title", "raising_role", "receiving_role", "guidance"))
    checker.texts(stage, path, ("chair", "rule", "branch", "branch_guidance", "notify", "advice"))
    if "standing" in stage:
        checker.choice(stage["standing"], at(path, "standing"), STANDINGS)
    record = checker.choices(stage.get("record", []), at(path, "record"), NAMES)
    if "record" in stage and not stage["record"]:
        checker.bad(at(path, "record"), "must not be empty")
    if "requires" in stage:
        checker.choices(stage["requires"], at(path, "requires"), [*record])
    labels = stage.get("record_labels", {})
    if not isinstance(labels, dict):
        checker.bad(at(path, "record_labels"), "must be a table of a label for a recorded field")
    else:
        for name, text in labels.items():
            if name not in record:
                checker.bad(at(path, f"record_labels.{name}"), "is not a field this stage records")
            checker.text(text, at(path, f"record_labels.{name}"))
    _produces(checker, stage.get("produces", []), at(path, "produces"))
    events = _events(checker, stage, path)
    starts = {*BUILT_IN_STARTS, *events, *earlier}
    if "timescale" in stage:
        check_timescale(checker, stage["timescale"], at(path, "timescale"), starts)
    for index, milestone in enumerate(
        checker.listed(stage.get("milestones", []), at(path, "milestones"))
    ):
        where = at(path, f"milestones[{index}]")
        if checker.table(milestone, where, {"title", "timescale"}, set()):
            checker.text(milestone["title"], at(where, "title"))
            check_timescale(checker, milestone["timescale"], at(where, "timescale"), starts)


def _earlier_events(stage: Any) -> list[str]:
    """What a later stage may count from: this stage's opening and its events (``id/event``)."""
    if not isinstance(stage, dict) or not isinstance(stage.get("id"), str):
        return []
    events = stage.get("events", [])
    named = [e.get("id") for e in events if isinstance(e, dict)] if isinstance(events, list) else []
    return [f"{stage['id']}/{name}" for name in ["opened", *named] if isinstance(name, str)]


def _check_track(checker: Checker, track: Any, path: str) -> list[str]:
    checker.table(
        track,
        path,
        {"id", "title", "stages"},
        {"description", "urgent_entry", "urgent_guidance", "rule", "advice"},
    )
    if not isinstance(track, dict):
        return []
    if "id" in track:
        checker.text(track["id"], at(path, "id"), SLUG)
    checker.texts(track, path, ("title", "description", "urgent_guidance", "rule", "advice"))
    stages = checker.listed(track.get("stages", []), at(path, "stages"), non_empty=True)
    earlier: list[str] = []
    for index, stage in enumerate(stages):
        _check_stage(checker, stage, f"{path}, {named('stage', stage, index, STAGE_ID)}", earlier)
        earlier += _earlier_events(stage)
    ids = [s.get("id") for s in stages if isinstance(s, dict)]
    checker.unique(ids, at(path, "stages"))
    for index, stage in enumerate(stages):
        if not isinstance(stage, dict):
            continue
        where = at(f"{path}, {named('stage', stage, index, STAGE_ID)}", "next")
        for target in checker.listed(stage.get("next", []), where):
            if target not in ids or ids.index(target) <= index:
                checker.bad(where, f"'{target}' is not a later stage of this track")
    if "urgent_entry" in track and track["urgent_entry"] not in ids:
        checker.bad(at(path, "urgent_entry"), f"'{track['urgent_entry']}' is not a stage")
    if "urgent_entry" in track and "urgent_guidance" not in track:
        checker.bad(at(path, "urgent_guidance"), "is required with urgent_entry")
    return [str(i) for i in ids]


def _check_areas(checker: Checker, data: dict[str, Any], tracks: dict[str, list[str]]) -> None:
    areas = checker.listed(data.get("areas", []), "areas")
    for index, area in enumerate(areas):
        where = named("area", area, index, SLUG)
        if not checker.table(
            area, where, {"id", "title"}, {"track", "entry", "guidance", "advice"}
        ):
            continue
        checker.text(area["id"], at(where, "id"), SLUG)
        checker.texts(area, where, ("title", "guidance", "advice"))
        track = area.get("track")
        if "track" in area and (not isinstance(track, str) or track not in tracks):
            checker.bad(at(where, "track"), f"'{track}' is not a track of this procedure")
        if "entry" in area:
            if "track" not in area:
                checker.bad(at(where, "entry"), "needs the area's track")
            stages = tracks.get(track, []) if isinstance(track, str) else []
            checker.choices(area["entry"], at(where, "entry"), stages)
    checker.unique([a.get("id") for a in areas if isinstance(a, dict)], "areas")


REDIRECT_OPTIONAL = {"route", "advice", "when", "notify", "milestone", "timescale"}


def _check_redirects(checker: Checker, data: dict[str, Any]) -> None:
    redirects = checker.listed(data.get("redirects", []), "redirects")
    for index, item in enumerate(redirects):
        where = named("redirect", item, index, SLUG)
        if not checker.table(item, where, {"id", "kind", "title", "guidance"}, REDIRECT_OPTIONAL):
            continue
        checker.text(item["id"], at(where, "id"), SLUG)
        checker.choice(item["kind"], at(where, "kind"), REDIRECT_KINDS)
        checker.texts(item, where, ("title", "guidance", "route", "advice", "notify", "milestone"))
        when = item.get("when", "close" if item["kind"] in AT_CLOSE else "start")
        if when not in ("start", "close"):
            checker.bad(at(where, "when"), "must be start or close")
        elif item["kind"] in AT_CLOSE and when != "close":
            checker.bad(
                at(where, "when"), "learning and policy gaps are offered when a case closes"
            )
        if ("timescale" in item) != ("milestone" in item):
            checker.bad(where, "a timescale and its milestone go together")
        if "timescale" in item:
            check_timescale(checker, item["timescale"], at(where, "timescale"), BUILT_IN_STARTS)
    checker.unique([r.get("id") for r in redirects if isinstance(r, dict)], "redirects")


def check_procedure(data: Any, documents: Collection[str]) -> None:
    """Check a parsed procedure file; raise SchemaError naming every problem.

    Args:
        documents: the names of the documents a stage may produce.
    """
    checker = Checker(documents)
    top_optional = {"supersedes", "areas", "redirects", "contacts", "priorities", "description"}
    required = {"id", "version", "title", "partnership", "source", "tracks"}
    if not checker.table(data, "", required, top_optional) and not isinstance(data, dict):
        raise checker.error
    if "id" in data:
        checker.text(data["id"], "id", SLUG)
    if "version" in data:
        checker.text(data["version"], "version", re.compile(r"^[A-Za-z0-9][A-Za-z0-9.-]{0,31}$"))
    checker.texts(data, "", ("title", "partnership", "source", "supersedes", "description"))
    for index, item in enumerate(checker.listed(data.get("priorities", []), "priorities")):
        where = named("priority", item, index, SLUG)
        if checker.table(item, where, {"id", "title"}, set()):
            checker.text(item["title"], at(where, "title"))
            if checker.text(item["id"], at(where, "id"), SLUG):
                checker.priorities.add(item["id"])
    tracks = checker.listed(data.get("tracks", []), "tracks", non_empty=True)
    stage_ids = {}
    for index, track in enumerate(tracks):
        ids = _check_track(checker, track, named("track", track, index, SLUG))
        if isinstance(track, dict) and isinstance(track.get("id"), str):
            stage_ids[track["id"]] = ids
    checker.unique([t.get("id") for t in tracks if isinstance(t, dict)], "tracks")
    _check_areas(checker, data, stage_ids)
    _check_redirects(checker, data)
    for index, contact in enumerate(checker.listed(data.get("contacts", []), "contacts")):
        where = f"contact #{index + 1}"
        if checker.table(contact, where, {"agency", "role"}, set()):
            checker.texts(contact, where, ("agency", "role"))
    if checker.error.problems:
        raise checker.error
