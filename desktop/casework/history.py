"""The audit trail in plain words: what each recorded action means to the person who did it.

The audit chain keeps dotted action names (``stage.finalised``); the case view
shows them as short sentences, with runs of the same event folded into one
line, and the draft a form saves by itself on every change folded away into
"Draft saved (N times)" so that it does not bury what people did.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from types import MappingProxyType

# Events a form records by itself: never a line of their own, folded into one per run.
FOLDED: Mapping[str, str] = MappingProxyType({"stage.draft_saved": "Draft saved"})

EVENTS: Mapping[str, str] = MappingProxyType(
    {
        "action.created": "Agreed action added",
        "audit.anchored": "Audit trail checkpoint kept",
        "backup.case_removed": "Removed from the backups",
        "case.created": "Escalation opened",
        "case.escalated": "Escalated to the next stage",
        "case.exported": "Exported to a file",
        "case.purged": "Deleted after its review date",
        "case.received": "Arrived by transfer from another setting",
        "case.reopened": "Reopened",
        "case.resolved": "Marked resolved",
        "case.unresolved": "Closed unresolved",
        "case.viewed": "Viewed",
        "case.withdrawn": "Withdrawn",
        "cases.exported": "All cases exported to a file",
        "contact.created": "Contact added",
        "deadlines.recomputed": "Deadlines worked out again after a calendar change",
        "deadlines.exported": "Deadlines saved as a calendar file",
        "deadlines.reminded": "Deadline reminder shown",
        "demo.generated": "Demonstration cases made",
        "discussion.created": "Discussion recorded",
        "document.countersigned": "A received document countersigned",
        "document.kept": "A received document kept with this case",
        "document.rendered": "Document signed",
        "due.viewed": "Deadlines viewed",
        "export.incomplete": "Export stopped before the end",
        "identity.imported": "Organisation certificate imported",
        "profile.changed": "Your name, role or organisation changed",
        "report.exported": "Partnership report exported",
        "report.rendered": "Partnership report signed",
        "report.viewed": "Partnership report viewed",
        "retention.viewed": "Records past their review date viewed",
        "settings.changed": "Settings changed",
        "signer.trusted": "A signer confirmed as known",
        "signer.withdrawn": "A confirmed signer withdrawn",
        "stage.changed": "Stage record changed",
        "stage.completed": "Missing records of a stage completed",
        "stage.corrected": "Stage record corrected",
        "stage.event_recorded": "Time the stage's clock starts from recorded",
        "stage.finalised": "Stage recorded",
        "stage.review_set": "Review time set for the stage",
        "subject_access.exported": "Subject access copy saved",
        "subject_access.previewed": "Subject access copy previewed",
        "transfer.confirmed": "Receipt of a transfer confirmed",
        "transfer.receipt_saved": "A transfer's receipt saved again",
        "transfer.received": "Records received from another setting",
        "transfer.sent": "Records sent to another setting",
        "transfers.viewed": "Transfers viewed",
        "vault.backed_up": "Backup made",
        "vault.backed_up_automatically": "Backup made on closing",
        "vault.created": "Vault created",
        "vault.passphrase_changed": "Passphrase changed",
        "vault.restored": "Restored from a backup",
    }
)
# Families whose last part is a value (a redaction's reason): one sentence for all of them.
PREFIXES: Mapping[str, str] = MappingProxyType(
    {"redaction.": "Passage withheld from a subject access copy"}
)


def describe_event(action: str, entity: str | None = None) -> str | None:
    """Say an audit action in plain words; None for an event folded into its neighbours.

    An action this table does not know yet (a newer app's) is still said in
    words made from its name ("case.merged" reads "Case merged").
    """
    if action in FOLDED:
        return None
    if action == "export.started":
        return "Export of this case started" if entity == "case" else "Export started"
    known = EVENTS.get(action)
    if known is not None:
        return known
    for prefix, text in PREFIXES.items():
        if action.startswith(prefix):
            return text
    words = action.replace(".", " ").replace("_", " ").strip()
    return words[:1].upper() + words[1:] if words else "Recorded"


def _times(text: str, count: int) -> str:
    return text if count == 1 else f"{text} ({count} times)"


def history_lines(
    events: Iterable[tuple[dt.datetime, str]],
) -> list[tuple[dt.datetime, str]]:
    """Return a case's audit events as lines to show: plain words, runs folded into one.

    A run of the same event in a row (viewed, viewed, viewed) is one line at
    the time of the last, with how many; a run of draft autosaves likewise.
    """
    lines: list[tuple[dt.datetime, str]] = []
    run_text, run_count = "", 0
    for at, action in events:
        text = describe_event(action) or FOLDED[action]
        if lines and text == run_text:
            run_count += 1
            lines[-1] = (at, _times(text, run_count))
            continue
        run_text, run_count = text, 1
        lines.append((at, text))
    return lines
