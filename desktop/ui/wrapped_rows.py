"""Rows of a tree that wrap their text to the column's width instead of cutting it off with "…".

Qt's tree measures a row's height without the width of its columns, so a long
stage title or a reason stays on one line, cut off. This delegate measures each
cell at its column's width (a row whose first column spans the row, at the
row's width), and the tree measures its rows again when a column is resized.
The first column takes what the others leave, and never less than half the
tree: on a narrow window (a laptop at 150%) the others shrink and wrap too.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPersistentModelIndex, QRect, QSize
from PySide6.QtWidgets import QHeaderView, QStyledItemDelegate, QStyleOptionViewItem, QTreeView

from desktop.ui.screen_fit import text_width

# Tall enough for any cell: the height a cell's text needs is measured within it.
_ANY_HEIGHT = 100_000


class WrappedRows(QStyledItemDelegate):
    """Measure each cell of ``tree`` at the width it is shown at, so its text wraps.

    ``samples`` are the usual widest texts of the columns after the first.
    """

    def __init__(self, tree: QTreeView, samples: Sequence[str]) -> None:
        super().__init__(tree)
        self._tree, self._samples = tree, tuple(samples)
        tree.setWordWrap(True)
        tree.setUniformRowHeights(False)
        tree.setItemDelegate(self)
        header = tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)  # the rest, wrapped
        header.sectionResized.connect(self._on_header_section_resized)
        self._viewport = tree.viewport()  # kept: asked nothing of the tree while it is deleted
        self._viewport.installEventFilter(self)
        self._share(self._viewport.width())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Share the width among the columns again when the tree is resized."""
        if event.type() == QEvent.Type.Resize and watched is self._viewport:
            self._share(self._viewport.width())
        return super().eventFilter(watched, event)

    def _share(self, room: int) -> None:
        """Give each later column its sample's width, shrunk so the first keeps half of ``room``.

        A column never shrinks below its sample's longest word: a word does not wrap.
        """
        tree = self._tree
        wanted = [text_width(tree, sample) for sample in self._samples]
        least = [max(text_width(tree, word) for word in s.split()) for s in self._samples]
        scale = min(1.0, (room / 2) / sum(wanted)) if wanted and room > 0 else 1.0
        for column, (width, floor) in enumerate(zip(wanted, least, strict=True), 1):
            tree.setColumnWidth(column, max(floor, int(width * scale)))

    def _width(self, index: QModelIndex | QPersistentModelIndex) -> int:
        """Return the width ``index``'s text is shown in (less the indentation of its level)."""
        tree, parent = self._tree, index.parent()
        if index.column() > 0:
            return tree.columnWidth(index.column())
        depth = 1 if tree.rootIsDecorated() else 0
        while parent.isValid():
            depth, parent = depth + 1, parent.parent()
        spanned = tree.isFirstColumnSpanned(index.row(), index.parent())
        width = tree.viewport().width() if spanned else tree.columnWidth(0)
        return width - depth * tree.indentation()

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        """Return the size the cell needs with its text wrapped at its width."""
        measured = QStyleOptionViewItem(option)
        measured.rect = QRect(0, 0, max(self._width(index), 1), _ANY_HEIGHT)
        return super().sizeHint(measured, index)

    def _on_header_section_resized(self, _column: int, _old: int, _new: int) -> None:
        self._tree.scheduleDelayedItemsLayout()
