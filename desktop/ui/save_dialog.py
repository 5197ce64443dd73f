"""Where to save a file: Qt's dialog (it asks before replacing one), never into the vault.

Dialogs start in the user's Documents folder, not wherever the app was started.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeData, QStandardPaths
from PySide6.QtWidgets import QFileDialog, QLabel, QWidget

from desktop.errors import InvalidInput
from desktop.storage.files import check_output_path


def documents_folder() -> Path:
    """The user's Documents folder (their home folder if the system names none)."""
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(found) if found else Path.home()


def dropped_files(mime: QMimeData) -> list[Path]:
    """The local files in a drag and drop (nothing else: no web addresses, no text)."""
    if not mime.hasUrls():
        return []
    return [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]


def ask_save_path(
    parent: QWidget,
    vault_folder: Path,
    message: QLabel,
    caption: str,
    suggested: str,
    filters: str = "",
) -> Path | None:
    """Ask where to save; None if cancelled or refused (the one sentence shown in ``message``).

    A bare file name is suggested in the Documents folder. The dialog keeps
    Qt's question before it replaces an existing file (no option turns it
    off); a place inside the vault folder is refused.
    """
    start = suggested if Path(suggested).parent != Path() else str(documents_folder() / suggested)
    chosen, _filter = QFileDialog.getSaveFileName(parent, caption, start, filters)
    if not chosen:
        return None
    try:
        return check_output_path(Path(chosen), vault_folder, force=True)
    except InvalidInput as error:
        message.setText(error.message)
        return None
