"""A full disk and a leak scan: clear errors, nothing committed lost, no plain text on disk."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import PASSPHRASE, REPO, run_cli

MARKER = "QUOKKA-LEAK-MARKER-91c2 Fictional Name"


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
        "from desktop.cli import main\n"
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
