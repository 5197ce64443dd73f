"""Reads never write: preparing to sign makes no identity; viewing a case is audited on purpose."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from desktop.casework.settings import save_profile
from desktop.casework.timeline import case_detail, view_case
from desktop.errors import ProfileMissing
from desktop.models import AuditEvent, SigningIdentity
from desktop.procedures.catalogue import load_catalogue
from desktop.sharing.case_documents import prepare_case_document
from desktop.sharing.transfer import own_certificate
from desktop.storage.vault import Vault
from tests.factories import open_case_in, signing_profile

CATALOGUE = load_catalogue()
NOW = dt.datetime(2026, 11, 23, 12, tzinfo=dt.UTC)
ME = ("Alex Example (fictional)", "DSL", "Nowhere Primary (fictional)")


def _counts(vault: Vault) -> tuple[int, int]:
    with vault.sessions() as session:
        identities = session.scalar(select(func.count()).select_from(SigningIdentity))
        events = session.scalar(select(func.count()).select_from(AuditEvent))
        return int(identities or 0), int(events or 0)


def test_preparing_to_sign_makes_no_identity_saving_the_profile_does(vault: Vault) -> None:
    open_case_in(vault, CATALOGUE, "READ-1", opened_at=NOW)
    with vault.sessions.begin() as session:  # a profile kept before identities came with it
        save_profile(session, *ME)
    before = _counts(vault)
    with pytest.raises(ProfileMissing) as refused:
        prepare_case_document(vault, CATALOGUE, "READ-1", "summary")
    assert refused.value.message == (
        "Save your name, role and organisation in Settings first; they go on signed documents."
    )
    with vault.sessions.begin() as session, pytest.raises(ProfileMissing):
        own_certificate(session)
    assert _counts(vault) == before
    signing_profile(vault, *ME)  # saving it again makes the identity
    assert _counts(vault)[0] == 1
    job = prepare_case_document(vault, CATALOGUE, "READ-1", "summary")
    assert job.reference == "READ-1"


def test_reading_a_case_records_nothing_viewing_it_records_one_event(vault: Vault) -> None:
    case_id = open_case_in(vault, CATALOGUE, "READ-1", opened_at=NOW)
    before = _counts(vault)
    with vault.sessions.begin() as session:
        assert case_detail(session, CATALOGUE, case_id, NOW).reference == "READ-1"
    assert _counts(vault) == before
    assert view_case(vault, CATALOGUE, case_id, NOW).case_id == case_id
    with vault.sessions() as session:
        last = session.scalar(select(AuditEvent).order_by(AuditEvent.id.desc()))
    assert _counts(vault)[1] == before[1] + 1
    assert last is not None and (last.action, last.entity_id) == ("case.viewed", case_id)
