"""No command writes inside the vault folder, or over an existing file without --force."""

from __future__ import annotations

import argparse
import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.cli.main import build_parser, run
from desktop.cli.sharing import ENV_PACKAGE
from desktop.errors import InvalidInput
from desktop.procedures.catalogue import load_catalogue
from desktop.sharing.signed_documents import render_document
from desktop.sharing.transfer import send_package
from desktop.storage.files import check_output_path
from desktop.storage.locations import ENV_PASSPHRASE
from desktop.storage.vault import Vault, create_vault
from tests.conftest import FAST_KDF, PASSPHRASE, run_cli, snapshot
from tests.factories import import_sample, profiled_vault, sample_exchange

CATALOGUE = load_catalogue()
NOW = dt.datetime(2026, 12, 30, 12, tzinfo=dt.UTC)


def _filled(folder: Path, reference: str = "ESC-0001") -> Vault:
    """A vault holding the sample case (as ``reference``) and a profile to sign with."""
    vault = profiled_vault(folder)
    sample = sample_exchange()
    sample["cases"][0]["reference"] = reference
    import_sample(vault, CATALOGUE, sample)
    return vault


class World:
    """A vault with a case, a signed PDF and a received package beside it."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.folder = root / "vault"
        with _filled(self.folder) as vault, vault.sessions.begin() as session:
            self.pdf = root / "signed.pdf"
            self.pdf.write_bytes(
                render_document(
                    session, vault.audit_key, CATALOGUE, "ESC-0001", "summary", None, None, False
                ).pdf
            )
        with _filled(root / "sender", "FROM-1") as sender, sender.sessions.begin() as session:
            sent = send_package(
                session, sender.audit_key, CATALOGUE, "C-1042", "Nowhere Primary", NOW
            )
        self.package = root / "package.erpkg"
        self.package.write_bytes(sent.data)
        assert sent.passphrase is not None
        self.package_passphrase = sent.passphrase

    def commands(self, output: Path) -> dict[str, list[str]]:
        """Every command that writes a file, writing to ``output``."""
        out = str(output)
        return {
            "export": ["export", "-o", out],
            "export one case": ["export", "--case", "ESC-0001", "-o", out],
            "render": ["render", "ESC-0001", "--document", "summary", "-o", out],
            "countersign": ["countersign", str(self.pdf), "-o", out],
            "backup": ["backup", "-o", out],
            "report": ["report", "--from", "2026-01-01", "--to", "2026-12-31", "-o", out],
            "report pdf": [
                *("report", "--from", "2026-01-01", "--to", "2026-12-31"),
                *("--format", "pdf", "-o", out),
            ],
            "certificate": ["certificate", "-o", out],
            "transfer send": [
                *("transfer", "send", "--child", "C-1042", "--to", "Elsewhere (fictional)"),
                *("-o", out),
            ],
            "transfer receive": ["transfer", "receive", str(self.package), "--yes", "-o", out],
            "subject-access": ["subject-access", "C-1042", "-o", out],
        }


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    return World(tmp_path_factory.mktemp("outputs"))


@pytest.fixture
def env(world: World, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv(ENV_PASSPHRASE, PASSPHRASE)
    monkeypatch.setenv(ENV_PACKAGE, world.package_passphrase)
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    yield


def _run(capsys: pytest.CaptureFixture[str], folder: Path, args: list[str]) -> tuple[int, str]:
    code = run(["--vault", str(folder), *args])
    return code, capsys.readouterr().err


def _targets(world: World) -> dict[str, Path]:
    """Paths that lead into the vault folder, some of them by a link."""
    folder = world.folder
    into_key = world.root / "innocent.key"
    into_key.unlink(missing_ok=True)
    into_key.symlink_to(folder / "vault.key")
    into_folder = world.root / "looks-elsewhere"
    if not into_folder.is_symlink():
        into_folder.symlink_to(folder)
    return {
        "key file": folder / "vault.key",
        "database": folder / "vault.db",
        "the vault folder itself": folder,
        "a new file in it": folder / "backups" / "new.zip",
        "a procedure file": folder / "procedures" / "evil.toml",
        "through ..": world.root / "other" / ".." / "vault" / "vault.key",
        "a link to the key file": into_key,
        "a linked folder": into_folder / "vault.db",
        "restore's staging folder": world.root / ".vault.restoring" / "vault.db",
    }


def test_every_command_refuses_to_write_into_the_vault_folder(
    world: World, env: None, capsys: pytest.CaptureFixture[str]
) -> None:
    before = snapshot(world.folder)
    targets = _targets(world)
    for name, args in world.commands(targets["key file"]).items():
        code, err = _run(capsys, world.folder, args)
        assert (code, "inside the vault folder" in err) == (2, True), (name, err)
        assert len(err.strip().splitlines()) == 1, err
        assert snapshot(world.folder) == before, name
    for label, target in targets.items():
        code, err = _run(capsys, world.folder, ["export", "-o", str(target), "--force"])
        assert (code, "inside the vault folder" in err) == (2, True), (label, err)
        assert snapshot(world.folder) == before, label
    assert not (world.root / ".vault.restoring").exists()


def test_an_existing_file_is_kept_unless_force_is_given(
    world: World, env: None, capsys: pytest.CaptureFixture[str]
) -> None:
    existing = world.root / "existing.out"
    existing.write_text("keep me")
    for name, args in world.commands(existing).items():
        code, err = _run(capsys, world.folder, args)
        assert (code, "already exists" in err, "--force" in err) == (2, True, True), (name, err)
        assert existing.read_text() == "keep me", name
    for name in ("export", "report", "certificate", "backup"):
        existing.write_text("replace me")
        code, err = _run(capsys, world.folder, [*world.commands(existing)[name], "--force"])
        assert code == 0, (name, err)
        assert existing.read_bytes() != b"replace me", name


def test_a_new_file_needs_no_force_and_a_folder_is_refused(
    world: World, env: None, capsys: pytest.CaptureFixture[str]
) -> None:
    new = world.root / "fresh" / "cases.json"
    new.parent.mkdir(exist_ok=True)
    new.unlink(missing_ok=True)
    assert _run(capsys, world.folder, ["export", "-o", str(new)])[0] == 0
    assert json.loads(new.read_text())["cases"][0]["reference"] == "ESC-0001"
    code, err = _run(capsys, world.folder, ["export", "-o", str(new.parent), "--force"])
    assert code == 2 and "is a folder" in err
    code, err = _run(capsys, world.folder, ["export", "-o", str(world.root / "none" / "x.json")])
    assert code == 2 and "does not exist" in err


def _parsers(parser: argparse.ArgumentParser) -> Iterator[argparse.ArgumentParser]:
    yield parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                yield from _parsers(sub)


def test_every_command_with_an_output_offers_force() -> None:
    parsers = list(_parsers(build_parser()))
    with_output = [p for p in parsers if any("--output" in a.option_strings for a in p._actions)]
    assert len(with_output) >= 9
    for parser in with_output:
        assert any("--force" in a.option_strings for a in parser._actions), parser.prog


def test_check_output_path_follows_links_and_names_the_path(tmp_path: Path) -> None:
    folder = tmp_path / "vault"
    (folder / "backups").mkdir(parents=True)
    (folder / "vault.key").write_text("k")
    link = tmp_path / "out.json"
    link.symlink_to(folder / "backups" / "later.zip")  # dangling: written through, into the vault
    with pytest.raises(InvalidInput, match="inside the vault folder") as refused:
        check_output_path(link, folder, force=True)
    assert str(link) in refused.value.message
    assert check_output_path(tmp_path / "ok.json", folder) == (tmp_path / "ok.json").resolve()
    sibling = tmp_path / "vault-other" / "x.json"  # a name that only starts like the vault's
    sibling.parent.mkdir()
    assert check_output_path(sibling, folder) == sibling.resolve()
    loop = tmp_path / "loop"
    loop.symlink_to(loop)
    with pytest.raises(InvalidInput):
        check_output_path(loop / "x", folder)


def test_a_command_line_user_cannot_overwrite_the_key_file(tmp_path: Path) -> None:
    folder = tmp_path / "vault"
    create_vault(folder, PASSPHRASE, params=FAST_KDF).close()
    before = snapshot(folder)
    for command in ("export", "backup"):
        result = run_cli("--vault", str(folder), command, "-o", str(folder / "vault.key"))
        assert result.returncode == 2, result.stderr
        assert "inside the vault folder" in result.stderr and "Traceback" not in result.stderr
    assert snapshot(folder) == before
    assert run_cli("--vault", str(folder), "audit", "verify").returncode == 0
