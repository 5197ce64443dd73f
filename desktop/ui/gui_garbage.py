"""Collect Python's cyclic garbage on the GUI thread only, never on a worker's.

Python's cycle collector runs on whichever thread happens to be allocating
when a generation passes its threshold. If that is a worker (signing a PDF,
deriving a key) and the garbage holds a Qt widget, PySide hands the widget's
deletion to the GUI thread, where it can meet a deleteLater already posted:
a double deletion and a crash. So automatic collection is turned off and this
timer does the same work on the GUI thread, generation by generation, with
Python's own thresholds (the approach qutebrowser takes).
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 1_000


class GuiThreadCollector(QObject):
    """While it lives, cyclic garbage is collected on the GUI thread's event loop."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("guiThreadCollector")
        gc.disable()
        self.timer = QTimer(self)
        self.timer.setInterval(INTERVAL_MS)
        self.timer.timeout.connect(self._on_timer_timeout)
        self.timer.start()
        self.destroyed.connect(gc.enable)

    def _on_timer_timeout(self) -> None:
        collect_due()


def collect_due() -> int:
    """Collect each generation whose count passed its threshold; return what was freed."""
    freed = 0
    counts, thresholds = gc.get_count(), gc.get_threshold()
    for generation in (2, 1, 0):  # the oldest due generation also collects the younger ones
        if thresholds[generation] and counts[generation] > thresholds[generation]:
            freed += gc.collect(generation)
            break
    return freed
