"""Start-up to a painted 50,000-case dashboard against a bare PySide6 window; peak memory.

    python -m benchmarks.bench_startup [--runs 5]

Both are whole processes started the same way; the time runs from just before
the process starts to the first paint of the table. The app unlocks with key
material handed over as the OS keyring would hand it (no key derivation: that
is the unlock benchmark's row).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.common import PASSPHRASE, Row, big_vault, table
from desktop.storage.secrets import MemorySecretStore
from desktop.storage.vault import unlock_with_passphrase


def _secret(folder: Path) -> str:
    store = MemorySecretStore()
    with unlock_with_passphrase(folder, PASSPHRASE) as vault:
        vault.remember(store)
        return f"{vault.vault_id} {store.get(vault.vault_id)}\n"


def _run(args: list[str], stdin: str = "") -> tuple[float, int | None]:
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    start = time.time()
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.startup_probe", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        check=True,
        timeout=300,
    )
    painted = rss = None
    for line in done.stdout.splitlines():
        if line.startswith("painted "):
            painted = float(line.split()[1])
        elif line.startswith("rss_kib "):
            rss = int(line.split()[1])
    if painted is None:
        raise RuntimeError(f"the probe did not paint: {done.stderr[-500:]}")
    return painted - start, rss


def measure(folder: Path, runs: int) -> list[Row]:
    """Median start-up of each, alternated so both see the same machine; peak memory."""
    secret = _secret(folder)
    bare_times, app_times, memory = [], [], []
    _run(["bare"])  # warm the file cache for both
    _run(["app", str(folder)], secret)
    for _ in range(runs):
        bare_times.append(_run(["bare"])[0])
        seconds, rss = _run(["app", str(folder)], secret)
        app_times.append(seconds)
        memory.append((rss or 0) / 1024)
    bare, app = statistics.median(bare_times), statistics.median(app_times)
    peak = max(memory)
    return [
        Row("Start-up", "bare PySide6 window process, first paint (baseline)", bare, "s", 1.0),
        Row(
            "Start-up",
            "app: unlocked 50,000-case vault to painted dashboard",
            app,
            "s",
            app / bare,
            "ratio <= 1.5",
            app / bare <= 1.5,
        ),
        Row(
            "Memory",
            "peak resident memory, dashboard showing all 50,000 cases, scrolled to the end",
            peak,
            "MB",
            None,
            "< 300 MB",
            peak < 300,
        ),
    ]


def main() -> int:
    """Print this benchmark's rows."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    print(table(measure(big_vault(), args.runs)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
