"""What the transfers dialog says: a package's contents and the history, in plain words.

Text from a package or another setting is foreign: its control characters are
made visible, and it is HTML-escaped wherever it goes into rich text.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Iterable
from pathlib import Path

from desktop.procedures.workdays import to_london
from desktop.sharing.package_preview import CasePreview, PackagePreview
from desktop.sharing.transfers import TransferRow
from desktop.text.display import visible

CLOSED = ("resolved", "withdrawn")


def shown(text: str) -> str:
    """Foreign text for a rich-text label: control characters visible, then HTML-escaped."""
    return html.escape(visible(text))


def _day(value: dt.datetime | None) -> str:
    return f"{to_london(value):%d/%m/%Y}" if value else "—"


def _case(case: CasePreview) -> str:
    kept = (
        f" <i>(kept here as {shown(case.kept_as)}: the reference is taken)</i>"
        if case.kept_as != case.reference
        else ""
    )
    stages = "".join(
        f"<li>{shown(s.title)}: {_day(s.opened_at)} to "
        f"{_day(s.closed_at) if s.closed_at else 'now'}"
        + (f", {shown(s.outcome)}" if s.outcome else "")
        + "</li>"
        for s in case.stages
    )
    return (
        f"<p><b>{shown(case.reference)}</b>{kept}: {shown(case.status)}<br>"
        f"{shown(case.procedure)} · {shown(case.track)}<br>"
        f"Opened {_day(case.opened_at)}</p><ul>{stages}</ul>"
    )


def _cases(count: int) -> str:
    return f"{count} case" if count == 1 else f"{count} cases"


def describe_preview(preview: PackagePreview) -> str:
    """What a package holds, in plain words, before anything is imported."""
    cases = "".join(_case(c) for c in preview.cases)
    return (
        f"<p><b>From</b> {shown(preview.sender)}<br>"
        f"<b>Sent</b> {to_london(preview.sent_at):%d/%m/%Y %H:%M}<br>"
        f"<b>Signed by</b> {shown(preview.signer)}<br>"
        f"<b>Child</b> {shown(preview.child)}<br>"
        f"<b>Transfer</b> {shown(preview.transfer_id)}</p>"
        f"<h3>{_cases(len(preview.cases))}</h3>{cases}"
        "<p>The package is intact and signed. Nothing has been imported yet.</p>"
    )


def closed_cases(preview: PackagePreview) -> int:
    """How many of the package's cases are closed (the dashboard shows open ones first)."""
    return sum(1 for c in preview.cases if c.status.startswith(CLOSED))


def describe_imported(preview: PackagePreview, receipt: Path, at: dt.datetime) -> str:
    """What happened when the package was imported: the cases kept, and the receipt."""
    kept = ", ".join(shown(c.kept_as) for c in preview.cases)
    closed = closed_cases(preview)
    where = (
        f" {closed} of them {'is' if closed == 1 else 'are'} closed: on the dashboard, "
        "choose <i>Show: Closed</i> to see them."
        if closed
        else ""
    )
    return (
        f"<h3>Imported on {to_london(at):%d/%m/%Y at %H:%M}</h3>"
        f"<p>{_cases(len(preview.cases))} from {shown(preview.sender)}, now in your "
        f"records: {kept}.{where}</p>"
        f"<p>The signed receipt was saved as <b>{shown(receipt.name)}</b> in "
        f"{shown(str(receipt.parent))}. Send it back to the sender; it can be saved again "
        "from <i>History and receipts</i>.</p>"
    )


def history_rows(transfers: Iterable[TransferRow]) -> list[tuple[str, str, str, str, str, str]]:
    """The history's cells: when, which transfer, sent or received, with whom, cases, receipt."""
    rows = []
    for t in transfers:
        if t.direction == "sent":
            direction = "Sent to"
            receipt = f"returned {_day(t.receipt_at)}" if t.receipt_at else "awaited"
        else:
            direction = "Received from"
            receipt = "signed by you" + (", can be saved again" if t.receipt_kept else "")
        rows.append(
            (
                f"{to_london(t.at):%d/%m/%Y %H:%M}",
                t.transfer_id[:8],
                direction,
                visible(t.counterpart),
                str(t.cases),
                receipt,
            )
        )
    return rows
