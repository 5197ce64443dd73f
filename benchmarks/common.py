"""What every benchmark shares: medians, a result row, the machine, the 50,000-case vault."""

from __future__ import annotations

import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

PASSPHRASE = "benchmark passphrase (fictional)"
CASES = 50_000


@dataclass(frozen=True)
class Row:
    """One measured line: its value, the baseline it is compared with, and the target."""

    section: str
    measure: str
    value: float
    unit: str  # "s", "ms" or "MB"
    ratio: float | None = None
    target: str = ""
    met: bool | None = None


def median_seconds(action: Callable[[], object], runs: int) -> float:
    """Run ``action`` ``runs`` times and return the median wall time in seconds."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def cli_env() -> dict[str, str]:
    """The environment for running the app's commands non-interactively."""
    return {
        **os.environ,
        "ESCALATION_RECORDER_PASSPHRASE": PASSPHRASE,
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
    }


def big_vault(cases: int = CASES, folder: Path | None = None) -> Path:
    """Return a vault of ``cases`` fictional demo cases, made once (about 80 s for 50,000)."""
    vault = folder or Path(tempfile.gettempdir()) / f"er-bench-{cases}"
    if not (vault / "vault.key").exists():
        print(f"Creating a vault with {cases:,} fictional cases in {vault} ...", file=sys.stderr)
        for args in (
            ["init"],
            [
                "profile",
                "--name",
                "Bench Lead (fictional)",
                "--role",
                "DSL",
                "--organisation",
                "Benchmark School (fictional)",
            ],
            ["demo", "--cases", str(cases)],
        ):
            subprocess.run(
                [sys.executable, "-m", "desktop", "--vault", str(vault), *args],
                env=cli_env(),
                check=True,
                stdout=subprocess.DEVNULL,
            )
    return vault


def _cpu() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _memory_gib() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                return f"{int(line.split()[1]) / 1024 / 1024:.0f} GiB"
    except OSError:
        pass
    return "unknown"


def machine() -> str:
    """Describe the machine and the library versions the figures were measured with."""
    import sqlcipher3
    from PySide6 import __version__ as pyside

    with sqlcipher3.connect(":memory:") as connection:
        cipher = connection.execute("PRAGMA cipher_version").fetchone()
        sqlite = connection.execute("SELECT sqlite_version()").fetchone()[0]
    os_name = platform.freedesktop_os_release().get("PRETTY_NAME", platform.platform())
    return (
        f"{_cpu()}, {os.cpu_count()} logical CPUs, {_memory_gib()} RAM; {os_name}; "
        f"Python {platform.python_version()}; SQLite {sqlite} with SQLCipher "
        f"{cipher[0] if cipher else '?'}; PySide6 {pyside}"
    )


def table(rows: list[Row]) -> str:
    """Format rows as a Markdown table (which also reads well in a terminal)."""
    lines = [
        "| section | measure | value | ratio | target |",
        "| --- | --- | ---: | ---: | --- |",
    ]
    for row in rows:
        value = (
            f"{row.value:.0f} {row.unit}"
            if row.unit == "MB"
            else (f"{row.value * 1000:.1f} ms" if row.unit == "ms" else f"{row.value:.3f} s")
        )
        ratio = "" if row.ratio is None else f"{row.ratio:.2f}"
        verdict = "" if row.met is None else (" — met" if row.met else " — MISSED")
        lines.append(
            f"| {row.section} | {row.measure} | {value} | {ratio} | {row.target}{verdict} |"
        )
    return "\n".join(lines)


SECRET_SERVICE_SESSION = """
set -eu
printf '%s' 'fictional-login-keyring' | gnome-keyring-daemon --unlock --components=secrets \\
    >/dev/null
"$PY" -c "$PROBE" "$VAULT" "$RUNS"
"""


def in_secret_service(probe: str, folder: Path, runs: int) -> dict[str, object] | None:
    """Run Python ``probe`` (argv: vault, runs) beside a real Secret Service; its last JSON line.

    gnome-keyring runs under its own dbus-run-session with a throw-away home; None
    (and a line on stderr) where either is missing or the session fails.
    """
    if not all(shutil.which(t) for t in ("dbus-run-session", "gnome-keyring-daemon")):
        return None
    with tempfile.TemporaryDirectory() as home:
        run = Path(home) / "run"
        run.mkdir(mode=0o700)
        env = {
            "PATH": os.environ["PATH"],
            "HOME": home,
            "XDG_RUNTIME_DIR": str(run),
            "XDG_DATA_HOME": str(Path(home) / "data"),
            "PY": sys.executable,
            "PROBE": probe,
            "VAULT": str(folder),
            "RUNS": str(runs),
            "PYTHONPATH": str(Path(__file__).resolve().parents[1]),
            "PYTHON_KEYRING_BACKEND": "keyring.backends.SecretService.Keyring",
        }
        done = subprocess.run(
            ["dbus-run-session", "--", "bash", "-c", SECRET_SERVICE_SESSION],
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )
    if done.returncode != 0:
        print(f"Secret Service unavailable: {done.stderr.strip()[-300:]}", file=sys.stderr)
        return None
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result
