"""Unlocking: from the OS keyring (a real Secret Service where there is one) and by passphrase.

    python -m benchmarks.bench_unlock [--runs 5]

The passphrase unlock is dominated, on purpose, by scrypt (N=2^17, r=8, p=1:
128 MiB and about half a second), which is what makes a stolen vault key file
expensive to attack. The keyring unlock reads the raw key from Secret Service
(gnome-keyring under dbus-run-session here) and skips it. Both then open the
SQLCipher database, check the schema and write the 'unlocked' audit event.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.common import PASSPHRASE, Row, median_seconds, table
from desktop.keyfile import ScryptParams
from desktop.vault import create_vault, unlock_with_passphrase, unlock_with_store

PROBE = """
import json, sys
from pathlib import Path
from benchmarks.common import PASSPHRASE, median_seconds
from desktop.secrets import KeyringSecretStore
from desktop.vault import unlock_with_passphrase, unlock_with_store

folder, runs = Path(sys.argv[1]), int(sys.argv[2])
store = KeyringSecretStore.open()
with unlock_with_passphrase(folder, PASSPHRASE) as vault:
    vault.remember(store)

def keyring_unlock():
    vault = unlock_with_store(folder, KeyringSecretStore.open(), origin="app")
    assert vault is not None
    vault.close()

print(json.dumps({"keyring": median_seconds(keyring_unlock, runs),
                  "backend": store.description}))
"""
SESSION = """
set -eu
printf '%s' 'fictional-login-keyring' | gnome-keyring-daemon --unlock --components=secrets \\
    >/dev/null
"$PY" -c "$PROBE" "$VAULT" "$RUNS"
"""


def _secret_service(folder: Path, runs: int) -> tuple[float, str] | None:
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
            "PROBE": PROBE,
            "VAULT": str(folder),
            "RUNS": str(runs),
            "PYTHONPATH": str(Path(__file__).resolve().parents[1]),
            "PYTHON_KEYRING_BACKEND": "keyring.backends.SecretService.Keyring",
        }
        done = subprocess.run(
            ["dbus-run-session", "--", "bash", "-c", SESSION],
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
    if done.returncode != 0:
        print(f"Secret Service unavailable: {done.stderr.strip()[-300:]}", file=sys.stderr)
        return None
    result = json.loads(done.stdout.strip().splitlines()[-1])
    return float(result["keyring"]), str(result["backend"])


def measure(runs: int) -> list[Row]:
    """Median unlock times of a small vault, each way."""
    params = ScryptParams()
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp) / "vault"
        create_vault(folder, PASSPHRASE, params=params).close()

        def by_passphrase() -> None:
            unlock_with_passphrase(folder, PASSPHRASE, origin="app").close()

        passphrase = median_seconds(by_passphrase, runs)
        real = _secret_service(folder, runs)
        if real is None:
            from desktop.secrets import MemorySecretStore

            store = MemorySecretStore()
            with unlock_with_passphrase(folder, PASSPHRASE) as vault:
                vault.remember(store)

            def from_memory() -> None:
                opened = unlock_with_store(folder, store, origin="app")
                assert opened is not None
                opened.close()

            real = (median_seconds(from_memory, runs), "an in-memory store (no Secret Service)")
    keyring, backend = real
    return [
        Row("Unlock", f"from the keyring: {backend}", keyring, "ms", keyring / passphrase),
        Row(
            "Unlock",
            f"by passphrase: scrypt N=2^{params.n.bit_length() - 1}, r={params.r}, p={params.p} "
            f"({128 * params.r * params.n // 2**20} MiB)",
            passphrase,
            "ms",
            1.0,
        ),
    ]


def main() -> int:
    """Print this benchmark's rows."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    print(table(measure(args.runs)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
