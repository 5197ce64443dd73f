"""Every procedure version known: the bundled files, the user's folder, and the vault's copies.

The definitions themselves are in ``desktop.procedures.definition``; reading a
file's text into one is ``desktop.procedures.parsing``. Both are re-exported
here, where most callers look for them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from desktop.errors import InvalidInput
from desktop.procedures.definition import (
    DOCUMENTS,
    Area,
    Contact,
    Event,
    Milestone,
    Procedure,
    Redirect,
    Stage,
    Track,
)
from desktop.procedures.fields import LABELS
from desktop.procedures.files import bundled_texts, read_user_file
from desktop.procedures.parsing import parse_procedure, procedure_summary

__all__ = [
    "DOCUMENTS",
    "RECORD_FIELDS",
    "Area",
    "Catalogue",
    "Contact",
    "Event",
    "Milestone",
    "Procedure",
    "Redirect",
    "Stage",
    "Track",
    "load_catalogue",
    "parse_procedure",
    "procedure_summary",
]

# Labels of the fields a stage may ask for, by name: the registry's (desktop.procedures.fields).
RECORD_FIELDS: Mapping[str, str] = LABELS


class Catalogue:
    """Every procedure version known: bundled ones and those in the vault's folder.

    It also indexes definitions by content hash: its own, and those read from a
    vault or a transfer package (``remember``), so each is parsed once.
    """

    def __init__(self, procedures: Iterable[Procedure], notices: Iterable[str] = ()) -> None:
        self._by_key: dict[tuple[str, str], Procedure] = {}
        for procedure in procedures:
            if procedure.key in self._by_key:
                raise InvalidInput(_duplicate(procedure, self._by_key[procedure.key]))
            self._by_key[procedure.key] = procedure
        self._by_hash = {p.sha256: p for p in self._by_key.values()}
        self.notices = tuple(notices)

    def __iter__(self) -> Iterator[Procedure]:
        return iter(sorted(self._by_key.values(), key=lambda p: (p.id, p.version)))

    def current(self) -> list[Procedure]:
        """Return the newest version of each procedure (the one nothing supersedes)."""
        superseded = {(p.id, p.supersedes) for p in self._by_key.values() if p.supersedes}
        return [p for p in self if p.key not in superseded]

    def get(self, procedure_id: str, version: str | None = None) -> Procedure:
        """Return a version (the current one when ``version`` is None).

        Raises:
            InvalidInput: no such procedure or version.
        """
        if version is not None:
            found = self._by_key.get((procedure_id, version))
            if found is None:
                raise InvalidInput(f"Unknown procedure '{procedure_id}' version '{version}'.")
            return found
        for procedure in self.current():
            if procedure.id == procedure_id:
                return procedure
        known = ", ".join(sorted({p.id for p in self}))
        raise InvalidInput(f"Unknown procedure '{procedure_id}' (known: {known}).")

    def for_new_case(self, procedure_id: str, version: str | None, sha256: str | None) -> Procedure:
        """Return what a new case opens under: the exact definition ``sha256`` names if known.

        An imported or transferred case names the definition it was opened under;
        without it (or when unknown here) the file's ``version`` is used, as ``get``.
        """
        exact = self._by_hash.get(sha256 or "")
        if exact is not None and exact.id == procedure_id and version in (None, exact.version):
            return exact
        return self.get(procedure_id, version)

    def by_hash(self, sha256: str) -> Procedure | None:
        """Return the definition whose canonical text has this SHA-256, if known."""
        return self._by_hash.get(sha256)

    def remember(self, sha256: str, procedure: Procedure) -> None:
        """Index a definition read from a vault or package under its hash (a cache)."""
        self._by_hash.setdefault(sha256, procedure)

    def with_definitions(self, procedures: Iterable[Procedure]) -> Catalogue:
        """Return a copy that also knows ``procedures`` by hash (a package's definitions)."""
        copy = Catalogue(self._by_key.values(), self.notices)
        copy._by_hash.update(self._by_hash)
        for procedure in procedures:
            copy.remember(procedure.sha256, procedure)
        return copy

    def resolve(self, procedure_id: str, version: str, sha256: str | None) -> Procedure:
        """Return the definition a case was opened under (its hash), already known here.

        A case recorded before the vault kept definitions has no hash: its
        version is looked up among the files.

        Raises:
            InvalidInput: neither the definition nor the file is known; one sentence.
        """
        if sha256 is not None:
            found = self._by_hash.get(sha256)
            if found is None:
                raise InvalidInput(
                    f"The vault's copy of procedure {procedure_id} version {version} is "
                    "missing; restore the vault from a backup."
                )
            return found
        found = self._by_key.get((procedure_id, version))
        if found is None:
            raise InvalidInput(
                f"Cases opened under procedure {procedure_id} version {version} need its "
                "file, which is no longer in the procedures folder: put it back there."
            )
        return found


def _duplicate(procedure: Procedure, first: Procedure) -> str:
    return (
        f"{procedure.origin}: procedure {procedure.id} version {procedure.version} "
        f"is already defined by {first.origin}."
    )


def _superseding_known(procedures: list[Procedure], notices: list[str]) -> list[Procedure]:
    """Keep the procedures whose ``supersedes`` names a version known here; a notice for others."""
    keys = {p.key for p in procedures}
    kept = []
    for procedure in procedures:
        if procedure.supersedes and (procedure.id, procedure.supersedes) not in keys:
            notices.append(
                f"{procedure.origin}: supersedes: version {procedure.supersedes} of "
                f"{procedure.id} is not known here; the file was skipped."
            )
            continue
        kept.append(procedure)
    return kept


def load_catalogue(user_folder: Path | None = None) -> Catalogue:
    """Load the bundled procedures and any ``*.toml`` in ``user_folder``.

    A user file that cannot be used (unreadable, invalid, too large, a version
    already defined) is skipped: ``notices`` holds one sentence naming each.
    Cases opened under it keep the definition the vault holds.
    """
    procedures = [parse_procedure(text, name) for name, text in bundled_texts()]
    by_key = {p.key: p for p in procedures}
    notices: list[str] = []
    if user_folder is not None and user_folder.is_dir():
        for path in sorted(user_folder.glob("*.toml")):
            try:
                procedure = parse_procedure(read_user_file(path), str(path))
                if procedure.key in by_key:
                    raise InvalidInput(_duplicate(procedure, by_key[procedure.key]))
            except InvalidInput as error:
                notices.append(f"{error.message.removesuffix('.')}; the file was skipped.")
                continue
            procedures.append(procedure)
            by_key[procedure.key] = procedure
    return Catalogue(_superseding_known(procedures, notices), notices)
