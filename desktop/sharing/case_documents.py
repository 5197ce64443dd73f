"""A case's signed document, made the same way from the window and the command line.

Preparing reads the case and records ``document.rendered`` (the document
carries that event's head); laying out and signing needs no vault and may run
on a worker; saving keeps the document's hash and writes the file together (the
command line, an encrypted copy), or the window keeps the hash once the document
is made and previews it before anything is written.
"""

from __future__ import annotations

from pathlib import Path

from desktop.procedures.catalogue import Catalogue
from desktop.sharing.signed_documents import (
    DocumentJob,
    Rendered,
    prepare_document,
    record_document,
)
from desktop.storage.files import check_output_path, write_atomically
from desktop.storage.vault import Vault


def prepare_case_document(
    vault: Vault,
    catalogue: Catalogue,
    reference: str,
    kind: str,
    stage_id: str | None = None,
    encrypt: bool = False,
) -> DocumentJob:
    """Read what the document needs and record that it is made, in one transaction.

    Raises:
        InvalidInput: unknown document or case, a stage that does not produce it, or
            no profile saved yet (so no identity to sign with).
    """
    with vault.sessions.begin() as session:
        return prepare_document(
            session, vault.audit_key, catalogue, reference, kind, stage_id, encrypt
        )


def save_document(
    vault: Vault, job: DocumentJob, rendered: Rendered, target: Path, recipient: str | None = None
) -> None:
    """Keep the signed document's hash under its case and write it to ``target``, together.

    One transaction: a file that cannot be written leaves no record behind, and
    a vault locked while the document was signed records and writes nothing.

    Raises:
        InvalidInput: ``target`` leads into the vault folder.
        VaultLocked: the vault was locked meanwhile.
        OSError: the file could not be written.
    """
    check_output_path(target, vault.files.folder, force=True)
    with vault.sessions.begin() as session:
        record_document(session, vault.audit_key, job, rendered, recipient)
        write_atomically(target, rendered.pdf)


def record_case_document(vault: Vault, job: DocumentJob, rendered: Rendered) -> None:
    """Keep a signed document's hash under its case once it is made, before it is previewed.

    Saving and printing the previewed bytes then record nothing more: the
    document and its audit event are already in the vault.

    Raises:
        VaultLocked: the vault was locked while the document was signed.
    """
    with vault.sessions.begin() as session:
        record_document(session, vault.audit_key, job, rendered)
