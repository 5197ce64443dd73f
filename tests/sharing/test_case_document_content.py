"""What the documents say: a stage's own parties and signatories, the decision challenged,
incomplete records, the request in writing, and learning referred at the close.

On the old code a level 2 confirmation named the level 1 practitioners as its
parties and countersigner, and no document showed the decision challenged.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess

import pytest

from desktop.casework.case_opening import Party
from desktop.casework.closing import Closing
from desktop.casework.stage_entry import record_stage
from desktop.casework.transitions import end_case, escalate_case
from desktop.models import StageOutcome
from desktop.procedures.catalogue import load_catalogue
from desktop.sharing.signed_documents import render_document
from desktop.storage.vault import Vault
from tests.factories import CaseOverrides, open_case_in, signing_profile

CATALOGUE = load_catalogue()
T0 = dt.datetime(2026, 6, 8, 10, tzinfo=dt.UTC)
LINE_MANAGERS = {
    "raising": {"name": "Lee Linemanager", "role": "Line manager", "agency": "Nowhere Primary"},
    "receiving": {"name": "Kim Counterpart", "role": "Team manager", "agency": "Fictional CSC"},
}
PRACTITIONERS: CaseOverrides = {
    "raised_by": Party("Pat Practitioner", "Teacher", "Nowhere Primary"),
    "other_party": Party("Sam Socialworker", "Social worker", "Fictional CSC"),
    "opened_at": T0,
}
NORTH_LINCOLNSHIRE: CaseOverrides = {
    "procedure_id": "north-lincolnshire",
    "decision_challenged": "Fictional: the referral was closed with no assessment.",
    "decision_date": dt.date(2026, 6, 4),
    **PRACTITIONERS,
}


def _text(pdf: bytes) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("needs pdftotext")
    done = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
    return " ".join(done.stdout.decode().split())


def _render(vault: Vault, reference: str, kind: str, stage: str | None = None) -> str:
    with vault.sessions.begin() as session:
        return _text(
            render_document(session, vault.audit_key, CATALOGUE, reference, kind, stage).pdf
        )


def test_a_stage_s_confirmation_shows_its_own_parties_record_and_the_decision(
    vault: Vault,
) -> None:
    signing_profile(vault)
    case_id = open_case_in(
        vault, CATALOGUE, "DOC-B", track_id="help-and-safeguarding", **NORTH_LINCOLNSHIRE
    )
    escalate_case(vault, CATALOGUE, case_id, T0, incomplete_because="Fictional: urgent.")
    record_stage(
        vault,
        CATALOGUE,
        case_id,
        {"parties": LINE_MANAGERS, "outcome_sought": "Fictional: an assessment."},
        T0,
    )
    text = _render(vault, "DOC-B", "confirmation", "B")
    assert "Raised by Lee Linemanager, Line manager, Nowhere Primary" in text
    assert (
        "Signed for the raising party Signed for the other party Lee Linemanager, Line manager, "
        "Nowhere Primary Kim Counterpart, Team manager, Fictional CSC"
    ) in text  # this stage's parties sign
    assert "Pat Practitioner" not in text  # level A's parties are not level B's
    assert "Decision challenged Fictional: the referral was closed" in text
    assert "Date of the decision 04/06/2026" in text and "an assessment" in text
    summary = _render(vault, "DOC-B", "summary")
    assert "A. Practitioner to Practitioner — records incomplete" in summary
    assert "The reason given: Fictional: urgent." in summary


def test_the_request_in_writing_and_the_notification_of_what_was_referred(vault: Vault) -> None:
    signing_profile(vault)
    case_id = open_case_in(
        vault, CATALOGUE, "DOC-C", track_id="convening-conference", **NORTH_LINCOLNSHIRE
    )
    record_stage(
        vault,
        CATALOGUE,
        case_id,
        {
            "request_supported_by": "Fictional: the head teacher.",
            "concern": "Fictional: bruising seen twice this term.",
        },
        T0,
    )
    request = _render(vault, "DOC-C", "request", "A")
    assert "Request to convene a child protection conference" in request
    assert "To: Service Manager, Independent Reviewing Service" in request
    assert "Supported by Fictional: the head teacher." in request
    assert "bruising seen twice this term" in request
    county = open_case_in(
        vault,
        CATALOGUE,
        "DOC-L",
        procedure_id="four-stage-dispute",
        track_id="dispute",
        **PRACTITIONERS,
    )
    said = Closing("Fictional: agreed a joint visit.", "Fictional: ask earlier.", ("learning",))
    end_case(vault, CATALOGUE, county, StageOutcome.RESOLVED, T0, said, "Fictional: later.")
    notification = _render(vault, "DOC-L", "notification", "1")
    assert "To: SCB/SAB Learning Group, through the Safeguarding Board Service Manager" in (
        notification
    )
    assert "Learning identified Fictional: ask earlier." in notification
    assert "Referred when the case closed" in notification
    assert "Any identified learning will be referred to the SCB/SAB Learning Group" in notification
