"""What the transfers dialog says: a package's contents and the history, in plain words.

Text from a package or another setting is foreign: its control characters are
made visible, and it is HTML-escaped wherever it goes into rich text.
"""

from __future__ import annotations

import html
from collections.abc import Iterable

from desktop.procedures.workdays import to_london
from desktop.sharing.transfer import IncomingPackage
from desktop.sharing.transfers import TransferRow
from desktop.text.display import visible


def shown(text: str) -> str:
    """Foreign text for a rich-text label: control characters visible, then HTML-escaped."""
    return html.escape(visible(text))


def describe_incoming(incoming: IncomingPackage) -> str:
    """What a package holds, in plain words, before anything is imported."""
    kept = {v: k for k, v in incoming.renamed.items()}
    rows = "".join(
        f"<li>{shown(kept.get(c.case.reference, c.case.reference))}: "
        f"{shown(c.case.procedure_id)}, {len(c.stages)} stage(s)"
        + (f" — kept here as {shown(c.case.reference)}" if c.case.reference in kept else "")
        + "</li>"
        for c in incoming.cases
    )
    trust = (
        "a signer you confirmed before"
        if incoming.known_signer
        else "<b>not confirmed before</b>: compare this fingerprint with the sender by telephone"
    )
    return (
        f"<p><b>From</b> {shown(incoming.sender)}<br>"
        f"<b>Sent</b> {to_london(incoming.sent_at):%d %b %Y %H:%M}<br>"
        f"<b>Signed by</b> {shown(incoming.signer_subject)}<br>"
        f"<b>Signing root</b> <tt>{incoming.root_fingerprint}</tt> ({trust})<br>"
        f"<b>Child</b> {shown(incoming.child)}</p>"
        f"<p><b>{len(incoming.cases)} case(s)</b></p><ul>{rows}</ul>"
        "<p>The signature is intact. Nothing has been imported yet.</p>"
    )


def history_rows(transfers: Iterable[TransferRow]) -> list[tuple[str, str, str, str, str]]:
    """The history table's cells: when, direction, with whom, how many cases, the receipt."""
    return [
        (
            f"{to_london(t.at):%d %b %Y %H:%M}",
            t.direction,
            visible(t.counterpart),
            str(t.cases),
            (f"{to_london(t.receipt_at):%d %b %Y}" if t.receipt_at else "awaited")
            if t.direction == "sent"
            else "sent back by you",
        )
        for t in transfers
    ]
