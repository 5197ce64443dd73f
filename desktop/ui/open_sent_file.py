"""Open what another party sent: a signed or encrypted PDF, or a transfer package.

File → Open… and a file dropped on the main window come here; each file goes
to its screen: a PDF to the check (which asks for an encrypted one's six
words), a package to Receive. The kind is read from the file's first bytes,
not its name.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget

from desktop.sharing.received_documents import PACKAGE, PDF, kind_of_sent_file
from desktop.text.display import visible
from desktop.ui.save_dialog import documents_folder
from desktop.ui.services import Services

OPEN_FILTERS = (
    "Signed PDFs and transfer packages (*.pdf *.erpkg);;Signed PDFs (*.pdf);;"
    "Transfer packages (*.erpkg)"
)


def choose_sent_files(parent: QWidget) -> list[Path]:
    """Ask which files to open (starting in the Documents folder); none if cancelled."""
    chosen, _filter = QFileDialog.getOpenFileNames(
        parent, "Open a document or package you received", str(documents_folder()), OPEN_FILTERS
    )
    return [Path(p) for p in chosen]


def open_sent_files(parent: QWidget, services: Services, paths: list[Path]) -> str:
    """Route each file to its screen; return a sentence about any that could not be opened."""
    pdfs, packages, refused = [], [], []
    for path in paths:
        try:
            kind = kind_of_sent_file(path)
        except OSError:
            kind = None
        if kind == PDF:
            pdfs.append(path)
        elif kind == PACKAGE:
            packages.append(path)
        else:
            refused.append(visible(path.name))
    if pdfs:
        from desktop.ui.verify_dialog import VerifyDialog  # PDF libraries: on first use

        VerifyDialog.ask(parent, services, pdfs)
    for package in packages:
        from desktop.ui.transfers_dialog import TransfersDialog

        TransfersDialog.ask(parent, services, package=package)
    if not refused:
        return ""
    return (
        f"{', '.join(refused)}: not a PDF or a transfer package, so it was not opened "
        "(or it could not be read)."
    )
