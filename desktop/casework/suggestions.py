"""What the forms offer to fill in: children already recorded, people and agencies already named.

A second case for the same child picks the child by identifier instead of
retyping it; the people named in cases and in the contacts directory are
offered as the user types a party's name, role or agency. Reads only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, func, or_, select, union_all
from sqlalchemy.orm import Session

from desktop.models import Agency, Case, Child, Contact
from desktop.models.cases import PlanStatus
from desktop.storage.vault import Vault

PEOPLE_LIMIT = 5_000  # the most recently named; a completer needs no more
RECENT_CASES = 2_000  # people are offered from the cases opened last (years of a school's)
CHILDREN_OFFERED = 20  # identifiers offered as one is typed


@dataclass(frozen=True)
class KnownChild:
    """A child already in the vault, as a new case for them starts."""

    identifier: str
    initials: str
    date_of_birth: dt.date | None
    plan_status: PlanStatus
    cases: int


@dataclass(frozen=True)
class KnownPerson:
    """Someone named as a party or a contact: name (may be empty), role and agency."""

    name: str
    role: str
    agency: str


@dataclass(frozen=True)
class Suggestions:
    """The people a new case's form can offer as its parties and contacts."""

    people: tuple[KnownPerson, ...]  # most recently named first

    def names(self) -> list[str]:
        """Return each name once, most recent first."""
        return list(dict.fromkeys(p.name for p in self.people if p.name))

    def roles(self) -> list[str]:
        """Return each role once, most recent first."""
        return list(dict.fromkeys(p.role for p in self.people if p.role))

    def agencies(self) -> list[str]:
        """Return each agency once, most recent first."""
        return list(dict.fromkeys(p.agency for p in self.people if p.agency))

    def person(self, name: str) -> KnownPerson | None:
        """Return the person last named ``name`` (any case), if any."""
        wanted = name.strip().casefold()
        return next((p for p in self.people if p.name.casefold() == wanted and wanted), None)


def known_people(session: Session) -> tuple[KnownPerson, ...]:
    """Return the parties of the cases opened last and the user's contacts, most recent first."""
    recent = select(Case).order_by(Case.opened_at.desc()).limit(RECENT_CASES).subquery("recent")
    sides = [
        select(
            recent.c[f"{side}_name"].label("name"),
            recent.c[f"{side}_role"].label("role"),
            recent.c[f"{side}_agency"].label("agency"),
            recent.c.opened_at,
        )
        for side in ("raised_by", "other_party")
    ]
    contacts = select(
        func.coalesce(Contact.name, ""), Contact.role, Agency.name, func.datetime("now")
    ).join(Agency, Agency.id == Contact.agency_id)
    named = union_all(*sides, contacts).subquery()
    query = (
        select(named.c.name, named.c.role, named.c.agency)
        .group_by(named.c.name, named.c.role, named.c.agency)
        .order_by(func.max(named.c.opened_at).desc(), named.c.name)
        .limit(PEOPLE_LIMIT)
    )
    return tuple(KnownPerson(n, r, a) for n, r, a in session.execute(query))


def read_suggestions(vault: Vault) -> Suggestions:
    """Read the people named in cases and contacts, for a new case's form and the directory."""
    with vault.sessions() as session:
        return Suggestions(known_people(session))


def _starting(typed: str) -> ColumnElement[bool]:
    """Identifiers that start with ``typed`` (as typed, or in capitals): index range scans."""
    return or_(
        *(
            and_(Child.identifier >= start, Child.identifier < start + "\U0010ffff")
            for start in dict.fromkeys((typed, typed.upper()))
        )
    )


def read_children_starting(vault: Vault, typed: str) -> tuple[str, ...]:
    """Read the identifiers of recorded children that start with ``typed`` (a few)."""
    start = typed.strip()
    if not start:
        return ()
    with vault.sessions() as session:
        query = (
            select(Child.identifier)
            .where(_starting(start))
            .order_by(Child.identifier)
            .limit(CHILDREN_OFFERED)
        )
        return tuple(session.scalars(query))


def read_known_child(vault: Vault, identifier: str) -> KnownChild | None:
    """Return the child recorded under ``identifier`` (exactly), with how many cases they have."""
    with vault.sessions() as session:
        found = session.execute(
            select(Child, func.count(Case.id))
            .outerjoin(Case, Case.child_id == Child.id)
            .where(Child.identifier == identifier.strip())
            .group_by(Child.id)
        ).first()
        if found is None:
            return None
        child, cases = found
        return KnownChild(
            child.identifier, child.initials, child.date_of_birth, child.plan_status, cases
        )
