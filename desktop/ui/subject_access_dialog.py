"""Subject access: read a child's records, mark third-party passages to withhold, save the PDF."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.errors import InvalidInput, KnownError
from desktop.sharing.subject_access import (
    SubjectAccessJob,
    prepare_subject_access,
    preview_subject_access,
    produce_subject_access,
    save_subject_access,
)
from desktop.sharing.subject_access_records import (
    REASON_TEXT,
    Marked,
    Reason,
    SubjectRecords,
    place_count,
    preview_text,
    redact,
)
from desktop.text.passages import passage_key
from desktop.ui.discard_guard import DiscardGuard
from desktop.ui.form_widgets import button, combo, error_label, line, note, problem
from desktop.ui.save_dialog import ask_save_path
from desktop.ui.screen_fit import open_fitting
from desktop.ui.services import Services
from desktop.ui.worker import Task


class SubjectAccessDialog(QDialog):
    """Load a child's records; select words and withhold them with a reason; save the bundle.

    The preview shows the text with the withheld passages already replaced, exactly
    as the PDF will say it.
    """

    def __init__(self, services: Services, child: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("subjectAccessDialog")
        self.setWindowTitle("Subject access: records about a child")
        open_fitting(self, 980, 680)
        self._services = services
        self.records: SubjectRecords | None = None
        self.marks: list[Marked] = []
        self.child = line("sarChild", "Child identifier", child)
        load = button("loadRecords", "&Load records", self.load)
        load.setDefault(True)  # Enter after the identifier loads the records
        self.preview = QPlainTextEdit()
        self.preview.setObjectName("sarPreview")
        self.preview.setAccessibleName("The records, as the bundle will show them")
        self.preview.setReadOnly(True)
        self.reason = combo(
            "withholdReason", "Reason to withhold", [(REASON_TEXT[r], r) for r in Reason]
        )
        withhold = button("withholdSelection", "&Withhold the selected words", self.withhold)
        withhold.setShortcut(QKeySequence("Ctrl+W"))
        withhold.setToolTip("Withhold the selected words (Ctrl+W)")
        suggest = button("suggestNames", "Withhold all &professionals' names", self.suggest)
        self.mark_list = QListWidget()
        self.mark_list.setObjectName("withheldList")
        self.mark_list.setAccessibleName("Passages withheld")
        self.mark_list.setWordWrap(True)  # each passage and its reason whole, on more lines
        self.mark_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        remove = button("removeMark", "&Remove from the list", self._on_remove)
        self.save = button("saveBundle", "&Save the signed PDF…", self._on_save)
        self.message = error_label()
        top = QHBoxLayout()
        label = QLabel("&Child identifier")
        label.setBuddy(self.child)
        for widget in (label, self.child, load):
            top.addWidget(widget)
        side = QVBoxLayout()
        side.addWidget(note("Select words in the records, choose why, then withhold them."))
        reason_label = QLabel("Reas&on to withhold:")
        reason_label.setBuddy(self.reason)
        side.addWidget(reason_label)
        side.addWidget(self.reason)
        side.addWidget(withhold)
        side.addWidget(suggest)
        side.addWidget(QLabel("Withheld (every occurrence):"))
        side.addWidget(self.mark_list, 1)
        side.addWidget(remove)
        side.addWidget(self.save)
        middle = QHBoxLayout()
        middle.addWidget(self.preview, 3)
        middle.addLayout(side, 1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        close.button(QDialogButtonBox.StandardButton.Close).setAutoDefault(False)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(middle, 1)
        layout.addWidget(self.message)
        layout.addWidget(close)
        self._task: Task[bytes] = Task(self.message, [self.save], self)
        self.guard = DiscardGuard(self, "the passages marked to withhold", snapshot=self._marked)
        self._refresh()
        if child:
            self.load()

    def _marked(self) -> tuple[Marked, ...]:
        return tuple(self.marks)

    def reject(self) -> None:
        """Close; ask first when passages were marked and no bundle was saved with them."""
        if self.guard.allows_discard():
            super().reject()

    def _now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC)

    def load(self) -> None:
        """Read the child's records (the view is audited as a subject access preview)."""
        services = self._services
        try:
            preview = preview_subject_access(
                services.vault, services.catalogue, self.child.text().strip(), [], self._now()
            )
        except KnownError as error:
            self.records = None
            self.message.setText(error.message)
        else:
            self.records = preview.records
            self.marks = []
            self.guard.mark_clean()
            self.message.clear()
        self._refresh()

    def mark(self, text: str, reason: Reason) -> bool:
        """Withhold ``text`` everywhere; say why it cannot be when it is not record text."""
        if self.records is None:
            return False
        candidate = Marked(text.strip(), reason)
        if any(passage_key(m.text) == passage_key(candidate.text) for m in self.marks):
            return True  # the same words however spaced or cased: already withheld
        try:
            redact(self.records, [*self.marks, candidate])
        except InvalidInput as error:
            self.message.setText(error.message.replace("; nothing was exported", ""))
            return False
        self.marks.append(candidate)
        self.message.clear()
        self._refresh()
        return True

    def withhold(self) -> None:
        """Withhold the words selected in the preview, for the chosen reason."""
        selected = self.preview.textCursor().selectedText().replace("\u2029", " ").strip()
        if not selected:
            self.message.setText("Select the words to withhold in the records first.")
            return
        self.mark(selected, Reason(self.reason.currentData()))

    def suggest(self) -> None:
        """Withhold every professional named in the records (remove any that may stay)."""
        if self.records is None:
            return
        for name in self.records.professionals:
            self.mark(name, Reason.PROFESSIONAL)

    def _on_remove(self) -> None:
        row = self.mark_list.currentRow()
        if 0 <= row < len(self.marks):
            del self.marks[row]
            self._refresh()

    def _refresh(self) -> None:
        self.save.setEnabled(self.records is not None)
        self.mark_list.clear()
        if self.records is None:
            self.preview.setPlainText("")
            return
        shown = redact(self.records, self.marks)
        for mark, hits in shown.hits:
            self.mark_list.addItem(
                QListWidgetItem(f"{mark.text} — {REASON_TEXT[mark.reason]}, {place_count(hits)}")
            )
        self.preview.setPlainText(preview_text(shown.records))

    def _on_save(self) -> None:
        target = ask_save_path(
            self,
            self._services.vault.files.folder,
            self.message,
            "Save the subject access bundle",
            "subject-access.pdf",
            "PDF (*.pdf)",
        )
        if target is not None:
            self.save_to(target)

    def save_to(self, target: Path) -> None:
        """Gather and redact here; lay out and sign on a worker; record and write on return."""
        services = self._services
        try:
            job = prepare_subject_access(
                services.vault,
                services.catalogue,
                self.child.text().strip(),
                list(self.marks),
                self._now(),
            )
        except KnownError as error:
            self.message.setText(error.message)
            return
        self._task.start(
            lambda: produce_subject_access(job),
            lambda pdf: self._on_signed(job, pdf, target),
            progress="Laying out and signing the bundle…",
            failure="The bundle could not be made; nothing was saved.",
        )

    def _on_signed(self, job: SubjectAccessJob, pdf: bytes, target: Path) -> None:
        try:
            saved = save_subject_access(self._services.vault, job, pdf, target)
        except (KnownError, OSError) as error:
            self.message.setText(problem(error))
            return
        self.guard.mark_clean()
        self.message.setText(
            f"Saved {target.name}: {saved.passages} passage(s) withheld in "
            f"{place_count(saved.places)}."
        )

    @classmethod
    def ask(cls, parent: QWidget | None, services: Services, child: str = "") -> None:
        """Show the dialog."""
        cls(services, child, parent).exec()
