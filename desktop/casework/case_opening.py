"""Open a case: what a new case needs, the one check of it, and opening it on its procedure.

The window's new-case pages, the import and :func:`open_case` all ask the same
pure functions below what is wrong, so a case the window would refuse cannot
arrive another way.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import astuple, dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.casework.clocks import RISK_EVENT, write_events
from desktop.casework.dashboard import next_reference
from desktop.casework.settings import read_profile, read_settings, working_calendar
from desktop.casework.workflow import check_printable, open_stage
from desktop.errors import InvalidInput
from desktop.models import Case, Child
from desktop.models.cases import PlanStatus
from desktop.procedures.catalogue import Catalogue, Procedure, Stage, Track
from desktop.procedures.store import keep_definition
from desktop.procedures.workdays import WorkingCalendar, to_london
from desktop.storage import audit
from desktop.storage.vault import Vault
from desktop.text.lines import line_problem

# As wide as their columns in desktop/models; a name's width is line_problem's own.
REFERENCE_LIMIT, IDENTIFIER_LIMIT, INITIALS_LIMIT = 50, 100, 20


@dataclass(frozen=True)
class Party:
    """One side of the disagreement."""

    name: str
    role: str
    agency: str


@dataclass(frozen=True)
class ChildDetails:
    """The pseudonymised child a case is about."""

    identifier: str
    initials: str
    date_of_birth: dt.date | None = None
    plan_status: PlanStatus = PlanStatus.NONE


@dataclass(frozen=True)
class NewCase:
    """What opening a case needs."""

    reference: str
    procedure_id: str
    track_id: str
    child: ChildDetails
    area: str
    raised_by: Party
    other_party: Party
    opened_at: dt.datetime
    urgent: bool = False
    summary: str = ""
    procedure_version: str | None = None
    decision_challenged: str = ""
    decision_date: dt.date | None = None
    procedure_sha256: str | None = None
    decision_time: str = ""  # HH:MM, London time; empty when not known
    priority: str | None = None  # where the procedure sets timescales by priority
    at_risk: bool = False  # a child is at risk of immediate or significant harm
    entry_stage: str | None = None  # where the area of disagreement routes it to start


@dataclass(frozen=True)
class NewCaseDefaults:
    """What the new-case form starts with: a free reference, the usual procedure, the user."""

    reference: str
    procedure_id: str
    raised_by: Party


def _line(text: str, label: str, limit: int | None = None) -> list[str]:
    problem = line_problem(text) if limit is None else line_problem(text, limit)
    return [f"{label} {problem}."] if problem else []


def reference_problems(reference: str, area: str) -> list[str]:
    """Say what is wrong with a case's reference and area of disagreement (empty: nothing)."""
    found = [] if reference.strip() else ["Give the case a reference."]
    found += _line(reference, "The case reference", REFERENCE_LIMIT)
    if not area.strip():
        found.append("Describe the area of disagreement.")
    return found


def child_problems(child: ChildDetails, today: dt.date) -> list[str]:
    """Say what is wrong with the child's identifier, initials and date of birth."""
    found = [] if child.identifier.strip() else ["Give the child's identifier."]
    found += _line(child.identifier, "The child's identifier", IDENTIFIER_LIMIT)
    if not child.initials.strip():
        found.append("Give the child's initials.")
    found += _line(child.initials, "The child's initials", INITIALS_LIMIT)
    if child.date_of_birth is not None and child.date_of_birth > today:
        found.append("The date of birth is in the future.")
    return found


def party_problems(raised_by: Party, other_party: Party) -> list[str]:
    """Say what is missing or wrong in either party's name, role and agency."""
    found = []
    for side, party in (("raising", raised_by), ("other", other_party)):
        if not all(value.strip() for value in astuple(party)):
            found.append(f"Give the {side} party's name, role and agency.")
        for field, value in zip(("name", "role", "agency"), astuple(party), strict=True):
            found += _line(value, f"The {side} party's {field}")
    return found


def decision_problems(decision: str) -> list[str]:
    """Say whether the decision challenged is missing (asked when a case is opened by hand).

    Imported and transferred cases may have none: the exchange format and the
    demo cases leave it empty.
    """
    return [] if decision.strip() else ["Describe the decision or inaction you are challenging."]


def decision_time_problems(text: str) -> list[str]:
    """Say whether the decision's time is not a time of day written HH:MM (empty: not known)."""
    if not text.strip():
        return []
    try:
        dt.datetime.strptime(text.strip(), "%H:%M")
    except ValueError:
        return ["Write the time of the decision as HH:MM (for example 16:00), or leave it empty."]
    return []


def new_case_problems(new: NewCase) -> list[str]:
    """Say everything wrong with a new case, in the order the form asks for it."""
    today = to_london(new.opened_at).date()
    return [
        *reference_problems(new.reference, new.area),
        *child_problems(new.child, today),
        *party_problems(new.raised_by, new.other_party),
        *decision_time_problems(new.decision_time),
    ]


def check_new_case(new: NewCase) -> None:
    """Refuse a new case the form would refuse, or holding text the documents cannot print.

    Raises:
        InvalidInput: the first problem, in one sentence.
    """
    problems = new_case_problems(new)
    if problems:
        raise InvalidInput(problems[0])
    check_printable(
        ("The reference", new.reference),
        ("The child's identifier", [new.child.identifier, new.child.initials]),
        ("The summary", new.summary),
        ("The decision challenged", new.decision_challenged),
        ("The raising party", astuple(new.raised_by)),
        ("The other party", astuple(new.other_party)),
    )


def reference_taken(reference: str) -> str:
    """The sentence refusing a reference another case already has."""
    return f"A case with reference {reference} already exists."


def _child(session: Session, details: ChildDetails) -> Child:
    child = session.scalar(select(Child).where(Child.identifier == details.identifier))
    if child is None:
        child = Child(
            identifier=details.identifier,
            initials=details.initials,
            date_of_birth=details.date_of_birth,
            plan_status=details.plan_status,
        )
        session.add(child)
        session.flush()
        return child
    if (child.initials, child.date_of_birth) != (details.initials, details.date_of_birth):
        raise InvalidInput(
            f"Child {details.identifier} is already recorded with other initials or another "
            "date of birth; check the identifier."
        )
    child.plan_status = details.plan_status
    return child


def entry_stage(procedure: Procedure, track: Track, new: NewCase) -> Stage:
    """Return where a new case starts: the area's chosen entry, the urgent entry, or the first.

    Raises:
        InvalidInput: the chosen entry is not one the area offers.
    """
    if new.entry_stage is None:
        return track.entry(new.urgent)
    area = procedure.area(new.area)
    allowed = {track.entry(new.urgent).id, *(area.entry if area and area.track == track.id else ())}
    if new.entry_stage not in allowed:
        raise InvalidInput(
            f"A case on this track and area starts at stage {' or '.join(sorted(allowed))}, "
            f"not {new.entry_stage}."
        )
    return track.stage(new.entry_stage)


def decision_date_problems(entry: Stage, decision_date: dt.date | None) -> list[str]:
    """Say that the decision's date is needed when the first stage's clock counts from it."""
    counted = [entry.timescale, *(m.timescale for m in entry.milestones)]
    if decision_date is not None or all(t.start != "decision" for t in counted):
        return []
    return [
        f"Give the date of the decision challenged: the timescale of {entry.title} counts from it."
    ]


def open_case(
    session: Session,
    audit_key: audit.AuditKey,
    catalogue: Catalogue,
    calendar: WorkingCalendar,
    new: NewCase,
) -> Case:
    """Open a case on the pinned procedure version; its first stage starts at once.

    An urgent case starts at the track's urgent entry where the procedure allows one.
    The definition is kept in the vault; the case names it by its hash.

    Raises:
        InvalidInput: the case is incomplete (:func:`check_new_case`), its procedure or
            track is unknown, or its reference is taken.
    """
    check_new_case(new)
    procedure = catalogue.for_new_case(
        new.procedure_id, new.procedure_version, new.procedure_sha256
    )
    try:
        track = procedure.track(new.track_id)
    except KeyError:
        raise InvalidInput(f"Procedure {procedure.id} has no track '{new.track_id}'.") from None
    if session.scalar(select(Case.id).where(Case.reference == new.reference)) is not None:
        raise InvalidInput(reference_taken(new.reference))
    entry = entry_stage(procedure, track, new)
    for problem in decision_date_problems(entry, new.decision_date):
        raise InvalidInput(problem)
    if new.priority is not None and new.priority not in dict(procedure.priorities):
        raise InvalidInput(f"Procedure {procedure.id} has no priority '{new.priority}'.")
    keep_definition(session, procedure)
    case = Case(
        reference=new.reference,
        procedure_id=procedure.id,
        procedure_version=procedure.version,
        procedure_sha256=procedure.sha256,
        track_id=track.id,
        urgent=new.urgent,
        child=_child(session, new.child),
        area=new.area,
        summary=new.summary,
        decision_challenged=new.decision_challenged,
        decision_date=new.decision_date,
        decision_time=new.decision_time.strip() or None,
        priority=new.priority,
        raised_by_name=new.raised_by.name,
        raised_by_role=new.raised_by.role,
        raised_by_agency=new.raised_by.agency,
        other_party_name=new.other_party.name,
        other_party_role=new.other_party.role,
        other_party_agency=new.other_party.agency,
        opened_at=new.opened_at,
    )
    session.add(case)
    session.flush()
    risks = {
        f"{RISK_EVENT}{r.id}": new.opened_at
        for r in procedure.redirects_at("start")
        if new.at_risk and r.kind == "immediate-risk" and r.timescale is not None
    }
    events = write_events(risks) if risks else None
    open_stage(session, case, entry, 1, new.opened_at, calendar, events)
    audit.record(session, audit_key, "case.created", "case", case.id)
    return case


def open_new_case(vault: Vault, catalogue: Catalogue, new: NewCase) -> int:
    """Open ``new`` in one transaction (audited ``case.created``); return the case's id."""
    with vault.sessions.begin() as session:
        case = open_case(session, vault.audit_key, catalogue, working_calendar(session), new)
        return case.id


def new_case_defaults(vault: Vault) -> NewCaseDefaults:
    """Read what the new-case form starts with: the next free reference, procedure, profile."""
    with vault.sessions() as session:
        me = read_profile(session)
        return NewCaseDefaults(
            next_reference(session),
            read_settings(session).default_procedure,
            Party(me.name, me.role, me.organisation) if me else Party("", "", ""),
        )
