"""What encryption costs: the same workload through the app's data layer, SQLCipher vs SQLite.

    python -m benchmarks.bench_encryption [--runs 3]

The workload opens 2,500 cases and escalates each three times (10,000 stage
records, each with a discussion and its audit events), in transactions of 50
cases, then reads everything back: the export of every case, 200 case views
and the dashboard's first page. Both databases get the same pragmas
(WAL, synchronous=FULL, secure_delete, the same page cache); the only
difference is the SQLCipher key (both use sqlcipher3's SQLite build).
"""

from __future__ import annotations

import argparse
import datetime as dt
import secrets
import statistics
import tempfile
import time
from pathlib import Path

import sqlcipher3
from sqlalchemy import create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from benchmarks.common import Row, table
from desktop.casework.case_opening import ChildDetails, NewCase, Party, open_case
from desktop.casework.dashboard import CaseFilter, first_page
from desktop.casework.settings import working_calendar
from desktop.casework.timeline import case_detail
from desktop.casework.workflow import escalate, record_discussion
from desktop.procedures.catalogue import Catalogue, load_catalogue
from desktop.sharing.export import export_json
from desktop.storage import audit, schema
from desktop.storage.database import begin, configure_connection  # the vault's own setup
from desktop.storage.keyfile import ScryptParams
from desktop.storage.vault import create_vault

CASES, BATCH = 2_500, 50
START = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)


def _write(sessions: sessionmaker[Session], key: audit.AuditKey, catalogue: Catalogue) -> None:
    for first in range(0, CASES, BATCH):
        with sessions.begin() as session:
            calendar = working_calendar(session)
            for n in range(first, first + BATCH):
                at = START + dt.timedelta(minutes=n)
                case = open_case(
                    session,
                    key,
                    catalogue,
                    calendar,
                    NewCase(
                        reference=f"ENC-{n:05d}",
                        procedure_id="berkshire",
                        track_id="escalation",
                        child=ChildDetails(f"C-ENC-{n:05d}", "E.N."),
                        area="roles",
                        raised_by=Party("Bench DSL", "DSL", "Benchmark School (fictional)"),
                        other_party=Party("Bench SW", "Team manager", "Fictional Services"),
                        opened_at=at,
                        summary="Fictional benchmark case.",
                    ),
                )
                record = case.stages[0]
                for level in range(4):
                    when = at + dt.timedelta(hours=level * 30)
                    record_discussion(
                        session,
                        key,
                        record,
                        when,
                        "telephone",
                        ["Bench DSL", "Bench SW"],
                        "Fictional benchmark notes about the disagreement. " * 4,
                    )
                    if level < 3:
                        record = escalate(
                            session, key, catalogue, calendar, case, when + dt.timedelta(hours=1)
                        )


def _read(sessions: sessionmaker[Session], key: audit.AuditKey, catalogue: Catalogue) -> None:
    now = START + dt.timedelta(days=400)
    with sessions() as session:
        export_json(session, catalogue, now)
        first_page(session, catalogue, CaseFilter(status="all"), now)
    with sessions.begin() as session:
        for case_id in range(1, CASES + 1, CASES // 200):  # each view read and audited
            case_detail(session, catalogue, case_id, now)
            audit.record(session, key, "case.viewed", "case", case_id)


def _plain(folder: Path) -> sessionmaker[Session]:
    # The same SQLite build as the vault (sqlcipher3's), with no key: a plain file.
    engine = create_engine(f"sqlite:///{folder / 'plain.db'}", module=sqlcipher3.dbapi2)
    event.listen(engine, "connect", configure_connection)
    event.listen(engine, "begin", begin)
    with engine.begin() as connection:
        schema.upgrade(connection)
    return sessionmaker(engine, expire_on_commit=False)


def _once(encrypted: bool, catalogue: Catalogue) -> tuple[float, float]:
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        if encrypted:
            vault = create_vault(folder / "vault", "fictional bench", params=ScryptParams(n=2**12))
            sessions, key = vault.sessions, vault.audit_key
        else:
            vault = None
            sessions, key = _plain(folder), audit.AuditKey(secrets.token_bytes(32))
        start = time.perf_counter()
        _write(sessions, key, catalogue)
        written = time.perf_counter()
        _read(sessions, key, catalogue)
        done = time.perf_counter()
        if vault is not None:
            vault.close()
        else:
            sessions.kw["bind"].dispose()
        return written - start, done - written


def measure(runs: int) -> list[Row]:
    """Alternate plain and encrypted runs; compare the medians."""
    catalogue = load_catalogue()
    plain: list[tuple[float, float]] = []
    cipher: list[tuple[float, float]] = []
    for _ in range(runs):
        plain.append(_once(False, catalogue))
        cipher.append(_once(True, catalogue))
    rows = []
    for index, label in ((0, "write"), (1, "read")):
        base = statistics.median(p[index] for p in plain)
        enc = statistics.median(c[index] for c in cipher)
        rows.append(Row("Encryption", f"{label}: plain SQLite (baseline)", base, "s", 1.0))
        rows.append(
            Row(
                "Encryption",
                f"{label}: SQLCipher",
                enc,
                "s",
                enc / base,
                "ratio <= 1.3",
                enc / base <= 1.3,
            )
        )
    base = statistics.median(sum(p) for p in plain)
    enc = statistics.median(sum(c) for c in cipher)
    rows.append(
        Row(
            "Encryption",
            "10,000 stage records written and read: SQLCipher / SQLite",
            enc,
            "s",
            enc / base,
            "ratio <= 1.3",
            enc / base <= 1.3,
        )
    )
    return rows


def main() -> int:
    """Print this benchmark's rows."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(table(measure(args.runs)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
