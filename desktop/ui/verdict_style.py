"""Colour and icon for each verdict, from the window's own palette, always readable.

Each verdict has a hue (green, amber, red); its lightness is then chosen
against the palette's window colour until the contrast ratio reaches 4.5:1
(WCAG 2 AA for text), darker on a light theme, lighter on a dark one. The
icon is drawn, not taken from the style: the same shape in every theme, with
the words beside it for anyone who does not see colour.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPalette, QPixmap

from desktop.documents.signing import Verdict

MINIMUM_CONTRAST = 4.5
HUES = {
    Verdict.TRUSTED: 130,
    Verdict.UNCONFIRMED: 35,
    Verdict.INVALID: 0,
    Verdict.UNREADABLE: 0,
}
SYMBOLS = {
    Verdict.TRUSTED: "✓",
    Verdict.UNCONFIRMED: "?",
    Verdict.INVALID: "✗",
    Verdict.UNREADABLE: "!",
}


def _channel(value: float) -> float:
    value /= 255
    return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4


def luminance(colour: QColor) -> float:
    """Relative luminance (WCAG 2) of an sRGB colour."""
    red, green, blue = (_channel(v) for v in (colour.red(), colour.green(), colour.blue()))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(first: QColor, second: QColor) -> float:
    """The WCAG contrast ratio between two colours (1 to 21)."""
    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def readable(hue: int, background: QColor) -> QColor:
    """The most saturated colour of ``hue`` that reads at 4.5:1 on ``background``."""
    darker = luminance(background) > 0.18  # a light window: go darker; a dark one: lighter
    lightness = 128
    colour = QColor.fromHsl(hue, 200, lightness)
    while contrast(colour, background) < MINIMUM_CONTRAST and 0 < lightness < 255:
        lightness += -4 if darker else 4
        colour = QColor.fromHsl(hue, 200, max(0, min(255, lightness)))
    if contrast(colour, background) < MINIMUM_CONTRAST:  # a mid-grey window: plain text colour
        return QColor(Qt.GlobalColor.black if darker else Qt.GlobalColor.white)
    return colour


def verdict_colour(verdict: Verdict, palette: QPalette) -> QColor:
    """The verdict's colour, readable on the palette's window colour."""
    return readable(HUES[verdict], palette.color(QPalette.ColorRole.Window))


def verdict_icon(verdict: Verdict, palette: QPalette, size: int = 40) -> QPixmap:
    """A round badge in the verdict's colour with its symbol (tick, question mark, cross)."""
    colour = verdict_colour(verdict, palette)
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(colour)
    painter.drawEllipse(QPointF(size / 2, size / 2), size / 2 - 1, size / 2 - 1)
    font = QFont(painter.font())
    font.setPixelSize(int(size * 0.6))
    font.setBold(True)
    painter.setFont(font)
    painter.setPen(palette.color(QPalette.ColorRole.Window))
    painter.drawText(QRectF(0, 0, size, size), Qt.AlignmentFlag.AlignCenter, SYMBOLS[verdict])
    painter.end()
    return pixmap


def locked_icon(palette: QPalette, size: int = 40) -> QPixmap:
    """A padlock in the window's text colour: the file waits for its words, nothing is wrong."""
    colour = palette.color(QPalette.ColorRole.WindowText)
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    pen = painter.pen()
    pen.setColor(colour)
    pen.setWidthF(size / 10)
    painter.setPen(pen)
    painter.drawArc(QRectF(size * 0.3, size * 0.1, size * 0.4, size * 0.5), 0, 180 * 16)
    painter.drawLine(QPointF(size * 0.3, size * 0.35), QPointF(size * 0.3, size * 0.45))
    painter.drawLine(QPointF(size * 0.7, size * 0.35), QPointF(size * 0.7, size * 0.45))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(colour)
    painter.drawRoundedRect(QRectF(size * 0.2, size * 0.45, size * 0.6, size * 0.45), 3, 3)
    painter.end()
    return pixmap
