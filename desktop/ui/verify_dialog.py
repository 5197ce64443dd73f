"""Check received signed PDFs; remember a signer once its fingerprint is confirmed; countersign."""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from desktop.documents.signing import SignatureReport
from desktop.errors import KnownError
from desktop.sharing.signed_documents import countersign, trust_signer, verify
from desktop.storage.files import write_atomically
from desktop.text.display import visible
from desktop.ui.save_dialog import ask_save_path
from desktop.ui.services import Services


def _shown(text: str) -> str:
    """Foreign text for the results: control characters visible, then HTML-escaped."""
    return html.escape(visible(text))


def _state(report: SignatureReport) -> str:
    if report.changed_after_signing:
        return "CHANGED after it was signed: what was added later is not covered"
    if not report.intact:
        return "ALTERED or broken since it was signed"
    if not report.valid:
        return "Intact, but the certificate chain is not valid"
    return "Intact and valid" if report.known else "Intact, from a signer not confirmed yet"


def report_html(path: str, reports: list[SignatureReport]) -> str:
    """Describe the signatures of one file in plain words."""
    if not reports:
        return f"<h3>{_shown(path)}</h3><p><b>Not signed.</b></p>"
    parts = [f"<h3>{_shown(path)}</h3>"]
    for report in reports:
        known = (
            "a signer you confirmed before"
            if report.known
            else "a signer you have not confirmed: compare the root fingerprint below with "
            "the sender, by telephone, once"
        )
        when = report.signed_at.strftime("%d %b %Y %H:%M %Z") if report.signed_at else "unknown"
        parts.append(
            f"<p><b>{html.escape(_state(report))}</b> ({_shown(report.field)})<br>"
            f"Signed by {_shown(report.signer)} on {html.escape(when)}<br>"
            f"Certificate SHA-256: <tt>{report.fingerprint}</tt><br>"
            f"Root: {_shown(report.root_subject)}<br>"
            f"Root SHA-256: <tt>{report.root_fingerprint}</tt><br>This is {known}.</p>"
        )
    return "".join(parts)


class VerifyDialog(QDialog):
    """Open signed PDFs and say whether each signature is intact, valid and known."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("verifyDialog")
        self.setWindowTitle("Verify signed documents")
        self.resize(760, 560)
        self._services = services
        self.files: list[Path] = []
        self.reports: dict[Path, list[SignatureReport]] = {}
        self.result_view = QTextBrowser()
        self.result_view.setObjectName("verifyResults")
        self.result_view.setAccessibleName("Verification results")
        choose = QPushButton("&Choose PDFs…")
        choose.setObjectName("chooseFiles")
        self.trust_button = QPushButton("&Trust these signers")
        self.trust_button.setObjectName("trustSigners")
        self.counter_button = QPushButton("C&ountersign…")
        self.counter_button.setObjectName("countersign")
        self.message = QLabel()
        self.message.setObjectName("verifyMessage")
        self.message.setWordWrap(True)
        choose.clicked.connect(self._on_choose_clicked)
        self.trust_button.clicked.connect(self._on_trust_clicked)
        self.counter_button.clicked.connect(self._on_countersign_clicked)
        row = QHBoxLayout()
        for button in (choose, self.trust_button, self.counter_button):
            row.addWidget(button)
        row.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.result_view, 1)
        layout.addWidget(self.message)
        layout.addWidget(close)
        self._update_buttons()

    def check(self, paths: list[Path]) -> None:
        """Verify ``paths`` and show the results."""
        self.files, self.reports = paths, {}
        parts = []
        with self._services.vault.sessions() as session:
            for path in paths:
                try:
                    self.reports[path] = verify(session, path.read_bytes())
                except (KnownError, OSError) as error:
                    text = error.message if isinstance(error, KnownError) else str(error)
                    parts.append(f"<h3>{_shown(str(path))}</h3><p>{html.escape(text)}</p>")
                    continue
                parts.append(report_html(str(path), self.reports[path]))
        self.result_view.setHtml("".join(parts))
        self._update_buttons()

    def _all(self) -> list[SignatureReport]:
        return [r for reports in self.reports.values() for r in reports]

    def _update_buttons(self) -> None:
        reports = self._all()
        self.trust_button.setEnabled(any(r.valid and not r.known for r in reports))
        good = len(self.reports) == 1 and bool(reports) and all(r.valid for r in reports)
        self.counter_button.setEnabled(good)

    def _on_choose_clicked(self) -> None:
        chosen, _filter = QFileDialog.getOpenFileNames(
            self, "Signed PDFs", "", "PDF documents (*.pdf)"
        )
        if chosen:
            self.check([Path(p) for p in chosen])

    def _on_trust_clicked(self) -> None:
        vault = self._services.vault
        with vault.sessions.begin() as session:
            for report in self._all():
                if report.valid and not report.known:
                    trust_signer(session, vault.audit_key, report)
        self.check(self.files)
        self.message.setText("Remembered. Next time these signers show as known.")

    def _on_countersign_clicked(self) -> None:
        source = self.files[0]
        target = ask_save_path(
            self,
            self._services.vault.files.folder,
            self.message,
            "Save the countersigned document",
            f"countersigned-{source.name}",
            "PDF documents (*.pdf)",
        )
        if target is None:
            return
        vault = self._services.vault
        try:
            with vault.sessions.begin() as session:
                signed = countersign(session, vault.audit_key, source.read_bytes())
            write_atomically(target, signed)
        except (KnownError, OSError) as error:
            self.message.setText(error.message if isinstance(error, KnownError) else str(error))
            return
        self.check([target])
        self.message.setText("Countersigned: both parties have now signed the same document.")

    @classmethod
    def ask(cls, parent: QWidget | None, services: Services) -> None:
        """Show the dialog."""
        cls(services, parent).exec()
