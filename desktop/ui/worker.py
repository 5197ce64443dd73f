"""Slow work off the GUI thread: a typed ``Task[T]`` runs one call on the global QThreadPool.

The call gets plain data and must not touch widgets or the vault (the GUI
thread reads what it needs before and records the result after, so a vault
locked meanwhile is never reopened by a late result). Its result (a ``T``) or
the exception it raised comes back through queued signals to the task that
started it. A KnownError's sentence is shown; anything else is a bug: the
caller's one sentence is shown and the bug is logged (``desktop.ui.bug_log``:
its type and frames, never its message).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Generic, TypeVar, cast

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QLabel, QWidget

from desktop.errors import KnownError
from desktop.ui.bug_log import log_bug

T = TypeVar("T")


class _Signals(QObject):
    done = Signal(object)
    failed = Signal(object)


class _Call(QRunnable):
    """One call of ``work`` on a pool thread: ``signals.done(result)`` or ``failed(error)``."""

    def __init__(self, work: Callable[[], object]) -> None:
        super().__init__()
        self.signals = _Signals()
        self._work = work

    def run(self) -> None:
        """Run the work; hand back its result or its exception (never raise into Qt's thread)."""
        try:
            result = self._work()
        except Exception as error:  # noqa: BLE001 - handed to the GUI thread, shown and logged there
            self.signals.failed.emit(error)
        else:
            self.signals.done.emit(result)


class Task(QObject, Generic[T]):
    """A view's slow call returning ``T``: its controls off and a line of progress meanwhile.

    The result goes to ``on_done`` on the GUI thread. A failure shows its
    sentence in the view's message label (a bug shows the caller's sentence and
    is logged), then goes to ``on_failed`` if given. A child of the view, so an
    answer that arrives after the view is gone is dropped with it.
    """

    def __init__(self, message: QLabel, controls: Sequence[QWidget], parent: QObject) -> None:
        super().__init__(parent)
        self._message, self._controls = message, list(controls)
        self._call: _Call | None = None
        self._disabled: list[QWidget] = []
        self._on_done: Callable[[T], None] = lambda _result: None
        self._on_failed: Callable[[Exception], None] | None = None
        self._failure = ""

    @property
    def running(self) -> bool:
        """Say whether a call was started and has not answered yet."""
        return self._call is not None

    def start(
        self,
        work: Callable[[], T],
        on_done: Callable[[T], None],
        *,
        progress: str,
        failure: str,
        on_failed: Callable[[Exception], None] | None = None,
    ) -> None:
        """Run ``work`` on the pool; ``failure`` is said if it fails in a way nobody foresaw.

        Ignored while an earlier call of this task is still running.
        """
        if self._call is not None:
            return
        self._disabled = [control for control in self._controls if control.isEnabled()]
        for control in self._disabled:
            control.setEnabled(False)
        self._message.setText(progress)
        self._on_done, self._on_failed, self._failure = on_done, on_failed, failure
        call = _Call(work)
        call.setAutoDelete(False)  # kept by self._call (and its signals with it) until it answers
        queued = Qt.ConnectionType.QueuedConnection  # answered on the GUI thread, by its event loop
        call.signals.done.connect(self._answered, queued)
        call.signals.failed.connect(self._failed, queued)
        self._call = call
        QThreadPool.globalInstance().start(call)

    def _finish(self) -> None:
        """Forget the call and give back the controls it turned off."""
        self._call = None
        for control in self._disabled:
            control.setEnabled(True)
        self._disabled = []

    def _answered(self, result: object) -> None:
        self._finish()
        self._on_done(cast(T, result))

    def _failed(self, error: object) -> None:
        self._finish()
        assert isinstance(error, Exception)
        if isinstance(error, KnownError):
            self._message.setText(error.message)
        else:
            log_bug(error, self._failure)
            self._message.setText(self._failure)
        _forget_frames(error)
        if self._on_failed is not None:
            self._on_failed(error)


def _forget_frames(error: BaseException) -> None:
    """Drop the tracebacks of ``error`` and its causes: their frames hold what the work got."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        current.__traceback__ = None
        current = current.__cause__ or current.__context__


def wait_for_workers(milliseconds: int = 30_000) -> bool:
    """Wait for every running worker (before locking the vault); False on timeout."""
    return bool(QThreadPool.globalInstance().waitForDone(milliseconds))
