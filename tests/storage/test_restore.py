"""Restore under attack: a crashed writer's WAL, a vault in use, a kill between any two steps."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from desktop.models import Case
from desktop.procedures.catalogue import load_catalogue
from desktop.storage.backup import restore_backup, write_backup
from desktop.storage.vault import create_vault, unlock_with_passphrase
from tests.conftest import FAST_KDF, PASSPHRASE, REPO, run_cli, snapshot
from tests.factories import import_sample, sample_exchange

CATALOGUE = load_catalogue()
SAMPLE = REPO / "tests" / "exchange_sample.json"

# Commits one case per transaction, says so only after the commit returned, then
# holds the vault open (its WAL not checkpointed) until it is killed.
WRITER = """
import json, sys, time
from pathlib import Path
from desktop.sharing.exchange import import_cases, parse_exchange
from desktop.procedures.catalogue import load_catalogue
from desktop.casework.settings import working_calendar
from desktop.storage.vault import unlock_with_passphrase
folder, passphrase, count = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
sample = json.loads(Path(sys.argv[4]).read_text())
catalogue = load_catalogue()
vault = unlock_with_passphrase(folder, passphrase)
for n in range(count):
    one = {**sample, "cases": [{**sample["cases"][0], "reference": f"KILLED-{n}"}]}
    with vault.sessions.begin() as session:
        cases = parse_exchange(json.dumps(one).encode(), catalogue, set())
        import_cases(session, vault.audit_key, catalogue, working_calendar(session), cases)
    print(f"KILLED-{n}", flush=True)
print("ready", flush=True)
time.sleep(120)
"""

# Runs a restore and kills itself with SIGKILL right after its Nth rename or
# deletion of a file: every point where a crash could fall between two steps.
KILLED_RESTORE = """
import os, signal, sys
from pathlib import Path
from desktop.storage.backup import restore_backup
after, calls = int(sys.argv[4]), [0]
def counted(real):
    def call(*args, **kwargs):
        result = real(*args, **kwargs)
        calls[0] += 1
        if calls[0] == after:
            os.kill(os.getpid(), signal.SIGKILL)
        return result
    return call
for name in ("replace", "rename", "unlink", "rmdir"):
    setattr(os, name, counted(getattr(os, name)))
restore_backup(Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], force=True)
print("finished", flush=True)
"""


def _references(folder: Path) -> set[str]:
    with unlock_with_passphrase(folder, PASSPHRASE) as vault, vault.sessions() as session:
        return set(session.scalars(select(Case.reference)))


def _backed_up_vault(tmp_path: Path, copy_while_open: Path | None = None) -> tuple[Path, Path]:
    """A vault holding ESC-0001 and a backup of it; the vault then gains LIVE-1.

    A copy taken while the vault is open has LIVE-1 only in its -wal, as a crash leaves it.
    """
    folder, backup = tmp_path / "vault", tmp_path / "backup.zip"
    with create_vault(folder, PASSPHRASE, params=FAST_KDF) as vault:
        import_sample(vault, CATALOGUE)
        write_backup(vault, backup)
        live = sample_exchange()
        live["cases"][0]["reference"] = "LIVE-1"
        import_sample(vault, CATALOGUE, live)
        if copy_while_open is not None:
            shutil.copytree(folder, copy_while_open)
    return folder, backup


def _start(script: str, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", script, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO,
        env={**os.environ},
    )


def _written_then_killed(folder: Path, count: int) -> set[str]:
    """Run WRITER until it holds the vault, SIGKILL it; return what it committed."""
    writer = _start(WRITER, str(folder), PASSPHRASE, str(count), str(SAMPLE))
    assert writer.stdout is not None
    committed = set()
    for line in writer.stdout:
        if line.strip() == "ready":
            break
        committed.add(line.strip())
    else:
        raise AssertionError(writer.communicate(timeout=30)[1][-800:])
    writer.send_signal(signal.SIGKILL)
    writer.communicate(timeout=30)
    return committed


def test_restore_after_a_killed_writer_keeps_every_committed_case_aside(tmp_path: Path) -> None:
    folder, backup = _backed_up_vault(tmp_path)
    committed = _written_then_killed(folder, 5)
    wal = folder / "vault.db-wal"
    assert wal.exists() and wal.stat().st_size > 0  # the killed writer's commits live there
    done = run_cli("--vault", str(folder), "restore", str(backup), "--force")
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr and "unchanged" not in done.stdout + done.stderr
    aside = list((folder / "backups").glob("*-before-restore"))
    assert len(aside) == 1 and str(aside[0].name) in done.stdout
    assert _references(aside[0]) == {"ESC-0001", "LIVE-1", *committed}
    assert _references(folder) == {"ESC-0001"}
    assert run_cli("--vault", str(folder), "audit", "verify").returncode == 0


HOLDER = """
import sys, time
from pathlib import Path
from desktop.storage.vault import unlock_with_passphrase
vault = unlock_with_passphrase(Path(sys.argv[1]), sys.argv[2])
print("ready", flush=True)
time.sleep(120)
"""


def test_restore_while_another_process_holds_the_vault_is_refused_untouched(
    tmp_path: Path,
) -> None:
    folder, backup = _backed_up_vault(tmp_path)
    holder = _start(HOLDER, str(folder), PASSPHRASE)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        before = snapshot(folder)
        refused = run_cli("--vault", str(folder), "restore", str(backup), "--force")
        assert refused.returncode == 2, refused.stderr
        assert "already open in another Escalation Recorder window or command" in refused.stderr
        assert len(refused.stderr.strip().splitlines()) == 1
        assert snapshot(folder) == before
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.communicate(timeout=30)
    assert _references(folder) == {"ESC-0001", "LIVE-1"}


@pytest.mark.slow
def test_a_restore_killed_after_any_step_leaves_one_vault_with_every_record(
    tmp_path: Path,
) -> None:
    pristine, folder = tmp_path / "pristine", tmp_path / "attempt"
    _vault, backup = _backed_up_vault(tmp_path, copy_while_open=pristine)
    assert (pristine / "vault.db-wal").stat().st_size > 0
    for after in range(1, 100):
        shutil.rmtree(folder, ignore_errors=True)
        shutil.copytree(pristine, folder)
        run = _start(KILLED_RESTORE, str(backup), str(folder), PASSPHRASE, str(after))
        out, err = run.communicate(timeout=120)
        finished = "finished" in out
        assert finished or run.returncode == -signal.SIGKILL, err[-800:]
        if not finished and after % 2:  # restore itself first settles the interrupted one
            restore_backup(backup, folder, PASSPHRASE, force=True)
            assert _references(folder) == {"ESC-0001"}
            kept = [_references(a) for a in (folder / "backups").glob("*-before-restore")]
            assert {"ESC-0001", "LIVE-1"} in kept
            continue
        live = _references(folder)  # any other command first completes or undoes the restore
        aside = list((folder / "backups").glob("*-before-restore"))
        if live == {"ESC-0001", "LIVE-1"}:  # rolled back: nothing was set aside
            assert not finished and aside == []
        else:  # rolled forward: the vault that was there opens, every record in it
            assert live == {"ESC-0001"}
            assert len(aside) == 1 and _references(aside[0]) == {"ESC-0001", "LIVE-1"}
        if finished:
            assert after > 3  # the loop went through every step before this one
            return
    raise AssertionError("the restore never finished")
