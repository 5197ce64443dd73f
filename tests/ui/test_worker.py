"""The typed worker: its result, its failures (a sentence, or a bug logged without record text)."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from desktop.errors import InvalidInput
from desktop.ui.bug_log import LOGGER, close_bug_log, open_bug_log
from desktop.ui.worker import Task
from tests.conftest import REPO

MARKER = "Fictional Childname 4417"  # stands for record text a message could carry
FAILURE = "The fictional thing could not be done; nothing was saved."


class View(QWidget):
    """A view with a message line, two controls and a task, as the dialogs have."""

    def __init__(self) -> None:
        super().__init__()
        self.message = QLabel(self)
        self.go = QPushButton("Go", self)
        self.other = QPushButton("Other", self)
        self.other.setEnabled(False)
        self.task: Task[int] = Task(self.message, [self.go, self.other], self)
        self.results: list[int] = []
        self.failures: list[Exception] = []

    def run(self, work: object) -> None:
        assert callable(work)
        self.task.start(
            work,
            self.results.append,
            progress="Working…",
            failure=FAILURE,
            on_failed=self.failures.append,
        )


@pytest.fixture
def view(qtbot: QtBot) -> View:
    shown = View()
    qtbot.addWidget(shown)
    return shown


@pytest.fixture
def bug_log(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Iterator[Path]:
    """The bug log in this test's folder, also written to stderr (captured by ``capsys``)."""
    path = tmp_path / "logs" / "bugs.log"
    handlers = open_bug_log(path, terminal=True)
    yield path
    close_bug_log(handlers)


def test_the_result_comes_back_typed_and_the_controls_as_they_were(
    qtbot: QtBot, view: View
) -> None:
    view.run(lambda: 6 * 7)
    assert view.message.text() == "Working…" and view.task.running
    assert not view.go.isEnabled() and not view.other.isEnabled()
    qtbot.waitUntil(lambda: view.results == [42])
    assert view.go.isEnabled() and not view.other.isEnabled()  # off before: off after
    assert not view.task.running and view.failures == []


def test_a_known_failure_shows_its_own_sentence_and_is_not_logged_as_a_bug(
    qtbot: QtBot, view: View, bug_log: Path, caplog: pytest.LogCaptureFixture
) -> None:
    def work() -> int:
        raise InvalidInput("That fictional date is not a working day.")

    view.run(work)
    qtbot.waitUntil(lambda: bool(view.failures))
    assert view.message.text() == "That fictional date is not a working day."
    assert isinstance(view.failures[0], InvalidInput) and view.go.isEnabled()
    assert view.results == [] and not bug_log.exists()
    assert not [r for r in caplog.records if r.name == LOGGER]


def test_a_bug_shows_the_callers_sentence_and_logs_its_type_and_frames_but_not_its_text(
    qtbot: QtBot,
    view: View,
    bug_log: Path,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    def look_up_the_record() -> int:
        records: dict[str, int] = {}
        try:
            return records[MARKER]
        except KeyError as missing:
            raise ValueError(f"no record for {MARKER}") from missing

    with caplog.at_level(logging.ERROR, logger=LOGGER):
        view.run(look_up_the_record)
        qtbot.waitUntil(lambda: bool(view.failures))
    assert view.message.text() == FAILURE and view.go.isEnabled()
    assert isinstance(view.failures[0], ValueError)
    assert view.failures[0].__traceback__ is None  # its frames (what the work held) are let go
    logged = bug_log.read_text("utf-8")
    for said in (logged, capsys.readouterr().err, caplog.text):
        assert "builtins.ValueError" in said and "caused by builtins.KeyError" in said
        assert f'"{__file__}", line' in said and "in look_up_the_record" in said
        assert FAILURE in said
        assert MARKER not in said and "no record for" not in said


def test_a_second_start_while_running_is_ignored(qtbot: QtBot, view: View) -> None:
    view.run(lambda: 1)
    view.run(lambda: 2)
    qtbot.waitUntil(lambda: view.results == [1])
    view.run(lambda: 3)
    qtbot.waitUntil(lambda: view.results == [1, 3])


INNER_TEST = """
import threading

from PySide6.QtWidgets import QLabel, QWidget

from desktop.ui.worker import Task


def test_leaves_a_worker_running(qtbot):
    view = QWidget()
    qtbot.addWidget(view)
    task = Task(QLabel(view), [], view)
    task.start(lambda: threading.Event().wait(3), print, progress="", failure="")


def test_waits_for_its_worker(qtbot):
    view = QWidget()
    qtbot.addWidget(view)
    answers = []
    task = Task(QLabel(view), [], view)
    task.start(lambda: 1, answers.append, progress="", failure="")
    qtbot.waitUntil(lambda: answers == [1])
"""


@pytest.mark.slow
def test_a_test_that_leaves_a_worker_running_fails(tmp_path: Path) -> None:
    (tmp_path / "conftest.py").write_text(
        "from tests.ui.conftest import no_worker_left_running  # noqa: F401\n"
    )
    (tmp_path / "test_inner.py").write_text(INNER_TEST)
    env = {**os.environ, "PYTHONPATH": str(REPO), "QT_QPA_PLATFORM": "offscreen"}
    ran = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-o", "qt_api=pyside6", "-q"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert ran.returncode == 1, ran.stdout + ran.stderr
    assert "2 passed, 1 error" in ran.stdout, ran.stdout  # its call passed; teardown failed
    assert "ERROR at teardown of test_leaves_a_worker_running" in ran.stdout
    assert "a worker thread is still running" in ran.stdout
