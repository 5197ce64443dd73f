"""The names of the files that make up a vault folder."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

STAGED = ".new"  # suffix of a database or key file written before a swap (desktop.storage.journal)


@dataclass(frozen=True)
class VaultFiles:
    """The paths that make up a vault folder."""

    folder: Path

    @property
    def database(self) -> Path:
        """The SQLCipher database."""
        return self.folder / "vault.db"

    @property
    def key(self) -> Path:
        """The passphrase-wrapped key material, with the audit trail's anchored head."""
        return self.folder / "vault.key"

    @property
    def lock(self) -> Path:
        """The single-instance lock file."""
        return self.folder / "vault.lock"

    @property
    def journal(self) -> Path:
        """Present only while a restore or a re-key swaps files (desktop.storage.journal)."""
        return self.folder / "vault.journal"

    @property
    def backups(self) -> Path:
        """Automatic backups (before migrations, on close) and vaults set aside by restore."""
        return self.folder / "backups"

    @property
    def procedures(self) -> Path:
        """User-added procedure definitions."""
        return self.folder / "procedures"

    def database_side_files(self) -> list[Path]:
        """The database and its WAL companions."""
        return companions(self.database)

    def exists(self) -> bool:
        """Say whether any vault file is present (or a swap that will put them in place)."""
        return self.key.exists() or self.database.exists() or self.journal.exists()


def companions(database: Path) -> list[Path]:
    """A database file and the files SQLite keeps beside it (its logs, the log's index)."""
    sides = ("-wal", "-shm", "-journal")
    return [database, *(database.with_name(database.name + side) for side in sides)]


def staged(path: Path) -> Path:
    """Where the replacement for ``path`` is written before a swap."""
    return path.with_name(path.name + STAGED)
