"""A full disk, a leak scan, hostile files: clear errors, nothing lost, no plain text on disk."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.errors import VaultDamaged
from desktop.storage.vault import Vault, unlock_with_passphrase
from tests.conftest import PASSPHRASE, REPO, run_cli, snapshot

MARKER = "QUOKKA-LEAK-MARKER-91c2 Fictional Name"


@pytest.mark.slow
def test_a_full_disk_is_one_clear_line_and_keeps_what_was_committed(tmp_path: Path) -> None:
    folder = tmp_path / "vault"
    assert run_cli("--vault", str(folder), "init").returncode == 0
    sample = json.loads((REPO / "tests" / "exchange_sample.json").read_text())
    assert (
        run_cli(
            "--vault", str(folder), "import", str(REPO / "tests" / "exchange_sample.json")
        ).returncode
        == 0
    )
    big = dict(sample)
    big["cases"] = [
        {**sample["cases"][0], "reference": f"BIG-{n}", "summary": "x" * 90_000} for n in range(60)
    ]
    path = tmp_path / "big.json"
    path.write_text(json.dumps(big))
    limit = (folder / "vault.db").stat().st_size + 400_000
    script = (
        "import resource, sys\n"
        f"resource.setrlimit(resource.RLIMIT_FSIZE, ({limit}, {limit}))\n"
        "from desktop.cli.main import main\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    env = {
        **os.environ,
        "ESCALATION_RECORDER_PASSPHRASE": PASSPHRASE,
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
    }
    full = subprocess.run(
        [sys.executable, "-c", script, "--vault", str(folder), "import", str(path)],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        check=False,
        timeout=120,
    )
    assert full.returncode == 2, full.stderr
    assert "disk is full" in full.stderr and "Traceback" not in full.stderr, full.stderr
    assert len(full.stderr.strip().splitlines()) == 1
    exported = run_cli("--vault", str(folder), "export")
    assert [c["reference"] for c in json.loads(exported.stdout)["cases"]] == ["ESC-0001"]
    assert run_cli("--vault", str(folder), "audit", "verify").returncode == 0


@pytest.mark.slow
def test_the_marker_is_only_in_the_files_the_user_asked_for(tmp_path: Path) -> None:
    home, temp, folder = tmp_path / "home", tmp_path / "tmp", tmp_path / "vault"
    for place in (home, temp):
        place.mkdir()
    env = {
        "HOME": str(home),
        "TMPDIR": str(temp),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "XDG_DATA_HOME": str(home / ".local"),
    }
    sample = json.loads((REPO / "tests" / "exchange_sample.json").read_text())
    sample["cases"][0]["summary"] = MARKER
    sample["cases"][0]["stages"][0]["discussions"][0]["notes"] = MARKER
    source = tmp_path / "asked" / "import.json"
    source.parent.mkdir()
    source.write_text(json.dumps(sample))
    asked = source.parent
    steps = [
        ["init"],
        ["import", str(source)],
        [
            "profile",
            "--name",
            "Alex Example (fictional)",
            "--role",
            "DSL",
            "--organisation",
            "Nowhere Primary (fictional)",
        ],
        ["render", "ESC-0001", "--document", "summary", "-o", str(asked / "s.pdf")],
        ["export", "-o", str(asked / "export.json")],
        ["backup", "-o", str(asked / "backup.zip")],
        ["report", "--from", "2026-01-01", "--to", "2027-12-31", "-o", str(asked / "r.csv")],
        [
            "report",
            "--from",
            "2026-01-01",
            "--to",
            "2027-12-31",
            "--format",
            "pdf",
            "-o",
            str(asked / "r.pdf"),
        ],
        ["transfer", "send", "--child", "C-1042", "--to", "Fictional", "-o", str(asked / "t.pkg")],
        ["subject-access", "C-1042", "-o", str(asked / "sar.pdf")],
        ["due"],
        ["audit", "verify"],
    ]
    for step in steps:
        result = run_cli("--vault", str(folder), *step, env=env)
        assert result.returncode == 0, (step, result.stderr)
        assert MARKER not in result.stderr
    needles = [MARKER.encode(), MARKER.encode("utf-16-le"), b"QUOKKA-LEAK"]
    leaked = [
        str(path)
        for place in (folder, temp, home)
        for path in place.rglob("*")
        if path.is_file()
        if any(n in path.read_bytes() for n in needles)
    ]
    assert leaked == []
    assert MARKER.encode() in (asked / "export.json").read_bytes()  # asked for: plain JSON
    for sealed in ("backup.zip", "t.pkg"):  # backups and transfer packages stay encrypted
        assert not any(n in (asked / sealed).read_bytes() for n in needles)
    for report in ("r.csv", "r.pdf"):  # a report never carries what was typed about a case
        assert not any(n in (asked / report).read_bytes() for n in needles)


def _limited(limit: int, *args: str) -> subprocess.CompletedProcess[str]:
    """Run the command line with files capped at ``limit`` bytes: a disk that is full."""
    script = (
        "import resource, sys\n"
        f"resource.setrlimit(resource.RLIMIT_FSIZE, ({limit}, {limit}))\n"
        "from desktop.cli.main import main\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    env = {
        **os.environ,
        "ESCALATION_RECORDER_PASSPHRASE": PASSPHRASE,
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
    }
    return subprocess.run(
        [sys.executable, "-c", script, *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        check=False,
        timeout=120,
    )


def test_a_full_disk_while_opening_is_not_called_damage(vault: Vault) -> None:
    vault.close()
    before = snapshot(vault.files.folder)
    full = _limited(1000, "--vault", str(vault.files.folder), "due")  # no room for the -shm
    assert full.returncode == 2, full.stderr
    assert "disk is full" in full.stderr and "damaged" not in full.stderr, full.stderr
    assert len(full.stderr.strip().splitlines()) == 1
    kept = ("vault.db", "vault.key")  # the lock file holds the pid of whoever opened it last
    after = snapshot(vault.files.folder)
    assert [after[name] for name in kept] == [before[name] for name in kept]
    assert run_cli("--vault", str(vault.files.folder), "due").returncode == 0


def test_sqlcipher_writes_no_log_lines_of_its_own(vault: Vault) -> None:
    vault.close()
    data = bytearray(vault.files.database.read_bytes())
    data[200] ^= 0x01  # inside page 1: its HMAC no longer matches
    vault.files.database.write_bytes(bytes(data))
    damaged = run_cli("--vault", str(vault.files.folder), "due")
    assert damaged.returncode == 2
    assert damaged.stderr.strip().splitlines() == [
        "escalation-recorder: The vault database is damaged or is not an Escalation Recorder "
        "vault; it was left exactly as it was."
    ]


@pytest.mark.parametrize(("field", "value"), [("n", 3), ("n", 2**40), ("r", 2**20), ("p", 64)])
def test_a_key_file_asking_too_much_or_too_little_of_scrypt_is_one_sentence(
    vault: Vault, field: str, value: int
) -> None:
    vault.close()
    data = json.loads(vault.files.key.read_text())
    data["kdf"][field] = value
    vault.files.key.write_text(json.dumps(data))
    before = snapshot(vault.files.folder)
    with pytest.raises(VaultDamaged, match="outside the safe range"):
        unlock_with_passphrase(vault.files.folder, PASSPHRASE)
    if value == 2**40:  # and through the command line, where it was exit 70
        refused = run_cli("--vault", str(vault.files.folder), "due")
        assert refused.returncode == 2
        assert refused.stderr.count("\n") == 1 and "outside the safe range" in refused.stderr
    assert snapshot(vault.files.folder) == before
