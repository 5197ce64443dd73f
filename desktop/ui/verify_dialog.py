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
from desktop.sharing.signatures import (
    Checked,
    check_files,
    known_roots,
    prepare_countersign,
    produce_countersign,
    save_countersigned,
    trust_signers,
)
from desktop.text.display import visible
from desktop.ui.form_widgets import problem
from desktop.ui.save_dialog import ask_save_path
from desktop.ui.screen_fit import open_fitting
from desktop.ui.services import Services
from desktop.ui.worker import Task


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
        open_fitting(self, 760, 560)
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
        controls = [choose, self.trust_button, self.counter_button]
        self._checking: Task[tuple[Checked, ...]] = Task(self.message, controls, self)
        self._signing: Task[bytes] = Task(self.message, controls, self)
        self._update_buttons()

    def check(self, paths: list[Path], then: str = "") -> None:
        """Verify ``paths`` on a worker and show the results (then the sentence ``then``)."""
        try:
            known = known_roots(self._services.vault)
        except KnownError as error:
            self.message.setText(error.message)
            return
        self._checking.start(
            lambda: check_files(paths, known),
            lambda checked: self._on_checked(checked, then),
            progress="Checking the signatures…",
            failure="The signatures could not be checked.",
        )

    def _on_checked(self, checked: tuple[Checked, ...], then: str) -> None:
        """Back on the GUI thread: show each file's signatures, or why it could not be read."""
        self.files = [c.path for c in checked]
        self.reports = {c.path: list(c.reports) for c in checked if c.problem is None}
        parts = [
            f"<h3>{_shown(str(c.path))}</h3><p>{html.escape(c.problem)}</p>"
            if c.problem is not None
            else report_html(str(c.path), list(c.reports))
            for c in checked
        ]
        self.result_view.setHtml("".join(parts))
        self.message.setText(then)
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
        try:
            trust_signers(self._services.vault, self._all())
        except KnownError as error:
            self.message.setText(error.message)
            return
        self.check(self.files, "Remembered. Next time these signers show as known.")

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
        if target is not None:
            self.countersign_to(source, target)

    def countersign_to(self, source: Path, target: Path) -> None:
        """Read the signer here; check and sign on a worker; record and write on return."""
        try:
            job = prepare_countersign(self._services.vault, source.read_bytes())
        except (KnownError, OSError) as error:
            self.message.setText(problem(error))
            return
        self._signing.start(
            lambda: produce_countersign(job),
            lambda signed: self._on_countersigned(signed, target),
            progress="Checking and countersigning…",
            failure="The document could not be countersigned; nothing was saved.",
        )

    def _on_countersigned(self, signed: bytes, target: Path) -> None:
        try:
            save_countersigned(self._services.vault, signed, target)
        except (KnownError, OSError) as error:
            self.message.setText(problem(error))
            return
        self.check([target], "Countersigned: both parties have now signed the same document.")

    @classmethod
    def ask(cls, parent: QWidget | None, services: Services) -> None:
        """Show the dialog."""
        cls(services, parent).exec()
