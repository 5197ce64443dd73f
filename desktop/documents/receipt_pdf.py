"""The receipt a receiving school signs and sends back when a child's records arrive."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from desktop.documents.fonts import check_covered
from desktop.documents.render import (
    SignatureBlocks,
    SignatureSlots,
    facts,
    grid,
    keep,
    para,
    styles,
    title_block,
    when,
)

KEYWORD = "escalation-recorder-receipt"


@dataclass(frozen=True)
class ReceiptData:
    """What the receipt confirms: which package, from whom, what it held, when it arrived."""

    transfer_id: str
    package_sha256: str
    sender: str
    sent_at: dt.datetime
    received_at: dt.datetime
    receiver: str
    child: str
    cases: tuple[tuple[str, str], ...]  # (reference sent, reference kept here)


def receipt_keywords(transfer_id: str, package_sha256: str) -> str:
    """The machine-readable line in the receipt's metadata the sender's app checks."""
    return f"{KEYWORD} transfer={transfer_id} package-sha256={package_sha256}"


def compose_receipt(data: ReceiptData) -> tuple[list[Flowable], SignatureSlots]:
    """Lay out the receipt: the package, the records it held, the receiver's signature."""
    st = styles()
    check_covered(
        [data.sender, data.receiver, data.child, *(r for pair in data.cases for r in pair)]
    )
    rows = [[sent, kept if kept != sent else "same reference"] for sent, kept in data.cases] or [
        ["no cases", ""]
    ]
    slots = SignatureSlots()
    story: list[Flowable] = [
        *title_block(
            "Receipt for safeguarding records",
            "Escalation records transferred securely between settings",
            st,
        ),
        para(
            "The records below arrived intact: the package's signature was verified and "
            "every record was imported. Please keep this receipt with the transfer record.",
            st["body"],
        ),
        Spacer(1, 2 * mm),
        facts(
            [
                ("Transfer", data.transfer_id),
                ("Package SHA-256", data.package_sha256),
                ("Sent by", data.sender),
                ("Sent", when(data.sent_at)),
                ("Received by", data.receiver),
                ("Received", when(data.received_at)),
                ("Child", data.child),
                ("Cases", str(len(data.cases))),
            ],
            st,
        ),
        keep(
            para("Records received", st["h2"]),
            grid(["Reference sent", "Kept here as"], rows, [80 * mm, None], st),
        ),
        Spacer(1, 8 * mm),
        keep(SignatureBlocks([("Received and signed by", data.receiver)], slots)),
    ]
    return story, slots
