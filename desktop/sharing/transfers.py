"""Transfers as a user makes them: send, open, receive, confirm and list (both front doors).

Sealing and opening a package take scrypt; signing and checking a receipt take
pyHanko. Those steps (``seal_package``, ``unseal``, ``sign_receipt``,
``read_receipt``) take plain data and no vault, so the window runs them on a
worker between the steps here; the command line runs the same steps in a row
(``send_transfer``, ``open_transfer``, ``receive_transfer``, ``confirm_transfer``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import defer

from desktop.casework.settings import working_calendar
from desktop.errors import InvalidInput
from desktop.models import Transfer
from desktop.procedures.catalogue import Catalogue
from desktop.sharing.receipts import (
    ReadReceipt,
    ReceiptJob,
    read_receipt,
    receipt_job,
    record_receipt,
    sign_receipt,
)
from desktop.sharing.sealed import Opened, Signer, unseal
from desktop.sharing.signatures import known_roots
from desktop.sharing.transfer import (
    RECEIVED,
    IncomingPackage,
    OutgoingPackage,
    SentPackage,
    import_package,
    own_certificate,
    package_key,
    prepare_package,
    read_package,
    record_package,
    seal_package,
)
from desktop.storage import audit
from desktop.storage.keyfile import ScryptParams
from desktop.storage.output import write_recorded
from desktop.storage.vault import Vault


@dataclass(frozen=True)
class TransferRow:
    """One transfer sent or received, as the history shows it.

    ``counterpart`` is the recipient named when sending, or the sender of a
    received package; ``receipt_kept`` says a received one's receipt can be
    saved again.
    """

    at: dt.datetime
    direction: str
    transfer_id: str
    counterpart: str
    cases: int
    receipt_at: dt.datetime | None
    receipt_kept: bool = False


def list_transfers(vault: Vault) -> tuple[TransferRow, ...]:
    """Every transfer, newest first; audit that the list was shown (a count, no names)."""
    with vault.sessions.begin() as session:
        rows = tuple(
            TransferRow(
                t.at,
                t.direction,
                t.transfer_id,
                t.counterpart,
                t.cases,
                t.receipt_at,
                receipt_kept,
            )
            for t, receipt_kept in session.execute(
                select(Transfer, Transfer.receipt_pdf.is_not(None))
                .options(defer(Transfer.receipt_pdf))
                .order_by(Transfer.at.desc(), Transfer.id.desc())
            )
        )
        audit.record(session, vault.audit_key, "transfers.viewed", None, len(rows))
    return rows


def receipt_name(transfer_id: str) -> str:
    """The receipt's file name: named for its transfer, so the sender can match it."""
    return f"receipt-transfer-{transfer_id[:8]}.pdf"


def save_receipt_again(vault: Vault, transfer_id: str, target: Path) -> None:
    """Write the signed receipt of a received transfer again, exactly as first saved; audit it.

    Raises:
        InvalidInput: no received transfer with that id, or its receipt was not kept
            (received before receipts were kept, or erased with the child's records).
    """
    with vault.sessions() as session:
        found = session.execute(
            select(Transfer.id, Transfer.receipt_pdf).where(
                Transfer.transfer_id.startswith(transfer_id.strip().lower(), autoescape=True),
                Transfer.direction == RECEIVED,
            )
        ).all()
    if len(found) != 1 or not transfer_id.strip():
        raise InvalidInput(f"There is no received transfer {transfer_id}.")
    row_id, receipt = found[0]
    if receipt is None:
        raise InvalidInput(
            "This transfer's receipt was not kept (it arrived before receipts were kept, "
            "or its records were deleted); nothing was written."
        )
    write_recorded(
        vault,
        target,
        receipt,
        lambda session: audit.record(
            session, vault.audit_key, "transfer.receipt_saved", "transfer", row_id
        ),
    )


def my_certificate(vault: Vault) -> str:
    """The user's signing certificate (PEM), for senders who seal packages to them."""
    with vault.sessions.begin() as session:  # the signing identity is made on first use, and kept
        return own_certificate(session)


def prepare_transfer(
    vault: Vault,
    catalogue: Catalogue,
    child_identifier: str,
    recipient: str,
    now: dt.datetime,
    *,
    recipient_cert_pem: str | None = None,
    kdf: ScryptParams | None = None,
) -> OutgoingPackage:
    """Read every case about one child for ``recipient``; ``seal_package`` seals it apart."""
    with vault.sessions.begin() as session:  # the signing identity is made on first use, and kept
        return prepare_package(
            session,
            catalogue,
            child_identifier,
            recipient,
            now,
            recipient_cert_pem=recipient_cert_pem,
            kdf=kdf,
        )


def save_transfer(
    vault: Vault, outgoing: OutgoingPackage, data: bytes, target: Path
) -> SentPackage:
    """Record the sent transfer and write the sealed package, together: no file, no record."""
    return write_recorded(
        vault,
        target,
        data,
        lambda session: record_package(session, vault.audit_key, outgoing, data),
    )


def send_transfer(
    vault: Vault,
    catalogue: Catalogue,
    child_identifier: str,
    recipient: str,
    now: dt.datetime,
    target: Path,
    *,
    recipient_cert_pem: str | None = None,
) -> SentPackage:
    """Prepare, seal, then record and write a package: the window's steps in a row."""
    outgoing = prepare_transfer(
        vault, catalogue, child_identifier, recipient, now, recipient_cert_pem=recipient_cert_pem
    )
    return save_transfer(vault, outgoing, seal_package(outgoing), target)


def opening_keys(vault: Vault, passphrase: str | None) -> list[Signer]:
    """What ``unseal`` needs from the vault: the user's keys when there is no passphrase.

    Nothing is written: an identity made now could not have been sealed to.
    """
    with vault.sessions() as session:
        return package_key(session, passphrase)


def check_package(
    vault: Vault, catalogue: Catalogue, data: bytes, opened: Opened
) -> IncomingPackage:
    """Check an unsealed package against this vault and validate every case; write nothing."""
    with vault.sessions() as session:
        return read_package(session, catalogue, data, opened)


def open_transfer(
    vault: Vault, catalogue: Catalogue, data: bytes, passphrase: str | None
) -> IncomingPackage:
    """Open, verify and check a package: the window's steps in a row; nothing is written."""
    opened = unseal(data, passphrase=passphrase, own=opening_keys(vault, passphrase))
    return check_package(vault, catalogue, data, opened)


def prepare_receipt(
    vault: Vault, package: IncomingPackage, now: dt.datetime, *, trust: bool
) -> ReceiptJob:
    """Read what the receipt says and who signs it; ``sign_receipt`` signs it apart.

    Raises:
        InvalidInput: the sender's signing root is not confirmed and ``trust`` is not set.
    """
    with vault.sessions.begin() as session:  # the signing identity is made on first use, and kept
        return receipt_job(session, package, now, trust_signer=trust)


def save_received(
    vault: Vault,
    catalogue: Catalogue,
    package: IncomingPackage,
    now: dt.datetime,
    receipt: bytes,
    target: Path,
    *,
    trust: bool,
) -> None:
    """Import the package and write its signed receipt, together: no receipt, no import."""
    write_recorded(
        vault,
        target,
        receipt,
        lambda session: import_package(
            session,
            vault.audit_key,
            catalogue,
            working_calendar(session),
            package,
            now,
            trust_signer=trust,
            receipt=receipt,
        ),
    )


def receive_transfer(
    vault: Vault,
    catalogue: Catalogue,
    package: IncomingPackage,
    now: dt.datetime,
    target: Path,
    *,
    trust: bool,
) -> None:
    """Sign the receipt, then import and write it: the window's steps in a row."""
    receipt = sign_receipt(prepare_receipt(vault, package, now, trust=trust))
    save_received(vault, catalogue, package, now, receipt, target, trust=trust)


@dataclass(frozen=True)
class ConfirmedTransfer:
    """A sent transfer whose receipt is recorded."""

    transfer_id: str
    counterpart: str


def save_confirmation(
    vault: Vault, receipt: ReadReceipt, now: dt.datetime, *, trust: bool
) -> ConfirmedTransfer:
    """Record a checked receipt against the transfer it confirms; audit it.

    Raises:
        InvalidInput: not for a package sent from here, or not from the recipient.
    """
    with vault.sessions.begin() as session:
        sent = record_receipt(session, vault.audit_key, receipt, now, trust=trust)
        return ConfirmedTransfer(sent.transfer_id, sent.counterpart)


def confirm_transfer(
    vault: Vault, pdf: bytes, now: dt.datetime, *, trust: bool
) -> ConfirmedTransfer:
    """Check a returned receipt, then record it: the window's steps in a row.

    Raises:
        SignatureInvalid: the receipt is not signed, altered or changed after signing.
        InvalidInput: not a receipt from the recipient of a package sent from here.
    """
    return save_confirmation(vault, read_receipt(pdf, known_roots(vault)), now, trust=trust)
