"""The partnership report: anonymised escalation figures for a date range.

A partnership business manager asks agencies for evidence of escalation and
for what was learned. The report counts cases opened in the range; it holds
agency names, procedure wording and numbers only. No child identifier, no
initials, no names of professionals and no free text a user typed (an area
described in free text is counted as "Other") ever reaches a report.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import statistics
from collections import Counter
from dataclasses import asdict, dataclass

from sqlalchemy import text
from sqlalchemy.orm import Session

from desktop.casework.workflow import LastStage, derive_state
from desktop.errors import InvalidInput
from desktop.models import StageOutcome, from_stored_text, stored_text
from desktop.procedures.catalogue import Catalogue
from desktop.procedures.store import definition
from desktop.procedures.workdays import LONDON

OTHER_AREA = "Other (described in free text)"
DAY_BANDS = ((0, 1, "0-1 days"), (2, 5, "2-5 days"), (6, 10, "6-10 days"), (11, 20, "11-20 days"))
LONGEST_BAND = "more than 20 days"
MAX_RANGE_DAYS = 366 * 20


@dataclass(frozen=True)
class Figure:
    """One counted line: what was counted, and how many."""

    label: str
    count: int


@dataclass(frozen=True)
class PartnershipReport:
    """Every figure of the report; cases are those opened from ``start`` to ``end``."""

    start: dt.date
    end: dt.date
    generated_at: dt.datetime
    escalations: int
    by_raising_agency: tuple[Figure, ...]
    by_receiving_agency: tuple[Figure, ...]
    by_area: tuple[Figure, ...]
    by_stage_reached: tuple[Figure, ...]
    by_status: tuple[Figure, ...]
    resolved: int
    days_to_resolution: tuple[Figure, ...]
    median_days_to_resolution: float | None
    longest_days_to_resolution: int | None
    overdue_open_stages: int
    stages_closed_late: int
    learning_identified: int


_CASES_SQL = """
SELECT c.id, c.procedure_id, c.procedure_version, c.procedure_sha256, c.track_id, c.area,
    c.raised_by_agency, c.other_party_agency, c.opened_at, c.closed_at,
    last.stage_id, last.closed_at IS NOT NULL, last.outcome
FROM escalation_case c
JOIN stage_record last ON last.id = (
    SELECT s.id FROM stage_record s WHERE s.case_id = c.id
      AND NOT EXISTS (SELECT 1 FROM stage_record x WHERE x.corrects_id = s.id)
    ORDER BY s.sequence DESC, s.id DESC LIMIT 1)
WHERE c.opened_at >= :start AND c.opened_at < :end
"""
_STAGES_SQL = """
SELECT s.case_id,
    s.due_at IS NOT NULL AND s.closed_at IS NULL AND s.due_at < :now,
    s.due_at IS NOT NULL AND s.closed_at IS NOT NULL AND s.closed_at > s.due_at,
    trim(coalesce(json_extract(s.fields_json, '$.learning'), '')) != ''
FROM stage_record s JOIN escalation_case c ON c.id = s.case_id
WHERE c.opened_at >= :start AND c.opened_at < :end
  AND NOT EXISTS (SELECT 1 FROM stage_record x WHERE x.corrects_id = s.id)
"""


def _bounds(start: dt.date, end: dt.date) -> tuple[str, str]:
    """The range's first and last days, whole days in London time, as stored UTC text."""
    if end < start:
        raise InvalidInput("The report's end date is before its start date.")
    if (end - start).days > MAX_RANGE_DAYS:
        raise InvalidInput("A report covers at most twenty years.")
    first = dt.datetime.combine(start, dt.time(), LONDON)
    after = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), LONDON)
    return stored_text(first), stored_text(after)


def _figures(counter: Counter[str]) -> tuple[Figure, ...]:
    """Most first; ties in alphabetical order so the report reads the same every time."""
    return tuple(Figure(k, n) for k, n in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])))


def _band(days: int) -> str:
    return next((label for low, high, label in DAY_BANDS if low <= days <= high), LONGEST_BAND)


def build_report(
    session: Session, catalogue: Catalogue, start: dt.date, end: dt.date, now: dt.datetime
) -> PartnershipReport:
    """Count the escalations opened from ``start`` to ``end`` (London dates, inclusive)."""
    first, after = _bounds(start, end)
    params = {"start": first, "end": after, "now": stored_text(now)}
    connection = session.connection()
    raising: Counter[str] = Counter()
    receiving: Counter[str] = Counter()
    areas: Counter[str] = Counter()
    reached: Counter[str] = Counter()
    statuses: Counter[str] = Counter()
    bands: Counter[str] = Counter()
    resolution_days: list[int] = []
    for row in connection.execute(text(_CASES_SQL), params):
        _id, proc_id, version, sha256, track_id, area, raised, other, opened, closed = row[:10]
        stage_id, stage_closed, outcome = row[10:]
        procedure = definition(session, catalogue, proc_id, version, sha256)
        track = procedure.track(track_id)
        raising[raised.strip() or "Not recorded"] += 1
        receiving[other.strip() or "Not recorded"] += 1
        known_area = any(a.id == area for a in procedure.areas)
        areas[procedure.area_title(area) if known_area else OTHER_AREA] += 1
        reached[f"{procedure.short_name}: {track.stage(stage_id).title}"] += 1
        last = LastStage(
            stage_id, bool(stage_closed), StageOutcome(outcome) if outcome else None, None
        )
        status = derive_state(track, last, closed is not None, now).status
        statuses[status] += 1
        if status == "resolved" and closed is not None:
            days = (from_stored_text(closed) - from_stored_text(opened)).days
            resolution_days.append(days)
            bands[_band(days)] += 1
    overdue = late = 0
    learning_cases: set[int] = set()
    for case_id, is_overdue, was_late, learned in connection.execute(text(_STAGES_SQL), params):
        overdue += bool(is_overdue)
        late += bool(was_late)
        if learned:
            learning_cases.add(case_id)
    ordered_bands = [label for *_range, label in DAY_BANDS] + [LONGEST_BAND]
    return PartnershipReport(
        start=start,
        end=end,
        generated_at=now,
        escalations=sum(statuses.values()),
        by_raising_agency=_figures(raising),
        by_receiving_agency=_figures(receiving),
        by_area=_figures(areas),
        by_stage_reached=_figures(reached),
        by_status=_figures(statuses),
        resolved=len(resolution_days),
        days_to_resolution=tuple(Figure(b, bands[b]) for b in ordered_bands),
        median_days_to_resolution=statistics.median(resolution_days) if resolution_days else None,
        longest_days_to_resolution=max(resolution_days) if resolution_days else None,
        overdue_open_stages=overdue,
        stages_closed_late=late,
        learning_identified=len(learning_cases),
    )


SECTIONS = (
    ("by_raising_agency", "Escalations by agency raising"),
    ("by_receiving_agency", "Escalations by agency receiving"),
    ("by_area", "Escalations by area of disagreement"),
    ("by_stage_reached", "Escalations by stage reached"),
    ("by_status", "Escalations by outcome"),
    ("days_to_resolution", "Resolved escalations by days to resolution"),
)


def totals(report: PartnershipReport) -> list[tuple[str, str]]:
    """The single figures of the report, labelled, in reading order."""
    median = report.median_days_to_resolution
    return [
        ("Escalations opened", str(report.escalations)),
        ("Resolved", str(report.resolved)),
        ("Median days to resolution", "none resolved" if median is None else f"{median:g}"),
        (
            "Longest days to resolution",
            "none resolved"
            if report.longest_days_to_resolution is None
            else str(report.longest_days_to_resolution),
        ),
        ("Stages open and overdue now", str(report.overdue_open_stages)),
        ("Stages closed after their due time", str(report.stages_closed_late)),
        ("Escalations with learning identified", str(report.learning_identified)),
    ]


def report_json(report: PartnershipReport) -> str:
    """The report as JSON: the same figures as the CSV and the PDF."""
    data = asdict(report)
    data["start"], data["end"] = report.start.isoformat(), report.end.isoformat()
    data["generated_at"] = report.generated_at.astimezone(dt.UTC).isoformat()
    data["format"] = "escalation-recorder.partnership-report/1"
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def report_csv(report: PartnershipReport) -> str:
    """The report as CSV rows: section, label, count."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["section", "label", "value"])
    writer.writerow(["period", "from", report.start.isoformat()])
    writer.writerow(["period", "to", report.end.isoformat()])
    for label, value in totals(report):
        writer.writerow(["totals", label, value])
    for attribute, title in SECTIONS:
        for figure in getattr(report, attribute):
            writer.writerow([title, _safe_cell(figure.label), figure.count])
    return out.getvalue()


def _safe_cell(value: str) -> str:
    """Stop a spreadsheet from running an agency name as a formula (CSV injection)."""
    return f"'{value}" if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
