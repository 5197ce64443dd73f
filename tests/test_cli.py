"""The command line as a user meets it: one line per error, exit codes, no tracebacks."""

from __future__ import annotations

from pathlib import Path

import sqlcipher3

from desktop.keyfile import read_key_file
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
