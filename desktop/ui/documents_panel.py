"""The case view's documents: generate a signed PDF, then preview, print, save or share it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.casework.document_kinds import documents_offered
from desktop.errors import KnownError
from desktop.ui import form_widgets as fw
from desktop.ui import worker
from desktop.ui.save_folder import SaveFolder
from desktop.ui.services import Services

if TYPE_CHECKING:
    from desktop.sharing.signed_documents import DocumentJob, Rendered
    from desktop.ui.document_preview import DocumentPreview


LABELS = {
    "confirmation": "Written confirmation",
    "summary": "Child-file summary",
    "meeting-record": "Meeting record",
    "notification": "Partnership notification",
    "request": "Request in writing (to convene a conference)",
}


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
        self.generate_button = QPushButton("&Generate and preview…")
        self.generate_button.setObjectName("generateDocument")
        self.status = QLabel()
        self.status.setObjectName("documentStatus")
        self.status.setWordWrap(True)
        self._job: DocumentJob | None = None
        self.folder = SaveFolder()  # Documents, then the last folder used while the vault is open
        self.preview: DocumentPreview | None = None
        self.generate_button.clicked.connect(self._on_generate_clicked)
        row = QHBoxLayout()
        row.addWidget(self.kind)
        row.addWidget(self.generate_button)
        row.addStretch(1)  # the choice as wide as its words, the button beside it
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.status)
        self._task: worker.Task[Rendered] = worker.Task(
            self.status, [self.kind, self.generate_button], self
        )

    def show_case(self, case_id: int, reference: str, stage_id: str | None) -> None:
        """Offer what the case's latest stage produces, and the child-file summary."""
        self._reference, self._stage_id = reference, stage_id
        self.kind.clear()
        kinds = documents_offered(self._services.vault, self._services.catalogue, case_id, stage_id)
        for kind in kinds:
            self.kind.addItem(LABELS[kind], kind)
        self.status.clear()

    def _on_generate_clicked(self) -> None:
        kind = self.kind.currentData()
        from desktop.sharing.case_documents import prepare_case_document  # PDF libraries: later

        stage_id = self._stage_id if kind != "summary" else None
        try:
            job = prepare_case_document(
                self._services.vault,
                self._services.catalogue,
                self._reference,
                kind,
                stage_id,
            )
        except KnownError as error:
            self.status.setText(error.message)
            return
        self._job = job
        self._task.start(
            lambda: produce(job),
            self._on_signed,
            progress="Laying out and signing…",
            failure="The document could not be made; nothing was saved.",
        )

    def _on_signed(self, rendered: Rendered) -> None:
        """Back on the GUI thread: record the document and open its preview."""
        from desktop.ui.document_preview import record_and_preview  # PDFium: on first use

        if self._job is not None:
            self.preview = record_and_preview(
                self, self.status, self._services, self._job, rendered, self.folder
            )
