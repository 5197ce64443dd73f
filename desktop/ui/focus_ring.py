"""A ring in the palette's highlight colour around whatever has the keyboard focus.

Styles mark focus faintly or not at all (a dotted rectangle, a one-pixel tint),
so a keyboard user loses track of where typing goes. One ring, drawn over the
focused widget's window around the visible part of that widget, follows the
focus through every window of the app; its colour comes from the palette, so
it shows on light and dark themes alike. It never takes focus or clicks.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QObject, QRect, Qt, QTimer
from PySide6.QtGui import QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QApplication, QWidget

WIDTH = 2  # pixels of ring, drawn just outside the widget
FOLLOW_MS = 150  # how often the ring catches up with a widget that moved or scrolled


class _Ring(QWidget):
    """The drawn ring: a transparent child of a window, above its other children."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.setObjectName("focusRing")
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)

    def paintEvent(self, _event: QPaintEvent) -> None:
        """Draw the ring in the highlight colour."""
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pen = QPen(self.palette().color(QPalette.ColorRole.Highlight), WIDTH)
        painter.setPen(pen)
        inner = self.rect().adjusted(WIDTH // 2, WIDTH // 2, -(WIDTH + 1) // 2, -(WIDTH + 1) // 2)
        painter.drawRoundedRect(inner, 3, 3)


class FocusRing(QObject):
    """Follows the application's focus and keeps one ring around the focused widget."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ring: _Ring | None = None
        self._target: QWidget | None = None
        self._follow = QTimer(self)
        self._follow.setInterval(FOLLOW_MS)
        self._follow.timeout.connect(self.place)

    @classmethod
    def install(cls, app: QApplication, owner: QObject | None = None) -> FocusRing:
        """Start following the focus in ``app``; the follower belongs to ``owner`` (the app)."""
        ring = cls(owner or app)
        app.focusChanged.connect(ring._on_app_focus_changed)
        return ring

    @property
    def ring(self) -> QWidget | None:
        """The ring now shown, if any."""
        return self._ring if self._alive(self._ring) else None

    @staticmethod
    def _alive(widget: QWidget | None) -> bool:
        return widget is not None and shiboken6.isValid(widget)

    def _on_app_focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        self._target = new
        self.place()

    def place(self) -> None:
        """Put the ring around the visible part of the focused widget, or hide it."""
        target = self._target if self._alive(self._target) else None
        if target is None or target.isWindow() or not target.isVisible():
            self._hide()
            return
        window = target.window()
        ring = self.ring
        if ring is None or ring.parentWidget() is not window:
            self._hide()
            ring = self._ring = _Ring(window)
        self._follow.start()  # keeps up as the widget moves, scrolls or resizes
        visible = target.visibleRegion().boundingRect()
        if visible.isEmpty():  # scrolled out of sight: no ring until it is back
            ring.hide()
            return
        corner = target.mapTo(window, visible.topLeft())
        area = QRect(corner, visible.size()).adjusted(-WIDTH - 1, -WIDTH - 1, WIDTH + 1, WIDTH + 1)
        if ring.geometry() != area:
            ring.setGeometry(area)
        ring.raise_()
        ring.show()

    def _hide(self) -> None:
        self._follow.stop()
        if self._alive(self._ring):
            assert self._ring is not None
            self._ring.hide()
            self._ring.deleteLater()
        self._ring = None
