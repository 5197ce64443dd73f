"""UI fixtures: services over a real vault, and a helper to finish a wizard."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, QThreadPool
from PySide6.QtWidgets import QApplication

from desktop.procedures.catalogue import load_catalogue
from desktop.storage.vault import Vault
from desktop.ui.discard_guard import DiscardGuard
from desktop.ui.services import Services
from tests.factories import signing_profile


@pytest.fixture(autouse=True)
def private_qsettings(tmp_path: Path) -> Iterator[Path]:
    """Keep what the windows remember (their geometry) in this test's folder."""
    folder = tmp_path / "qsettings"
    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, str(folder))
    yield folder


@pytest.fixture(autouse=True)
def no_worker_left_running() -> Iterator[None]:
    """Fail a test that leaves slow work running on the thread pool."""
    yield
    assert QThreadPool.globalInstance().waitForDone(2_000), "a worker thread is still running"


@pytest.fixture(autouse=True)
def widgets_freed_on_the_gui_thread() -> Iterator[None]:
    """Free what a test built on the GUI thread when it ends, never on a worker's.

    A top-level widget a test made (qtbot.addWidget) that sits in a reference
    cycle (a view and its Task's callback) is freed by Python's cycle collector,
    which runs on whichever thread is allocating at the time. On a worker (a
    later test's signing), PySide defers the C++ deletion to the GUI thread,
    where it can follow the deleteLater qtbot posted: a second deletion, and a
    segfault. As in the app (desktop/ui/gui_garbage.py), automatic collection
    is off while a test runs; collected here, after qtbot's teardown, they go
    at once, on this thread.
    """
    gc.disable()
    try:
        yield
    finally:
        gc.collect()
        gc.enable()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item) -> Iterator[None]:
    """Let the windows a test leaves open close at its end without asking to discard.

    A form with something typed asks before it closes; nobody is there to answer
    when pytest-qt closes the test's windows (before fixtures are torn down), so
    their guards are told first that it is saved.
    """
    for window in QApplication.topLevelWidgets():
        for guard in window.findChildren(DiscardGuard):
            guard.mark_clean()
    return (yield)


@pytest.fixture
def services(vault: Vault) -> Iterator[Services]:
    """Return services over a vault whose owner has a profile."""
    signing_profile(vault)
    yield Services(vault, load_catalogue())
