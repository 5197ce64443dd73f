"""A process whose first paints bench_startup times: a bare window, or the app starting.

    python -m benchmarks.startup_probe bare
    python -m benchmarks.startup_probe app VAULT     (key material on stdin, as a keyring gives it)
    python -m benchmarks.startup_probe unlock VAULT  (no keyring: the passphrase dialog)

Prints wall-clock times (time.time()): ``painted`` when the first window first
paints; for ``app``, ``key`` when the keyring hands over the key and ``filled``
when the dashboard's table first paints its rows, then the peak resident
memory in KiB after showing all 50,000 cases scrolled to the end; for
``unlock``, ``dialog`` when the passphrase dialog first paints.
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if sys.argv[1:2] != ["bare"]:
    # What the console script imports before it opens the window.
    import desktop.launch  # noqa: F401 - imported as the real start imports it

from PySide6.QtCore import QEvent, QObject, QSettings, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QTableView, QWidget

if TYPE_CHECKING:
    from desktop.storage.secrets import SecretStore


class _Paints(QObject):
    """Prints the time of the first paint of each watched kind of widget, once each."""

    def __init__(self, watched: dict[str, Callable[[QWidget], bool]]) -> None:
        super().__init__()
        self.watched = dict(watched)
        self.then: dict[str, Callable[[], object]] = {}

    def eventFilter(self, target: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Paint and isinstance(target, QWidget):
            for name, matches in list(self.watched.items()):
                if matches(target):
                    del self.watched[name]
                    print(f"{name} {time.time():.6f}", flush=True)
                    if name in self.then:
                        QTimer.singleShot(0, self.then[name])
        return False


def _in_main_window(widget: QWidget) -> bool:
    return isinstance(widget.window(), QMainWindow)


def _peak_memory_kib() -> int | None:
    """Return this process's peak resident memory in KiB; None on Windows (not measured)."""
    if sys.platform == "win32":
        return None
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak // 1024 if sys.platform == "darwin" else peak  # bytes on macOS


def bare() -> int:
    """A bare PySide6 window with an empty table: the baseline."""
    app = QApplication(sys.argv)
    paints = _Paints({"painted": _in_main_window})
    paints.then["painted"] = app.quit
    app.installEventFilter(paints)
    window = QMainWindow()
    window.setCentralWidget(QTableView())
    window.resize(1180, 760)
    window.show()
    app.exec()
    return 0 if not paints.watched else 1


class _Keyring:
    """Key material handed over as the OS keyring hands it; says when it was asked."""

    def __init__(self, vault_id: str, secret: str) -> None:
        self._vault_id, self._secret = vault_id, secret
        self.description = "benchmark keyring"

    def get(self, name: str) -> str | None:
        print(f"key {time.time():.6f}", flush=True)
        return self._secret if name == self._vault_id else None

    def put(self, name: str, secret: str) -> None:
        """Refuse: the benchmark stores nothing."""
        raise NotImplementedError

    def delete(self, name: str) -> None:
        """Refuse: the benchmark forgets nothing."""
        raise NotImplementedError


def _show_everything(app: QApplication) -> None:
    """Show all 50,000 cases scrolled to the end, print the peak memory and quit."""
    from desktop.ui.dashboard import Dashboard

    window = next(w for w in app.topLevelWidgets() if isinstance(w, QMainWindow))
    dashboard = window.findChild(Dashboard)
    assert dashboard is not None
    dashboard.status.setCurrentIndex(4)  # every case
    dashboard.table.scrollToBottom()
    app.processEvents()
    peak = _peak_memory_kib()
    if peak is not None:
        print(f"rss_kib {peak}", flush=True)
    app.quit()


def _filled(widget: QWidget) -> bool:
    parent = widget.parentWidget()
    return parent is not None and parent.objectName() == "caseTable"


def app(folder: Path, keyring: bool) -> int:
    """The real start of the window on ``folder``: frame, keyring or dialog, dashboard."""
    from desktop.app import run_app

    application = QApplication(sys.argv)
    # The window opens at its default size, not one a real session remembered.
    settings = tempfile.TemporaryDirectory()
    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, settings.name)
    if keyring:
        vault_id, secret = sys.stdin.readline().split()
        paints = _Paints({"painted": _in_main_window, "filled": _filled})
        paints.then["filled"] = lambda: _show_everything(application)
        store = _Keyring(vault_id, secret)
        choose: Callable[[], tuple[SecretStore | None, str]] = lambda: (store, "")  # noqa: E731 - as secure_store answers
    else:
        paints = _Paints(
            {
                "painted": _in_main_window,
                "dialog": lambda w: w.window().objectName() == "unlockDialog",
            }
        )
        paints.then["dialog"] = lambda: application.exit(0)
        choose = lambda: (None, "")  # noqa: E731 - no secure keyring on this machine
    application.installEventFilter(paints)
    try:
        run_app(folder, choose)
    finally:
        settings.cleanup()
    return 0 if not paints.watched else 1


if __name__ == "__main__":
    if sys.argv[1] == "bare":
        raise SystemExit(bare())
    raise SystemExit(app(Path(sys.argv[2]), keyring=sys.argv[1] == "app"))
