"""What a received package holds, in the words of its procedure, before anything is imported.

Both front doors show the same preview: for each case, the procedure and its
version, the stages by title with their dates, and where the case stands
(open at a stage, resolved, withdrawn), read with the exact definitions the
package carries.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from desktop.errors import InvalidInput
from desktop.models import StageOutcome
from desktop.procedures.catalogue import Catalogue
from desktop.sharing.exchange import ImportedCase
from desktop.sharing.transfer import IncomingPackage
from desktop.text.fingerprint_words import fingerprint_words


@dataclass(frozen=True)
class StageLine:
    """One stage of a case in a package."""

    title: str
    opened_at: dt.datetime
    closed_at: dt.datetime | None
    outcome: str | None


@dataclass(frozen=True)
class CasePreview:
    """One case in a package, as the sender recorded it."""

    reference: str  # as sent
    kept_as: str  # the reference it gets here (a "-T1" suffix when taken)
    procedure: str  # partnership and version
    track: str
    opened_at: dt.datetime
    status: str
    stages: tuple[StageLine, ...]


@dataclass(frozen=True)
class PackagePreview:
    """Who sent a package, how to check it is them, and what it holds."""

    transfer_id: str
    sender: str
    sent_at: dt.datetime
    signer: str
    root_fingerprint: str
    words: str
    known_signer: bool
    child: str
    cases: tuple[CasePreview, ...]


def _status(stages: tuple[StageLine, ...]) -> str:
    last = stages[-1] if stages else None
    if last is None:
        return "open"
    if last.closed_at is not None and last.outcome in (
        StageOutcome.RESOLVED.value,
        StageOutcome.WITHDRAWN.value,
    ):
        return f"{last.outcome} on {last.closed_at:%d/%m/%Y}"
    if last.closed_at is not None:
        return f"open: {last.title} ended unresolved, the next stage not yet started"
    return f"open at {last.title}"


def _case(catalogue: Catalogue, item: ImportedCase, sent_as: str) -> CasePreview:
    case = item.case
    try:
        procedure = catalogue.for_new_case(
            case.procedure_id, case.procedure_version, case.procedure_sha256
        )
        track = procedure.track(case.track_id)
        name, track_title = f"{procedure.partnership} ({procedure.version})", track.title
        titles = {s.id: s.title for s in track.stages}
    except (InvalidInput, KeyError):  # checked before: only a definition read differently
        name, track_title, titles = case.procedure_id, case.track_id, {}
    stages = tuple(
        StageLine(
            titles.get(s.stage_id, s.stage_id),
            s.opened_at,
            s.closed_at,
            s.outcome.value if s.outcome else None,
        )
        for s in item.stages
    )
    return CasePreview(
        sent_as, case.reference, name, track_title, case.opened_at, _status(stages), stages
    )


def preview_package(catalogue: Catalogue, package: IncomingPackage) -> PackagePreview:
    """Describe an opened package with the procedures it carries; nothing is read or written."""
    carried = catalogue.with_definitions(package.definitions)
    sent_as = {kept: sent for sent, kept in package.renamed.items()}
    return PackagePreview(
        package.transfer_id,
        package.sender,
        package.sent_at,
        package.signer_subject,
        package.root_fingerprint,
        fingerprint_words(package.root_fingerprint),
        package.known_signer,
        package.child,
        tuple(
            _case(carried, c, sent_as.get(c.case.reference, c.case.reference))
            for c in package.cases
        ),
    )
