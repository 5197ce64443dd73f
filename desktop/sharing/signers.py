"""Whose signatures this vault trusts: the user's own root and the roots they confirmed.

A signer is confirmed by its root certificate's SHA-256 fingerprint, once the
user has compared its fingerprint words with the signer by telephone. The
words are the root's everywhere: in Settings and ``certificate`` on the
signer's side, on the verify screen and the package preview on the other.
Confirming and withdrawing are audited (``signer.trusted``,
``signer.withdrawn``); the user's own root cannot be withdrawn.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from desktop.documents.identity import fingerprint, root_fingerprint
from desktop.documents.signing import SignatureReport, verify_pdf
from desktop.errors import InvalidInput, SignatureInvalid
from desktop.models import KnownSigner, SigningIdentity, Transfer
from desktop.storage import audit
from desktop.storage.vault import Vault
from desktop.text.display import visible
from desktop.text.fingerprint_words import fingerprint_words


def is_known_signer(session: Session, root_fingerprint: str) -> bool:
    """Say whether this vault trusts this signing root (its own, or one confirmed)."""
    known = select(KnownSigner.id).where(KnownSigner.fingerprint == root_fingerprint)
    return session.scalar(known) is not None


def remember_root(session: Session, root_fingerprint: str, subject: str) -> None:
    """Keep a signing root's fingerprint as known, once."""
    if not is_known_signer(session, root_fingerprint):
        session.add(
            KnownSigner(
                fingerprint=root_fingerprint, subject=subject, added_at=dt.datetime.now(dt.UTC)
            )
        )
        session.flush()


def remember_signer(
    session: Session, audit_key: audit.AuditKey, root_fingerprint: str, subject: str
) -> None:
    """Remember a signing root by fingerprint (once), and audit that the user trusted it."""
    remember_root(session, root_fingerprint, subject)
    audit.record(session, audit_key, "signer.trusted")


def trust_signer(session: Session, audit_key: audit.AuditKey, report: SignatureReport) -> None:
    """Remember a signer's root on the user's confirmation (after comparing fingerprints)."""
    if not report.root_fingerprint:
        raise InvalidInput("This signature carries no root certificate to remember.")
    remember_signer(session, audit_key, report.root_fingerprint, report.root_subject)


def require_valid(reports: list[SignatureReport], refused: str) -> None:
    """Raise SignatureInvalid unless there is a signature and every one is valid.

    Args:
        refused: what did not happen, ending the sentence ("it was not countersigned").
    """
    if not reports:
        raise SignatureInvalid(f"This document is not signed; {refused}.")
    for report in reports:
        field = visible(report.field)
        if report.changed_after_signing:
            raise SignatureInvalid(
                f"This document was changed after it was signed ({field} does not cover "
                f"what was added later); {refused}."
            )
        if not report.intact:
            raise SignatureInvalid(f"This document was altered since {field}; {refused}.")
        if not report.valid:
            raise SignatureInvalid(f"The certificate chain of {field} is not valid; {refused}.")


def verify(session: Session, pdf: bytes) -> list[SignatureReport]:
    """Verify every signature; 'known' means the root was confirmed before."""
    known = set(session.scalars(select(KnownSigner.fingerprint)))
    return verify_pdf(pdf, known)


def _identities(session: Session) -> list[SigningIdentity]:
    return list(session.scalars(select(SigningIdentity).order_by(SigningIdentity.id.desc())))


def own_root(session: Session) -> str | None:
    """The SHA-256 fingerprint of the root the user signs under now (None before a profile)."""
    stored = next(iter(_identities(session)), None)
    return root_fingerprint(stored.chain_pem or stored.cert_pem) if stored else None


@dataclass(frozen=True)
class OwnSignatures:
    """What identifies the user's own signatures: every certificate, and local roots."""

    certificates: frozenset[str]
    local_roots: frozenset[str]

    def signed(self, report: SignatureReport) -> bool:
        """Say whether the user made this signature (any of their certificates, ever)."""
        return report.fingerprint in self.certificates or report.root_fingerprint in (
            self.local_roots
        )


def own_signatures(session: Session) -> OwnSignatures:
    """Read the user's certificates and the local roots only they sign under.

    An organisation's root is left out: colleagues may sign under it too.
    """
    stored = _identities(session)
    return OwnSignatures(
        frozenset(fingerprint(s.cert_pem) for s in stored),
        frozenset(root_fingerprint(s.chain_pem) for s in stored if s.source == "local"),
    )


def read_own_root(vault: Vault) -> str | None:
    """The fingerprint of the root the user signs under (None before a profile is saved)."""
    with vault.sessions() as session:
        return own_root(session)


def read_own_signatures(vault: Vault) -> OwnSignatures:
    """What identifies the user's own signatures (see :func:`own_signatures`); nothing written."""
    with vault.sessions() as session:
        return own_signatures(session)


def identity_summary(session: Session) -> str:
    """Describe the signing identity and its fingerprint words (or say there is none yet).

    The words are the root's: the same on every document signed here, in
    ``certificate``, and on the recipient's screen when they check one.
    """
    stored = next(iter(_identities(session)), None)
    root = own_root(session)
    if stored is None or root is None:
        return "None yet: one is made when your name, role and organisation are saved."
    kind = "An organisation certificate" if stored.source == "pkcs12" else "A local certificate"
    return (
        f"{kind}. Fingerprint words to read to anyone who checks your documents: "
        f"{fingerprint_words(root)}."
    )


@dataclass(frozen=True)
class ConfirmedSigner:
    """A signing root this vault trusts, as Settings lists it."""

    signer_id: int
    fingerprint: str
    words: str
    subject: str
    added_at: dt.datetime
    own: bool


def list_confirmed_signers(vault: Vault) -> tuple[ConfirmedSigner, ...]:
    """Every trusted signing root, the user's own first, then the newest confirmed."""
    with vault.sessions() as session:
        own = {root_fingerprint(s.chain_pem) for s in _identities(session) if s.chain_pem}
        rows = session.scalars(select(KnownSigner).order_by(KnownSigner.added_at.desc()))
        signers = [
            ConfirmedSigner(
                r.id,
                r.fingerprint,
                fingerprint_words(r.fingerprint),
                r.subject,
                r.added_at,
                r.fingerprint in own,
            )
            for r in rows
        ]
    return tuple(sorted(signers, key=lambda s: not s.own))


def confirm_signer(vault: Vault, root: str, subject: str) -> None:
    """Trust a signing root the user compared with its owner by telephone; audit it.

    Raises:
        InvalidInput: no root to confirm (the signature carried none).
    """
    if not root:
        raise InvalidInput("This signature carries no root certificate to confirm.")
    with vault.sessions.begin() as session:
        remember_signer(session, vault.audit_key, root, subject)


def withdraw_signer(vault: Vault, signer_id: int) -> str:
    """Stop trusting a confirmed signing root; audit it; return whose root it was.

    Their documents then verify as "signer not confirmed" until confirmed again.

    Raises:
        InvalidInput: no such signer, or the user's own root.
    """
    with vault.sessions.begin() as session:
        signer = session.get(KnownSigner, signer_id)
        if signer is None:
            raise InvalidInput("That signer is no longer confirmed in this vault.")
        own = {root_fingerprint(s.chain_pem) for s in _identities(session) if s.chain_pem}
        if signer.fingerprint in own:
            raise InvalidInput("That is your own signing root; it cannot be withdrawn.")
        subject = signer.subject
        session.execute(
            update(Transfer)
            .where(Transfer.recipient_root == signer.fingerprint)
            .values(recipient_root=None)
        )
        session.delete(signer)
        audit.record(session, vault.audit_key, "signer.withdrawn")
    return subject
