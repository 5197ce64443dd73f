"""Move one child's escalation records to another vault, and confirm they arrived.

The sender seals the child's cases (exchange format, with every field) for
the recipient: signed with the sender's signing key, encrypted with a
passphrase read over the telephone or with the recipient's certificate. The
recipient opens the package, sees what it holds before anything is written,
imports it and signs a receipt PDF; the sender imports the receipt, which
confirms the transfer in the sender's vault. Both vaults keep the transfer
id, the package's SHA-256 and the times; neither keeps the package file.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.casework.settings import read_profile
from desktop.errors import InvalidInput
from desktop.models import Case, Child, SigningIdentity, Transfer
from desktop.procedures.catalogue import Catalogue, Procedure
from desktop.procedures.store import carried_definitions, definition_texts
from desktop.procedures.workdays import WorkingCalendar, parse_instant
from desktop.sharing.exchange import FORMAT as CASES_FORMAT
from desktop.sharing.exchange import ImportedCase, import_cases, load_json, parse_exchange
from desktop.sharing.export import export_cases
from desktop.sharing.received_documents import record_arrival
from desktop.sharing.sealed import Opened, Signer, digest, seal, unseal
from desktop.sharing.signed_documents import current_identity
from desktop.sharing.signers import is_known_signer, remember_signer
from desktop.storage import audit
from desktop.storage.keyfile import ScryptParams
from desktop.text.fingerprint_words import fingerprint_words
from desktop.text.passphrases import word_passphrase

FORMAT = "escalation-recorder.transfer/1"
SENT, RECEIVED = "sent", "received"


@dataclass(frozen=True)
class SentPackage:
    """A sealed package in memory, and the passphrase to read out when one was made."""

    data: bytes
    transfer_id: str
    cases: int
    sha256: str
    passphrase: str | None


@dataclass(frozen=True)
class IncomingPackage:
    """What an opened, verified package holds; nothing is written until it is received."""

    transfer_id: str
    sent_at: dt.datetime
    sender: str
    signer_subject: str
    root_fingerprint: str
    known_signer: bool
    child: str
    cases: tuple[ImportedCase, ...]
    renamed: dict[str, str]
    sha256: str
    definitions: tuple[Procedure, ...] = ()


def _signer(session: Session) -> Signer:
    identity = current_identity(session)
    return Signer(identity.key_pem, identity.cert_pem, identity.chain_pem)


def own_certificate(session: Session) -> str:
    """The user's signing certificate (PEM), for senders who seal packages to them."""
    return current_identity(session).cert_pem


@dataclass(frozen=True)
class OutgoingPackage:
    """A package's content and keys, read from the vault: sealed elsewhere (it takes scrypt)."""

    payload: bytes
    signer: Signer
    passphrase: str | None
    recipient_cert_pem: str | None
    kdf: ScryptParams | None
    transfer_id: str
    child_id: int
    cases: int
    recipient: str
    now: dt.datetime


def prepare_package(
    session: Session,
    catalogue: Catalogue,
    child_identifier: str,
    recipient: str,
    now: dt.datetime,
    *,
    recipient_cert_pem: str | None = None,
    kdf: ScryptParams | None = None,
) -> OutgoingPackage:
    """Read every case about one child for ``recipient``; nothing is sealed or written yet.

    Without a certificate, a six-word passphrase is made for reading out by telephone.
    """
    if not child_identifier.strip():
        raise InvalidInput("Say whose records to send: the child's identifier.")
    child = session.scalar(select(Child).where(Child.identifier == child_identifier))
    if child is None:
        raise InvalidInput(f"There is no child with identifier {child_identifier}.")
    if not recipient.strip() or len(recipient) > 200:
        raise InvalidInput("Say who the records are for (a school or service, up to 200 letters).")
    me = read_profile(session)
    signer = _signer(session)  # also insists on a profile
    assert me is not None
    cases = export_cases(session, catalogue, now, child=child_identifier)["cases"]
    pinned = dict(
        session.execute(
            select(Case.reference, Case.procedure_sha256).where(Case.child_id == child.id)
        ).all()
    )
    for case in cases:  # the exact definition each was opened under, carried below
        case["procedure_sha256"] = pinned[case["reference"]]
    transfer_id = str(uuid.uuid4())
    payload = {
        "format": FORMAT,
        "transfer_id": transfer_id,
        "sent_at": now.astimezone(dt.UTC).isoformat(),
        "sender": f"{me.name}, {me.role}, {me.organisation}",
        "recipient": recipient,
        "child": child_identifier,
        "cases": cases,
        "procedures": definition_texts(session, pinned.values()),
    }
    return OutgoingPackage(
        json.dumps(payload, ensure_ascii=False).encode("utf-8"),
        signer,
        None if recipient_cert_pem else word_passphrase(),
        recipient_cert_pem,
        kdf,
        transfer_id,
        child.id,
        len(cases),
        recipient,
        now,
    )


def seal_package(outgoing: OutgoingPackage) -> bytes:
    """Sign and encrypt the package, in memory; the vault is not used."""
    return seal(
        outgoing.payload,
        outgoing.signer,
        passphrase=outgoing.passphrase,
        recipient_cert_pem=outgoing.recipient_cert_pem,
        kdf=outgoing.kdf,
    )


def record_package(
    session: Session, audit_key: audit.AuditKey, outgoing: OutgoingPackage, data: bytes
) -> SentPackage:
    """Keep the sent transfer (id, hash, time, recipient) and audit it."""
    record = Transfer(
        transfer_id=outgoing.transfer_id,
        direction=SENT,
        at=outgoing.now,
        child_id=outgoing.child_id,
        cases=outgoing.cases,
        package_sha256=digest(data),
        counterpart=outgoing.recipient,
        recipient_certificate=outgoing.recipient_cert_pem,
    )
    session.add(record)
    session.flush()
    audit.record(session, audit_key, "transfer.sent", "transfer", record.id)
    return SentPackage(
        data, outgoing.transfer_id, outgoing.cases, record.package_sha256, outgoing.passphrase
    )


def send_package(
    session: Session,
    audit_key: audit.AuditKey,
    catalogue: Catalogue,
    child_identifier: str,
    recipient: str,
    now: dt.datetime,
    *,
    recipient_cert_pem: str | None = None,
    kdf: ScryptParams | None = None,
) -> SentPackage:
    """Seal every case about one child for ``recipient``; record and audit the transfer.

    Without a certificate, a six-word passphrase is made for reading out by telephone.
    """
    outgoing = prepare_package(
        session,
        catalogue,
        child_identifier,
        recipient,
        now,
        recipient_cert_pem=recipient_cert_pem,
        kdf=kdf,
    )
    return record_package(session, audit_key, outgoing, seal_package(outgoing))


def _field(payload: dict[str, Any], key: str) -> str:
    value = payload.get(key)
    if not isinstance(value, str) or not value.strip() or len(value) > 1000:
        raise InvalidInput(f"The package's '{key}' is missing or not text; nothing was imported.")
    return value


def _free_reference(reference: str, taken: set[str]) -> str:
    number = 1
    while f"{reference}-T{number}" in taken:
        number += 1
    return f"{reference}-T{number}"


def open_package(
    session: Session, catalogue: Catalogue, data: bytes, passphrase: str | None
) -> IncomingPackage:
    """Open and verify a package; validate every case; write nothing.

    A reference already used in this vault is kept with a "-T1" suffix (shown to
    the user before importing).
    """
    opened = unseal(data, passphrase=passphrase, own=package_key(session, passphrase))
    return read_package(session, catalogue, data, opened)


def package_key(session: Session, passphrase: str | None) -> list[Signer]:
    """What opening a package needs from the vault: the user's keys when no passphrase.

    Every signing identity, newest first: a package sealed to a certificate the
    user had before a profile change still opens.
    """
    if passphrase is not None:
        return []
    current_identity(session)  # without a saved profile there is no key to open it with
    stored = session.scalars(select(SigningIdentity).order_by(SigningIdentity.id.desc()))
    return [Signer(s.key_pem, s.cert_pem, s.chain_pem) for s in stored]


def read_package(
    session: Session, catalogue: Catalogue, data: bytes, opened: Opened
) -> IncomingPackage:
    """Check an unsealed package against this vault and validate every case; write nothing."""
    payload = load_json(opened.payload, "The package's contents", "nothing was imported")
    if not isinstance(payload, dict) or payload.get("format") != FORMAT:
        raise InvalidInput(f"The package is not in the {FORMAT} format; nothing was imported.")
    transfer_id = _field(payload, "transfer_id")
    try:
        transfer_id = str(uuid.UUID(transfer_id))
        sent_at = parse_instant(_field(payload, "sent_at"))
    except (ValueError, OverflowError):
        raise InvalidInput(
            "The package's transfer id or time is wrong; nothing was imported."
        ) from None
    earlier = session.scalar(select(Transfer).where(Transfer.transfer_id == transfer_id))
    if earlier is not None:
        raise InvalidInput(
            f"This package was already {earlier.direction} here on "
            f"{earlier.at:%d %b %Y}; nothing was imported again."
        )
    cases = payload.get("cases")
    if not isinstance(cases, list):
        raise InvalidInput("The package holds no list of cases; nothing was imported.")
    existing = set(session.scalars(select(Case.reference)))
    taken = set(existing)
    renamed: dict[str, str] = {}
    for case in cases:
        reference = case.get("reference") if isinstance(case, dict) else None
        if isinstance(reference, str) and reference in taken:
            renamed[reference] = case["reference"] = _free_reference(reference, taken)
            taken.add(renamed[reference])
    exchange = json.dumps({"format": CASES_FORMAT, "cases": cases}).encode("utf-8")
    definitions = carried_definitions(payload.get("procedures"))
    imported = parse_exchange(exchange, catalogue.with_definitions(definitions), existing)
    return IncomingPackage(
        transfer_id=transfer_id,
        sent_at=sent_at,
        sender=_field(payload, "sender"),
        signer_subject=opened.signer_subject,
        root_fingerprint=opened.root_fingerprint,
        known_signer=is_known_signer(session, opened.root_fingerprint),
        child=_field(payload, "child"),
        cases=tuple(imported),
        renamed=renamed,
        sha256=digest(data),
        definitions=definitions,
    )


def require_trusted(package: IncomingPackage, trust_signer: bool) -> None:
    """Refuse a package from a signing root not confirmed before, unless confirmed now."""
    if not package.known_signer and not trust_signer:
        raise InvalidInput(
            "The sender is not a signer you confirmed before: compare the fingerprint "
            f"words ({fingerprint_words(package.root_fingerprint)}) with them by telephone, "
            "then confirm them to import."
        )


def import_package(
    session: Session,
    audit_key: audit.AuditKey,
    catalogue: Catalogue,
    calendar: WorkingCalendar,
    package: IncomingPackage,
    now: dt.datetime,
    *,
    trust_signer: bool = False,
    receipt: bytes | None = None,
) -> None:
    """Import an opened package in the caller's transaction and record it as received.

    Each case keeps, in its timeline, that it arrived by this transfer and from
    whom (``case.received``); the signed ``receipt`` is kept to be saved again.
    """
    require_trusted(package, trust_signer)
    carried = catalogue.with_definitions(package.definitions)
    import_cases(session, audit_key, carried, calendar, list(package.cases))
    if not package.known_signer:
        remember_signer(session, audit_key, package.root_fingerprint, package.signer_subject)
    child = session.scalar(select(Child).where(Child.identifier == package.child))
    record = Transfer(
        transfer_id=package.transfer_id,
        direction=RECEIVED,
        at=now,
        child_id=child.id if child else None,
        cases=len(package.cases),
        package_sha256=package.sha256,
        counterpart=package.sender[:200],
        receipt_pdf=receipt,
    )
    session.add(record)
    session.flush()
    audit.record(session, audit_key, "transfer.received", "transfer", record.id)
    references = [c.case.reference for c in package.cases]
    case_ids = session.scalars(select(Case.id).where(Case.reference.in_(references)))
    record_arrival(session, audit_key, record, list(case_ids), package.sender)
