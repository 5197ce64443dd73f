"""Shared fixtures: a vault on tmp_path, an in-memory secret store, file snapshots."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.storage.keyfile import ScryptParams
from desktop.storage.secrets import MemorySecretStore
from desktop.storage.vault import Vault, create_vault

# Cheap scrypt for unit tests; the parameters are stored with the key, so
# unlocking uses exactly what was used to create. The CLI uses the defaults.
FAST_KDF = ScryptParams(n=2**12, r=8, p=1)
PASSPHRASE = "purple elephant umbrella seventeen"
REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def vault_dir(tmp_path: Path) -> Path:
    """Return a not-yet-existing vault folder."""
    return tmp_path / "vault"


@pytest.fixture
def vault(vault_dir: Path) -> Iterator[Vault]:
    """Return a new, unlocked vault; it is closed after the test."""
    opened = create_vault(vault_dir, PASSPHRASE, params=FAST_KDF)
    yield opened
    opened.close()


@pytest.fixture
def memory_store() -> MemorySecretStore:
    """Return an in-memory secret store."""
    return MemorySecretStore()


def snapshot(folder: Path) -> dict[str, str]:
    """Return every file under ``folder`` with the SHA-256 of its bytes."""
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def run_cli(
    *args: str,
    env: dict[str, str] | None = None,
    passphrase: str | None = PASSPHRASE,
    timeout: float = 120,
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m desktop ARGS`` as a user would, with no terminal."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("ESCALATION_RECORDER")}
    full_env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
    if passphrase is not None:
        full_env["ESCALATION_RECORDER_PASSPHRASE"] = passphrase
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "desktop", *args],
        env=full_env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        cwd=REPO,
    )
