"""The new case's last page: everything entered, in plain words, each part with a way back."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from desktop.ui.wizard_page import FormPage


@dataclass(frozen=True)
class ReviewSection:
    """One part of the case as entered: its title, its lines, and the page that changes it."""

    title: str
    rows: tuple[tuple[str, str], ...]
    page: QWizardPage


def _value(text: str) -> QLabel:
    """Return a label showing ``text`` exactly as typed (never read as markup)."""
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class ReviewPage(FormPage):
    """Shows the case about to be opened; Finish opens it, a Change button goes back to a part."""

    change_requested = Signal(object)

    def __init__(self, sections: Callable[[], list[ReviewSection]]) -> None:
        super().__init__(
            "Check and open the case",
            "Read it through. Change anything that is wrong; Finish opens the case.",
        )
        self._sections = sections
        self.holder = QWidget()
        self.holder.setObjectName("reviewSections")
        self.column = QVBoxLayout(self.holder)
        self.column.setContentsMargins(0, 0, 0, 0)
        self.form.addRow(self.holder)  # the page scrolls: no second scroll inside it
        self.change_buttons: list[QPushButton] = []

    def initializePage(self) -> None:
        """Show the case as the pages now describe it."""
        while (item := self.column.takeAt(0)) is not None:
            if (widget := item.widget()) is not None:
                widget.deleteLater()
        self.change_buttons = []
        for section in self._sections():
            self.column.addWidget(self._section(section))
        self.column.addStretch(1)

    def _section(self, section: ReviewSection) -> QGroupBox:
        group = QGroupBox(section.title)
        group.setObjectName("reviewSection")
        rows = QFormLayout(group)
        for label, value in section.rows:
            rows.addRow(f"{label}:", _value(value))
        change = QPushButton(f"Change {section.title.lower()}…")
        change.setObjectName("reviewChange")
        change.setAutoDefault(False)  # Enter on the review page is Finish
        change.clicked.connect(lambda: self.change_requested.emit(section.page))
        line = QHBoxLayout()
        line.addStretch(1)
        line.addWidget(change)
        rows.addRow(line)
        self.change_buttons.append(change)
        return group
