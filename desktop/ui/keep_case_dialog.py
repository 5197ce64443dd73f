"""Choose the case a received document is kept with (by its reference, as the user types)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.sharing.received_documents import case_references
from desktop.ui import form_widgets as fw
from desktop.ui.services import Services


class KeepCaseDialog(QDialog):
    """Type the start of a case reference and pick the case from the matches."""

    def __init__(self, services: Services, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("keepCaseDialog")
        self.setWindowTitle("Keep with a case")
        self.resize(460, 380)
        self._services = services
        self.reference = fw.line("keepReference", "Case reference", hint="Type a case reference…")
        self.matches = QListWidget()
        self.matches.setObjectName("keepMatches")
        self.matches.setAccessibleName("Cases whose reference begins with what you typed")
        intro = fw.note(
            f"Keep “{title}” with one of your cases. The vault records what it is, who "
            "signed it and its fingerprint, so the same file can be attached to "
            "your case system and recognised later. The file itself stays where you saved it."
        )
        intro.setTextFormat(Qt.TextFormat.PlainText)
        caption = QLabel("Case &reference:")
        caption.setBuddy(self.reference)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Keep with this case")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(caption)
        layout.addWidget(self.reference)
        layout.addWidget(self.matches, 1)
        layout.addWidget(self.buttons)
        self.reference.textChanged.connect(self._on_reference_text_changed)
        self.matches.currentItemChanged.connect(self._on_matches_current_item_changed)
        self._on_reference_text_changed("")

    def _on_reference_text_changed(self, text: str) -> None:
        self.matches.clear()
        for reference in case_references(self._services.vault, text):
            self.matches.addItem(QListWidgetItem(reference))
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(bool(self.chosen()))

    def _on_matches_current_item_changed(
        self, current: QListWidgetItem | None, _previous: QListWidgetItem | None
    ) -> None:
        if current is not None and current.text() != self.reference.text():
            self.reference.blockSignals(True)
            self.reference.setText(current.text())
            self.reference.blockSignals(False)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(bool(self.chosen()))

    def chosen(self) -> str:
        """The reference typed or picked (empty when none)."""
        return self.reference.text().strip()

    @classmethod
    def ask(cls, parent: QWidget | None, services: Services, title: str) -> str | None:
        """Return the chosen case reference, or None if cancelled."""
        dialog = cls(services, title, parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.chosen() or None
