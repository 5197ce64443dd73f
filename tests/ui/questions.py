"""Answer a question box the way a user does: by clicking one of its buttons once it is shown."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox


@contextmanager
def answering(button: str) -> Iterator[list[str]]:
    """Click ``button`` (its text, & included) in the next question box; yield what it asked.

    The box is modal: it is found once its own event loop runs, and the test
    goes on when it closes. Fails the test if no question was asked.
    """
    asked: list[str] = []

    def answer(tries: int = 50) -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            if tries:
                QTimer.singleShot(10, lambda: answer(tries - 1))
            return
        asked.append(box.text())
        [chosen] = [b for b in box.buttons() if b.text() == button]
        chosen.click()

    QTimer.singleShot(0, answer)
    yield asked
    assert asked, "no question was asked"
