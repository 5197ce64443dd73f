"""A process whose first painted dashboard (or bare window) is timed by bench_startup.

    python -m benchmarks.startup_probe bare
    python -m benchmarks.startup_probe app VAULT   (the key material arrives on stdin)

Prints the wall-clock time (time.time()) of the first paint, then, for the
app, scrolls the 50,000-case dashboard to its last row, shows every case and
prints the peak resident memory in KiB.
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

if sys.argv[1:2] == ["app"]:
    # As the real entry point starts: SQLite's memory statistics off, then the
    # command line (and the services) imported before Qt.
    from desktop.launch import import_command_line
    from desktop.storage.sqlite_setup import stop_memory_statistics

    stop_memory_statistics()
    import_command_line()

from PySide6.QtCore import QEvent, QObject, QSettings, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QTableView, QWidget


class _FirstPaint(QObject):
    """Calls ``then`` once, after the watched widget first paints."""

    def __init__(self, then: Callable[[], object]) -> None:
        super().__init__()
        self.then = then
        self.done = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Paint and not self.done:
            self.done = True
            print(f"painted {time.time():.6f}", flush=True)
            QTimer.singleShot(0, self.then)
        return False


def _peak_memory_kib() -> int | None:
    """Return this process's peak resident memory in KiB; None on Windows (not measured)."""
    if sys.platform == "win32":
        return None
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak // 1024 if sys.platform == "darwin" else peak  # bytes on macOS


def _watch(widget: QWidget, then: Callable[[], object]) -> _FirstPaint:
    probe = _FirstPaint(then)
    widget.installEventFilter(probe)
    return probe


def bare() -> int:
    """A bare PySide6 window with an empty table: the baseline."""
    app = QApplication(sys.argv)
    window = QMainWindow()
    table = QTableView()
    window.setCentralWidget(table)
    window.resize(1180, 760)
    probe = _watch(table.viewport(), app.quit)
    window.show()
    app.exec()
    return 0 if probe.done else 1


def app(folder: Path) -> int:
    """The real app's start: catalogue, keyring-style unlock, main window, dashboard."""
    from desktop.app import AppController
    from desktop.procedures.catalogue import load_catalogue
    from desktop.storage.secrets import MemorySecretStore
    from desktop.storage.vault import VaultFiles

    vault_id, secret = sys.stdin.readline().split()
    store = MemorySecretStore()
    store.put(vault_id, secret)
    application = QApplication(sys.argv)
    # The window opens at its default size, not one a real session remembered.
    settings = tempfile.TemporaryDirectory()
    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, settings.name)
    controller = AppController(folder, store, "", load_catalogue(VaultFiles(folder).procedures))

    def memory() -> None:
        dashboard = controller.window.dashboard
        assert dashboard is not None
        dashboard.status.setCurrentIndex(4)  # every case
        dashboard.table.scrollToBottom()
        application.processEvents()
        peak = _peak_memory_kib()
        if peak is not None:
            print(f"rss_kib {peak}", flush=True)
        controller.lock()
        application.quit()

    probe: _FirstPaint | None = None
    original = controller.window.show_vault

    def show_vault(services: object) -> None:
        nonlocal probe
        original(services)  # type: ignore[arg-type]
        assert controller.window.dashboard is not None
        probe = _watch(controller.window.dashboard.table.viewport(), memory)

    controller.window.show_vault = show_vault  # type: ignore[method-assign]
    try:
        if not controller.start():
            return 1
        application.exec()
    finally:
        settings.cleanup()
    return 0 if probe is not None and probe.done else 1


if __name__ == "__main__":
    if sys.argv[1] == "bare":
        raise SystemExit(bare())
    raise SystemExit(app(Path(sys.argv[2])))
