"""A received transfer says what happened: from whom, which cases, the receipt kept.

On the old code an imported case's history did not say it came by transfer,
a withdrawn one had no filter of its own on the dashboard, and a lost receipt
could not be produced again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from desktop.casework.dashboard import CaseFilter, first_page
from desktop.casework.retention import purge
from desktop.casework.timeline import case_detail
from desktop.errors import InvalidInput
from desktop.models import Case, ReceivedDocument, Transfer
from desktop.sharing.package_preview import preview_package
from desktop.sharing.transfers import (
    list_transfers,
    open_transfer,
    receipt_name,
    receive_transfer,
    save_receipt_again,
    send_transfer,
)
from desktop.storage.vault import Vault
from tests.factories import profiled_vault
from tests.sharing.parties import CATALOGUE, RECIPIENT, events, withdrawn_case_sender

NOW = dt.datetime(2027, 1, 11, 9, 30, tzinfo=dt.UTC)


@pytest.fixture
def received(tmp_path: Path) -> Iterator[tuple[Vault, Path, str]]:
    """The recipient's vault after receiving a withdrawn case; its receipt; the transfer id."""
    sender = withdrawn_case_sender(tmp_path / "sender")
    package = tmp_path / "package.erpkg"
    sent = send_transfer(sender, CATALOGUE, "C-1042", "Imaginary", NOW, package)
    sender.close()
    recipient = profiled_vault(tmp_path / "recipient", *RECIPIENT)
    incoming = open_transfer(recipient, CATALOGUE, package.read_bytes(), sent.passphrase)
    preview = preview_package(CATALOGUE, incoming)
    [case] = preview.cases
    assert case.procedure.endswith("(2026-03)") and case.status == "withdrawn on 05/01/2027"
    assert case.stages[0].title != "1"  # stages by their titles, not ids
    receipt = tmp_path / receipt_name(sent.transfer_id)
    receive_transfer(recipient, CATALOGUE, incoming, NOW, receipt, trust=True)
    yield recipient, receipt, sent.transfer_id
    recipient.close()


def test_the_case_says_it_arrived_by_transfer_and_from_whom(
    received: tuple[Vault, Path, str],
) -> None:
    recipient, _receipt, transfer_id = received
    with recipient.sessions() as session:
        case_id = session.scalar(select(Case.id))
        assert case_id is not None
        detail = case_detail(session, CATALOGUE, case_id, NOW)
    [(at, what)] = detail.received
    assert at == NOW and what.startswith("Arrived by transfer from Alex Example (fictional)")
    assert transfer_id in what
    assert "case.received" in [action for _at, action in detail.history]
    assert events(recipient)[-2:] == ["transfer.received", "case.received"]


def test_a_withdrawn_case_received_is_found_by_the_dashboard(
    received: tuple[Vault, Path, str],
) -> None:
    recipient, _receipt, _id = received
    with recipient.sessions() as session:
        found = {
            status: first_page(session, CATALOGUE, CaseFilter(status=status), NOW)[1]
            for status in ("open", "withdrawn", "resolved", "closed", "all")
        }
    assert found == {"open": 0, "withdrawn": 1, "resolved": 0, "closed": 1, "all": 1}


def test_the_receipt_is_named_for_the_transfer_kept_and_saved_again(
    received: tuple[Vault, Path, str], tmp_path: Path
) -> None:
    recipient, receipt, transfer_id = received
    assert receipt.name == f"receipt-transfer-{transfer_id[:8]}.pdf"
    [row] = list_transfers(recipient)
    assert (row.direction, row.receipt_kept) == ("received", True)
    assert row.counterpart.startswith("Alex Example (fictional)")
    again = tmp_path / "again.pdf"
    save_receipt_again(recipient, transfer_id[:8], again)
    assert again.read_bytes() == receipt.read_bytes()
    assert events(recipient)[-1] == "transfer.receipt_saved"
    with pytest.raises(InvalidInput, match="no received transfer"):
        save_receipt_again(recipient, "ffffffff", tmp_path / "none.pdf")


def test_a_purge_erases_the_receipt_and_what_was_kept_with_the_case(
    received: tuple[Vault, Path, str],
) -> None:
    recipient, _receipt, _id = received
    with recipient.sessions.begin() as session:
        reference = session.scalar(select(Case.reference))
        assert reference is not None
        purge(session, recipient.audit_key, reference, reference, 25, dt.date(2060, 1, 1))
    with recipient.sessions() as session:
        [transfer] = session.scalars(select(Transfer))
        assert transfer.receipt_pdf is None and transfer.child_id is None
        assert session.scalar(select(ReceivedDocument)) is None
