"""Import an exchange file into the vault: every case checked first, then all written at once."""

from __future__ import annotations

from sqlalchemy import select

from desktop.casework.settings import working_calendar
from desktop.models import Case
from desktop.procedures.catalogue import Catalogue
from desktop.sharing.exchange import import_cases, parse_exchange
from desktop.storage.vault import Vault


def import_exchange(vault: Vault, catalogue: Catalogue, raw: bytes) -> int:
    """Validate a whole exchange file, then write every case in one transaction; return how many.

    Raises:
        InvalidInput: the first problem in the file, naming its case; nothing is written.
    """
    with vault.sessions() as session:
        existing = set(session.scalars(select(Case.reference)))
    cases = parse_exchange(raw, catalogue, existing)
    with vault.sessions.begin() as session:
        calendar = working_calendar(session)
        return import_cases(session, vault.audit_key, catalogue, calendar, cases)
