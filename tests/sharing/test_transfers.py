"""The transfer services both front doors call: each step's audit event, and files with records."""

from __future__ import annotations

import datetime as dt
import errno
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from desktop.models import AuditEvent, Case, Transfer
from desktop.procedures.catalogue import load_catalogue
from desktop.sharing.transfers import (
    confirm_transfer,
    list_transfers,
    open_transfer,
    receive_transfer,
    send_transfer,
)
from desktop.storage.vault import Vault
from tests.factories import RECEIVER, import_sample, profiled_vault

NOW = dt.datetime(2027, 1, 11, 9, 30, tzinfo=dt.UTC)


@pytest.fixture
def vaults(tmp_path: Path) -> Iterator[tuple[Vault, Vault]]:
    sender = profiled_vault(tmp_path / "sender")
    receiver = profiled_vault(tmp_path / "receiver", *RECEIVER)
    import_sample(sender, load_catalogue())
    yield sender, receiver
    sender.close()
    receiver.close()


def _actions(vault: Vault) -> list[str]:
    with vault.sessions() as session:
        return list(session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def test_send_receive_confirm_and_list_each_leave_their_event(
    vaults: tuple[Vault, Vault], tmp_path: Path
) -> None:
    sender, receiver = vaults
    catalogue = load_catalogue()
    package, receipt = tmp_path / "package.erpkg", tmp_path / "receipt.pdf"
    sent = send_transfer(sender, catalogue, "C-1042", "Imaginary Academy", NOW, package)
    assert package.read_bytes() == sent.data and _actions(sender)[-1] == "transfer.sent"
    before = _actions(receiver)
    incoming = open_transfer(receiver, catalogue, package.read_bytes(), sent.passphrase)
    assert _actions(receiver) == before  # opening shows what it holds; it writes nothing
    receive_transfer(receiver, catalogue, incoming, NOW, receipt, trust=True)
    assert receipt.exists()
    assert _actions(receiver)[-2:] == ["transfer.received", "case.received"]  # one case
    confirmed = confirm_transfer(sender, receipt.read_bytes(), NOW, trust=True)
    assert (
        confirmed.transfer_id == sent.transfer_id and _actions(sender)[-1] == "transfer.confirmed"
    )
    [row] = list_transfers(sender)
    assert (row.direction, row.cases, row.receipt_at) == ("sent", 1, NOW)
    assert _actions(sender)[-1] == "transfers.viewed"


def test_a_receipt_that_cannot_be_written_leaves_nothing_imported(
    vaults: tuple[Vault, Vault], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sender, receiver = vaults
    catalogue = load_catalogue()
    sent = send_transfer(sender, catalogue, "C-1042", "Imaginary", NOW, tmp_path / "p.erpkg")
    incoming = open_transfer(receiver, catalogue, sent.data, sent.passphrase)
    real_replace = Path.replace

    def disk_full(self: Path, target: str | Path) -> Path:
        if Path(target).name == "receipt.pdf":
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_replace(self, target)

    monkeypatch.setattr(Path, "replace", disk_full)  # the receipt's last step: it never appears
    before = _actions(receiver)
    with pytest.raises(OSError, match="No space"):
        receive_transfer(receiver, catalogue, incoming, NOW, tmp_path / "receipt.pdf", trust=True)
    assert _actions(receiver) == before
    with receiver.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Case)) == 0
        assert session.scalar(select(func.count()).select_from(Transfer)) == 0
