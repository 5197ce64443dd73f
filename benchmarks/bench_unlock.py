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
import tempfile
from pathlib import Path

from benchmarks.common import PASSPHRASE, Row, in_secret_service, median_seconds, table
from desktop.storage.keyfile import ScryptParams
from desktop.storage.vault import create_vault, unlock_with_passphrase, unlock_with_store

PROBE = """
import json, sys
from pathlib import Path
from benchmarks.common import PASSPHRASE, median_seconds
from desktop.storage.secrets import KeyringSecretStore
from desktop.storage.vault import unlock_with_passphrase, unlock_with_store

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


def _secret_service(folder: Path, runs: int) -> tuple[float, str] | None:
    result = in_secret_service(PROBE, folder, runs)
    if result is None:
        return None
    return float(str(result["keyring"])), str(result["backend"])


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
            from desktop.storage.secrets import MemorySecretStore

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
