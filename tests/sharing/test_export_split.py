"""A large export reads its second half on a second connection and thread, and says the same."""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import sqlcipher3

from desktop.casework.demo import generate_demo
from desktop.casework.settings import working_calendar
from desktop.procedures.catalogue import load_catalogue
from desktop.sharing import export
from desktop.sharing.export import export_json, export_stream
from desktop.storage.files import write_atomically
from desktop.storage.vault import Vault

CATALOGUE = load_catalogue()
NOW = dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.UTC)
CASES = 90


@pytest.fixture
def demo_vault(vault: Vault, monkeypatch: pytest.MonkeyPatch) -> Vault:
    with vault.sessions.begin() as session:
        generate_demo(session, vault.audit_key, CATALOGUE, working_calendar(session), CASES, NOW)
    monkeypatch.setattr(export, "SPLIT_FROM", 10)  # split this small vault as if it were large
    return vault


class CountingReader:
    """Vault.reader, counting the connections it opens and closes, and on which thread."""

    def __init__(self, vault: Vault) -> None:
        self.vault, self.opened, self.closed, self.threads = vault, 0, 0, set[str]()

    @contextmanager
    def __call__(self) -> Iterator[sqlcipher3.dbapi2.Connection]:
        self.opened += 1
        self.threads.add(threading.current_thread().name)
        with self.vault.reader() as connection:
            yield connection
        self.closed += 1


def test_a_split_export_is_byte_for_byte_the_single_one(demo_vault: Vault) -> None:
    reader = CountingReader(demo_vault)
    with demo_vault.sessions() as session:
        single, single_count = export_json(session, CATALOGUE, NOW)
        split, split_count = export_json(session, CATALOGUE, NOW, reader=reader)
    assert (reader.opened, reader.closed) == (1, 1)  # the split really happened ...
    assert all(name.startswith("export") for name in reader.threads)  # ... on its own thread
    assert split == single and split_count == single_count == CASES
    references = [case["reference"] for case in json.loads(split)["cases"]]
    assert references == sorted(set(references)) and len(references) == CASES


def test_one_case_or_one_child_or_a_small_vault_stays_on_one_connection(
    demo_vault: Vault, monkeypatch: pytest.MonkeyPatch
) -> None:
    reader = CountingReader(demo_vault)
    with demo_vault.sessions() as session:
        first = json.loads(export_json(session, CATALOGUE, NOW)[0])["cases"][0]
        one, count = export_json(session, CATALOGUE, NOW, first["reference"], reader=reader)
        assert count == 1 and json.loads(one)["cases"] == [first]
        child = first["child"]["identifier"]
        assert export_json(session, CATALOGUE, NOW, child=child, reader=reader)[1] >= 1
        monkeypatch.setattr(export, "SPLIT_FROM", CASES + 1)
        assert export_json(session, CATALOGUE, NOW, reader=reader)[1] == CASES
    assert reader.opened == 0


def test_a_reader_that_fails_fails_the_export_and_leaves_no_file(
    demo_vault: Vault, tmp_path: Path
) -> None:
    @contextmanager
    def broken() -> Iterator[Any]:
        connection = sqlcipher3.connect(":memory:")  # no such tables: the query fails
        try:
            yield connection
        finally:
            connection.close()

    folder = tmp_path / "exports"
    folder.mkdir()
    with demo_vault.sessions() as session, pytest.raises(sqlcipher3.dbapi2.OperationalError):
        write_atomically(
            folder / "export.json", export_stream(session, CATALOGUE, NOW, reader=broken)
        )
    assert list(folder.iterdir()) == []


def test_a_consumer_that_gives_up_leaves_no_thread_or_connection_behind(demo_vault: Vault) -> None:
    reader = CountingReader(demo_vault)
    with demo_vault.sessions() as session:
        pieces = iter(export_stream(session, CATALOGUE, NOW, reader=reader))
        next(pieces), next(pieces)  # the header and the first batch: the thread has started
        pieces.close()  # as write_atomically's failed write would
    assert (reader.opened, reader.closed) == (1, 1)
    assert not [t for t in threading.enumerate() if t.name.startswith("export")]


def test_the_reader_reads_the_vault_and_cannot_write_it(demo_vault: Vault) -> None:
    with demo_vault.reader() as connection:
        assert connection.execute("SELECT count(*) FROM escalation_case").fetchone() == (CASES,)
        with pytest.raises(sqlcipher3.dbapi2.OperationalError, match="readonly"):
            connection.execute("DELETE FROM escalation_case")
