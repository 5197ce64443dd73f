"""A signed document's real pages, and from the same place: Print, Save, Share encrypted, Open.

The preview holds the signed PDF's bytes and nothing else: its pages are drawn
from them, Save writes them, Print draws them again at the printer's resolution,
so what is seen is what is saved and printed. An encrypted copy is the same
document (the same pages, audit head and time) encrypted, then signed again.

Open in viewer never writes a temporary file: a PDF viewer needs a file, and a
temporary copy of a child's record would lie unencrypted on disk without the
user having asked for it (a crash leaves it behind; viewers keep caches and
recent-file lists of it). So it opens the copy the user saved from here, and
asks where to save one first if there is none yet.
"""

from __future__ import annotations

import dataclasses
import hashlib
import html
import re
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.casework.document_kinds import KINDS
from desktop.errors import KnownError
from desktop.storage.files import check_output_path, write_atomically
from desktop.ui import worker
from desktop.ui.details_section import DetailsSection
from desktop.ui.form_widgets import problem
from desktop.ui.page_printer import PagePrinter
from desktop.ui.page_view import PageView
from desktop.ui.passphrase_dialog import PassphraseDialog
from desktop.ui.print_choice import PrintChoice
from desktop.ui.save_dialog import ask_save_path
from desktop.ui.save_folder import SaveFolder
from desktop.ui.services import Services

if TYPE_CHECKING:
    from desktop.sharing.signed_documents import DocumentJob, Rendered

_UNSAFE_IN_NAMES = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]+')


def document_name(reference: str, kind: str, stage_id: str | None, suffix: str = "") -> str:
    """The file name offered: reference, document and stage; never the child's identifier.

    "ESC-0001 written confirmation stage B.pdf". Characters no file system
    takes are replaced by a hyphen.
    """
    words = KINDS[kind].replace("-", " ")
    stage = f" stage {stage_id}" if stage_id else ""
    name = _UNSAFE_IN_NAMES.sub("-", f"{reference} {words}{stage}{suffix}").strip(" .")
    return f"{name or 'document'}.pdf"


class DocumentPreview(QDialog):
    """The pages of one signed document, with Print…, Save…, Share encrypted… and Open."""

    def __init__(
        self,
        services: Services,
        job: DocumentJob,
        rendered: Rendered,
        folder: SaveFolder,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("documentPreview")
        self._services, self._job, self._folder = services, job, folder
        self.pdf = rendered.pdf
        self.saved_path: Path | None = None
        self._run: PagePrinter | None = None  # the print run, page by page
        self._stage_id = job.data.entry.stage_id if job.data.entry else None
        self.setWindowTitle(f"{job.reference} {job.data.header.title.lower()} — preview")
        self.pages = PageView(self.pdf)
        self.heading = QLabel(self._heading())
        self.heading.setObjectName("previewHeading")
        self.heading.setWordWrap(True)
        self.message = QLabel(
            "Signed. These are the pages exactly as they will be saved and printed."
        )
        self.message.setObjectName("previewMessage")
        self.message.setWordWrap(True)
        self.details = DetailsSection()
        self.print_button = self._button("printDocument", "&Print…", self._on_print_clicked)
        self.save_button = self._button("saveDocument", "&Save…", self._on_save_clicked)
        self.share_button = self._button(
            "shareDocument", "Share &encrypted…", self._on_share_clicked
        )
        self.open_button = self._button("openInViewer", "&Open in viewer", self._on_open_clicked)
        self.print_button.setDefault(True)
        QShortcut(QKeySequence.StandardKey.Print, self, self._on_print_clicked)
        self._lay_out()
        self.details.set_details(f"SHA-256 of the signed document: {rendered.sha256}")
        controls = [self.print_button, self.save_button, self.share_button, self.open_button]
        self._sharing: worker.Task[Rendered] = worker.Task(self.message, controls, self)
        self._fit_screen()

    def _heading(self) -> str:
        data, count = self._job.data, len(self.pages.pages)
        where = f", {data.stage.title}" if data.stage else ""
        return (
            f"<b>{html.escape(data.header.title)}</b> — {html.escape(self._job.reference)}"
            f"{html.escape(where)} · {count} page{'s' if count != 1 else ''}"
        )

    def _lay_out(self) -> None:
        row = QHBoxLayout()
        for button in (self.print_button, self.save_button, self.share_button, self.open_button):
            row.addWidget(button)
        row.addStretch(1)
        row.addWidget(self._button("closePreview", "Close", self.reject))
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.details)
        layout.addLayout(row)

    def _button(self, name: str, text: str, slot: object) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.clicked.connect(slot)
        return button

    def _fit_screen(self) -> None:
        """Open as large as a page wants, inside the screen the parent is on."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        room = screen.availableGeometry() if screen is not None else None
        width = min(880, room.width() - 40) if room else 880
        height = room.height() - 60 if room else 700
        self.resize(max(width, 480), max(height, 400))

    def _ask_target(self, caption: str, suffix: str = "") -> Path | None:
        name = document_name(self._job.reference, self._job.kind, self._stage_id, suffix)
        return ask_save_path(
            self,
            self._services.vault.files.folder,
            self.message,
            caption,
            str(self._folder.folder / name),
            "PDF documents (*.pdf)",
        )

    def save(self, caption: str = "Save the signed document") -> Path | None:
        """Ask where, and write the previewed bytes there; the path, or None (said why)."""
        target = self._ask_target(caption)
        if target is None:
            return None
        try:
            check_output_path(target, self._services.vault.files.folder, force=True)
            write_atomically(target, self.pdf)
        except (KnownError, OSError) as error:
            self.message.setText(problem(error))
            return None
        self.saved_path = target
        self._folder.remember(target)
        self.message.setText(f"Saved as {target.name} in {target.parent}.")
        digest = hashlib.sha256(target.read_bytes()).hexdigest()
        self.details.set_details(f"SHA-256 of the saved file: {digest}")
        return target

    def _on_save_clicked(self) -> None:
        self.save()

    def _on_open_clicked(self) -> None:
        target = self.saved_path or self.save("Save the document to open it in your PDF viewer")
        if target is None:
            return
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(target))):
            self.message.setText(
                f"No PDF viewer could be opened on this computer; the document is saved as "
                f"{target.name} in {target.parent}."
            )

    def _on_print_clicked(self) -> None:
        if not self.print_button.isEnabled():
            return
        printer = PrintChoice.ask(self)
        if printer is None:
            return
        self._run = PagePrinter(self.pdf, printer, self)
        self._run.progressed.connect(self._on_run_progressed)
        self._run.finished.connect(self._on_run_finished)
        self._run.failed.connect(self._on_run_failed)
        self._controls(False)
        self.message.setText("Printing…")
        self._run.start()

    def _controls(self, enabled: bool) -> None:
        for button in (self.print_button, self.save_button, self.share_button, self.open_button):
            button.setEnabled(enabled)

    def _on_run_progressed(self, page: int, pages: int) -> None:
        self.message.setText(f"Printing page {page} of {pages}…")

    def _on_run_finished(self, pages: int) -> None:
        self._controls(True)
        self.message.setText(f"Sent {pages} page{'s' if pages != 1 else ''} to the printer.")

    def _on_run_failed(self, sentence: str) -> None:
        self._controls(True)
        self.message.setText(sentence)

    def done(self, result: int) -> None:
        """Close; a print run still going is stopped (the vault locking closes this too)."""
        if self._run is not None:
            self._run.abort()
        super().done(result)

    def _on_share_clicked(self) -> None:
        target = self._ask_target("Save the encrypted copy", " (encrypted)")
        if target is None:
            return
        from desktop.sharing.signed_documents import produce_document

        job = dataclasses.replace(self._job, encrypt=True)
        self._sharing.start(
            lambda: produce_document(job),
            lambda rendered: self._on_encrypted(job, target, rendered),
            progress="Encrypting and signing a copy…",
            failure="The encrypted copy could not be made; nothing was saved.",
        )

    def _on_encrypted(self, job: DocumentJob, target: Path, rendered: Rendered) -> None:
        from desktop.sharing.case_documents import save_document

        try:
            save_document(self._services.vault, job, rendered, target)
        except (KnownError, OSError) as error:
            self.message.setText(problem(error))
            return
        self._folder.remember(target)
        saved = f"The encrypted copy is saved as {target.name} in {target.parent}."
        self.message.setText(saved)
        if rendered.passphrase:
            PassphraseDialog.ask(self, rendered.passphrase, saved)

    @classmethod
    def show_document(
        cls,
        parent: QWidget,
        services: Services,
        job: DocumentJob,
        rendered: Rendered,
        folder: SaveFolder,
    ) -> DocumentPreview:
        """Open the preview over ``parent`` (window-modal) and return it; it deletes itself."""
        preview = cls(services, job, rendered, folder, parent)
        preview.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        preview.open()
        QTimer.singleShot(0, preview.print_button.setFocus)
        return preview


def record_and_preview(
    parent: QWidget,
    message: QLabel,
    services: Services,
    job: DocumentJob,
    rendered: Rendered,
    folder: SaveFolder,
) -> DocumentPreview | None:
    """Back on the GUI thread: keep the new document's hash in the vault, then preview it.

    A vault locked while the document was signed refuses: nothing is recorded
    or shown, and ``message`` says so.
    """
    from desktop.sharing.case_documents import record_case_document

    try:
        record_case_document(services.vault, job, rendered)
        preview = DocumentPreview.show_document(parent, services, job, rendered, folder)
    except (KnownError, OSError) as error:
        message.setText(problem(error))
        return None
    message.setText("Signed: the preview shows its pages.")
    return preview
