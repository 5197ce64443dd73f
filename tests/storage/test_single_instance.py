"""One app per vault, and a passphrase change that a crash cannot break."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from desktop.errors import WrongPassphrase
from desktop.storage.vault import Vault, create_vault, unlock_with_passphrase
from tests.conftest import FAST_KDF, PASSPHRASE, REPO, run_cli, snapshot

OTHER = "a completely different passphrase"
HOLDER = """
import sys, time
from pathlib import Path
from desktop.storage.vault import unlock_with_passphrase
vault = unlock_with_passphrase(Path(sys.argv[1]), sys.argv[2])
print("ready", flush=True)
time.sleep(60)
"""
CHANGER = """
import sys
from pathlib import Path
from desktop.storage.rekey import change_passphrase
from desktop.storage.vault import unlock_with_passphrase
a, b = sys.argv[2], sys.argv[3]
vault = unlock_with_passphrase(Path(sys.argv[1]), a)
current, other = a, b
change_passphrase(vault, current, other)  # once before saying so: the loop really runs
current, other = other, current
print("ready", flush=True)
while True:
    change_passphrase(vault, current, other)
    current, other = other, current
"""


def test_second_opener_gets_one_clear_line_and_changes_nothing(vault: Vault) -> None:
    folder = vault.files.folder
    before = snapshot(folder)
    result = run_cli("--vault", str(folder), "audit", "verify")
    assert result.returncode == 2
    assert "already open in another Escalation Recorder window or command" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert snapshot(folder) == before


def _start(script: str, *args: str) -> subprocess.Popen[str]:
    process = subprocess.Popen(
        [sys.executable, "-c", script, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO,
        env={**os.environ},
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    if line.strip() != "ready":
        _out, err = process.communicate(timeout=30)
        raise AssertionError(f"helper did not start: {err[-800:]}")
    return process


def _kill(process: subprocess.Popen[str]) -> None:
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=30)


def test_a_crashed_holder_leaves_no_stale_lock(tmp_path: Path) -> None:
    folder = tmp_path / "vault"
    create_vault(folder, PASSPHRASE, params=FAST_KDF).close()
    _kill(_start(HOLDER, str(folder), PASSPHRASE))
    with unlock_with_passphrase(folder, PASSPHRASE) as reopened:
        assert reopened.files.lock.exists()  # the file stays; the lock went with the process


@pytest.mark.slow
def test_a_passphrase_change_killed_midway_leaves_exactly_one_working(tmp_path: Path) -> None:
    folder = tmp_path / "vault"
    create_vault(folder, PASSPHRASE, params=FAST_KDF).close()
    rng = random.Random(7)
    for _ in range(6):
        changer = _start(CHANGER, str(folder), *_order(folder))
        time.sleep(rng.uniform(0.0, 0.2))
        _kill(changer)
        _order(folder)  # asserts exactly one works
    # The next unlock finished or undid each interrupted change: nothing staged is left.
    assert sorted(p.name for p in folder.iterdir()) == ["vault.db", "vault.key", "vault.lock"]


def _order(folder: Path) -> tuple[str, str]:
    """Return (working, other); fail unless exactly one of the two passphrases works."""
    works = []
    for candidate in (PASSPHRASE, OTHER):
        try:
            unlock_with_passphrase(folder, candidate).close()
        except WrongPassphrase:
            continue
        works.append(candidate)
    assert len(works) == 1, works
    return (works[0], OTHER if works[0] == PASSPHRASE else PASSPHRASE)
