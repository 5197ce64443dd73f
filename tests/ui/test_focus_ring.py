"""A ring in the palette's highlight colour follows the keyboard focus from input to input."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QLineEdit, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from desktop.ui.focus_ring import FocusRing


def _in_window(widget: QWidget) -> QRect:
    return QRect(widget.mapTo(widget.window(), QPoint(0, 0)), widget.size())


def test_the_ring_surrounds_the_focused_input_and_moves_with_tab(qtbot: QtBot) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    page = QWidget()
    qtbot.addWidget(page)
    first, second = QLineEdit(), QLineEdit()
    column = QVBoxLayout(page)
    column.addWidget(first)
    column.addWidget(second)
    follower = FocusRing.install(app, owner=page)  # gone with the page
    page.show()
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)
    first.setFocus()
    qtbot.waitUntil(lambda: follower.ring is not None)
    ring = follower.ring
    assert ring is not None and ring.isVisible()
    assert ring.geometry().contains(_in_window(first))
    assert not ring.geometry().intersects(_in_window(second))
    assert ring.focusPolicy() == Qt.FocusPolicy.NoFocus
    assert ring.testAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
    qtbot.keyClick(first, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is second  # the ring takes no Tab stop
    ring = follower.ring
    assert ring is not None and ring.geometry().contains(_in_window(second))
    shot = ring.grab().toImage()
    highlight = ring.palette().color(QPalette.ColorRole.Highlight)
    edge = shot.pixelColor(shot.width() // 2, 1)
    assert abs(edge.red() - highlight.red()) + abs(edge.blue() - highlight.blue()) < 60
    page.hide()
    follower.place()
    assert follower.ring is None  # no ring for a hidden window
