"""One running instance per vault: an OS lock on ``vault.lock``.

The OS releases the lock when the process dies, so a lock left by a crash
is never stale: the file stays, the lock does not.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import IO

from desktop.errors import VaultInUse
from desktop.storage import platform


class InstanceLock:
    """An exclusive, non-blocking lock on a vault folder."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._handle: IO[str] | None = None

    def acquire(self) -> None:
        """Take the lock or raise VaultInUse at once, naming the holder's process id."""
        handle = os.fdopen(platform.open_lock_file(self.path), "r+", encoding="ascii")
        if not platform.try_lock(handle.fileno()):
            handle.seek(0)
            holder = handle.read().strip() or "unknown"
            handle.close()
            raise VaultInUse(
                "This vault is already open in another Escalation Recorder window or "
                f"command (process {holder}); close it first."
            )
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        self._handle = handle

    def release(self) -> None:
        """Let the lock go and close the file."""
        if self._handle is not None:
            platform.unlock(self._handle.fileno())
            self._handle.close()
            self._handle = None

    @property
    def held(self) -> bool:
        """Say whether this object holds the lock."""
        return self._handle is not None
