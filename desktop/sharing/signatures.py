"""Signed PDFs received from others: check them, countersign them.

One service per user action, shared by the command line and the window. The
slow parts (verifying, signing) take plain data and no vault, so the window
runs them on a worker between reading the vault and recording the result.

Checking reads only the roots this vault trusts, on a read-only connection
of its own: it needs neither the writer's session nor, from the command line,
the vault's lock (``trusted_roots`` reads a connection opened read-only while
the window holds the vault). Checking records no audit event: it reads no
case, and from the command line it could not write one without the lock.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop.documents.countersigning import countersign_pdf, countersign_statement
from desktop.documents.identity import IdentityPem
from desktop.documents.received_pdf import SignedFile, read_signed_file
from desktop.documents.signing import SignatureReport, Verdict
from desktop.errors import (
    InvalidInput,
    KnownError,
    PdfPassphraseNeeded,
    SignerNotConfirmed,
    describe_os_error,
)
from desktop.sharing.signed_documents import current_identity
from desktop.sharing.signers import OwnSignatures, own_signatures, require_valid
from desktop.storage import audit
from desktop.storage.output import write_recorded
from desktop.storage.vault import Vault
from desktop.text.display import visible
from desktop.text.fingerprint_words import fingerprint_words

TRUSTED_ROOTS = "SELECT fingerprint FROM known_signer"


@dataclass(frozen=True)
class Checked:
    """One file's signatures, or the sentence saying why it could not be checked.

    ``locked`` says the file is an encrypted PDF that needs its passphrase
    (none was given, or it was not the right one).
    """

    path: Path
    signed: SignedFile | None = None
    problem: str | None = None
    locked: bool = False

    @property
    def reports(self) -> tuple[SignatureReport, ...]:
        """The file's signatures (none when it could not be read)."""
        return self.signed.reports if self.signed else ()

    @property
    def verdict(self) -> Verdict:
        """Trusted, unconfirmed, invalid, or unreadable."""
        return self.signed.verdict if self.signed else Verdict.UNREADABLE


def trusted_roots(connection: Any) -> frozenset[str]:
    """Read the roots a vault trusts on a DB-API connection (a read-only one will do)."""
    return frozenset(row[0] for row in connection.execute(TRUSTED_ROOTS))


def known_roots(vault: Vault) -> frozenset[str]:
    """Return the fingerprints of the signing roots this vault trusts (its own, and confirmed)."""
    with vault.reader() as connection:
        return trusted_roots(connection)


def check_file(path: Path, known: frozenset[str], passphrase: str | None = None) -> Checked:
    """Verify every signature of one file against the ``known`` roots; no vault is used."""
    try:
        return Checked(path, read_signed_file(path.read_bytes(), set(known), passphrase))
    except PdfPassphraseNeeded as error:
        return Checked(path, problem=error.message, locked=True)
    except KnownError as error:
        return Checked(path, problem=error.message)
    except OSError as error:
        return Checked(path, problem=describe_os_error(error))


def check_files(
    paths: Sequence[Path], known: frozenset[str], passphrases: Mapping[Path, str] | None = None
) -> tuple[Checked, ...]:
    """Verify each file (an encrypted one with its passphrase, if given); no vault is used."""
    given = passphrases or {}
    return tuple(check_file(path, known, given.get(path)) for path in paths)


def require_new_file(source: Path, target: Path) -> None:
    """Refuse to write a countersigned copy over the document it is made from (links too).

    Raises:
        InvalidInput: ``target`` is ``source``, by name, by a symbolic link or a hard link.
    """
    same = target.resolve() == source.resolve()
    if not same and target.exists() and source.exists():
        same = source.samefile(target)
    if same:
        raise InvalidInput(
            "Save the countersigned copy as a new file: it cannot replace the document "
            "it is made from; nothing was signed."
        )


@dataclass(frozen=True)
class CountersignJob:
    """A received document and what countersigning it needs: signed elsewhere, no vault."""

    pdf: bytes
    identity: IdentityPem
    known: frozenset[str]
    own: OwnSignatures
    passphrase: str | None = None
    accept_unconfirmed: bool = False


def prepare_countersign(
    vault: Vault,
    source: Path,
    pdf: bytes,
    target: Path,
    *,
    passphrase: str | None = None,
    accept_unconfirmed: bool = False,
) -> CountersignJob:
    """Read the signing identity, the trusted roots and the user's own signatures.

    Raises:
        InvalidInput: no profile to sign with, or ``target`` is the document itself.
    """
    require_new_file(source, target)
    with vault.sessions() as session:
        identity, own = current_identity(session), own_signatures(session)
    return CountersignJob(pdf, identity, known_roots(vault), own, passphrase, accept_unconfirmed)


def _require_someone_else(signed: SignedFile, own: OwnSignatures) -> None:
    for index, report in enumerate(signed.reports):
        if own.signed(report):
            raise InvalidInput(
                "You signed this document yourself: it is for the other party to "
                "countersign; nothing was signed."
                if index == 0
                else "You have already countersigned this document; it was not signed again."
            )


def _require_confirmed(signed: SignedFile) -> None:
    for report in signed.reports:
        if not report.known:
            signer, words = visible(report.signer), fingerprint_words(report.root_fingerprint)
            raise SignerNotConfirmed(
                f"The document's signer, {signer}, is not confirmed in this vault: compare "
                f"their fingerprint words ({words}) with them by telephone and confirm them "
                "first; nothing was signed.",
                signer,
                words,
            )


def produce_countersign(job: CountersignJob) -> bytes:
    """Check the document, then add the user's signature, in memory; no vault is used.

    Raises:
        SignatureInvalid: not signed, altered, or changed after it was signed.
        SignerNotConfirmed: a signer is not confirmed (unless ``accept_unconfirmed``).
        InvalidInput: the user signed it already, or it leaves no box for another signature.
    """
    signed = read_signed_file(job.pdf, set(job.known), job.passphrase)
    require_valid(list(signed.reports), "it was not countersigned")
    _require_someone_else(signed, job.own)
    if not job.accept_unconfirmed:
        _require_confirmed(signed)
    statement = countersign_statement(signed.purpose, signed.title)
    return countersign_pdf(job.pdf, job.identity, statement, job.passphrase)


def save_countersigned(vault: Vault, signed: bytes, target: Path) -> None:
    """Record the countersignature and write the document together: no file, no record."""
    write_recorded(
        vault,
        target,
        signed,
        lambda session: audit.record(session, vault.audit_key, "document.countersigned"),
    )


def countersign(
    vault: Vault,
    source: Path,
    pdf: bytes,
    target: Path,
    *,
    passphrase: str | None = None,
    accept_unconfirmed: bool = False,
) -> None:
    """Countersign ``pdf`` into ``target``: each step as the window takes it, one after another."""
    job = prepare_countersign(
        vault, source, pdf, target, passphrase=passphrase, accept_unconfirmed=accept_unconfirmed
    )
    save_countersigned(vault, produce_countersign(job), target)
