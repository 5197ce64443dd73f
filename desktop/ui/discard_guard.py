"""Ask before a filled form is discarded: Escape, Cancel and closing the window all ask.

A dialog keeps one ``DiscardGuard`` and calls :meth:`DiscardGuard.allows_discard`
from its ``reject`` (which Escape, Cancel and the window's close button all
reach). The guard compares what the inputs hold with what they held when the
form opened (or was last saved), so an untouched form closes at once; a
changed one asks, and "Keep editing" (the default, and Escape) leaves every
input as it was.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QComboBox,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPlainTextEdit,
    QTableWidget,
    QWidget,
)

DISCARD, KEEP = "&Discard", "&Keep editing"


def _state(widget: QWidget) -> object:
    """Return what one input holds, or None for a widget that holds nothing typed."""
    if isinstance(widget, QLineEdit):
        return None if widget.isReadOnly() else widget.text()
    if isinstance(widget, QPlainTextEdit):
        return None if widget.isReadOnly() else widget.toPlainText()
    if isinstance(widget, QComboBox):
        return (widget.currentIndex(), widget.currentText())
    if isinstance(widget, QAbstractButton):
        return widget.isChecked() if widget.isCheckable() else None
    if isinstance(widget, QAbstractSpinBox):
        return widget.text()
    if isinstance(widget, QTableWidget):
        rows, columns = range(widget.rowCount()), range(widget.columnCount())
        cells = (widget.item(row, column) for row in rows for column in columns)
        return tuple(cell.text() if cell else "" for cell in cells)
    if isinstance(widget, QListWidget):
        return tuple(widget.item(row).text() for row in range(widget.count()))
    return None


def form_state(widgets: Sequence[QWidget]) -> tuple[object, ...]:
    """Return what every input in ``widgets`` (and inside them) holds, in a fixed order."""
    found: list[object] = []
    for top in widgets:
        for widget in [top, *top.findChildren(QWidget)]:
            state = _state(widget)
            if state is not None:
                found.append((widget.objectName(), state))
    return tuple(found)


def confirm_discard(parent: QWidget, what: str) -> bool:
    """Ask whether to discard ``what``; True only when the user chooses Discard."""
    box = QMessageBox(parent)
    box.setObjectName("discardQuestion")
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle("Discard?")
    box.setText(f"Discard {what}?")
    box.setInformativeText("It has not been saved. Keep editing to go back to it.")
    discard = box.addButton(DISCARD, QMessageBox.ButtonRole.DestructiveRole)
    keep = box.addButton(KEEP, QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(keep)  # Enter keeps the form; nothing is lost by accident
    box.setEscapeButton(keep)
    box.exec()
    return box.clickedButton() is discard


class DiscardGuard(QObject):
    """Knows whether a form holds something unsaved, and asks before it is thrown away.

    A child of the dialog it guards (``dialog.findChildren(DiscardGuard)`` finds it).
    """

    def __init__(
        self,
        dialog: QWidget,
        what: str = "what you typed",
        *,
        watched: Sequence[QWidget] = (),
        snapshot: Callable[[], object] | None = None,
    ) -> None:
        super().__init__(dialog)
        self.setObjectName("discardGuard")
        self._dialog = dialog
        self._what = what
        self._snapshot = snapshot or (lambda: form_state(list(watched) or [dialog]))
        self._clean = self._snapshot()

    def mark_clean(self) -> None:
        """Take what the form holds now as saved (after a save, or once it is filled in)."""
        self._clean = self._snapshot()

    def changed(self) -> bool:
        """Say whether the form holds something it did not hold when it was last clean."""
        return self._snapshot() != self._clean

    def allows_discard(self) -> bool:
        """Return True when nothing would be lost, or the user chose to discard it."""
        return not self.changed() or confirm_discard(self._dialog, self._what)
