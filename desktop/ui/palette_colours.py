"""Colours taken from the palette, made to read at 4.5:1 or better on light and dark themes."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette

AA_CONTRAST = 4.5  # WCAG 2 level AA for normal text
OVERDUE = QColor("#b00020")  # the red used on a light theme (7.3:1 on white)


def _channel(value: float) -> float:
    return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4


def luminance(colour: QColor) -> float:
    """Return the WCAG relative luminance of ``colour`` (0 black to 1 white)."""
    red, green, blue = (_channel(c) for c in (colour.redF(), colour.greenF(), colour.blueF()))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(first: QColor, second: QColor) -> float:
    """Return the WCAG contrast ratio of two colours (1 to 21)."""
    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def readable(colour: QColor, background: QColor) -> QColor:
    """Return ``colour`` lightened or darkened (same hue) until it reads at 4.5:1 on ``background``.

    On a dark background it lightens, on a light one it darkens; the first
    lightness that reads is kept, so the colour stays as close as it can.
    """
    hue, saturation, start = colour.hslHue(), colour.hslSaturation(), colour.lightness()
    lighter = luminance(background) < 0.18
    for lightness in range(start, 256) if lighter else range(start, -1, -1):
        shade = QColor.fromHsl(hue, saturation, lightness)
        if contrast(shade, background) >= AA_CONTRAST:
            return shade
    return QColor("white") if lighter else QColor("black")


def overdue_colour(palette: QPalette) -> QColor:
    """Return the overdue red for text on the palette's base (the background of tables)."""
    return readable(OVERDUE, palette.color(QPalette.ColorRole.Base))
