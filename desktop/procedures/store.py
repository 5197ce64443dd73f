"""The procedure definitions cases were opened under, kept in the vault by content hash.

Opening a case keeps its definition's canonical text in ``procedure_definition``
under its SHA-256, and the case names that hash. Whatever later happens to the
file (edited, renamed, removed, broken), the case is read under the definition
it was opened under, and an export never needs the file.

Each distinct definition is read and parsed at most once per catalogue: one the
catalogue's own files hold costs nothing, and one read from the vault is
remembered by the catalogue (``Catalogue.remember``), so ``due`` over 50,000
cases parses nothing it has parsed before.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.errors import InvalidInput
from desktop.models import Case, ProcedureDefinition
from desktop.procedures.catalogue import Catalogue, Procedure, parse_procedure
from desktop.procedures.files import MAX_FILE_BYTES

# A transfer package carries the definitions of the cases it holds: a handful.
MAX_CARRIED = 50


def keep_definition(session: Session, procedure: Procedure) -> None:
    """Keep ``procedure``'s text in the vault, once per distinct content."""
    if session.get(ProcedureDefinition, procedure.sha256) is None:
        session.add(
            ProcedureDefinition(
                sha256=procedure.sha256,
                procedure_id=procedure.id,
                version=procedure.version,
                text=procedure.text,
            )
        )


def _read(session: Session, catalogue: Catalogue, sha256: str, label: str) -> None:
    """Parse the vault's copy of a definition the catalogue does not know, and remember it."""
    text = session.scalar(
        select(ProcedureDefinition.text).where(ProcedureDefinition.sha256 == sha256)
    )
    if text is not None:
        catalogue.remember(sha256, parse_procedure(text, f"the vault's copy of {label}"))


def definition(
    session: Session, catalogue: Catalogue, procedure_id: str, version: str, sha256: str | None
) -> Procedure:
    """Return the definition a case was opened under, from its stored columns.

    Raises:
        InvalidInput: the definition is in neither the vault nor the files; one sentence.
    """
    if sha256 is not None and catalogue.by_hash(sha256) is None:
        _read(session, catalogue, sha256, f"procedure {procedure_id} version {version}")
    return catalogue.resolve(procedure_id, version, sha256)


def definition_for_case(session: Session, catalogue: Catalogue, case: Case) -> Procedure:
    """Return the definition ``case`` was opened under (see ``definition``)."""
    return definition(
        session, catalogue, case.procedure_id, case.procedure_version, case.procedure_sha256
    )


def remember_definitions(session: Session, catalogue: Catalogue) -> None:
    """Make every definition the vault keeps known to ``catalogue`` (before work on threads)."""
    rows = session.execute(
        select(
            ProcedureDefinition.sha256,
            ProcedureDefinition.procedure_id,
            ProcedureDefinition.version,
        )
    ).all()
    for sha256, procedure_id, version in rows:
        if catalogue.by_hash(sha256) is None:
            _read(session, catalogue, sha256, f"procedure {procedure_id} version {version}")


def definition_texts(session: Session, hashes: Iterable[str | None]) -> list[str]:
    """Return the kept texts of these definitions (a transfer package carries them)."""
    wanted = sorted({sha256 for sha256 in hashes if sha256 is not None})
    return list(
        session.scalars(
            select(ProcedureDefinition.text)
            .where(ProcedureDefinition.sha256.in_(wanted))
            .order_by(ProcedureDefinition.sha256)
        )
    )


def carried_definitions(value: Any) -> tuple[Procedure, ...]:
    """Parse the definitions a transfer package carries (a list of procedure texts).

    Raises:
        InvalidInput: not a short list of valid procedure texts; one sentence.
    """
    if value is None:
        return ()
    if not isinstance(value, list) or len(value) > MAX_CARRIED:
        raise InvalidInput(
            f"The package's procedures are not a list of at most {MAX_CARRIED}; "
            "nothing was imported."
        )
    carried = []
    for index, text in enumerate(value):
        if not isinstance(text, str) or len(text.encode("utf-8")) > MAX_FILE_BYTES:
            raise InvalidInput(
                f"The package's procedure {index + 1} is not a procedure text of at most "
                "1 MiB; nothing was imported."
            )
        try:
            carried.append(parse_procedure(text, f"The package's procedure {index + 1}"))
        except InvalidInput as error:
            said = " ".join(error.message.removesuffix(".").split())
            raise InvalidInput(f"{said}; nothing was imported.") from None
    return tuple(carried)
