"""Start-up: the first window's paint against a bare PySide6 window's; the dashboard filled.

    python -m benchmarks.bench_startup [--runs 5]

All are whole processes started the same way, alternately; each time runs
from just before the process starts. The app is started as the console script
starts it (``desktop.launch``, then ``desktop.app.run_app``): with the key
from a keyring (key material handed over as the OS keyring hands it; no key
derivation: that is the unlock benchmark's row), and with no keyring (the
passphrase dialog).
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

FILL_TARGET = 0.6  # seconds from the keyring's answer to the filled dashboard


def _secret(folder: Path) -> str:
    store = MemorySecretStore()
    with unlock_with_passphrase(folder, PASSPHRASE) as vault:
        vault.remember(store)
        return f"{vault.vault_id} {store.get(vault.vault_id)}\n"


def _run(args: list[str], stdin: str = "") -> dict[str, float]:
    """Run the probe; return each time it printed, in seconds from just before it started."""
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    start = time.time()
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.startup_probe", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=300,
    )
    times: dict[str, float] = {}
    for line in done.stdout.splitlines():
        name, _, value = line.partition(" ")
        times[name] = int(value) if name == "rss_kib" else float(value) - start
    if done.returncode != 0 or "painted" not in times:
        raise RuntimeError(f"the probe did not paint: {done.stderr[-800:]}")
    return times


def measure(folder: Path, runs: int) -> list[Row]:
    """Medians of each, alternated so all see the same machine; peak memory."""
    secret = _secret(folder)
    vault = str(folder)
    runs_of: dict[str, list[dict[str, float]]] = {"bare": [], "app": [], "unlock": []}
    for _ in range(runs + 1):  # the first round warms the file cache and is dropped
        for kind, args, stdin in (
            ("bare", ["bare"], ""),
            ("app", ["app", vault], secret),
            ("unlock", ["unlock", vault], ""),
        ):
            runs_of[kind].append(_run(args, stdin))
    kept = {kind: done[1:] for kind, done in runs_of.items()}

    def median(kind: str, mark: str, since: str = "") -> float:
        return statistics.median(r[mark] - (r[since] if since else 0) for r in kept[kind])

    bare = median("bare", "painted")
    frame, dialog = median("app", "painted"), median("unlock", "dialog")
    filled, whole = median("app", "filled", since="key"), median("app", "filled")
    peak = max(r["rss_kib"] for r in kept["app"]) / 1024
    return [
        Row("Start-up", "bare PySide6 window process, first paint (baseline)", bare, "s", 1.0),
        Row(
            "Start-up",
            "app, key in the keyring: the window's frame painted (first window)",
            frame,
            "s",
            frame / bare,
            "ratio <= 1.5",
            frame / bare <= 1.5,
        ),
        Row(
            "Start-up",
            "app, no keyring: the window's frame painted, then the unlock dialog painted",
            dialog,
            "s",
            dialog / bare,
        ),
        Row(
            "Start-up",
            "50,000-case dashboard filled, from the keyring's answer (unlock) to its painted rows",
            filled,
            "s",
            None,
            "< 0.6 s",
            filled < FILL_TARGET,
        ),
        Row(
            "Start-up",
            "app, key in the keyring: start to filled dashboard",
            whole,
            "s",
            whole / bare,
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
