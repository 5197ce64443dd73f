"""Slow work off the GUI thread: one function on the global QThreadPool, answered by signals.

The function gets plain data and must not touch widgets or the vault (the GUI
thread reads what it needs before and records the result after, so a vault
locked meanwhile is never reopened by a late result). Its result or its one
sentence of failure comes back through queued signals to the object that
started it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QLabel, QWidget

from desktop.errors import KnownError
from desktop.storage.files import check_output_path, write_atomically
from desktop.ui.form_widgets import problem

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from desktop.storage.vault import Vault


class _Signals(QObject):
    done = Signal(object)
    failed = Signal(str)


class Worker(QRunnable):
    """One call of ``work`` on a pool thread; ``signals.done(result)`` or ``signals.failed``."""

    def __init__(self, work: Callable[[], Any], failure: str) -> None:
        super().__init__()
        self.signals = _Signals()
        self._work, self._failure = work, failure

    def run(self) -> None:
        """Run the work; say how it went (never raise into Qt's thread)."""
        try:
            result = self._work()
        except KnownError as error:
            self.signals.failed.emit(error.message)
        except Exception:  # noqa: BLE001 - a pool thread must report, not die silently
            self.signals.failed.emit(self._failure)
        else:
            self.signals.done.emit(result)


def start(
    work: Callable[[], Any],
    on_done: Callable[[Any], None],
    on_failed: Callable[[str], None],
    failure: str,
) -> Worker:
    """Run ``work`` on the global pool; the caller keeps the returned worker until it answers.

    ``failure`` is the sentence shown if the work fails in a way nobody foresaw.
    """
    worker = Worker(work, failure)
    worker.setAutoDelete(False)  # the caller's reference keeps it (and its signals) alive
    queued = Qt.ConnectionType.QueuedConnection  # answered on the GUI thread, by its event loop
    worker.signals.done.connect(on_done, queued)
    worker.signals.failed.connect(on_failed, queued)
    QThreadPool.globalInstance().start(worker)
    return worker


class Task(QObject):
    """A view's slow work: its controls off and a line of progress while it runs.

    The answer goes to ``on_done`` on the GUI thread; a failure's one sentence to
    the view's message label. A child of the view, so an answer that arrives
    after the view is gone is dropped with it.
    """

    def __init__(self, message: QLabel, controls: Sequence[QWidget], parent: QObject) -> None:
        super().__init__(parent)
        self._message, self._controls = message, list(controls)
        self._worker: Worker | None = None
        self._on_done: Callable[[Any], None] = lambda _result: None

    def start(
        self,
        work: Callable[[], Any],
        on_done: Callable[[Any], None],
        *,
        progress: str,
        failure: str,
    ) -> None:
        """Run ``work`` on the pool (``failure`` is said if it fails unforeseen)."""
        for control in self._controls:
            control.setEnabled(False)
        self._message.setText(progress)
        self._on_done = on_done
        self._worker = start(work, self._answered, self._failed, failure)

    def _finish(self) -> None:
        self._worker = None
        for control in self._controls:
            control.setEnabled(True)

    def _answered(self, result: object) -> None:
        self._finish()
        self._on_done(result)

    def _failed(self, message: str) -> None:
        self._finish()
        self._message.setText(message)


def wait_for_workers(milliseconds: int = 30_000) -> bool:
    """Wait for every running worker (before locking the vault); False on timeout."""
    return bool(QThreadPool.globalInstance().waitForDone(milliseconds))


def record_and_write(
    vault: Vault, record: Callable[[Session], object], target: Path, data: bytes
) -> str | None:
    """Back on the GUI thread: record a worker's answer and write ``data`` to ``target``.

    One transaction, so a file that cannot be written leaves no record behind.
    Returns None when both are done, else the one sentence to show (a vault
    locked while the work ran refuses, so nothing is recorded or written; so
    does a target inside the vault folder).
    """
    try:
        check_output_path(target, vault.files.folder, force=True)
        with vault.sessions.begin() as session:
            record(session)
            write_atomically(target, data)
    except (KnownError, OSError) as error:
        return problem(error)
    return None
