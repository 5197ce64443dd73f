"""Which documents there are and which a stage offers (light: no PDF libraries imported).

The window imports this at start-up; reportlab and pyHanko load only when a
document is first rendered or verified. A written confirmation is offered at
every stage (required only where the procedure asks for one); the other stage
documents where the procedure produces them, some only for an outcome; a
partnership notification also where learning or policy gaps were referred
when the case closed.
"""

from __future__ import annotations

import json

from desktop.casework.closing import REFERRED
from desktop.casework.workflow import case_by_id, effective_stages, procedure_of
from desktop.models import Case
from desktop.procedures.catalogue import Catalogue
from desktop.storage.vault import Vault

KINDS = {
    "confirmation": "written-confirmation",
    "summary": "child-file-summary",
    "meeting-record": "meeting-record",
    "notification": "partnership-notification",
    "request": "conference-request",
}
# Which stage documents need a stage that produces them (the summary is for any case).
STAGE_DOCUMENTS = {
    "confirmation": "written-confirmation",
    "meeting-record": "meeting-record",
    "notification": "partnership-notification",
    "request": "conference-request",
}
EVERY_STAGE = ("written-confirmation",)


def offered_documents(catalogue: Catalogue, case: Case, stage_id: str) -> list[str]:
    """Return the document kinds a case's stage offers (the summary is always offered)."""
    _procedure, track = procedure_of(catalogue, case)
    stage = track.stage(stage_id)
    records = [r for r in effective_stages(case) if r.stage_id == stage_id]
    record = records[-1] if records else None
    produced = {*EVERY_STAGE, *stage.produces}
    outcome = record.outcome.value if record is not None and record.outcome else None
    produced |= {document for document, when in stage.produces_for if when == outcome}
    if record is not None and json.loads(record.fields_json or "{}").get(REFERRED):
        produced.add("partnership-notification")
    stage_kinds = [k for k, document in STAGE_DOCUMENTS.items() if document in produced]
    return [*stage_kinds, "summary"]


def documents_offered(
    vault: Vault, catalogue: Catalogue, case_id: int, stage_id: str | None
) -> list[str]:
    """Read which documents a case's stage offers (only the summary when no stage is given)."""
    if stage_id is None:
        return ["summary"]
    with vault.sessions() as session:
        return offered_documents(catalogue, case_by_id(session, case_id), stage_id)
