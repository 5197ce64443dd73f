"""Change who signs: the profile and the certificate that names them, in one step.

A signed document prints the profile's name and carries the certificate's:
both front doors save the profile through :func:`change_profile`, so the two
never disagree. A changed profile gets a new signer certificate under the
same local root; earlier certificates stay in the vault, and since the root
is unchanged, documents signed before still verify as from a trusted signer.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.casework.settings import read_profile, save_profile
from desktop.documents.identity import RootPem, create_root, fingerprint, issue_signer
from desktop.models import SigningIdentity
from desktop.sharing.signed_documents import import_identity, signing_identity, store_identity
from desktop.sharing.signers import identity_summary
from desktop.storage import audit
from desktop.storage.vault import Vault


@dataclass(frozen=True)
class ProfileChange:
    """What saving the profile did to the signing identity."""

    changed: bool  # the name, role or organisation differs from before
    new_certificate: bool  # a signer certificate naming the new profile was issued
    organisation_certificate: bool  # signing stays with an organisation's PKCS#12
    fingerprint: str  # SHA-256 of the certificate that signs from now on


@dataclass(frozen=True)
class Signer:
    """Who signs: the profile (empty before it is first saved) and the signing identity."""

    name: str
    role: str
    organisation: str
    identity: str  # the identity in one line: its kind and certificate fingerprint


def _signer(session: Session) -> Signer:
    me = read_profile(session)
    return Signer(
        me.name if me else "",
        me.role if me else "",
        me.organisation if me else "",
        identity_summary(session),
    )


def read_signer(vault: Vault) -> Signer:
    """Return the profile and the signing identity as they are (nothing is made)."""
    with vault.sessions() as session:
        return _signer(session)


def use_organisation_identity(vault: Vault, data: bytes, password: str) -> Signer:
    """Sign from now on with an organisation's PKCS#12; audit ``identity.imported``.

    Raises:
        InvalidInput: the file or its password is not a usable identity; nothing changes.
    """
    with vault.sessions.begin() as session:
        import_identity(session, vault.audit_key, data, password)
        return _signer(session)


def change_profile(vault: Vault, name: str, role: str, organisation: str) -> ProfileChange:
    """Save the profile; when it changed, issue a signer certificate naming it and audit it.

    The first profile also makes the signing identity. Both front doors save
    the profile here, and only here is ``profile.changed`` audited.

    Raises:
        InvalidInput: an empty name, role or organisation; nothing is saved.
    """
    with vault.sessions.begin() as session:
        return record_profile(session, vault.audit_key, name, role, organisation)


def record_profile(
    session: Session, audit_key: audit.AuditKey, name: str, role: str, organisation: str
) -> ProfileChange:
    """Save the profile in the caller's transaction (as change_profile does in its own)."""
    me = read_profile(session)
    before = (me.name, me.role, me.organisation) if me else None
    save_profile(session, name, role, organisation)
    me = read_profile(session)
    assert me is not None
    changed = before != (me.name, me.role, me.organisation)
    stored = session.scalar(select(SigningIdentity).order_by(SigningIdentity.id.desc()))
    issued = stored is None or (changed and stored.source != "pkcs12")
    if stored is None:
        signing_identity(session)  # the first identity, made from this profile
    elif issued:
        root = (
            RootPem(stored.root_key_pem, stored.chain_pem)
            if stored.root_key_pem
            else create_root(me.organisation)  # made before root keys were kept
        )
        made = issue_signer(root, me.name, me.role, me.organisation)
        store_identity(session, made, "local", me.organisation, root.key_pem)
    if changed:
        audit.record(session, audit_key, "profile.changed")
    return ProfileChange(
        changed,
        issued,
        stored is not None and stored.source == "pkcs12",
        fingerprint(signing_identity(session).cert_pem),
    )
