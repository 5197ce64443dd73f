"""Where a file is offered to go: the user's Documents, then the folder used last."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths


class SaveFolder:
    """The folder a save dialog starts in: Documents, then the last one used.

    Kept in memory while the vault is open, not in QSettings: a folder's name
    can name a school or a child's setting, and QSettings is plain text on disk.
    """

    def __init__(self) -> None:
        self._last: Path | None = None

    @property
    def folder(self) -> Path:
        """The folder to start in."""
        if self._last is not None and self._last.is_dir():
            return self._last
        documents = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation
        )
        return Path(documents) if documents and Path(documents).is_dir() else Path.home()

    def remember(self, saved: Path) -> None:
        """Start next time where ``saved`` went."""
        self._last = saved.parent
