"""The contacts directory: each procedure's listed leads, and contacts the user adds."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.errors import InvalidInput
from desktop.models import Agency, Contact
from desktop.procedures.catalogue import Procedure
from desktop.storage import audit
from desktop.storage.vault import Vault


@dataclass(frozen=True)
class DirectoryEntry:
    """One line of the directory."""

    agency: str
    role: str
    name: str
    email: str
    phone: str
    source: str


def directory(session: Session, procedure: Procedure) -> list[DirectoryEntry]:
    """Return the procedure's listed contacts, then the user's own, sorted by agency."""
    listed = [DirectoryEntry(c.agency, c.role, "", "", "", "procedure") for c in procedure.contacts]
    rows = session.execute(
        select(Agency.name, Contact.role, Contact.name, Contact.email, Contact.phone)
        .join(Contact, Contact.agency_id == Agency.id)
        .where((Contact.procedure_id.is_(None)) | (Contact.procedure_id == procedure.id))
        .order_by(Agency.name, Contact.role)
    ).all()
    own = [
        DirectoryEntry(a, r, n or "", e or "", p or "", "added by you") for a, r, n, e, p in rows
    ]
    return sorted([*listed, *own], key=lambda e: (e.agency.lower(), e.role.lower()))


def add_contact(
    session: Session,
    audit_key: audit.AuditKey,
    agency: str,
    role: str,
    name: str = "",
    email: str = "",
    phone: str = "",
    procedure_id: str | None = None,
) -> Contact:
    """Add a contact (and its agency if new)."""
    if not agency.strip() or not role.strip():
        raise InvalidInput("A contact needs at least an agency and a role.")
    if email.strip() and "@" not in email:
        raise InvalidInput("That email address has no @.")
    found = session.scalar(select(Agency).where(Agency.name == agency.strip()))
    if found is None:
        found = Agency(name=agency.strip())
        session.add(found)
        session.flush()
    contact = Contact(
        agency=found,
        role=role.strip(),
        name=name.strip() or None,
        email=email.strip() or None,
        phone=phone.strip() or None,
        procedure_id=procedure_id,
    )
    session.add(contact)
    session.flush()
    audit.record(session, audit_key, "contact.created", "contact", contact.id)
    return contact


def read_directory(vault: Vault, procedure: Procedure) -> list[DirectoryEntry]:
    """Read the procedure's directory, as :func:`directory`."""
    with vault.sessions() as session:
        return directory(session, procedure)


def save_contact(
    vault: Vault,
    procedure_id: str | None,
    agency: str,
    role: str,
    name: str = "",
    email: str = "",
    phone: str = "",
) -> None:
    """Add a contact to the directory in one transaction (audited ``contact.created``)."""
    with vault.sessions.begin() as session:
        add_contact(session, vault.audit_key, agency, role, name, email, phone, procedure_id)
