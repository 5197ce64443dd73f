"""A case keeps the procedure definition it was opened under, whatever happens to the file."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import select

from desktop.casework.due import due_items
from desktop.casework.settings import working_calendar
from desktop.errors import InvalidInput
from desktop.models import Case, ProcedureDefinition
from desktop.procedures.catalogue import load_catalogue
from desktop.procedures.files import definition_hash
from desktop.procedures.store import carried_definitions
from desktop.procedures.workdays import WorkingCalendar
from desktop.sharing.exchange import import_cases, parse_exchange
from desktop.sharing.exchange_import import import_exchange
from desktop.sharing.export import export_cases
from desktop.sharing.receipts import receive_package
from desktop.sharing.transfer import open_package, send_package
from desktop.storage import schema
from desktop.storage.vault import unlock_with_passphrase
from tests.conftest import PASSPHRASE, REPO, run_cli
from tests.factories import RECEIVER, profiled_vault

BUNDLED = REPO / "resources" / "procedures"
SAMPLE = REPO / "tests" / "exchange_sample.json"
CHILD = "C-1042"
NOW = dt.datetime(2027, 1, 11, 9, 30, tzinfo=dt.UTC)


def fiction_text() -> str:
    """A user procedure file: the Berkshire text under a fictional partnership's id."""
    text = (BUNDLED / "berkshire-2026-03.toml").read_text("utf-8")
    return text.replace('id = "berkshire"', 'id = "fictionshire"', 1)


def fiction_sample(reference: str = "ESC-0001") -> bytes:
    """The exchange sample's case, opened under the fictional partnership's procedure."""
    sample = json.loads(SAMPLE.read_text("utf-8"))
    sample["cases"][0]["procedure"] = "fictionshire"
    sample["cases"][0]["reference"] = reference
    return json.dumps(sample).encode("utf-8")


@pytest.fixture
def fiction_vault(tmp_path: Path) -> Path:
    """A vault whose one case was opened under a user procedure file (still present)."""
    folder = tmp_path / "vault"
    with profiled_vault(folder) as vault:
        vault.files.procedures.mkdir()
        (vault.files.procedures / "fictionshire.toml").write_text(fiction_text(), "utf-8")
        import_exchange(vault, load_catalogue(vault.files.procedures), fiction_sample())
    return folder


def _reading_commands(out: Path) -> dict[str, list[str]]:
    return {
        "due": ["due", "--json"],
        "export": ["export", "-o", str(out / "export.json")],
        "render": ["render", "ESC-0001", "--document", "summary", "-o", str(out / "s.pdf")],
        "report": ["report", "--from", "2026-12-01", "--to", "2027-01-31", "--format", "json"],
        "subject-access": ["subject-access", CHILD, "--show"],
        "transfer send": [
            *("transfer", "send", "--child", CHILD, "--to", "Imaginary (fictional)"),
            *("-o", str(out / "package.bin")),
        ],
    }


def _no_traceback(result: subprocess.CompletedProcess[str]) -> str:
    assert "Traceback" not in result.stderr
    return result.stderr


@pytest.mark.slow
def test_deleting_the_procedure_file_breaks_no_command(fiction_vault: Path, tmp_path: Path) -> None:
    (fiction_vault / "procedures" / "fictionshire.toml").unlink()
    results = {
        name: run_cli("--vault", str(fiction_vault), *args)
        for name, args in _reading_commands(tmp_path).items()
    }
    failures = {name: r.stderr.strip() for name, r in results.items() if r.returncode != 0}
    assert failures == {}
    exported = json.loads((tmp_path / "export.json").read_text("utf-8"))
    assert [c["current_stage"] for c in exported["cases"]] == ["2"]
    assert [i["stage"] for i in json.loads(results["due"].stdout)] == ["1", "2"]
    assert "Level 2" in results["subject-access"].stdout


def test_renaming_a_stage_in_the_file_keeps_the_old_case_working(
    fiction_vault: Path, tmp_path: Path
) -> None:
    path = fiction_vault / "procedures" / "fictionshire.toml"
    text = path.read_text("utf-8")
    assert text.count('id = "2"') == 1
    path.write_text(text.replace('id = "2"', 'id = "2-renamed"'), "utf-8")
    out = tmp_path / "export.json"
    due = run_cli("--vault", str(fiction_vault), "due", "--json")
    exported = run_cli("--vault", str(fiction_vault), "export", "-o", str(out))
    assert (due.returncode, _no_traceback(due)) == (0, "")
    assert (exported.returncode, _no_traceback(exported)) == (0, f"Exported 1 case to {out}.\n")
    case = json.loads(out.read_text("utf-8"))["cases"][0]
    assert (case["current_stage"], case["next_stage"]) == ("2", "3")


def test_broken_user_files_are_skipped_with_a_notice_naming_each(
    fiction_vault: Path, tmp_path: Path
) -> None:
    folder = fiction_vault / "procedures"
    (folder / "broken.toml").write_text("id = ", "utf-8")
    (folder / "nested.toml").write_text("x = " + "[" * 100_000 + "]" * 100_000, "utf-8")
    huge = fiction_text().replace('id = "fictionshire"', 'id = "hugeshire"', 1)
    (folder / "huge.toml").write_text(huge + "# " + "x" * 20_000_000 + "\n", "utf-8")
    (folder / "doubled.toml").write_text(fiction_text(), "utf-8")
    (tmp_path / "new.json").write_bytes(fiction_sample("ESC-0002"))
    due = run_cli("--vault", str(fiction_vault), "due", "--json")
    imported = run_cli("--vault", str(fiction_vault), "import", str(tmp_path / "new.json"))
    assert (due.returncode, imported.returncode) == (0, 0), due.stderr + imported.stderr
    for result in (due, imported):
        notices = _no_traceback(result).splitlines()
        assert len(notices) == 4, notices
        for name in ("broken.toml", "nested.toml", "huge.toml", "doubled.toml"):
            assert sum(name in line for line in notices) == 1, (name, notices)
    assert "larger than 1 MiB" in due.stderr and "nested too deeply" in due.stderr
    assert "Imported 1 case." in imported.stdout


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are a POSIX thing")
def test_a_fifo_named_like_a_procedure_file_never_hangs_a_command(fiction_vault: Path) -> None:
    os.mkfifo(fiction_vault / "procedures" / "x.toml")
    try:
        due = run_cli("--vault", str(fiction_vault), "due", "--json", timeout=60)
    except subprocess.TimeoutExpired:
        pytest.fail("due hung on a FIFO in the procedures folder")
    assert due.returncode == 0
    (notice,) = _no_traceback(due).splitlines()
    assert "x.toml" in notice and "not a regular file" in notice


def _import(folder: Path, data: bytes) -> None:
    with unlock_with_passphrase(folder, PASSPHRASE) as vault:
        catalogue = load_catalogue(vault.files.procedures)
        with vault.sessions.begin() as session:
            cases = parse_exchange(data, catalogue, set())
            import_cases(session, vault.audit_key, catalogue, working_calendar(session), cases)


def _due_titles(folder: Path) -> dict[tuple[str, str], str]:
    with unlock_with_passphrase(folder, PASSPHRASE) as vault, vault.sessions() as session:
        items = due_items(session, load_catalogue(vault.files.procedures), WorkingCalendar(), NOW)
    return {(i.reference, i.kind): i.what for i in items}


def test_a_file_edited_in_place_gives_new_cases_its_new_text_and_old_cases_theirs(
    fiction_vault: Path,
) -> None:
    path = fiction_vault / "procedures" / "fictionshire.toml"
    old_text = path.read_text("utf-8")
    path.write_text(old_text.replace("Level 2: Next", "Level 2 (edited): Next"), "utf-8")
    _import(fiction_vault, fiction_sample("ESC-0002"))
    titles = _due_titles(fiction_vault)
    assert titles[("ESC-0001", "stage")].startswith("Level 2: Next")
    assert titles[("ESC-0002", "stage")].startswith("Level 2 (edited): Next")
    with unlock_with_passphrase(fiction_vault, PASSPHRASE) as vault, vault.sessions() as session:
        pinned = dict(session.execute(select(Case.reference, Case.procedure_sha256)).all())
        kept = dict(
            session.execute(select(ProcedureDefinition.sha256, ProcedureDefinition.text)).all()
        )
    assert pinned == {
        "ESC-0001": definition_hash(old_text),
        "ESC-0002": definition_hash(path.read_text("utf-8")),
    }
    assert set(kept) == set(pinned.values())
    assert {definition_hash(text) for text in kept.values()} == set(kept)


def test_the_migration_pins_existing_cases_and_spares_those_whose_file_is_gone(
    fiction_vault: Path,
) -> None:
    procedures = fiction_vault / "procedures"
    gone = fiction_text().replace('id = "fictionshire"', 'id = "goneshire"', 1)
    (procedures / "goneshire.toml").write_text(gone, "utf-8")
    sample = json.loads(fiction_sample("ESC-0002"))
    sample["cases"][0]["procedure"] = "goneshire"
    sample["cases"][0]["child"]["identifier"] = "C-2001"
    _import(fiction_vault, json.dumps(sample).encode())
    with (
        unlock_with_passphrase(fiction_vault, PASSPHRASE) as vault,
        vault.engine.begin() as connection,
    ):
        schema.downgrade(connection, "0006")  # as a vault written before definitions were kept
    (procedures / "goneshire.toml").unlink()
    with unlock_with_passphrase(fiction_vault, PASSPHRASE) as vault, vault.sessions() as session:
        pinned = dict(session.execute(select(Case.reference, Case.procedure_sha256)).all())
    assert pinned == {"ESC-0001": definition_hash(fiction_text()), "ESC-0002": None}
    (procedures / "fictionshire.toml").unlink()  # ESC-0001 no longer needs it
    with pytest.raises(InvalidInput) as caught:
        _due_titles(fiction_vault)
    assert caught.value.message == (
        "Cases opened under procedure goneshire version 2026-03 need its file, which is no "
        "longer in the procedures folder: put it back there."
    )
    (procedures / "goneshire.toml").write_text(gone, "utf-8")
    assert {ref for ref, _kind in _due_titles(fiction_vault)} == {"ESC-0001", "ESC-0002"}


def test_a_transfer_carries_the_definition_to_a_vault_without_the_file(
    fiction_vault: Path, tmp_path: Path
) -> None:
    away = tmp_path / "receiver"
    profiled_vault(away, *RECEIVER).close()
    with (
        unlock_with_passphrase(fiction_vault, PASSPHRASE) as sender,
        sender.sessions.begin() as session,
    ):
        catalogue = load_catalogue(sender.files.procedures)
        sent = send_package(session, sender.audit_key, catalogue, CHILD, "Imaginary", NOW)
    with unlock_with_passphrase(away, PASSPHRASE) as receiver:
        catalogue = load_catalogue(receiver.files.procedures)
        with receiver.sessions.begin() as session:
            incoming = open_package(session, catalogue, sent.data, sent.passphrase)
            calendar = working_calendar(session)
            receive_package(
                session, receiver.audit_key, catalogue, calendar, incoming, NOW, trust_signer=True
            )
        with receiver.sessions() as session:
            (case,) = export_cases(session, catalogue, NOW)["cases"]
            pinned = session.scalar(select(Case.procedure_sha256))
            kept = session.scalar(select(ProcedureDefinition.text))
    assert pinned == definition_hash(fiction_text()) == definition_hash(kept or "")
    assert (case["procedure"], case["current_stage"], case["next_stage"]) == (
        "fictionshire",
        "2",
        "3",
    )


@pytest.mark.parametrize(
    ("carried", "said"),
    [
        ("not a list", "The package's procedures are not a list of at most 50"),
        (["x"] * 51, "The package's procedures are not a list of at most 50"),
        ([7], "The package's procedure 1 is not a procedure text of at most 1 MiB"),
        (["x = " + "[" * 50_000 + "]" * 50_000], "The package's procedure 1: not a procedure"),
        ([fiction_text().replace('id = "2"', 'id = "1"')], "the id '1' is used twice"),
    ],
)
def test_a_package_s_definitions_are_checked_in_one_sentence(carried: object, said: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        carried_definitions(carried)
    assert said in caught.value.message
    assert caught.value.message.endswith("; nothing was imported.")
    assert "\n" not in caught.value.message
