"""Fictional demo cases across every bundled procedure, for trying the app and benchmarks."""

from __future__ import annotations

import datetime as dt
import json
import random

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from desktop.casework.settings import working_calendar
from desktop.casework.workflow import CURRENT_RECORDS_SQL
from desktop.errors import InvalidInput
from desktop.models import AgreedAction, Case, Child, Discussion, StageOutcome, StageRecord
from desktop.models.cases import PlanStatus
from desktop.procedures.catalogue import Catalogue, Procedure, Track
from desktop.procedures.store import keep_definition
from desktop.procedures.workdays import WorkingCalendar
from desktop.storage import audit
from desktop.storage.vault import Vault

MAX_DEMO = 200_000
AGENCIES = [
    "Children's Services",
    "Fictional Police",
    "Fictional Health Trust",
    "Fictional Housing",
    "Fictional Youth Service",
]
SCHOOLS = [
    "Nowhere Primary (fictional)",
    "Imaginary Academy (fictional)",
    "Pretend Community Trust (fictional)",
]
NOTES = [
    "Fictional demo: discussed the referral decision by telephone; rationale explained.",
    "Fictional demo: agreed to share the chronology and to review at the next meeting.",
    "Fictional demo: the other agency holds its view; the concern remains unresolved.",
]

INCOMPLETE = 0.06  # the share of ended stages whose records a demo leaves incomplete
# Half of the stages that ask for learning record none ("" is what the form saves).
LEARNING = ["", "", "Fictional demo: share chronologies before strategy discussions."]


def _walk(track: Track, rng: random.Random) -> list[str]:
    stage = track.entry(urgent=False)
    path = [stage.id]
    while stage.next and rng.random() < 0.45:
        stage = track.stage(rng.choice(stage.next))
        path.append(stage.id)
    return path


def _fields(asked: tuple[str, ...], rng: random.Random) -> dict[str, object]:
    fields: dict[str, object] = {}
    if "learning" in asked:
        fields["learning"] = rng.choice(LEARNING)
    if "partnership_notified" in asked:
        fields["partnership_notified"] = rng.random() < 0.5
    return fields


def _case(
    n: int,
    procedure: Procedure,
    track: Track,
    child: Child,
    calendar: WorkingCalendar,
    now: dt.datetime,
    rng: random.Random,
) -> Case:
    opened = now - dt.timedelta(minutes=rng.randrange(60, 60 * 24 * 720))
    school, agency = rng.choice(SCHOOLS), rng.choice(AGENCIES)
    case = Case(
        reference=f"DEMO-{n:06d}",
        procedure_id=procedure.id,
        procedure_version=procedure.version,
        procedure_sha256=procedure.sha256,
        track_id=track.id,
        urgent=False,
        child=child,
        area=rng.choice(procedure.areas).id if procedure.areas else "fictional area",
        summary="Fictional demo case: a disagreement about the response to a referral.",
        raised_by_name="Demo DSL",
        raised_by_role="Designated Safeguarding Lead",
        raised_by_agency=school,
        other_party_name="Demo Worker",
        other_party_role="Team manager",
        other_party_agency=agency,
        opened_at=opened,
    )
    path = _walk(track, rng)
    at = opened
    ending = rng.random()
    for sequence, stage_id in enumerate(path, start=1):
        stage = track.stage(stage_id)
        due = calendar.due(at, stage.timescale)
        record = StageRecord(
            case=case,
            sequence=sequence,
            stage_id=stage_id,
            opened_at=at,
            due_at=due.at if due else None,
            due_outside_working_time=bool(due and due.outside_working_time),
            fields_json=json.dumps(_fields(stage.record, rng)),
        )
        record.discussions.append(
            Discussion(
                at=at,
                mode=rng.choice(["telephone", "meeting", "video call"]),
                participants_json=json.dumps(["Demo DSL", "Demo Worker"]),
                notes=rng.choice(NOTES),
            )
        )
        if rng.random() < 0.6:
            record.actions.append(
                AgreedAction(
                    action="Fictional demo: send the written confirmation",
                    owner="Demo DSL",
                    due_at=calendar.add_working_days(at, 2),
                )
            )
        later = min(at + dt.timedelta(hours=rng.randrange(2, 120)), now)
        last = sequence == len(path)
        if (not last or ending < 0.45) and rng.random() < INCOMPLETE:
            record.incomplete_because = "Fictional demo: urgent; the records were written later."
        if not last:
            record.outcome, record.closed_at, record.finalised_at = (
                StageOutcome.UNRESOLVED,
                later,
                later,
            )
            at = later
        elif ending < 0.45:
            record.outcome, record.closed_at, record.finalised_at = (
                StageOutcome.RESOLVED if ending < 0.38 else StageOutcome.WITHDRAWN,
                later,
                later,
            )
            case.closed_at = later
    return case


def generate_demo(
    session: Session,
    audit_key: audit.AuditKey,
    catalogue: Catalogue,
    calendar: WorkingCalendar,
    count: int,
    now: dt.datetime,
    seed: int = 2026,
) -> int:
    """Add ``count`` fictional cases spread over every current procedure and track."""
    if not 1 <= count <= MAX_DEMO:
        raise InvalidInput(f"The number of demo cases must be from 1 to {MAX_DEMO:,}.")
    rng = random.Random(seed)  # noqa: S311 - reproducible fictional data, not a secret
    start = (session.scalar(select(func.count()).select_from(Case)) or 0) + 1
    routes = [(p, t) for p in catalogue.current() for t in p.tracks]
    for procedure in catalogue.current():
        keep_definition(session, procedure)
    batch: list[Case] = []
    for n in range(start, start + count):
        procedure, track = routes[n % len(routes)]
        born = dt.date(2008, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 15))
        child = Child(
            identifier=f"DEMO-C{n:06d}",
            initials=f"{chr(65 + rng.randrange(26))}.{chr(65 + rng.randrange(26))}.",
            date_of_birth=born,
            plan_status=rng.choice(list(PlanStatus)),
        )
        batch.append(_case(n, procedure, track, child, calendar, now, rng))
        if len(batch) == 2000:
            session.add_all(batch)
            session.flush()
            batch.clear()
    session.add_all(batch)
    session.flush()
    session.execute(text(CURRENT_RECORDS_SQL))
    audit.record(session, audit_key, "demo.generated", None, count)
    return count


def add_demo_cases(vault: Vault, catalogue: Catalogue, count: int, now: dt.datetime) -> int:
    """Add ``count`` fictional cases in one transaction (audited ``demo.generated``)."""
    with vault.sessions.begin() as session:
        calendar = working_calendar(session)
        return generate_demo(session, vault.audit_key, catalogue, calendar, count, now)
