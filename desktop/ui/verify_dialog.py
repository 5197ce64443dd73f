"""Check received signed PDFs, confirm their signer, countersign, keep them with a case."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop.documents.signing import Verdict
from desktop.errors import KnownError
from desktop.sharing.received_documents import keep_document
from desktop.sharing.signatures import (
    Checked,
    check_files,
    known_roots,
    prepare_countersign,
    produce_countersign,
    save_countersigned,
)
from desktop.sharing.signers import OwnSignatures, confirm_signer, read_own_signatures
from desktop.sharing.verdict_text import countersign_offer
from desktop.text.display import visible
from desktop.ui import form_widgets as fw
from desktop.ui.keep_case_dialog import KeepCaseDialog
from desktop.ui.save_dialog import ask_save_path, documents_folder, dropped_files
from desktop.ui.screen_fit import open_fitting
from desktop.ui.services import Services
from desktop.ui.signed_file_panel import SignedFilePanel
from desktop.ui.worker import Task

INSTRUCTION = (
    "Check a signed PDF someone sent you: who signed it, and that nothing in it was changed "
    "since. Choose the file, or drop it on this window. An encrypted PDF asks for the six "
    "words the sender read to you."
)
PDF_FILTER = "Signed PDFs (*.pdf)"


class VerifyDialog(QDialog):
    """Open signed PDFs and say whether each is trusted and unchanged, in words anyone reads."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("verifyDialog")
        self.setWindowTitle("Check signed documents")
        open_fitting(self, 780, 600)
        self.setAcceptDrops(True)
        self._services = services
        self.checked: list[Checked] = []
        self.panels: list[SignedFilePanel] = []
        self.passphrases: dict[Path, str] = {}
        self._own = OwnSignatures(frozenset(), frozenset())
        self.instruction = fw.note(INSTRUCTION, "verifyInstruction")
        self.choose = fw.button("chooseFiles", "C&hoose signed PDFs…", self._on_choose_clicked)
        self.results = QWidget()
        self.results.setObjectName("verifyResults")
        self.results_layout = QVBoxLayout(self.results)
        self.results_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setObjectName("verifyResultsArea")
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the results inside take the focus
        scroll.setAccessibleName("What the check found")
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.results)
        self.message = fw.error_label()
        self.message.setObjectName("verifyMessage")
        top = QHBoxLayout()
        top.addWidget(self.instruction, 1)
        top.addWidget(self.choose, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self._locked_row())
        layout.addWidget(scroll, 1)
        layout.addWidget(self.message)
        layout.addLayout(self._actions())
        controls = [self.choose, self.open_button, self.counter_button, self.keep_button]
        self._checking: Task[tuple[Checked, ...]] = Task(self.message, controls, self)
        self._signing: Task[bytes] = Task(self.message, controls, self)
        self._update_buttons()

    def _locked_row(self) -> QWidget:
        """Where an encrypted PDF's six words go (shown only when one is waiting for them)."""
        self.passphrase = fw.line("pdfPassphrase", "Passphrase of the encrypted PDF")
        self.passphrase.setPlaceholderText("six words, e.g. glade brisk pecan maple fjord cobra")
        self.open_button = fw.button("openEncrypted", "&Open", self._on_open_clicked)
        self.passphrase.returnPressed.connect(self._on_open_clicked)
        self.locked_row = QWidget()
        locked = QHBoxLayout(self.locked_row)
        locked.setContentsMargins(0, 0, 0, 0)
        caption = QLabel("Pass&phrase the sender read to you:")
        caption.setBuddy(self.passphrase)
        for widget, stretch in ((caption, 0), (self.passphrase, 1), (self.open_button, 0)):
            locked.addWidget(widget, stretch)
        self.locked_row.setVisible(False)
        return self.locked_row

    def _actions(self) -> QHBoxLayout:
        """Countersign, keep, why countersigning is or is not offered, and Close."""
        self.offer = fw.note("", "countersignOffer")
        self.counter_button = fw.button("countersign", "Counter&sign…", self._on_countersign)
        self.keep_button = fw.button("keepWithCase", "&Keep with a case…", self._on_keep)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        actions = QHBoxLayout()
        actions.addWidget(self.counter_button)
        actions.addWidget(self.keep_button)
        actions.addWidget(self.offer, 1)
        actions.addWidget(close)
        return actions

    def check(self, paths: list[Path], then: str = "") -> None:
        """Verify ``paths`` on a worker and show each verdict (then the sentence ``then``)."""
        self.message.clear()
        try:
            known = known_roots(self._services.vault)
            self._own = read_own_signatures(self._services.vault)
        except KnownError as error:
            self.message.setText(error.message)
            return
        given = {p: self.passphrases[p] for p in paths if p in self.passphrases}
        self._checking.start(
            lambda: check_files(paths, known, given),
            lambda checked: self._on_checked(checked, then),
            progress="Checking the signatures…",
            failure="The signatures could not be checked.",
        )

    def _on_checked(self, checked: tuple[Checked, ...], then: str) -> None:
        """Back on the GUI thread: one panel per file, the passphrase row if one is locked."""
        for panel in self.panels:
            self.results_layout.removeWidget(panel)
            panel.deleteLater()
        self.checked = list(checked)
        self.panels = []
        for item in checked:
            tried = item.path in self.passphrases
            panel = SignedFilePanel(item, self._own, self.results, tried=tried)
            panel.signer_confirmed.connect(self.confirm)
            self.results_layout.insertWidget(self.results_layout.count() - 1, panel)
            self.panels.append(panel)
        locked = any(c.locked for c in checked)
        self.locked_row.setVisible(locked)
        if locked:
            self.passphrase.setFocus()
        self.message.setText(then)
        self._update_buttons()

    def _single(self) -> Checked | None:
        """The one file checked, when there is exactly one and it was read."""
        if len(self.checked) == 1 and self.checked[0].signed is not None:
            return self.checked[0]
        return None

    def _mine(self, checked: Checked) -> bool:
        return any(self._own.signed(r) for r in checked.reports)

    def _update_buttons(self) -> None:
        single = self._single()
        if single is None or single.signed is None:
            self.counter_button.setEnabled(False)
            self.keep_button.setEnabled(False)
            self.offer.setText("")
            return
        trusted = single.verdict is Verdict.TRUSTED
        mine = self._mine(single)
        self.offer.setText(countersign_offer(single.signed, mine))
        self.counter_button.setEnabled(
            trusted and single.signed.asks_for_countersignature and not mine
        )
        self.keep_button.setEnabled(trusted)

    def _on_choose_clicked(self) -> None:
        chosen, _filter = QFileDialog.getOpenFileNames(
            self, "Choose signed PDFs", str(documents_folder()), PDF_FILTER
        )
        if chosen:
            self.check([Path(p) for p in chosen])

    def _on_open_clicked(self) -> None:
        locked = [c.path for c in self.checked if c.locked]
        if not locked or not self.passphrase.text().strip():
            self.message.setText("Type the six words the sender read to you, then Open.")
            return
        for path in locked:
            self.passphrases[path] = self.passphrase.text()
        self.check([c.path for c in self.checked])

    def confirm(self, root: str, subject: str) -> None:
        """Trust a signer whose fingerprint words the user compared (audited); check again."""
        try:
            confirm_signer(self._services.vault, root, subject)
        except KnownError as error:
            self.message.setText(error.message)
            return
        self.check(
            [c.path for c in self.checked],
            f"Confirmed: documents signed under {visible(subject)}'s root now show as trusted.",
        )

    def _on_countersign(self) -> None:
        single = self._single()
        if single is None:
            return
        target = ask_save_path(
            self,
            self._services.vault.files.folder,
            self.message,
            "Save the countersigned copy",
            f"{single.path.stem}-countersigned.pdf",
            PDF_FILTER,
        )
        if target is not None:
            self.countersign_to(single.path, target)

    def countersign_to(self, source: Path, target: Path) -> None:
        """Read the signer here; check and sign on a worker; record and write on return."""
        try:
            job = prepare_countersign(
                self._services.vault,
                source,
                source.read_bytes(),
                target,
                passphrase=self.passphrases.get(source),
            )
        except (KnownError, OSError) as error:
            self.message.setText(fw.problem(error))
            return
        self._signing.start(
            lambda: produce_countersign(job),
            lambda signed: self._on_countersigned(signed, source, target),
            progress="Checking and countersigning…",
            failure="The document could not be countersigned; nothing was saved.",
        )

    def _on_countersigned(self, signed: bytes, source: Path, target: Path) -> None:
        try:
            save_countersigned(self._services.vault, signed, target)
        except (KnownError, OSError) as error:
            self.message.setText(fw.problem(error))
            return
        if source in self.passphrases:  # a countersigned copy opens with the same words
            self.passphrases[target] = self.passphrases[source]
        self.check(
            [target],
            f"Countersigned and saved as {target.name}. Send it back to the other party, "
            "and keep it with your case.",
        )

    def _on_keep(self) -> None:
        single = self._single()
        if single is None or single.signed is None:
            return
        title = single.signed.title or single.path.name
        reference = KeepCaseDialog.ask(self, self._services, title)
        if reference is not None:
            self.keep_with(reference)

    def keep_with(self, reference: str) -> None:
        """Keep the one checked document with case ``reference`` (its hash; audited)."""
        single = self._single()
        if single is None or single.signed is None:
            return
        try:
            kept = keep_document(
                self._services.vault, reference, single.path.read_bytes(), single.signed
            )
        except (KnownError, OSError) as error:
            self.message.setText(fw.problem(error))
            return
        self.message.setText(
            f"Kept with case {visible(kept.reference)}; "
            f"attach {single.path.name} to your case system."
        )

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        """Accept files dropped on the window."""
        if dropped_files(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        """Check the PDFs dropped on the window."""
        paths = dropped_files(event.mimeData())
        if paths:
            event.acceptProposedAction()
            self.check(paths)

    @classmethod
    def ask(
        cls, parent: QWidget | None, services: Services, paths: list[Path] | None = None
    ) -> None:
        """Show the dialog, checking ``paths`` straight away if given."""
        dialog = cls(services, parent)
        if paths:
            dialog.check(paths)
        dialog.exec()
