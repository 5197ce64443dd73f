"""A changed profile signs with a new certificate under the same root; old ones still verify."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from desktop.documents.signing import verify_pdf
from desktop.models import AuditEvent
from desktop.storage.vault import Vault, unlock_with_passphrase
from tests.conftest import PASSPHRASE, run_cli
from tests.sharing.test_signed_documents import _render, _write, case_vault

__all__ = ["case_vault"]  # the fixture, shared with test_documents

NEW_NAME = "Jo Newname (fictional)"


def test_a_profile_change_issues_a_new_certificate_under_the_same_root(
    case_vault: Vault, tmp_path: Path
) -> None:
    first = _write(tmp_path, "first.pdf", _render(case_vault, "summary"))
    folder = case_vault.files.folder
    case_vault.close()
    changed = run_cli(
        "--vault",
        str(folder),
        "profile",
        "--name",
        NEW_NAME,
        "--role",
        "Designated Safeguarding Lead",
        "--organisation",
        "Nowhere Primary (fictional)",
    )
    assert changed.returncode == 0, changed.stderr
    with unlock_with_passphrase(folder, PASSPHRASE) as again:
        second = _render(again, "summary")
        with again.sessions() as session:
            actions = list(session.scalars(select(AuditEvent.action)))
    [old], [new] = verify_pdf(first.read_bytes(), set()), verify_pdf(second, set())
    assert new.signer_name == NEW_NAME
    assert old.signer_name == "Alex Example (fictional)"
    assert new.fingerprint != old.fingerprint
    assert new.root_fingerprint == old.root_fingerprint
    assert actions.count("profile.changed") == 2  # the fixture's first profile, then this
    still = run_cli(
        "--vault", str(folder), "verify", str(first), str(_write(tmp_path, "2.pdf", second))
    )
    assert still.returncode == 0, still.stdout + still.stderr
