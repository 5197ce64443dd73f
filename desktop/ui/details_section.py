"""A "Details" expander: technical detail (hashes, fingerprints, backend names) kept folded."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QSizePolicy, QToolButton, QVBoxLayout, QWidget


class DetailsSection(QWidget):
    """A "Details" button that shows or hides selectable text under it; folded at first.

    Plain words go on screen; what only an expert compares (a SHA-256, a
    certificate fingerprint, a keyring backend's name) goes here. Empty
    details hide the whole section.
    """

    def __init__(self, title: str = "Details", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.toggle = QToolButton()
        self.toggle.setObjectName("detailsToggle")
        self.toggle.setText(title)
        self.toggle.setAccessibleName(title)
        self.toggle.setCheckable(True)
        self.toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toggle.setArrowType(Qt.ArrowType.RightArrow)
        self.toggle.setAutoRaise(True)
        self.body = QLabel()
        self.body.setObjectName("detailsBody")
        self.body.setAccessibleName(title)
        self.body.setWordWrap(True)
        self.body.setTextFormat(Qt.TextFormat.PlainText)
        self.body.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.body.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)
        self.body.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.toggle, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.body)
        self.toggle.toggled.connect(self._on_toggle_toggled)
        self.set_details("")

    def set_details(self, text: str) -> None:
        """Show ``text`` under the button (folded as it was); hide the section when empty."""
        self.body.setText(text)
        if self.parentWidget() is not None or not text:  # never shown as a window of its own
            self.setVisible(bool(text))

    @property
    def expanded(self) -> bool:
        """Whether the details are showing."""
        return self.toggle.isChecked()

    def _on_toggle_toggled(self, checked: bool) -> None:
        self.toggle.setArrowType(Qt.ArrowType.DownArrow if checked else Qt.ArrowType.RightArrow)
        self.body.setVisible(checked)
