"""Signed PDFs received from others: check them, trust their signers, countersign them.

One service per user action, shared by the command line and the window. The
slow parts (verifying, signing) take plain data and no vault, so the window
runs them on a worker between reading the vault and recording the result.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from desktop.documents.identity import IdentityPem
from desktop.documents.signing import SignatureReport, countersign_pdf, verify_pdf
from desktop.errors import KnownError, describe_os_error
from desktop.models import KnownSigner
from desktop.sharing.signed_documents import current_identity, require_valid, trust_signer
from desktop.storage import audit
from desktop.storage.output import write_recorded
from desktop.storage.vault import Vault


@dataclass(frozen=True)
class Checked:
    """One file's signatures, or the sentence saying why it could not be checked."""

    path: Path
    reports: tuple[SignatureReport, ...] = ()
    problem: str | None = None


def known_roots(vault: Vault) -> frozenset[str]:
    """Return the fingerprints of the signing roots this vault trusts (its own, and confirmed)."""
    with vault.sessions() as session:
        return frozenset(session.scalars(select(KnownSigner.fingerprint)))


def check_files(paths: Sequence[Path], known: frozenset[str]) -> tuple[Checked, ...]:
    """Verify every signature of each file against the ``known`` roots; no vault is used."""
    checked = []
    for path in paths:
        try:
            reports = tuple(verify_pdf(path.read_bytes(), set(known)))
        except KnownError as error:
            checked.append(Checked(path, problem=error.message))
        except OSError as error:
            checked.append(Checked(path, problem=describe_os_error(error)))
        else:
            checked.append(Checked(path, reports))
    return tuple(checked)


def trust_signers(vault: Vault, reports: Sequence[SignatureReport]) -> int:
    """Remember the root of each valid signature not confirmed yet; audit each; return how many.

    Raises:
        InvalidInput: a signature carries no root certificate to remember.
    """
    trusted = 0
    with vault.sessions.begin() as session:
        for report in reports:
            if report.valid and not report.known:
                trust_signer(session, vault.audit_key, report)
                trusted += 1
    return trusted


@dataclass(frozen=True)
class CountersignJob:
    """A received document and the identity to countersign it with: signed elsewhere."""

    pdf: bytes
    identity: IdentityPem


def prepare_countersign(vault: Vault, pdf: bytes) -> CountersignJob:
    """Read the signing identity for countersigning ``pdf``.

    Raises:
        InvalidInput: no profile to sign with.
    """
    with vault.sessions.begin() as session:  # the identity is made on first use, and kept
        return CountersignJob(pdf, current_identity(session))


def produce_countersign(job: CountersignJob) -> bytes:
    """Check every signature is valid, then add the user's, in memory; no vault is used.

    Raises:
        SignatureInvalid: not signed, altered, or changed after it was signed.
        InvalidInput: no empty box left for another signature.
    """
    require_valid(verify_pdf(job.pdf, set()), "it was not countersigned")
    return countersign_pdf(job.pdf, job.identity, reason="Countersigned")


def save_countersigned(vault: Vault, signed: bytes, target: Path) -> None:
    """Record the countersignature and write the document together: no file, no record."""
    write_recorded(
        vault,
        target,
        signed,
        lambda session: audit.record(session, vault.audit_key, "document.countersigned"),
    )


def countersign(vault: Vault, pdf: bytes, target: Path) -> None:
    """Countersign ``pdf`` into ``target``: each step as the window takes it, one after another."""
    save_countersigned(vault, produce_countersign(prepare_countersign(vault, pdf)), target)
