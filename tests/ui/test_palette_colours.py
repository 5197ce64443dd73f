"""Colours from the palette: the overdue red reads at 4.5:1 or better on light and dark themes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop.procedures.workdays import LONDON
from desktop.ui.case_table_model import CaseTableModel
from desktop.ui.palette_colours import AA_CONTRAST, contrast, overdue_colour
from desktop.ui.services import Services
from tests.factories import open_case_in


def _palette(window: str, base: str, text: str) -> QPalette:
    palette = QPalette()
    palette.setColor(QPalette.ColorRole.Window, QColor(window))
    palette.setColor(QPalette.ColorRole.Base, QColor(base))
    palette.setColor(QPalette.ColorRole.Text, QColor(text))
    return palette


LIGHT = _palette("#efefef", "#ffffff", "#000000")
DARK = _palette("#2d2d30", "#1e1e1e", "#e1e1e1")
GREY = _palette("#3c3f41", "#45494a", "#bbbbbb")  # a dim dark theme's table


@pytest.mark.parametrize("palette", [LIGHT, DARK, GREY], ids=["light", "dark", "grey"])
def test_the_overdue_red_reads_on_the_table_background(palette: QPalette) -> None:
    red = overdue_colour(palette)
    assert contrast(red, palette.color(QPalette.ColorRole.Base)) >= AA_CONTRAST
    assert red.hslHue() in range(340, 360)  # still a red


def test_the_contrast_is_wcags() -> None:
    assert contrast(QColor("black"), QColor("white")) == pytest.approx(21)
    assert contrast(QColor("#b00020"), QColor("white")) == pytest.approx(7.32, abs=0.01)


@pytest.fixture
def dark_application(qtbot: QtBot) -> Iterator[None]:
    """The application's palette is a dark theme's while the test runs."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    before = app.palette()
    app.setPalette(DARK)
    yield
    app.setPalette(before)


def test_an_overdue_case_reads_in_the_dashboard_of_a_dark_theme(
    dark_application: None, services: Services
) -> None:
    long_overdue = dt.datetime(2025, 1, 6, 10, 0, tzinfo=LONDON)
    open_case_in(services.vault, services.catalogue, "DARK-1", opened_at=long_overdue)
    model = CaseTableModel(services)
    model.reload()
    due = model.index(0, 4)
    assert "OVERDUE" in model.data(model.index(0, 5))
    colour = model.data(due, Qt.ItemDataRole.ForegroundRole).color()
    assert contrast(colour, DARK.color(QPalette.ColorRole.Base)) >= AA_CONTRAST
