"""What differs between Windows, macOS and Linux: opening files, private modes, locks, flushes.

Every call the app makes that exists on some systems only, or acts otherwise
on Windows, is made here, in ``sys.platform`` branches that mypy checks for
each system (``make lint`` runs it for linux, win32 and darwin; the Windows
branch has never run). macOS and Linux share the POSIX branch.

Private files. On macOS and Linux new files are created 0600 and folders
0700 (readable by their owner alone), and the process's umask is 0077, so the
files SQLite adds beside the database are private too. On Windows permission
bits mean only "read-only"; the app sets no ACLs of its own, so a file has
the permissions it inherits from its folder: in the user's profile
(``%LOCALAPPDATA%``), the user, SYSTEM and the machine's administrators.
docs/install.md says so to the school's IT staff.

Light on purpose, like desktop.storage.locations: the entry point uses it first.
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path

PRIVATE_FILE = 0o600
PRIVATE_FOLDER = 0o700

if sys.platform == "win32":  # pragma: no cover - checked by mypy --platform win32, run on Windows
    import ctypes
    import msvcrt

    # Without it Windows opens a descriptor in text mode: every b"\n" written
    # would become b"\r\n", and reading would stop at the first byte 0x1A.
    _BINARY = os.O_BINARY
    # Windows has no O_NONBLOCK and its opens do not wait for a writer: a device
    # name (CON, NUL) or a pipe opens or fails at once, and open_to_read's callers
    # refuse what is not a regular file before they read it.
    _NO_WAIT = 0
    # The lock covers one byte far past the holder's process id: Windows forbids
    # other processes to read a locked range, and a second opener reads the id.
    _LOCKED_BYTE = 1 << 20
    # WER_FAULT_REPORTING_FLAG_NOHEAP (werapi.h): crash reports leave the heap out.
    _WER_NO_HEAP = 1

    def harden_process() -> None:
        """Keep the heap, where typed text lives, out of Windows Error Reporting's dumps.

        Windows has no umask that makes files private, and no switch a program
        can set to forbid every crash dump: a "LocalDumps" policy set by the
        machine's administrators still applies.
        """
        with contextlib.suppress(AttributeError, OSError):  # an older Windows: nothing to set
            ctypes.windll.kernel32.WerSetFlags(_WER_NO_HEAP)

    def restrict_folder(path: Path) -> None:
        """Leave the folder's inherited permissions (Windows: see the module docstring)."""

    def flush_file(path: Path) -> None:
        """Flush a file's contents to disk (Windows flushes only a handle open for writing)."""
        fd = os.open(path, os.O_RDWR | _BINARY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)

    def flush_folder(path: Path) -> None:
        """Do nothing: Windows cannot open a folder as a file, and NTFS journals its entries."""

    def try_lock(fd: int) -> bool:
        """Take an exclusive lock on the open file ``fd`` without waiting; False when held."""
        os.lseek(fd, _LOCKED_BYTE, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        finally:
            os.lseek(fd, 0, os.SEEK_SET)
        return True

    def unlock(fd: int) -> None:
        """Let the lock on ``fd`` go at once (Windows may release a closed file's lock late)."""
        os.lseek(fd, _LOCKED_BYTE, os.SEEK_SET)
        with contextlib.suppress(OSError):  # not locked: nothing to let go
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        os.lseek(fd, 0, os.SEEK_SET)

else:
    import fcntl
    import resource

    _BINARY = 0
    # A FIFO or device named like a file must not hang a command that reads it.
    _NO_WAIT = os.O_NONBLOCK

    def harden_process() -> None:
        """Keep what the user types off disk: private new files and no core dumps."""
        os.umask(0o077)
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))

    def restrict_folder(path: Path) -> None:
        """Make an existing folder readable by its owner only."""
        path.chmod(PRIVATE_FOLDER)

    def flush_file(path: Path) -> None:
        """Flush a file's contents to disk."""
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)

    def flush_folder(path: Path) -> None:
        """Flush a folder's entries (names made, renamed, deleted) to disk, where it can."""
        fd = os.open(path, os.O_RDONLY)
        with contextlib.suppress(OSError):  # some file systems cannot flush a folder
            os.fsync(fd)
        os.close(fd)

    def try_lock(fd: int) -> bool:
        """Take an exclusive lock on the open file ``fd`` without waiting; False when held."""
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def unlock(fd: int) -> None:
        """Let the lock on ``fd`` go (closing the file would too)."""
        fcntl.flock(fd, fcntl.LOCK_UN)


def open_new_private(path: Path) -> int:
    """Create ``path`` for writing bytes, private to its owner; fail if it exists."""
    return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _BINARY, PRIVATE_FILE)


def open_lock_file(path: Path) -> int:
    """Open (or create, private) a lock file for reading and writing."""
    return os.open(path, os.O_RDWR | os.O_CREAT | _BINARY, PRIVATE_FILE)


def open_to_read(path: Path) -> int:
    """Open ``path`` to read bytes, never waiting on a FIFO or device named like a file."""
    return os.open(path, os.O_RDONLY | _BINARY | _NO_WAIT)
