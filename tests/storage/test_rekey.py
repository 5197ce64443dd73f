"""Changing the passphrase re-encrypts the vault: old key files and passphrases stop working."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from desktop.errors import InvalidInput, VaultDamaged, WrongPassphrase
from desktop.models import AuditEvent, Profile
from desktop.storage import audit
from desktop.storage.rekey import change_passphrase
from desktop.storage.secrets import MemorySecretStore
from desktop.storage.vault import Vault, create_vault, unlock_with_passphrase, unlock_with_store
from tests.conftest import FAST_KDF, PASSPHRASE, REPO, run_cli, snapshot

NEW = "a brand new passphrase for the test"
MARKER = "Fictional Marker Person"


def _mark(vault: Vault) -> None:
    with vault.sessions.begin() as session:
        session.add(Profile(name=MARKER, role="DSL", organisation="Nowhere (fictional)"))
        audit.record(session, vault.audit_key, "profile.changed")


def _actions(vault: Vault) -> list[str]:
    with vault.sessions() as session:
        return list(session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def test_old_key_files_and_the_old_passphrase_no_longer_open_the_database(
    vault: Vault, tmp_path: Path
) -> None:
    _mark(vault)
    old_key = vault.files.key.read_bytes()
    change_passphrase(vault, PASSPHRASE, NEW)
    _mark(vault)  # written under the new keys, in the same open vault
    assert vault.verify_audit().intact
    vault.close()
    thief = tmp_path / "thief"
    thief.mkdir()
    shutil.copy(vault.files.database, thief / "vault.db")
    (thief / "vault.key").write_bytes(old_key)
    with pytest.raises(VaultDamaged):
        unlock_with_passphrase(thief, PASSPHRASE)
    with pytest.raises(WrongPassphrase):
        unlock_with_passphrase(vault.files.folder, PASSPHRASE)
    assert sorted(p.name for p in vault.files.folder.iterdir()) == [
        "vault.db",
        "vault.key",
        "vault.lock",
    ]
    with unlock_with_passphrase(vault.files.folder, NEW) as reopened:
        report = reopened.verify_audit()
        assert report.intact, report.reason
        assert _actions(reopened)[-3:] == [
            "profile.changed",
            "vault.passphrase_changed",
            "profile.changed",
        ]
        with reopened.sessions() as session:
            assert session.scalars(select(Profile.name)).all() == [MARKER, MARKER]


def test_a_wrong_current_passphrase_or_a_weak_new_one_changes_nothing(vault: Vault) -> None:
    before = snapshot(vault.files.folder)
    with pytest.raises(WrongPassphrase):
        change_passphrase(vault, "guess guess guess", NEW)
    with pytest.raises(InvalidInput, match="at least 8"):
        change_passphrase(vault, PASSPHRASE, "short")
    assert snapshot(vault.files.folder) == before
    _mark(vault)  # the vault is still open and usable


def test_a_remembered_key_is_replaced_by_the_new_one(vault: Vault) -> None:
    store = MemorySecretStore()
    vault.remember(store)
    change_passphrase(vault, PASSPHRASE, NEW, store=store)
    vault.close()
    with unlock_with_store(vault.files.folder, store) as reopened:
        assert reopened is not None and reopened.verify_audit().intact


def test_the_change_passphrase_command(tmp_path: Path) -> None:
    folder = tmp_path / "vault"
    create_vault(folder, PASSPHRASE, params=FAST_KDF).close()
    weak = run_cli(
        "--vault",
        str(folder),
        "change-passphrase",
        env={"ESCALATION_RECORDER_NEW_PASSPHRASE": "short"},
    )
    assert weak.returncode == 2 and "at least 8" in weak.stderr
    asked = run_cli("--vault", str(folder), "change-passphrase")
    assert asked.returncode == 2 and "ESCALATION_RECORDER_NEW_PASSPHRASE" in asked.stderr
    done = run_cli(
        "--vault",
        str(folder),
        "change-passphrase",
        env={"ESCALATION_RECORDER_NEW_PASSPHRASE": NEW},
    )
    assert done.returncode == 0, done.stderr
    assert "re-encrypted" in done.stdout
    assert run_cli("--vault", str(folder), "audit", "verify").returncode == 2  # old one: refused
    assert run_cli("--vault", str(folder), "audit", "verify", passphrase=NEW).returncode == 0


# Changes the passphrase and kills itself with SIGKILL right after its Nth rename
# or deletion of a file: every point where a crash could fall between two steps.
KILLED_CHANGE = """
import os, signal, sys
from pathlib import Path
from desktop.storage.rekey import change_passphrase
from desktop.storage.vault import unlock_with_passphrase
vault = unlock_with_passphrase(Path(sys.argv[1]), sys.argv[2])
after, calls = int(sys.argv[4]), [0]
def counted(real):
    def call(*args, **kwargs):
        result = real(*args, **kwargs)
        calls[0] += 1
        if calls[0] == after:
            os.kill(os.getpid(), signal.SIGKILL)
        return result
    return call
for name in ("replace", "rename", "unlink", "rmdir"):
    setattr(os, name, counted(getattr(os, name)))
change_passphrase(vault, sys.argv[2], sys.argv[3])
print("finished", flush=True)
"""


def _opens_with(folder: Path) -> str:
    """Return the one passphrase that opens the vault; fail unless exactly one does."""
    works = []
    for candidate in (PASSPHRASE, NEW):
        try:
            with unlock_with_passphrase(folder, candidate) as vault:
                report = vault.verify_audit()
                assert report.intact, report.reason
                changed = "vault.passphrase_changed" in _actions(vault)
                assert changed == (candidate == NEW)  # the change is never unaudited
                with vault.sessions() as session:
                    assert session.scalar(select(Profile.name)) == MARKER
        except WrongPassphrase:
            continue
        works.append(candidate)
    assert len(works) == 1, works
    return works[0]


@pytest.mark.slow
def test_a_change_killed_after_any_step_leaves_one_passphrase_working(tmp_path: Path) -> None:
    pristine, folder = tmp_path / "pristine", tmp_path / "attempt"
    with create_vault(pristine, PASSPHRASE, params=FAST_KDF) as vault:
        _mark(vault)
    for after in range(1, 100):
        shutil.rmtree(folder, ignore_errors=True)
        shutil.copytree(pristine, folder)
        run = subprocess.Popen(
            [sys.executable, "-c", KILLED_CHANGE, str(folder), PASSPHRASE, NEW, str(after)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=REPO,
            env={**os.environ},
        )
        out, err = run.communicate(timeout=120)
        finished = "finished" in out
        assert finished or run.returncode == -signal.SIGKILL, err[-800:]
        working = _opens_with(folder)
        if finished:
            assert working == NEW and after > 5
            return
    raise AssertionError("the change never finished")
