"""Bugs logged without record text: the exception's type and where it was raised, nothing else.

An exception's message can hold what the user typed (a name in a ValueError, a
passage quoted by a parser), and its frames' locals hold records and
passphrases, so neither reaches the log: only the type and the traceback's
frames (file, line, function). The lines go to a small rotating file in the
user's log folder and, when the app was started from a terminal, to stderr.
"""

from __future__ import annotations

import logging
import sys
import traceback
from logging.handlers import RotatingFileHandler
from pathlib import Path

from desktop.storage.files import make_private_folder

LOGGER = "escalation_recorder.bugs"
MAX_BYTES = 256 * 1024
BACKUPS = 2
_MAX_CHAIN = 5  # causes followed at most: a chain is never long, and may loop


def bug_log_path() -> Path:
    """Where the bug log is kept: the platform's user log folder."""
    import platformdirs

    return platformdirs.user_log_path("escalation-recorder", appauthor=False) / "bugs.log"


def describe(error: BaseException) -> str:
    """Return the error's type and frames, innermost last, then its causes; never its message."""
    lines: list[str] = []
    current: BaseException | None = error
    for depth in range(_MAX_CHAIN):
        if current is None:
            break
        kind = type(current)
        lines.append(f"{'caused by ' if depth else ''}{kind.__module__}.{kind.__qualname__}")
        for frame, line in traceback.walk_tb(current.__traceback__):
            code = frame.f_code  # the code object only: the frame's locals are never read
            lines.append(f'  File "{code.co_filename}", line {line}, in {code.co_name}')
        current = current.__cause__ or (
            None if current.__suppress_context__ else current.__context__
        )
    return "\n".join(lines)


def log_bug(error: BaseException, shown: str) -> None:
    """Log an unforeseen failure as a bug: the sentence the user saw, the type and the frames."""
    logging.getLogger(LOGGER).error("Bug (the user was told: %s)\n%s", shown, describe(error))


def open_bug_log(
    path: Path | None = None, *, terminal: bool | None = None
) -> list[logging.Handler]:
    """Send bug reports to a rotating file at ``path`` (and stderr from a terminal).

    Args:
        path: the log file (default: ``bug_log_path()``); made only when a bug is logged.
        terminal: also write to stderr (default: when stderr is a terminal).

    Returns:
        The handlers added, for ``close_bug_log``.
    """
    target = path or bug_log_path()
    handlers: list[logging.Handler] = []
    try:
        make_private_folder(target.parent)
        handlers.append(
            RotatingFileHandler(
                target, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8", delay=True
            )
        )
    except OSError:  # no log folder (a read-only home): the bugs still reach stderr
        terminal = True
    if terminal if terminal is not None else bool(sys.stderr and sys.stderr.isatty()):
        handlers.append(logging.StreamHandler(sys.stderr))
    logger = logging.getLogger(LOGGER)
    for handler in handlers:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
        logger.addHandler(handler)
    return handlers


def close_bug_log(handlers: list[logging.Handler]) -> None:
    """Stop writing to ``handlers`` (what ``open_bug_log`` returned) and close them."""
    logger = logging.getLogger(LOGGER)
    for handler in handlers:
        logger.removeHandler(handler)
        handler.close()
