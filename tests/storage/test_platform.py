"""The POSIX side of desktop.storage.platform: private modes, the lock, no core dumps.

The Windows side is checked by ``mypy --platform win32`` (make lint), never run here.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.storage import platform
from desktop.storage.files import make_private_folder

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="the POSIX branch")


@pytest.fixture
def open_umask() -> Iterator[None]:
    """Let the process make group- and world-readable files while the test runs."""
    before = os.umask(0o022)
    yield
    os.umask(before)


def _mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


@pytest.mark.usefixtures("open_umask")
def test_a_new_private_file_is_its_owners_alone_and_never_an_old_one(tmp_path: Path) -> None:
    path = tmp_path / "new.bin"
    os.close(platform.open_new_private(path))
    assert _mode(path) == 0o600
    with pytest.raises(FileExistsError):
        platform.open_new_private(path)


@pytest.mark.usefixtures("open_umask")
def test_an_existing_folder_made_private_is_its_owners_alone(tmp_path: Path) -> None:
    folder = tmp_path / "shared"
    folder.mkdir(mode=0o755)
    make_private_folder(folder / "inner")
    make_private_folder(folder)
    assert (_mode(folder), _mode(folder / "inner")) == (0o700, 0o700)


def test_a_second_lock_is_refused_until_the_first_lets_go(tmp_path: Path) -> None:
    path = tmp_path / "vault.lock"
    first, second = platform.open_lock_file(path), platform.open_lock_file(path)
    try:
        assert platform.try_lock(first)
        assert not platform.try_lock(second)
        platform.unlock(first)
        assert platform.try_lock(second)
    finally:
        os.close(first)
        os.close(second)
    assert _mode(path) == 0o600


def test_process_hardening_turns_off_core_dumps_and_makes_files_private(tmp_path: Path) -> None:
    probe = (
        "import os, resource, pathlib\n"
        "os.umask(0o022)\n"
        "from desktop.storage.platform import harden_process\n"
        "harden_process()\n"
        f"p = pathlib.Path({str(tmp_path / 'f')!r}); p.write_text('x')\n"
        "print(resource.getrlimit(resource.RLIMIT_CORE), oct(p.stat().st_mode & 0o777))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "(0, 0) 0o600"
