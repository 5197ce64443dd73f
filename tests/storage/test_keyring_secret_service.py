"""The key in a real Secret Service: gnome-keyring-daemon under dbus-run-session."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.storage.keyfile import KeyMaterial, read_key_file
from tests.conftest import PASSPHRASE, REPO

NEEDED = ("dbus-run-session", "gnome-keyring-daemon")

SCRIPT = """
set -eu
printf '%s' 'fictional-login-keyring' | gnome-keyring-daemon --unlock --components=secrets \
    >/dev/null
"$PY" -c 'import keyring; print(type(keyring.get_keyring()).__module__)'
ESCALATION_RECORDER_PASSPHRASE="$PASSPHRASE" "$PY" -m desktop --vault "$VAULT" init --remember
# No passphrase and no terminal: only the keyring can open the vault now.
"$PY" -m desktop --vault "$VAULT" audit verify </dev/null
"""


@pytest.mark.keyring
def test_key_round_trips_through_a_real_secret_service(tmp_path: Path) -> None:
    missing = [tool for tool in NEEDED if shutil.which(tool) is None]
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"CI must have {missing} (make test installs them)")
        pytest.skip(f"needs {missing}")
    vault = tmp_path / "vault"
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path / "home"),
        "XDG_DATA_HOME": str(tmp_path / "home" / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "home" / "config"),
        "XDG_RUNTIME_DIR": str(tmp_path / "run"),
        "PY": sys.executable,
        "PASSPHRASE": PASSPHRASE,
        "VAULT": str(vault),
        # The test extras install keyrings.alt (for the plain-text refusal test),
        # which makes keyring chain it in by default, and a chain with an
        # insecure member is refused. A user picks Secret Service this way too.
        "PYTHON_KEYRING_BACKEND": "keyring.backends.SecretService.Keyring",
    }
    (tmp_path / "run").mkdir(mode=0o700)
    (tmp_path / "home").mkdir()
    result = subprocess.run(
        ["dbus-run-session", "--", "bash", "-c", SCRIPT],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "keyring.backends.SecretService"
    assert "key remembered in the OS keyring" in lines[1]
    assert lines[2].startswith("Audit trail intact")
    # The key itself is in the keyring and belongs to this vault.
    key_file = read_key_file(vault / "vault.key")
    env["VAULT_ID"] = key_file.vault_id
    read_back = subprocess.run(
        [
            "dbus-run-session",
            "--",
            "bash",
            "-c",
            "printf '%s' 'fictional-login-keyring' | gnome-keyring-daemon --unlock "
            '--components=secrets >/dev/null; "$PY" -c \'import keyring, os; '
            'print(keyring.get_password("escalation-recorder", os.environ["VAULT_ID"]))\'',
        ],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert read_back.returncode == 0, read_back.stderr
    material = KeyMaterial.decode(read_back.stdout.strip())
    assert key_file.matches(material)
    assert material == key_file.open(PASSPHRASE)
