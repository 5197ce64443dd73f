"""Test factories: fictional cases, signing profiles and vaults, made through the services.

Every default is fictional. A test passes as an override each value it asserts
on (a reference, a date, a name), so what it checks is written in the test.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path
from typing import Any, NamedTuple, TypedDict, Unpack

from sqlalchemy.orm import Session

from desktop.casework.case_opening import ChildDetails, NewCase, Party, open_case, open_new_case
from desktop.casework.settings import working_calendar
from desktop.casework.workflow import escalate
from desktop.models import Case
from desktop.procedures.catalogue import Catalogue
from desktop.sharing.exchange_import import import_exchange
from desktop.sharing.sealed import Signer
from desktop.sharing.signed_documents import current_identity
from desktop.sharing.signing_profile import ProfileChange, change_profile
from desktop.storage.audit import AuditKey
from desktop.storage.vault import Vault, create_vault
from tests.conftest import FAST_KDF, PASSPHRASE, REPO

REFERENCE = "F-1"
OPENED_AT = dt.datetime(2026, 11, 20, 10, tzinfo=dt.UTC)  # a Friday, in working hours
ESCALATED_AT = dt.datetime(2026, 11, 21, 9, tzinfo=dt.UTC)  # the next morning
AREA = "fictional area"
RAISED_BY = Party("Alex Example", "DSL", "Nowhere Primary (fictional)")
OTHER_PARTY = Party("Sam Sample", "Team manager", "Fictional Children's Services")
SAMPLE = REPO / "tests" / "exchange_sample.json"


class Who(NamedTuple):
    """Who a vault's owner signs as: the signing profile's three lines."""

    name: str
    role: str
    organisation: str


OWNER = Who(
    "Alex Example (fictional)", "Designated Safeguarding Lead", "Nowhere Primary (fictional)"
)
COUNTERPART = Who("Sam Sample (fictional)", "Team manager", "Fictional Children's Services")
RECEIVER = Who("Fictional Receiver", "DSL", "Imaginary Academy (fictional)")


class CaseFields(TypedDict, total=False):
    """NewCase's fields a test may set, but its reference."""

    procedure_id: str
    track_id: str
    child: ChildDetails
    area: str
    raised_by: Party
    other_party: Party
    opened_at: dt.datetime
    urgent: bool
    summary: str
    procedure_version: str | None
    decision_challenged: str
    decision_date: dt.date | None
    procedure_sha256: str | None
    decision_time: str
    priority: str | None
    at_risk: bool
    entry_stage: str | None


class CaseOverrides(CaseFields, total=False):
    """What a test may set on a new case: its fields, or its child's identifier and birth."""

    identifier: str
    born: dt.date | None


def new_case(
    reference: str = REFERENCE,
    *,
    identifier: str | None = None,
    born: dt.date | None = None,
    **fields: Unpack[CaseFields],
) -> NewCase:
    """Build a fictional Berkshire escalation; ``fields`` set any of NewCase's own.

    The child is ``identifier`` (by default ``C-<reference>``), initials Z.Z.,
    born ``born``, unless ``child`` is given whole.
    """
    default = NewCase(
        reference=reference,
        procedure_id="berkshire",
        track_id="escalation",
        child=ChildDetails(identifier or f"C-{reference}", "Z.Z.", born),
        area=AREA,
        raised_by=RAISED_BY,
        other_party=OTHER_PARTY,
        opened_at=OPENED_AT,
    )
    return dataclasses.replace(default, **fields)


def open_case_in(
    vault: Vault,
    catalogue: Catalogue,
    reference: str = REFERENCE,
    **overrides: Unpack[CaseOverrides],
) -> int:
    """Open a fictional case as the window does (``open_new_case``, audited); return its id."""
    return open_new_case(vault, catalogue, new_case(reference, **overrides))


def opened_case(
    session: Session,
    audit_key: AuditKey,
    catalogue: Catalogue,
    reference: str = REFERENCE,
    **overrides: Unpack[CaseOverrides],
) -> Case:
    """Open a fictional case in the caller's transaction, to add to it there; return its row."""
    calendar = working_calendar(session)
    return open_case(session, audit_key, catalogue, calendar, new_case(reference, **overrides))


def escalated_case(
    vault: Vault,
    catalogue: Catalogue,
    reference: str = REFERENCE,
    escalated_at: dt.datetime = ESCALATED_AT,
    **overrides: Unpack[CaseOverrides],
) -> int:
    """Open a fictional case and escalate it to its next stage at once; return its id.

    One transaction, through the workflow itself: the first stage ends with
    nothing recorded and no reason asked (``escalate_case`` would ask). A
    Berkshire case is then at level 2, whose written confirmation can be signed.
    """
    with vault.sessions.begin() as session:
        case = opened_case(session, vault.audit_key, catalogue, reference, **overrides)
        escalate(session, vault.audit_key, catalogue, working_calendar(session), case, escalated_at)
        return case.id


def signing_profile(
    vault: Vault,
    name: str = OWNER.name,
    role: str = OWNER.role,
    organisation: str = OWNER.organisation,
) -> ProfileChange:
    """Save the owner's profile as Settings does (``change_profile``): it makes the signing key."""
    return change_profile(vault, name, role, organisation)


def profiled_vault(
    folder: Path,
    name: str = OWNER.name,
    role: str = OWNER.role,
    organisation: str = OWNER.organisation,
) -> Vault:
    """Create an open vault (cheap key derivation) whose owner has a signing profile."""
    vault = create_vault(folder, PASSPHRASE, params=FAST_KDF)
    signing_profile(vault, name, role, organisation)
    return vault


def package_signer(
    vault: Vault,
    name: str = "Sam Sender (fictional)",
    role: str = "DSL",
    organisation: str = "Elsewhere (fictional)",
) -> Signer:
    """Give ``vault`` a profile and return its signing key, to seal packages as that sender."""
    signing_profile(vault, name, role, organisation)
    with vault.sessions() as session:
        identity = current_identity(session)
    return Signer(identity.key_pem, identity.cert_pem, identity.chain_pem)


def sample_exchange() -> dict[str, Any]:
    """Read the fictional exchange file afresh (case ESC-0001, child C-1042), to change."""
    data: dict[str, Any] = json.loads(SAMPLE.read_text("utf-8"))
    return data


def import_sample(
    vault: Vault, catalogue: Catalogue, exchange: dict[str, Any] | None = None
) -> int:
    """Import ``exchange`` (by default the sample) as ``import`` does; return how many cases."""
    data = sample_exchange() if exchange is None else exchange
    return import_exchange(vault, catalogue, json.dumps(data).encode())
