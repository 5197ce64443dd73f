"""The command line as a user meets it: one line per error, exit codes, no tracebacks."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import sqlcipher3

from desktop.storage.keyfile import read_key_file
from tests.conftest import PASSPHRASE, run_cli, snapshot


def _assert_one_clean_line(stderr: str) -> None:
    assert "Traceback" not in stderr
    assert len(stderr.strip().splitlines()) == 1, stderr


def test_init_then_audit_verify(tmp_path: Path) -> None:
    folder = tmp_path / "vault"
    created = run_cli("--vault", str(folder), "init")
    assert created.returncode == 0, created.stderr
    assert "Created an encrypted vault" in created.stdout
    verified = run_cli("--vault", str(folder), "audit", "verify")
    assert verified.returncode == 0, verified.stderr
    assert "Audit trail intact: 1 event" in verified.stdout


def test_vault_folder_from_the_environment(tmp_path: Path) -> None:
    folder = tmp_path / "from-env"
    env = {"ESCALATION_RECORDER_VAULT": str(folder)}
    assert run_cli("init", env=env).returncode == 0
    assert (folder / "vault.db").exists()
    assert run_cli("audit", "verify", env=env).returncode == 0


def test_default_vault_folder_is_the_user_data_folder(tmp_path: Path) -> None:
    env = {"XDG_DATA_HOME": str(tmp_path / "data"), "HOME": str(tmp_path)}
    assert run_cli("init", env=env).returncode == 0
    assert (tmp_path / "data" / "escalation-recorder" / "vault" / "vault.db").exists()


def test_bad_arguments_are_one_line_and_exit_2(tmp_path: Path) -> None:
    for args in (["frobnicate"], ["audit"], ["audit", "undo"], ["init", "--shout"]):
        result = run_cli("--vault", str(tmp_path / "v"), *args)
        assert result.returncode == 2, args
        _assert_one_clean_line(result.stderr)
    assert not (tmp_path / "v").exists()


def test_wrong_passphrase_exits_2_and_changes_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "vault"
    assert run_cli("--vault", str(folder), "init").returncode == 0
    before = snapshot(folder)
    result = run_cli("--vault", str(folder), "audit", "verify", passphrase="wrong wrong wrong")
    assert result.returncode == 2
    _assert_one_clean_line(result.stderr)
    assert "does not open this vault" in result.stderr
    assert snapshot(folder) == before


def test_no_passphrase_and_no_terminal_says_how(tmp_path: Path) -> None:
    folder = tmp_path / "vault"
    assert run_cli("--vault", str(folder), "init").returncode == 0
    result = run_cli("--vault", str(folder), "audit", "verify", passphrase=None)
    assert result.returncode == 2
    assert "ESCALATION_RECORDER_PASSPHRASE" in result.stderr
    _assert_one_clean_line(result.stderr)


def test_missing_vault_is_named(tmp_path: Path) -> None:
    result = run_cli("--vault", str(tmp_path / "none"), "audit", "verify")
    assert result.returncode == 2
    assert "There is no vault" in result.stderr
    _assert_one_clean_line(result.stderr)


def test_init_twice_refuses(tmp_path: Path) -> None:
    folder = tmp_path / "vault"
    assert run_cli("--vault", str(folder), "init").returncode == 0
    before = snapshot(folder)
    again = run_cli("--vault", str(folder), "init", passphrase="another passphrase")
    assert again.returncode == 2 and "already exists" in again.stderr
    assert snapshot(folder) == before


def test_audit_verify_names_an_event_edited_through_a_raw_connection(tmp_path: Path) -> None:
    folder = tmp_path / "vault"
    assert run_cli("--vault", str(folder), "init").returncode == 0
    material = read_key_file(folder / "vault.key").open(PASSPHRASE)
    raw = sqlcipher3.connect(str(folder / "vault.db"))
    raw.execute(f'PRAGMA key = "{material.sqlcipher_key}"')
    raw.execute("UPDATE audit_event SET action = 'vault.opened' WHERE id = 1")
    raw.commit()
    raw.close()
    result = run_cli("--vault", str(folder), "audit", "verify")
    assert result.returncode == 1
    assert "broken at event 1" in result.stderr
    _assert_one_clean_line(result.stderr)


def test_plain_text_keyring_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    folder = tmp_path / "vault"
    env = {
        "PYTHON_KEYRING_BACKEND": "keyrings.alt.file.PlaintextKeyring",
        "XDG_DATA_HOME": str(tmp_path / "data"),
    }
    result = run_cli("--vault", str(folder), "init", "--remember", env=env)
    assert result.returncode == 2
    assert "cannot be remembered" in result.stderr
    assert "PlaintextKeyring is not a secure store" in result.stderr
    _assert_one_clean_line(result.stderr)
    assert not folder.exists()
    assert not (tmp_path / "data" / "python_keyring").exists()


SAMPLE = Path(__file__).parents[1] / "exchange_sample.json"


def test_procedures_json_lists_every_version() -> None:
    import json

    result = run_cli("procedures", "--json", passphrase=None)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert {(p["id"], p["version"]) for p in data} >= {
        ("berkshire", "2026-03"),
        ("north-lincolnshire", "2019-10"),
    }
    listing = run_cli("procedures", passphrase=None)
    assert "north-lincolnshire 2019-10" in listing.stdout and "superseded" in listing.stdout


def test_import_export_due_through_the_command_line(tmp_path: Path) -> None:
    import json

    folder = tmp_path / "vault"
    assert run_cli("--vault", str(folder), "init").returncode == 0
    imported = run_cli("--vault", str(folder), "import", str(SAMPLE))
    assert imported.returncode == 0, imported.stderr
    assert imported.stdout.strip() == "Imported 1 case."
    out = tmp_path / "export.json"
    exported = run_cli("--vault", str(folder), "export", "--case", "ESC-0001", "-o", str(out))
    assert exported.returncode == 0, exported.stderr
    case = json.loads(out.read_text())["cases"][0]
    assert case["current_stage"] == "2" and case["stages"][0]["outcome"] == "unresolved"
    due = run_cli("--vault", str(folder), "due", "--json")
    assert due.returncode == 0
    items = json.loads(due.stdout)
    assert [i["kind"] for i in items] == ["action", "stage"]  # earliest first
    assert [i["due_at"] for i in items] == [
        "2026-12-29T12:00:00+00:00",
        "2026-12-30T09:30:00+00:00",
    ]
    now = dt.datetime.now(dt.UTC).isoformat()
    assert [i["overdue"] for i in items] == [i["due_at"] < now for i in items]
    missing = run_cli("--vault", str(folder), "export", "--case", "NOPE")
    assert missing.returncode == 2 and "There is no case NOPE" in missing.stderr


def test_malformed_import_exits_2_and_leaves_the_database_identical(tmp_path: Path) -> None:
    folder = tmp_path / "vault"
    assert run_cli("--vault", str(folder), "init").returncode == 0
    assert run_cli("--vault", str(folder), "import", str(SAMPLE)).returncode == 0
    before = {k: v for k, v in snapshot(folder).items() if k != "vault.lock"}
    bad = tmp_path / "bad.json"
    bad.write_text(SAMPLE.read_text().replace('"stage": "2"', '"stage": "4"'))
    result = run_cli("--vault", str(folder), "import", str(bad))
    assert result.returncode == 2
    _assert_one_clean_line(result.stderr)
    assert "Case ESC-0001:" in result.stderr and "cannot escalate to 4" in result.stderr
    assert {k: v for k, v in snapshot(folder).items() if k != "vault.lock"} == before
    for args in (["import", str(tmp_path / "absent.json")], ["import"]):
        result = run_cli("--vault", str(folder), *args)
        assert result.returncode == 2
        _assert_one_clean_line(result.stderr)
