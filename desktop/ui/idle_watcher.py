"""Notice user activity anywhere in the app, for the idle auto-lock."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer

ACTIVITY = {
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
}


class IdleWatcher(QObject):
    """Restarts the idle timer on every key press, click or mouse move in the app."""

    def __init__(self, timer: QTimer) -> None:
        super().__init__()
        self._timer = timer

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Note activity; never consume the event."""
        if event.type() in ACTIVITY and self._timer.isActive():
            self._timer.start()
        return False
