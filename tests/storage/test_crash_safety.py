"""Power-cut safety: SIGKILL a writer at random points; every committed record survives.

The audit head anchored in the key file is written after each commit, so a kill
can leave it behind the database: verification must accept that, never alarm.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import select, text

from desktop.models import Setting
from desktop.storage.vault import create_vault, unlock_with_passphrase
from tests.conftest import FAST_KDF, PASSPHRASE, REPO

WRITER = """
import sys
from pathlib import Path
from desktop.storage import audit
from desktop.models import Setting
from desktop.storage.vault import unlock_with_passphrase
vault = unlock_with_passphrase(Path(sys.argv[1]), sys.argv[2])
start = int(sys.argv[3])
n = start
while True:
    with vault.sessions.begin() as session:
        session.add(Setting(key=f"crash-{n}", value="fictional record " * 20))
        audit.record(session, vault.audit_key, "test.committed", None, n)
    print(n, flush=True)  # only after the commit returned
    n += 1
"""


@pytest.mark.slow
def test_sigkill_loses_no_committed_record(tmp_path: Path) -> None:
    folder = tmp_path / "vault"
    create_vault(folder, PASSPHRASE, params=FAST_KDF).close()
    rng = random.Random(20261123)
    committed: set[int] = set()
    for kill in range(20):
        # Each writer numbers from its own range: a commit that returned just
        # before the kill may not have been reported to us.
        next_number = (kill + 1) * 1_000_000
        process = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(folder), PASSPHRASE, str(next_number)],
            stdout=subprocess.PIPE,
            text=True,
            cwd=REPO,
            env={**os.environ},
        )
        assert process.stdout is not None
        first = process.stdout.readline()  # wait until it writes
        assert first.strip().isdigit(), process.stderr.read() if process.stderr else first
        committed.add(int(first))
        time.sleep(rng.uniform(0.0, 0.3))
        process.send_signal(signal.SIGKILL)
        rest, _ = process.communicate(timeout=30)
        committed.update(int(line) for line in rest.split())
    with unlock_with_passphrase(folder, PASSPHRASE) as vault:
        with vault.engine.connect() as connection:
            assert connection.execute(text("PRAGMA integrity_check")).scalar() == "ok"
        with vault.sessions() as session:
            stored = {
                int(k.removeprefix("crash-"))
                for k in session.scalars(select(Setting.key))
                if k.startswith("crash-")
            }
        report = vault.verify_audit()  # against the anchor in the key file
    assert committed <= stored
    assert len(committed) > 20
    assert report.intact, report.reason
