"""The case view's documents: generate, save, share encrypted, and open signed PDFs."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.casework.document_kinds import KINDS, documents_offered
from desktop.errors import KnownError
from desktop.ui import form_widgets as fw
from desktop.ui import worker
from desktop.ui.save_dialog import ask_save_path
from desktop.ui.services import Services

if TYPE_CHECKING:
    from desktop.sharing.signed_documents import DocumentJob, Rendered


LABELS = {
    "confirmation": "Written confirmation",
    "summary": "Child-file summary",
    "meeting-record": "Meeting record",
    "notification": "Partnership notification",
    "request": "Request in writing (to convene a conference)",
}


def suggested_name(kind: str, today: dt.date | None = None) -> str:
    """Return a file name that carries nothing the user typed (no reference, no names)."""
    return f"{KINDS[kind]}-{(today or dt.date.today()).isoformat()}.pdf"


def produce(job: DocumentJob) -> Rendered:
    """On a pool thread: lay out and sign (the PDF libraries load on first use)."""
    from desktop.sharing.signed_documents import produce_document

    return produce_document(job)


class DocumentsPanel(QGroupBox):
    """Make the signed documents the current stage offers."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__("Documents", parent)
        self.setObjectName("documentsPanel")
        self._services = services
        self._reference = ""
        self._stage_id: str | None = None
        self.kind = fw.combo("documentKind", "Document", [])
        self.save_button = QPushButton("&Generate and save…")
        self.save_button.setObjectName("saveDocument")
        self.share_button = QPushButton("S&hare encrypted…")
        self.share_button.setObjectName("shareDocument")
        self.status = QLabel()
        self.status.setObjectName("documentStatus")
        self.status.setWordWrap(True)
        self._job: DocumentJob | None = None
        self._target: Path | None = None
        self.save_button.clicked.connect(self._on_save_clicked)
        self.share_button.clicked.connect(self._on_share_clicked)
        row = QHBoxLayout()
        row.addWidget(self.kind, 1)
        row.addWidget(self.save_button)
        row.addWidget(self.share_button)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.status)
        self._task: worker.Task[Rendered] = worker.Task(
            self.status, [self.kind, self.save_button, self.share_button], self
        )

    def show_case(self, case_id: int, reference: str, stage_id: str | None) -> None:
        """Offer what the case's latest stage produces, and the child-file summary."""
        self._reference, self._stage_id = reference, stage_id
        self.kind.clear()
        kinds = documents_offered(self._services.vault, self._services.catalogue, case_id, stage_id)
        for kind in kinds:
            self.kind.addItem(LABELS[kind], kind)
        self.status.clear()

    def _make(self, encrypt: bool) -> None:
        kind = self.kind.currentData()
        target = ask_save_path(
            self,
            self._services.vault.files.folder,
            self.status,
            "Save the signed document",
            suggested_name(kind),
            "PDF documents (*.pdf)",
        )
        if target is None:
            return
        from desktop.sharing.case_documents import prepare_case_document  # PDF libraries: later

        stage_id = self._stage_id if kind != "summary" else None
        try:
            job = prepare_case_document(
                self._services.vault,
                self._services.catalogue,
                self._reference,
                kind,
                stage_id,
                encrypt,
            )
        except KnownError as error:
            self.status.setText(error.message)
            return
        self._job, self._target = job, target
        self._task.start(
            lambda: produce(job),
            self._on_signed,
            progress="Laying out and signing…",
            failure="The document could not be made; nothing was saved.",
        )

    def _on_signed(self, rendered: Rendered) -> None:
        """Back on the GUI thread: record the document and write the file, together."""
        from desktop.sharing.case_documents import save_document

        job, target = self._job, self._target
        if job is None or target is None:
            return
        try:
            save_document(self._services.vault, job, rendered, target)
        except (KnownError, OSError) as error:
            self.status.setText(fw.problem(error))
            return
        self.status.setText(f"Signed and saved. SHA-256 {rendered.sha256[:16]}…")
        if rendered.passphrase:
            QMessageBox.information(
                self,
                "Read this passphrase by telephone",
                "The document is encrypted with AES-256. Give the recipient this passphrase "
                f"by telephone, not by email:\n\n{rendered.passphrase}",
            )
        else:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(target)))

    def _on_save_clicked(self) -> None:
        self._make(encrypt=False)

    def _on_share_clicked(self) -> None:
        self._make(encrypt=True)
