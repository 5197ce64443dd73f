"""Which documents there are and which a stage offers (light: no PDF libraries imported).

The window imports this at start-up; reportlab and pyHanko load only when a
document is first rendered or verified.
"""

from __future__ import annotations

from desktop.casework.workflow import case_by_id, procedure_of
from desktop.models import Case
from desktop.procedures.catalogue import Catalogue
from desktop.storage.vault import Vault

KINDS = {
    "confirmation": "written-confirmation",
    "summary": "child-file-summary",
    "meeting-record": "meeting-record",
    "notification": "partnership-notification",
}
# Which stage documents need a stage that produces them (the summary is for any case).
STAGE_DOCUMENTS = {
    "confirmation": "written-confirmation",
    "meeting-record": "meeting-record",
    "notification": "partnership-notification",
}


def offered_documents(catalogue: Catalogue, case: Case, stage_id: str) -> list[str]:
    """Return the document kinds a case's stage offers (the summary is always offered)."""
    _procedure, track = procedure_of(catalogue, case)
    stage = track.stage(stage_id)
    stage_kinds = [k for k, produced in STAGE_DOCUMENTS.items() if produced in stage.produces]
    return [*stage_kinds, "summary"]


def documents_offered(
    vault: Vault, catalogue: Catalogue, case_id: int, stage_id: str | None
) -> list[str]:
    """Read which documents a case's stage offers (only the summary when no stage is given)."""
    if stage_id is None:
        return ["summary"]
    with vault.sessions() as session:
        return offered_documents(catalogue, case_by_id(session, case_id), stage_id)
