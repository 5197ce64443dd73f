"""Hostile input to the command line: one sentence, exit 2, the vault unchanged."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from desktop.cli.main import run
from desktop.cli.sharing import ENV_PACKAGE
from desktop.errors import InvalidInput
from desktop.models import Case
from desktop.procedures.catalogue import bundled_texts, load_catalogue, parse_procedure
from desktop.sharing.sealed import MAGIC, Signer, seal
from desktop.storage.locations import ENV_PASSPHRASE
from desktop.storage.vault import Vault, create_vault
from tests.conftest import FAST_KDF, PASSPHRASE, REPO, snapshot
from tests.factories import opened_case, package_signer, profiled_vault

SAMPLE = json.loads((REPO / "tests" / "exchange_sample.json").read_text())
PACKAGE_WORDS = "fictional words for a hostile package"
RLO = "\u202e"
CATALOGUE = load_catalogue()


def _unchanged(folder: Path) -> dict[str, str]:
    return {k: v for k, v in snapshot(folder).items() if k != "vault.lock"}


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "vault"
    profiled_vault(folder).close()
    monkeypatch.setenv(ENV_PASSPHRASE, PASSPHRASE)
    monkeypatch.setenv(ENV_PACKAGE, PACKAGE_WORDS)
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    return folder


def _refused(capsys: pytest.CaptureFixture[str], folder: Path, *args: str) -> str:
    """Run a command in-process; it must refuse with one sentence and leave the vault as it was."""
    before = _unchanged(folder)
    code = run(["--vault", str(folder), *args])
    err = capsys.readouterr().err
    assert code == 2, err
    assert len(err.strip().splitlines()) == 1 and "internal error" not in err, err
    assert _unchanged(folder) == before
    return err


def _case(change: Callable[[dict[str, Any]], object]) -> dict[str, Any]:
    data = copy.deepcopy(SAMPLE)
    change(data["cases"][0])
    return data


def _nested(depth: int) -> str:
    return "[" * depth + "]" * depth


IMPORTS: dict[str, tuple[str, str]] = {
    "nested JSON": (
        '{"format": "escalation-recorder.cases/1", "cases": ' + _nested(100_000) + "}",
        "nested",
    ),
    "5,000-digit number": (
        '{"format": "escalation-recorder.cases/1", "cases": [' + "7" * 5000 + "]}",
        "too many digits",
    ),
    "list outcome": (
        json.dumps(_case(lambda c: c["stages"][0].update(outcome=["unresolved"]))),
        "outcome",
    ),
    "list plan status": (
        json.dumps(_case(lambda c: c["child"].update(plan_status=["none"]))),
        "plan_status",
    ),
    "opened in 9999": (
        json.dumps(_case(lambda c: c["stages"][1].update(opened_at="9999-12-31T10:00:00"))),
        "opened_at",
    ),
    "born in 9999": (
        json.dumps(_case(lambda c: c["child"].update(date_of_birth="9999-12-31"))),
        "date_of_birth",
    ),
    "right-to-left override in the reference": (
        json.dumps(_case(lambda c: c.update(reference=f"ESC-{RLO}1000"))),
        "U+202E",
    ),
    "right-to-left override in the child": (
        json.dumps(_case(lambda c: c["child"].update(identifier=f"C-{RLO}1042"))),
        "U+202E",
    ),
    "zero-width space in a name": (
        json.dumps(_case(lambda c: c["other_party"].update(name="Fictional\u200bSW"))),
        "U+200B",
    ),
    "escape code in a participant": (
        json.dumps(
            _case(lambda c: c["stages"][0]["discussions"][0].update(participants=["A\x1b[2J"]))
        ),
        "participants",
    ),
    "lone surrogate in the notes": (
        json.dumps(_case(lambda c: c["stages"][0]["discussions"][0].update(notes="a\ud800b"))),
        "notes",
    ),
}


@pytest.mark.parametrize("label", list(IMPORTS))
def test_a_hostile_import_is_one_sentence(
    folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], label: str
) -> None:
    text, named = IMPORTS[label]
    path = tmp_path / "import.json"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    err = _refused(capsys, folder, "import", str(path))
    assert named in err and "nothing was imported" in err, err


@pytest.mark.parametrize(
    ("field", "value", "named"),
    [
        ("--name", "Alex \x1b[31mExample", "control"),
        ("--name", "A" * 100_000, "200"),
        ("--role", f"DSL{RLO}", "U+202E"),
        ("--organisation", "Nowhere\nPrimary", "control"),
    ],
)
def test_a_hostile_profile_is_refused(
    folder: Path, capsys: pytest.CaptureFixture[str], field: str, value: str, named: str
) -> None:
    args = {"--name": "Alex Example", "--role": "DSL", "--organisation": "Nowhere Primary"}
    args[field] = value
    err = _refused(capsys, folder, "profile", *[w for pair in args.items() for w in pair])
    assert named in err, err


def _signer(folder: Path) -> Signer:
    """Another vault's signing key: a package from it is sealed and signed properly."""
    with create_vault(folder.parent / "sender", PASSPHRASE, params=FAST_KDF) as sender:
        return package_signer(sender)


def test_a_deeply_nested_package_is_one_sentence(
    folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "package.erpkg"
    path.write_bytes(MAGIC + _nested(2000).encode() + b"\n" + b"\0" * 64)
    _refused(capsys, folder, "transfer", "receive", str(path))
    signer = _signer(folder)
    start = b'{"format": "escalation-recorder.transfer/1", "cases": '
    for payload in (_nested(100_000).encode(), b"9" * 5000):
        path.write_bytes(seal(start + payload + b"}", signer, passphrase=PACKAGE_WORDS))
        _refused(capsys, folder, "transfer", "receive", str(path))


def test_a_nul_in_a_file_name_or_an_endless_file_is_one_sentence(
    folder: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    err = _refused(capsys, folder, "backup", "-o", "out\0.zip")
    assert "NUL" in err
    monkeypatch.setattr("desktop.cli.support.MAX_READ", 1024 * 1024)
    err = _refused(capsys, folder, "import", "/dev/zero")
    assert "larger than" in err


def test_what_the_user_typed_is_echoed_on_one_visible_line(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    err = _refused(capsys, folder, "audit", "verify", "\r\x1b[2Jforged line\nsecond")
    assert "\\r\\x1b[2Jforged line\\nsecond" in err


def test_a_new_case_with_a_hidden_character_is_refused_by_the_service(vault: Vault) -> None:
    with vault.sessions.begin() as session, pytest.raises(InvalidInput, match="U\\+202E"):
        opened_case(session, vault.audit_key, CATALOGUE, f"ESC-{RLO}0001", identifier="C-1")
    with vault.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Case)) == 0


def test_a_list_where_a_procedure_names_a_field_is_one_sentence() -> None:
    name, text = bundled_texts()[0]
    broken = text.replace('record = ["', 'record = [["x"], "', 1)
    assert broken != text
    with pytest.raises(InvalidInput, match=r"record\[0\]"):
        parse_procedure(broken, name)


def test_a_package_header_with_a_non_ascii_salt_is_one_sentence(
    folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    header = {"cipher": "AES-256-GCM", "key": "ecdh-p256", "salt": "\x80", "nonce": "AAAA"}
    path = tmp_path / "package.erpkg"
    path.write_bytes(MAGIC + json.dumps(header).encode() + b"\n" + b"\0" * 64)
    _refused(capsys, folder, "transfer", "receive", str(path))
