"""Run the built bundle as a user without Python would, and time its window (make bundle-test).

    python packaging/smoke_test.py build/bundle/dist/escalation-recorder [--runs 5]

Every command runs in a scrubbed environment, as `env -i` gives it: only
PATH=/usr/bin:/bin, HOME in a temporary folder, LANG=C.UTF-8 and the
ESCALATION_RECORDER_* variables (plus DISPLAY and XDG_RUNTIME_DIR for the
window, and a D-Bus session for the keyring step); no virtual environment, no
PYTHONPATH, started from a folder outside the repository. It creates a vault,
imports and adds cases, signs PDFs and verifies them (and a tampered copy),
keeps a key in a real Secret Service, and starts the window under Xvfb until
the unlock dialog has painted: found by its title with xdotool, then
screenshots (xwd) until it is no longer blank. The same first paint is timed
for the development venv's console script, for comparison. Last, nothing may
have been written into the bundle's own folder. On Windows and macOS (the CI
workflow) the same commands run, in that system's minimal environment; the
keyring and window steps are Linux's. Standard library only: it must not lean
on what it tests.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
NAME = "escalation-recorder"
PASSPHRASE = "fictional smoke-test passphrase 42"  # noqa: S105 - a test vault's
UNLOCK_TITLE = "Unlock Escalation Recorder"
PROFILE = ["--name", "Alex Example (fictional)", "--role", "DSL"]
ORGANISATION = ["--organisation", "Nowhere Primary (fictional)"]


class SmokeFailure(Exception):
    """A check of the bundle failed; the message says which and shows the output."""


@dataclass(frozen=True)
class Place:
    """The temporary home, vault and working folder of one smoke-test run."""

    root: Path

    @property
    def home(self) -> Path:
        """The scrubbed HOME."""
        return self.root / "home"

    @property
    def vault(self) -> Path:
        """The vault the commands share."""
        return self.root / "vault"

    @property
    def work(self) -> Path:
        """Where the commands are started and write their files."""
        return self.root / "work"

    def env(self, **extra: str) -> dict[str, str]:
        """The whole environment of a command: nothing is inherited."""
        base = {
            "PATH": "/usr/bin:/bin",
            "HOME": str(self.home),
            "LANG": "C.UTF-8",
            "ESCALATION_RECORDER_VAULT": str(self.vault),
        }
        if sys.platform == "win32":
            base |= self._windows_profile()
        return base | extra

    def _windows_profile(self) -> dict[str, str]:
        """What a Windows process needs at least, with the user's profile in ``home``."""
        system_root = os.environ["SYSTEMROOT"]
        folders = {
            "USERPROFILE": self.home,
            "APPDATA": self.home / "AppData" / "Roaming",
            "LOCALAPPDATA": self.home / "AppData" / "Local",
            "TEMP": self.home / "AppData" / "Local" / "Temp",
            "TMP": self.home / "AppData" / "Local" / "Temp",
        }
        for folder in folders.values():
            folder.mkdir(parents=True, exist_ok=True)
        return {
            "PATH": str(Path(system_root) / "System32"),
            "SYSTEMROOT": system_root,
            **{name: str(folder) for name, folder in folders.items()},
        }


def run(
    command: Sequence[str], env: dict[str, str], cwd: Path, expect: int = 0
) -> subprocess.CompletedProcess[str]:
    """Run ``command`` without a terminal; fail unless it exits with ``expect``."""
    done = subprocess.run(
        list(command),
        env=env,
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if done.returncode != expect:
        raise SmokeFailure(
            f"{' '.join(command)} exited {done.returncode}, expected {expect}\n"
            f"stdout: {done.stdout[-2000:]}\nstderr: {done.stderr[-2000:]}"
        )
    return done


def check(condition: bool, what: str) -> None:
    """Fail with ``what`` unless ``condition`` holds."""
    if not condition:
        raise SmokeFailure(what)


def say(line: str) -> None:
    """Report one passed check."""
    print(f"  ok  {line}", flush=True)


def check_contents(folder: Path) -> None:
    """The bundle ships keyring's backend list, no plain-text keyring and no test tools.

    keyring finds its backends through its distribution's entry points, so
    without its metadata the frozen app could never remember a key.
    """
    internal = folder / "_internal"
    for absent in ("keyrings", "pytest", "hypothesis", "mypy"):
        check(not (internal / absent).exists(), f"the bundle ships {absent}")
    check(any(internal.glob("keyring-*.dist-info")), "keyring's metadata is missing")
    say("keyring's list of backends is inside; plain-text keyrings and test tools are not")


def check_commands(exe: Path, place: Place) -> None:
    """init, import, demo, profile, procedures, due, backup and the audit trail."""
    env = place.env(ESCALATION_RECORDER_PASSPHRASE=PASSPHRASE)
    listed = json.loads(run([str(exe), "procedures", "--json"], env, place.work).stdout)
    shipped = len(list((REPO / "resources" / "procedures").glob("*.toml")))
    check(len(listed) == shipped, f"procedures lists {len(listed)}, the app ships {shipped}")
    say(f"procedures --json: all {shipped} bundled procedures")
    created = run([str(exe), "init"], env, place.work).stdout
    check("Created an encrypted vault" in created, f"init said: {created}")
    check((place.vault / "vault.db").is_file(), "init wrote no vault.db")
    say("init: a new SQLCipher vault (every Alembic migration ran from the bundle)")
    sample = REPO / "tests" / "exchange_sample.json"
    check("Imported" in run([str(exe), "import", str(sample)], env, place.work).stdout, "import")
    run([str(exe), "demo", "--cases", "3"], env, place.work)
    run([str(exe), "profile", *PROFILE, *ORGANISATION], env, place.work)
    say("import tests/exchange_sample.json, demo --cases 3, profile")
    due = json.loads(run([str(exe), "due", "--json"], env, place.work).stdout)
    check(len(due) > 0, "due --json listed nothing")
    say(f"due --json: {len(due)} items, in working days with UK bank holidays")
    run([str(exe), "backup", "-o", str(place.work / "backup.zip")], env, place.work)
    audit = run([str(exe), "audit", "verify"], env, place.work).stdout
    check(audit.startswith("Audit trail intact"), f"audit verify said: {audit}")
    say("backup -o FILE, audit verify")


def _tampered(pdf: Path) -> Path:
    """Copy ``pdf`` with one byte of its first content stream changed."""
    data = bytearray(pdf.read_bytes())
    at = data.index(b"stream") + 40
    data[at] ^= 0x01
    copy = pdf.with_name(f"tampered-{pdf.name}")
    copy.write_bytes(bytes(data))
    return copy


def check_documents(exe: Path, place: Place) -> None:
    """Render signed PDFs, verify them, and refuse a tampered copy."""
    env = place.env(ESCALATION_RECORDER_PASSPHRASE=PASSPHRASE)
    summary, report = place.work / "summary.pdf", place.work / "report.pdf"
    run(
        [str(exe), "render", "ESC-0001", "--document", "summary", "-o", str(summary)],
        env,
        place.work,
    )
    period = ["--from", "2026-01-01", "--to", "2027-12-31"]
    run([str(exe), "report", *period, "--format", "pdf", "-o", str(report)], env, place.work)
    say("render --document summary, report --format pdf (charts): signed PDFs")
    verified = run([str(exe), "verify", str(summary), str(report)], env, place.work).stdout
    check(verified.count(".pdf: Trusted and unchanged") == 2, f"verify said: {verified}")
    say("verify: both trusted and unchanged, from the vault's own signer (exit 0)")
    run([str(exe), "verify", str(_tampered(summary))], env, place.work, expect=1)
    say("verify: a copy with one byte changed is refused (exit 1)")
    host = dict(os.environ)
    if shutil.which("pdfsig"):
        text = run(["pdfsig", str(summary)], host, place.work).stdout
        check("Signature is Valid" in text, f"pdfsig said: {text}")
        say("pdfsig (poppler): Signature is Valid")
    if shutil.which("qpdf"):
        run(["qpdf", "--check", str(report)], host, place.work)
        say("qpdf --check: the report PDF is well formed")


KEYRING_SCRIPT = """
set -eu
printf '%s' 'fictional-login-keyring' | gnome-keyring-daemon --unlock --components=secrets \
    >/dev/null
ESCALATION_RECORDER_PASSPHRASE="$SMOKE_PASSPHRASE" "$SMOKE_EXE" init --remember
"$SMOKE_EXE" audit verify </dev/null
"""


def check_keyring(exe: Path, place: Place) -> None:
    """Keep the key in a real Secret Service, then open the vault with it alone."""
    missing = [t for t in ("dbus-run-session", "gnome-keyring-daemon") if not shutil.which(t)]
    check(not missing, f"the keyring step needs {missing}: `make bundle-test` installs them")
    runtime = place.root / "runtime"
    runtime.mkdir(mode=0o700)
    env = place.env(
        ESCALATION_RECORDER_VAULT=str(place.root / "keyring-vault"),
        XDG_RUNTIME_DIR=str(runtime),
        SMOKE_EXE=str(exe),
        SMOKE_PASSPHRASE=PASSPHRASE,
    )
    script = ["dbus-run-session", "--", "sh", "-c", KEYRING_SCRIPT]
    lines = run(script, env, place.work).stdout.splitlines()
    check("key remembered in the OS keyring" in lines[0], f"init --remember said: {lines}")
    check(lines[1].startswith("Audit trail intact"), f"audit verify said: {lines}")
    say("init --remember: key kept in gnome-keyring (Secret Service found in the bundle)")
    say("audit verify with no passphrase: the key came back from the keyring")


class Display:
    """An Xvfb server of its own for the window runs."""

    def __init__(self) -> None:
        read, write = os.pipe()
        self.server = subprocess.Popen(
            ["Xvfb", "-displayfd", str(write), "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
            pass_fds=(write,),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(write)
        with os.fdopen(read) as pipe:
            self.name = f":{pipe.readline().strip()}"

    def close(self) -> None:
        """Stop the server."""
        self.server.terminate()
        self.server.wait(timeout=10)


def _blank(screenshot: bytes) -> bool:
    """True when an XWD screenshot has fewer colours than any painted dialog."""
    # XWD: a big-endian header (its size first, the colour-map size at byte 76),
    # the colour map in 12-byte entries, then the pixels.
    (header_size,) = struct.unpack(">I", screenshot[:4])
    (ncolors,) = struct.unpack(">I", screenshot[76:80])
    pixels = screenshot[header_size + 12 * ncolors :]
    words = memoryview(pixels[: len(pixels) // 4 * 4]).cast("I")
    return len(set(words)) < 16


def _painted_window(display: str) -> bool:
    """True once the unlock dialog is mapped and its screenshot is not blank."""
    env = {"PATH": "/usr/bin:/bin", "DISPLAY": display}
    found = subprocess.run(
        ["xdotool", "search", "--onlyvisible", "--name", f"^{UNLOCK_TITLE}$"],
        env=env,
        capture_output=True,
        check=False,
    )
    if found.returncode != 0 or not found.stdout.split():
        return False
    window = found.stdout.split()[0].decode()
    shot = subprocess.run(
        ["xwd", "-silent", "-id", window], env=env, capture_output=True, check=False
    )
    return shot.returncode == 0 and len(shot.stdout) > 100 and not _blank(shot.stdout)


def first_paint(command: Sequence[str], place: Place, display: str) -> float:
    """Seconds from starting ``command`` with no arguments to a painted unlock dialog."""
    runtime = place.root / "gui-runtime"
    runtime.mkdir(mode=0o700, exist_ok=True)
    env = place.env(DISPLAY=display, XDG_RUNTIME_DIR=str(runtime))
    log = place.root / "gui.log"
    with log.open("w") as output:
        start = time.monotonic()
        app = subprocess.Popen(list(command), env=env, cwd=place.work, stdout=output, stderr=output)
        try:
            while not _painted_window(display):
                if app.poll() is not None or time.monotonic() - start > 60:
                    raise SmokeFailure(f"no unlock dialog painted: {log.read_text()[-2000:]}")
                time.sleep(0.02)
            return time.monotonic() - start
        finally:
            app.terminate()
            try:
                app.wait(timeout=10)
            except subprocess.TimeoutExpired:
                app.kill()
                app.wait()


def measure_window(exe: Path, venv_exe: Path | None, place: Place, runs: int) -> dict[str, float]:
    """Median first paint of the unlock dialog, bundle and venv alternately, after a warm-up."""
    display = Display()
    try:
        commands = {"bundle": [str(exe)]}
        if venv_exe is not None:
            commands["venv"] = [str(venv_exe)]
        times: dict[str, list[float]] = {name: [] for name in commands}
        for command in commands.values():
            first_paint(command, place, display.name)  # also warms the file cache
        say(f"window: the unlock dialog painted under Xvfb, from the {' and the '.join(commands)}")
        for _ in range(runs):
            for name, command in commands.items():
                times[name].append(first_paint(command, place, display.name))
    finally:
        display.close()
    return {name: statistics.median(values) for name, values in times.items()}


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    """Size and modification time of every file in ``folder``, by relative path."""
    return {
        str(path.relative_to(folder)): (path.stat().st_size, path.stat().st_mtime_ns)
        for path in folder.rglob("*")
        if path.is_file()
    }


def check_unchanged(folder: Path, before: dict[str, tuple[int, int]]) -> None:
    """The app wrote nothing into its own folder (no caches, no compiled migrations)."""
    after = snapshot(folder)
    changed = sorted(
        name for name in before.keys() | after.keys() if before.get(name) != after.get(name)
    )
    check(not changed, f"the app wrote into its own folder: {changed[:5]}")
    say("nothing was written into the bundle's folder (it may be read-only)")


def bundle_size(folder: Path) -> tuple[int, int]:
    """Bytes and number of files in the bundle folder."""
    files = [path for path in folder.rglob("*") if path.is_file() and not path.is_symlink()]
    return sum(path.stat().st_size for path in files), len(files)


def run_checks(folder: Path, venv_exe: Path | None, runs: int) -> dict[str, float]:
    """Run every check in a fresh temporary place; return the first-paint medians."""
    exe = folder / (f"{NAME}.exe" if sys.platform == "win32" else NAME)
    print(f"Smoke test of {exe}, in a scrubbed environment:")
    check(exe.is_file(), f"no executable at {exe}: run `make bundle` first")
    check_contents(folder)
    before = snapshot(folder)
    paints: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="bundle-smoke-") as temporary:
        place = Place(Path(temporary))
        for made in (place.home, place.work):
            made.mkdir()
        check_commands(exe, place)
        check_documents(exe, place)
        if sys.platform == "linux":
            check_keyring(exe, place)
            paints = measure_window(exe, venv_exe, place, runs)
    check_unchanged(folder, before)
    return paints


def main(argv: Sequence[str] | None = None) -> int:
    """Check the bundle, print what passed and the measurements; 1 on the first failure."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bundle", type=Path, help="the one-folder app, e.g. build/bundle/dist/...")
    parser.add_argument("--runs", type=int, default=5, help="timed window starts of each")
    parser.add_argument(
        "--venv-exe", type=Path, default=REPO / ".venv" / "bin" / NAME, help="compared with"
    )
    args = parser.parse_args(argv)
    folder = args.bundle.resolve()
    try:
        paints = run_checks(folder, args.venv_exe if args.venv_exe.is_file() else None, args.runs)
    except SmokeFailure as failure:
        print(f"FAILED: {failure}", file=sys.stderr)
        return 1
    size, count = bundle_size(folder)
    print(f"\nBundle: {size / 2**20:.0f} MiB in {count} files ({folder})")
    if paints:
        print(f"First paint of the unlock dialog, median of {args.runs} after a warm-up:")
    for name, seconds in paints.items():
        print(f"  {name}: {seconds:.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
