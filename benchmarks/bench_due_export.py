"""`due` and `export` over 50,000 cases, against baselines measured in the same run.

Prints one table: median seconds of repeated runs, the ratio to the baseline,
and the target. Baselines: a bare Python process (what any command pays to
start) and a plain SELECT of the same rows (what reading them costs).

    python -m benchmarks.bench_due_export [--cases 50000] [--vault DIR] [--runs 5]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import text

from desktop.due import due_items
from desktop.exchange import export_json
from desktop.procedures import load_catalogue
from desktop.settings import working_calendar
from desktop.vault import VaultFiles, unlock_with_passphrase

PASSPHRASE = "benchmark passphrase (fictional)"


def _median(action: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _cli(vault: Path, *args: str) -> Callable[[], object]:
    env = {
        **os.environ,
        "ESCALATION_RECORDER_PASSPHRASE": PASSPHRASE,
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
    }

    def run() -> object:
        return subprocess.run(
            [sys.executable, "-m", "desktop", "--vault", str(vault), *args],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )

    return run


def _prepare(vault: Path, cases: int) -> None:
    if VaultFiles(vault).exists():
        return
    print(f"Creating a vault with {cases:,} fictional cases in {vault} ...", file=sys.stderr)
    for args in (["init"], ["demo", "--cases", str(cases)]):
        _cli(vault, *args)()


def main() -> int:
    """Run the benchmark and print its table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--vault", type=Path, default=None)
    args = parser.parse_args()
    vault = args.vault or Path(tempfile.gettempdir()) / f"er-bench-{args.cases}"
    _prepare(vault, args.cases)
    out = Path(tempfile.mkdtemp()) / "export.json"
    rows: list[tuple[str, float, float, str]] = []
    bare = _median(lambda: subprocess.run([sys.executable, "-c", "pass"], check=True), args.runs)
    rows.append(("bare Python process (baseline)", bare, 1.0, ""))
    for label, command in (
        ("due --json (command)", ["due", "--json"]),
        ("export -o FILE (command)", ["export", "-o", str(out)]),
    ):
        seconds = _median(_cli(vault, *command), args.runs)
        rows.append((label, seconds, seconds / bare, "< 2 s" if seconds < 2 else "MISSED < 2 s"))
    catalogue = load_catalogue()
    with unlock_with_passphrase(vault, PASSPHRASE) as opened, opened.sessions() as session:
        calendar = working_calendar(session)
        now = dt.datetime.now(dt.UTC)
        connection = session.connection()
        select_all = _median(
            lambda: connection.execute(
                text(
                    "SELECT * FROM stage_record "
                    "JOIN escalation_case ON escalation_case.id = stage_record.case_id"
                )
            ).all(),
            args.runs,
        )
        rows.append(("plain SELECT of every stage row (baseline)", select_all, 1.0, ""))
        due = _median(lambda: due_items(session, catalogue, calendar, now), args.runs)
        rows.append(("due_items() in process", due, due / select_all, ""))
        export = _median(lambda: export_json(session, catalogue, now), args.runs)
        rows.append(("export_json() in process", export, export / select_all, ""))
    print(f"\n{args.cases:,} cases, median of {args.runs} runs")
    print(f"{'measure':46} {'seconds':>8} {'ratio':>7}  target")
    for label, seconds, ratio, target in rows:
        print(f"{label:46} {seconds:8.3f} {ratio:7.2f}  {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
