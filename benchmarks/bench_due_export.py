"""`due` and `export` over 50,000 cases, against baselines measured in the same run.

Prints one table: median seconds of repeated runs, the ratio to the baseline,
and the target. Baselines: a bare Python process (what any command pays to
start) and a plain SELECT of the same rows (what reading them costs).

    python -m benchmarks.bench_due_export [--cases 50000] [--vault DIR] [--runs 5]
"""

from __future__ import annotations

import argparse
import datetime as dt
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import text

from benchmarks.common import (
    CASES,
    PASSPHRASE,
    Row,
    big_vault,
    cli_env,
    in_secret_service,
    median_seconds,
    table,
)
from desktop.casework.due import due_items
from desktop.casework.settings import working_calendar
from desktop.procedures.catalogue import load_catalogue
from desktop.sharing.export import export_json
from desktop.storage.sqlite_setup import stop_memory_statistics
from desktop.storage.vault import unlock_with_passphrase


def _cli(vault: Path, *args: str) -> Callable[[], object]:
    def run() -> object:
        return subprocess.run(
            [sys.executable, "-m", "desktop", "--vault", str(vault), *args],
            env=cli_env(),
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    return run


KEYRING_PROBE = """
import json, subprocess, sys
from pathlib import Path
from benchmarks.common import PASSPHRASE, median_seconds
from desktop.storage.secrets import KeyringSecretStore
from desktop.storage.vault import unlock_with_passphrase

folder, runs = Path(sys.argv[1]), int(sys.argv[2])
with unlock_with_passphrase(folder, PASSPHRASE) as vault:
    vault.remember(KeyringSecretStore.open())

def command(*words):
    def run():
        subprocess.run([sys.executable, "-m", "desktop", "--vault", str(folder), *words],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return run

out = folder.parent / "keyring-export.json"
result = {"due": median_seconds(command("due", "--json"), runs),
          "export": median_seconds(command("export", "-o", str(out), "--force"), runs)}
out.unlink()
print(json.dumps(result))
"""


def measure(vault: Path, runs: int) -> list[Row]:
    """The two commands whole, and their work in process, each beside its baseline."""
    out = Path(tempfile.mkdtemp()) / "export.json"
    section = "due and export"
    bare = median_seconds(lambda: subprocess.run([sys.executable, "-c", "pass"], check=True), runs)
    rows = [Row(section, "bare Python process (baseline)", bare, "s", 1.0)]
    for label, command in (
        ("`due --json`, the whole command (passphrase unlock)", ["due", "--json"]),
        (
            "`export -o FILE`, the whole command (passphrase unlock)",
            ["export", "-o", str(out), "--force"],  # each run replaces the last one's file
        ),
    ):
        seconds = median_seconds(_cli(vault, *command), runs)
        rows.append(Row(section, label, seconds, "s", seconds / bare, "< 2 s", seconds < 2))
    out.unlink(missing_ok=True)
    keyring = in_secret_service(KEYRING_PROBE, vault, runs)
    if keyring is not None:
        for word in ("due", "export"):
            seconds = float(str(keyring[word]))
            rows.append(
                Row(
                    section,
                    f"`{word}`, the whole command (key from Secret Service)",
                    seconds,
                    "s",
                    seconds / bare,
                    "< 2 s",
                    seconds < 2,
                )
            )
    catalogue = load_catalogue()
    with unlock_with_passphrase(vault, PASSPHRASE) as opened, opened.sessions() as session:
        calendar = working_calendar(session)
        now = dt.datetime.now(dt.UTC)
        connection = session.connection()
        select_all = median_seconds(
            lambda: connection.execute(
                text(
                    "SELECT * FROM stage_record "
                    "JOIN escalation_case ON escalation_case.id = stage_record.case_id"
                )
            ).all(),
            runs,
        )
        rows.append(
            Row(section, "plain SELECT of every stage row (baseline)", select_all, "s", 1.0)
        )
        due = median_seconds(lambda: due_items(session, catalogue, calendar, now), runs)
        rows.append(Row(section, "due_items() in process", due, "s", due / select_all))
        export = median_seconds(
            lambda: export_json(session, catalogue, now, reader=opened.reader), runs
        )
        rows.append(
            Row(
                section,
                "export_json() in process, as the command reads",
                export,
                "s",
                export / select_all,
            )
        )
    return rows


def main() -> int:
    """Run the benchmark and print its table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=CASES)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--vault", type=Path, default=None)
    args = parser.parse_args()
    stop_memory_statistics()  # as the app's entry point does, before any connection
    print(table(measure(big_vault(args.cases, args.vault), args.runs)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
