"""The main window comes back where the user left it; it keeps nothing else outside the vault."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from desktop.ui.main_window import MainWindow


def test_the_window_reopens_at_its_last_size_and_place(
    qtbot: QtBot, private_qsettings: Path
) -> None:
    first = MainWindow()
    qtbot.addWidget(first)
    first.show()
    first.setGeometry(40, 30, 700, 500)
    qtbot.waitUntil(lambda: first.size().width() == 700)
    first.close()
    again = MainWindow()
    qtbot.addWidget(again)
    assert (again.width(), again.height()) == (700, 500)  # not the 1180 x 760 default
    written = [path for path in private_qsettings.rglob("*") if path.is_file()]
    assert len(written) == 1
    text = written[0].read_text(encoding="latin-1")
    assert "geometry" in text and "vault" not in text.lower()
