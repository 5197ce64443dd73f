"""File > Open… and dropping a file on the main window send each file to its screen.

On the old code there was no File > Open… and a file dropped on the window did nothing.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from desktop.sharing.sealed import MAGIC
from desktop.ui.main_window import MainWindow
from desktop.ui.services import Services
from desktop.ui.verify_dialog import VerifyDialog


def _drop(window: MainWindow, paths: list[Path]) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    event = QDropEvent(
        QPointF(10, 10),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    window.dropEvent(event)


def test_open_and_drop_send_each_file_to_its_screen(
    qtbot: QtBot, services: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[tuple[str, object]] = []
    monkeypatch.setattr(
        VerifyDialog,
        "ask",
        classmethod(lambda cls, parent, s, paths=None: opened.append(("pdf", paths))),
    )
    from desktop.ui.transfers_dialog import TransfersDialog

    monkeypatch.setattr(
        TransfersDialog,
        "ask",
        classmethod(lambda cls, parent, s, child="", package=None: opened.append(("pkg", package))),
    )
    pdf, package, junk = tmp_path / "a.pdf", tmp_path / "b.erpkg", tmp_path / "c.txt"
    pdf.write_bytes(b"%PDF-1.7\n%%EOF\n")
    package.write_bytes(MAGIC + b"{}\n")
    junk.write_bytes(b"not a document")
    window = MainWindow()
    qtbot.addWidget(window)
    assert not window.open_action.isEnabled()  # locked: nothing opens
    window.show_vault(services)
    assert window.open_action.shortcut().toString() == "Ctrl+O"
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a: ([str(pdf), str(junk)], ""))
    window.open_action.trigger()
    assert opened == [("pdf", [pdf])]
    assert "c.txt: not a PDF or a transfer package" in window.statusBar().currentMessage()
    _drop(window, [package, pdf])
    assert opened[1:] == [("pdf", [pdf]), ("pkg", package)]
