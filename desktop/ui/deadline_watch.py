"""Deadlines that reach you while the app runs: a tray icon, reminders, a calendar file.

Every five minutes while the vault is open, the deadlines that came within the
next working hour or passed since the last check are read: only those rows, so
the check costs little on the GUI thread however large the vault
(casework.reminders). Each is reminded of once when it comes near and once
more when it passes, for as long as the app runs. A reminder names the case
reference and stage only. Where the desktop has no notification area (some
Linux desktops, Xvfb, the offscreen platform) there is no tray icon, and the
reminder is said in the main window's status bar.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QMainWindow,
    QMenu,
    QStyle,
    QSystemTrayIcon,
)

from desktop.casework.reminders import Reminders, ReminderState, check_reminders, reminder_text
from desktop.errors import KnownError
from desktop.sharing.deadline_calendar import save_deadline_calendar
from desktop.ui.form_widgets import problem
from desktop.ui.save_dialog import ask_save_path
from desktop.ui.save_folder import SaveFolder
from desktop.ui.services import Services

CHECK_EVERY_MS = 5 * 60_000
FIRST_CHECK_MS = 3_000  # after the dashboard has painted, not in the way of unlocking
SHOW_FOR_MS = 15_000


class DeadlineWatch(QObject):
    """Remind of near and past deadlines while the vault is open; export them as a calendar."""

    reminded = Signal(str, str)  # title, message: what was shown

    def __init__(self, window: QMainWindow, menu: QMenu) -> None:
        super().__init__(window)
        self.setObjectName("deadlineWatch")
        self._window = window
        self._services: Services | None = None
        self._state = ReminderState()  # what was reminded of, for as long as the app runs
        self._folder = SaveFolder()
        self.notice = QLabel()
        self.notice.setObjectName("deadlineNotice")
        self.notice.setAccessibleName("Deadline reminder")
        window.statusBar().addPermanentWidget(self.notice)
        self.tray = self._tray()
        self.timer = QTimer(self)
        self.timer.setInterval(CHECK_EVERY_MS)
        self.timer.timeout.connect(self._on_timer_timeout)
        self.first = QTimer(self)
        self.first.setSingleShot(True)
        self.first.setInterval(FIRST_CHECK_MS)
        self.first.timeout.connect(self._on_timer_timeout)
        self.export_action = QAction("&Export deadlines to calendar…", window)
        self.export_action.setObjectName("exportDeadlinesAction")
        self.export_action.triggered.connect(self._on_export_triggered)
        menu.addAction(self.export_action)
        self.stop()

    def _tray(self) -> QSystemTrayIcon | None:
        """The notification-area icon, where the desktop has a notification area."""
        if not QSystemTrayIcon.isSystemTrayAvailable():
            return None
        icon = QApplication.windowIcon()
        if icon.isNull():
            icon = self._window.style().standardIcon(
                QStyle.StandardPixmap.SP_FileDialogContentsView
            )
        tray = QSystemTrayIcon(icon, self)
        tray.setToolTip("Escalation Recorder")
        tray.activated.connect(self._on_tray_activated)
        tray.show()
        return tray

    def start(self, services: Services) -> None:
        """Watch the vault just opened: a first check shortly, then every five minutes."""
        self._services = services
        self.export_action.setEnabled(True)
        self.first.start()
        self.timer.start()

    def stop(self) -> None:
        """Stop watching (the vault is locked); what was reminded of stays reminded."""
        self._services = None
        self.export_action.setEnabled(False)
        self.first.stop()
        self.timer.stop()
        self.notice.clear()

    def check(self, now: dt.datetime | None = None) -> Reminders:
        """Remind of deadlines that came near or passed since the last check (once each)."""
        services = self._services
        if services is None:
            return Reminders()
        now = now or dt.datetime.now(dt.UTC)
        try:
            said, self._state = check_reminders(
                services.vault, services.catalogue, now, self._state
            )
        except KnownError:  # locked meanwhile: the next unlock starts again
            return Reminders()
        if said:
            self._show(*reminder_text(said))
        return said

    def _show(self, title: str, message: str) -> None:
        if self.tray is not None and self.tray.supportsMessages():
            self.tray.showMessage(
                title, message, QSystemTrayIcon.MessageIcon.Information, SHOW_FOR_MS
            )
        self.notice.setText(f"{title}: {message}")
        QApplication.alert(self._window)
        self.reminded.emit(title, message)

    def _on_timer_timeout(self) -> None:
        self.check()

    def _on_tray_activated(self, _reason: QSystemTrayIcon.ActivationReason) -> None:
        self._window.showNormal()
        self._window.raise_()
        self._window.activateWindow()

    def export(self) -> None:
        """Ask where, and save the upcoming deadlines as an .ics calendar file (audited)."""
        services = self._services
        if services is None:
            return
        vault = services.vault
        target = ask_save_path(
            self._window,
            vault.files.folder,
            self.notice,
            "Save the deadlines as a calendar file",
            str(self._folder.folder / "Escalation deadlines.ics"),
            "Calendar files (*.ics)",
        )
        if target is None:
            return
        try:
            count = save_deadline_calendar(
                vault, services.catalogue, dt.datetime.now(dt.UTC), target
            )
        except (KnownError, OSError) as error:
            self.notice.setText(problem(error))
            return
        self._folder.remember(target)
        plural = "deadline" if count == 1 else "deadlines"
        self.notice.setText(
            f"Saved {count} upcoming {plural} as {target.name}: open it in Outlook or your "
            "calendar to add them."
        )

    def _on_export_triggered(self) -> None:
        self.export()
