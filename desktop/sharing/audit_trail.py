"""Checking the audit trail: its hash chain, and the heads that documents made here carry."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from desktop.errors import InvalidInput
from desktop.storage import audit
from desktop.storage.vault import Vault


@dataclass(frozen=True)
class HeadCheck:
    """Whether the audit head a document carries is still in the trail."""

    path: Path
    held: bool
    event: int | None = None
    problem: str | None = None  # why it could not be checked


@dataclass(frozen=True)
class TrailCheck:
    """The chain's verdict and each document's."""

    chain: audit.ChainReport
    documents: tuple[HeadCheck, ...]


def verify_trail(vault: Vault, documents: Sequence[tuple[Path, bytes]]) -> TrailCheck:
    """Verify the chain against its anchored head, and each document's printed head against it."""
    from desktop.documents.printed_head import printed_head  # the PDF reader: on first use

    chain = vault.verify_audit()
    checks = []
    with vault.sessions() as session:
        for path, pdf in documents:
            try:
                head = printed_head(pdf)
            except InvalidInput as error:
                checks.append(HeadCheck(path, held=False, problem=error.message))
                continue
            checks.append(HeadCheck(path, audit.holds(session, head), head.event))
    return TrailCheck(chain, tuple(checks))
