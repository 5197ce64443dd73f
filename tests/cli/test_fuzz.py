"""Fuzzing: random arguments and random files end in a sentence (exit 2), never a crash (70).

The command line runs in-process (one vault, many commands); the import,
package and procedure structures are a real file of each kind with a random
part replaced by random JSON or TOML values.
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import json
import math
import tomllib
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import keyring.backends.fail
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.casework.due import due_items
from desktop.cli.main import build_parser, run
from desktop.cli.sharing import ENV_PACKAGE
from desktop.errors import InvalidInput
from desktop.procedures.catalogue import (
    bundled_texts,
    load_catalogue,
    parse_procedure,
    procedure_summary,
)
from desktop.procedures.workdays import WorkingCalendar
from desktop.sharing.exchange import import_cases, parse_exchange
from desktop.sharing.export import export_cases
from desktop.sharing.sealed import MAGIC, Signer, seal, unseal
from desktop.sharing.signed_documents import render_document
from desktop.sharing.transfer import FORMAT as PACKAGE_FORMAT
from desktop.sharing.transfer import read_package
from desktop.storage.locations import ENV_PASSPHRASE
from desktop.storage.vault import Vault, create_vault
from tests.conftest import FAST_KDF, PASSPHRASE, REPO
from tests.factories import package_signer, signing_profile

SAMPLE = json.loads((REPO / "tests" / "exchange_sample.json").read_text())
CATALOGUE = load_catalogue()
CALENDAR = WorkingCalendar()
NOW = dt.datetime(2026, 12, 30, 12, tzinfo=dt.UTC)
SETTINGS = settings(
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Stand-ins that become, in the written file, what Python cannot even write as a value:
# a number of 5,000 digits and lists nested 3,000 deep.
BIG, DEEP = "\x00big\x00", "\x00deep\x00"
SPELLED = {BIG: "9" * 5000, DEEP: "[" * 3000 + "]" * 3000}

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=20)
    | st.sampled_from(["9999-12-31", "0001-01-01T00:00:00+05:00", "\u202e", "x" * 300])
    | st.sampled_from([BIG, DEEP]),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=10,
)


def _json(data: Any) -> bytes:
    """``data`` as a JSON file, the stand-ins spelled out."""
    text = json.dumps(data)
    for stand_in, spelled in SPELLED.items():
        text = text.replace(json.dumps(stand_in), spelled)
    return text.encode()


@st.composite
def mutated(draw: st.DrawFn, document: Any) -> Any:
    """``document`` with one value somewhere in it replaced by a random one."""
    data = copy.deepcopy(document)
    parent: Any = None
    key: Any = None
    node = data
    while isinstance(node, dict | list) and node and draw(st.integers(0, 5)) > 0:
        key = draw(st.sampled_from(sorted(node) if isinstance(node, dict) else range(len(node))))
        parent, node = node, node[key]
    if parent is None:
        return data
    parent[key] = draw(json_values)
    return data


# The command line, in-process.


def _leaves(
    parser: argparse.ArgumentParser, path: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], argparse.ArgumentParser]]:
    subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not subs:
        yield path, parser
    for action in subs:
        for name, sub in action.choices.items():
            yield from _leaves(sub, (*path, name))


LEAVES = sorted(_leaves(build_parser()), key=lambda leaf: leaf[0])


@st.composite
def command_lines(draw: st.DrawFn, pool: list[str]) -> list[str]:
    """A command with each of its arguments given or not, from ``pool`` or random, and extras."""
    path, parser = draw(st.sampled_from(LEAVES))
    value = st.sampled_from(pool) | st.text(max_size=12)
    groups: list[list[str]] = []  # an option stays next to its value
    for action in parser._actions:
        if isinstance(action, argparse._HelpAction):
            continue
        if not action.option_strings:
            count = 1 if action.nargs is None else draw(st.integers(0, 2))
            groups += [[draw(value)] for _ in range(count)]
        elif action.required or draw(st.booleans()):
            group = [draw(st.sampled_from(action.option_strings))]
            if action.nargs != 0:
                choices = list(action.choices or [])
                group.append(draw(st.sampled_from(choices) if choices else value))
            groups.append(group)
    extras = st.lists(value | st.sampled_from(["--force", "-o"]), max_size=2)
    words = [word for group in draw(st.permutations(groups)) for word in group]
    return [*path, *words, *draw(extras)]


@pytest.fixture
def command_world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, list[str]]:
    """A vault with a case and a profile; files to name; the process set up to run commands."""
    folder = tmp_path / "vault"
    with create_vault(folder, PASSPHRASE, params=FAST_KDF) as vault:
        _import(vault, SAMPLE)
        signing_profile(vault)
        with vault.sessions.begin() as session:
            pdf = render_document(
                session, vault.audit_key, CATALOGUE, "ESC-0001", "summary", None, None
            ).pdf
    work = tmp_path / "work"
    work.mkdir()
    (work / "signed.pdf").write_bytes(pdf)
    (work / "garbage.bin").write_bytes(b"\x00\xff" * 100)
    (work / "sample.json").write_text(json.dumps(SAMPLE))
    monkeypatch.chdir(work)
    monkeypatch.setenv(ENV_PASSPHRASE, PASSPHRASE)
    monkeypatch.setenv(ENV_PACKAGE, "fictional words read over the telephone")
    monkeypatch.setattr("keyring.get_keyring", keyring.backends.fail.Keyring)
    monkeypatch.setattr("desktop.casework.demo.MAX_DEMO", 12)  # a valid demo stays small
    pool = [
        *("ESC-0001", "C-1042", "summary", "confirmation", "meeting-record", "notification"),
        *("csv", "json", "pdf", "2026-01-01", "2026-12-31", "9999-12-31", "2026-02-30"),
        *("0", "1", "-1", "3", "13", "9" * 5000, "", "-", "--", "1", "Fictional SW=third-party"),
        *("signed.pdf", "garbage.bin", "sample.json", "missing.json", "out.json", "out.pdf"),
        *(str(folder), str(folder / "vault.key"), str(folder / "vault.db"), str(work)),
        *("\u202eESC", "Alex\x1b[2J", "A" * 300, "backup.zip"),
    ]
    return folder, pool


@pytest.mark.slow
def test_random_command_lines_end_in_a_sentence_never_a_crash(
    command_world: tuple[Path, list[str]], capsys: pytest.CaptureFixture[str]
) -> None:
    folder, pool = command_world

    @settings(SETTINGS, max_examples=200)
    @given(words=command_lines(pool))
    def check(words: list[str]) -> None:
        try:
            code = run(["--vault", str(folder), *words])
        except SystemExit as stop:  # --help, as argparse does it
            code = stop.code if isinstance(stop.code, int) else 0
        err = capsys.readouterr().err
        assert code in (0, 1, 2, 3), (words, code, err)
        assert "Traceback" not in err and "internal error" not in err, (words, err)
        if code == 2:  # one sentence; verify names each unreadable file on its own line
            lines = err.strip().splitlines()
            assert lines and all(line.startswith("escalation-recorder: ") for line in lines)
            assert len(lines) == 1 or words[0] == "verify", (words, err)

    check()


def test_every_command_is_fuzzed() -> None:
    names = {" ".join(path) for path, _parser in LEAVES}
    assert {"import", "export", "render", "transfer send", "audit verify", "profile"} <= names


# The import (exchange JSON).


def _import(vault: Vault, data: Any) -> int:
    with vault.sessions.begin() as session:
        cases = parse_exchange(json.dumps(data).encode(), CATALOGUE, set())
        return import_cases(session, vault.audit_key, CATALOGUE, CALENDAR, cases)


@settings(SETTINGS, max_examples=150)
@given(data=mutated(SAMPLE))
def test_a_random_import_is_refused_in_a_sentence_or_works_all_through(
    vault: Vault, data: Any
) -> None:
    try:
        cases = parse_exchange(_json(data), CATALOGUE, set())
    except InvalidInput as error:
        assert "\n" not in error.message and "nothing was imported" in error.message
        return
    with vault.sessions() as session:
        try:
            import_cases(session, vault.audit_key, CATALOGUE, CALENDAR, cases)
            export_cases(session, CATALOGUE, NOW)
            due_items(session, CATALOGUE, CALENDAR, NOW)
        except InvalidInput as error:  # found only against the vault (a child recorded twice)
            assert "\n" not in error.message
        finally:
            session.rollback()


# The transfer package.


@pytest.fixture
def signer(vault: Vault) -> Signer:
    return package_signer(vault)


PACKAGE = {
    "format": PACKAGE_FORMAT,
    "transfer_id": str(uuid.UUID(int=7)),
    "sent_at": "2026-12-30T12:00:00+00:00",
    "sender": "Sam Sender (fictional), DSL, Elsewhere (fictional)",
    "recipient": "Nowhere Primary (fictional)",
    "child": "C-1042",
    "cases": SAMPLE["cases"],
}


@settings(SETTINGS, max_examples=100)
@given(payload=mutated(PACKAGE))
def test_a_random_package_is_refused_in_a_sentence_or_read(
    vault: Vault, signer: Signer, payload: Any
) -> None:
    data = seal(_json(payload), signer, recipient_cert_pem=signer.cert_pem)
    opened = unseal(data, own=[signer])
    with vault.sessions() as session:
        try:
            read_package(session, CATALOGUE, data, opened)
        except InvalidInput as error:
            assert "\n" not in error.message


@settings(SETTINGS, max_examples=100)
@given(header=st.data())
def test_a_random_package_header_is_refused_in_a_sentence(
    signer: Signer, header: st.DataObject
) -> None:
    data = seal(b"{}", signer, recipient_cert_pem=signer.cert_pem)
    head, body = data[len(MAGIC) :].split(b"\n", 1)
    changed = header.draw(mutated(json.loads(head)))
    forged = MAGIC + _json(changed) + b"\n" + body
    try:
        unseal(forged, own=[signer])
    except InvalidInput as error:
        assert "\n" not in error.message


# Procedure files (TOML).


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and not math.isfinite(value):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        pairs = (f"{json.dumps(k)} = {_toml_value(v)}" for k, v in value.items())
        return "{" + ", ".join(pairs) + "}"
    if value in SPELLED:
        return SPELLED[value]
    return json.dumps(value)  # a JSON string is a TOML basic string


def _toml(document: dict[str, Any]) -> str:
    return "\n".join(f"{json.dumps(k)} = {_toml_value(v)}" for k, v in document.items())


SEED_NAME, SEED_TEXT = bundled_texts()[0]
SEED = tomllib.loads(SEED_TEXT)


def test_the_toml_writer_round_trips_a_seed() -> None:
    assert tomllib.loads(_toml(SEED)) == SEED
    assert parse_procedure(_toml(SEED), SEED_NAME).key == parse_procedure(SEED_TEXT, SEED_NAME).key


def _use(text: str) -> None:
    """Parse a procedure file and use what it defines; only a sentence may come back."""
    try:
        procedure = parse_procedure(text, "fuzzed.toml")
    except InvalidInput as error:
        assert error.message.startswith("fuzzed.toml: ") and "\n" not in error.message
        return
    procedure_summary(procedure)
    for track in procedure.tracks:
        for urgent in (False, True):
            track.entry(urgent)
        for stage in track.stages:
            CALENDAR.due(NOW, stage.timescale)
            for milestone in stage.milestones:
                CALENDAR.due(NOW, milestone.timescale)


@settings(SETTINGS, max_examples=150)
@given(document=mutated(SEED))
def test_a_random_procedure_structure_is_refused_in_a_sentence_or_works(
    document: dict[str, Any],
) -> None:
    _use(_toml(document))


@settings(SETTINGS, max_examples=100)
@given(at=st.integers(0, len(SEED_TEXT)), cut=st.integers(0, 40), insert=st.text(max_size=12))
def test_a_randomly_edited_procedure_file_is_refused_in_a_sentence_or_works(
    at: int, cut: int, insert: str
) -> None:
    _use(SEED_TEXT[:at] + insert + SEED_TEXT[at + cut :])
