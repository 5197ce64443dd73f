"""Windows that fit the screen they open on: sizes within the available area, pages that scroll."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QFont, QFontMetrics, QGuiApplication
from PySide6.QtWidgets import QApplication, QFrame, QScrollArea, QStyle, QWidget

# What a window manager adds around a window's geometry: borders and the title bar.
FRAME = QSize(16, 40)
# The title bar's icon and its minimise, maximise and close buttons.
TITLE_BUTTONS = 160


def available(widget: QWidget) -> QRect:
    """Return the screen area a window may use (less the taskbar) where ``widget`` is."""
    screen = widget.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry()


def fitting(widget: QWidget, width: int, height: int) -> QSize:
    """Return ``width`` x ``height``, made smaller where the screen, frame included, is smaller."""
    area = available(widget)
    return QSize(
        min(width, area.width() - FRAME.width()), min(height, area.height() - FRAME.height())
    )


def fits(widget: QWidget, geometry: QRect) -> bool:
    """Say whether a window at ``geometry`` (frame included) is wholly on the available screen."""
    area = available(widget)
    framed = geometry.adjusted(0, 0, FRAME.width(), FRAME.height())
    return area.contains(framed)


def open_fitting(window: QWidget, width: int, height: int) -> None:
    """Size ``window`` to ``width`` x ``height`` or what the screen allows, centred on it."""
    size = fitting(window, width, height)
    area = available(window)
    window.resize(size)
    window.move(
        area.x() + max(0, (area.width() - size.width() - FRAME.width()) // 2),
        area.y() + max(0, (area.height() - size.height() - FRAME.height()) // 2),
    )


def open_whole(window: QWidget, scroll: QScrollArea | None = None) -> None:
    """Open ``window`` as large as its contents need, within the screen, centred on it.

    Qt opens a window at most 2/3 of the screen and measures wrapped text at a
    width of its own: with a large font or at 150% a dialog's text was cut off.
    Here wrapped text is measured at the window's width, and what ``scroll``
    holds (the part that scrolls when the screen is too small) is measured whole.
    """
    hint = window.sizeHint()
    layout = window.layout()
    body = scroll.widget() if scroll is not None else None
    if scroll is None or body is None:
        height = layout.totalHeightForWidth(hint.width()) if layout is not None else -1
        open_fitting(window, hint.width(), max(height, hint.height()))
        return
    margins = layout.contentsMargins() if layout is not None else None
    side = (margins.left() + margins.right() if margins else 0) + scroll.frameWidth() * 2
    side += window.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
    width = max(hint.width(), body.sizeHint().width() + side)
    needed = body.heightForWidth(width - side) if body.hasHeightForWidth() else -1
    around = hint.height() - scroll.sizeHint().height()  # the window's other parts
    open_fitting(window, width, around + (needed if needed > 0 else body.sizeHint().height()))


def title_width(title: str) -> int:
    """Return how wide a window must be for the title bar to show ``title`` whole."""
    font = QFont(QApplication.font())
    font.setBold(True)
    return QFontMetrics(font).horizontalAdvance(title) + TITLE_BUTTONS


def keep_title_whole(window: QWidget, widest: int = 640) -> None:
    """Make ``window`` at least as wide as its title needs (up to ``widest`` pixels)."""
    needed = min(title_width(window.windowTitle()), widest)
    window.setMinimumWidth(max(window.minimumWidth(), needed))


def scrolling(content: QWidget) -> QScrollArea:
    """Return ``content`` in a frameless scroll area that Tab passes through (not a stop)."""
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    area.setWidget(content)
    return area


def text_width(widget: QWidget, sample: str, bold: bool = False) -> int:
    """Return the width ``sample`` takes in ``widget``'s font, with a cell's padding."""
    font = QFont(widget.font())
    font.setBold(bold)
    return QFontMetrics(font).horizontalAdvance(sample) + 2 * QFontMetrics(font).averageCharWidth()
