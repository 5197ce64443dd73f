"""Run slow work once a window has painted, so the window appears before the work is done."""

from __future__ import annotations

import gc
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

FALLBACK_MS = 500  # a window that never paints (opened minimised) waits no longer than this


class AfterFirstPaint(QObject):
    """Runs ``then`` once, on the event loop's next turn after ``widget`` first paints.

    If no paint comes (a window opened minimised), it runs after half a second.
    A child of ``widget``: gone with it, and then nothing runs.
    """

    def __init__(self, widget: QWidget, then: Callable[[], object]) -> None:
        super().__init__(widget)
        self._then: Callable[[], object] | None = then
        widget.installEventFilter(self)
        QTimer.singleShot(FALLBACK_MS, self, self._run)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Schedule the work once the first paint has been handled."""
        if event.type() == QEvent.Type.Paint and self._then is not None:
            QTimer.singleShot(0, self, self._run)
        return False

    def _run(self) -> None:
        if self._then is not None:
            then, self._then = self._then, None
            then()


def import_ahead() -> None:
    """Import what unlocking and the dashboard need, and load the bank-holiday rules.

    About half a second (SQLAlchemy, the key file's cryptography, every country's
    holiday rules): done after the first paint, while the user types the
    passphrase or the keyring answers, so the dashboard fills soon after the unlock.
    As at the command line's start (desktop.launch), the garbage collector is off
    meanwhile and what was imported is frozen out of it: none of it is garbage.
    """
    gc.disable()
    try:
        import desktop.storage.keyfile
        import desktop.storage.vault
        import desktop.ui.case_view
        import desktop.ui.dashboard  # noqa: F401 - imported ahead of the unlock that needs them
        from desktop.procedures.workdays import load_holiday_rules

        load_holiday_rules()
    finally:
        gc.freeze()
        gc.enable()
