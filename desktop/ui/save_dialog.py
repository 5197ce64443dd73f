"""Where to save a file: Qt's dialog (it asks before replacing one), never into the vault."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QLabel, QWidget

from desktop.errors import InvalidInput
from desktop.storage.files import check_output_path


def ask_save_path(
    parent: QWidget,
    vault_folder: Path,
    message: QLabel,
    caption: str,
    suggested: str,
    filters: str = "",
) -> Path | None:
    """Ask where to save; None if cancelled or refused (the one sentence shown in ``message``).

    The dialog keeps Qt's question before it replaces an existing file (no
    option turns it off); a place inside the vault folder is refused.
    """
    chosen, _filter = QFileDialog.getSaveFileName(parent, caption, suggested, filters)
    if not chosen:
        return None
    try:
        return check_output_path(Path(chosen), vault_folder, force=True)
    except InvalidInput as error:
        message.setText(error.message)
        return None
