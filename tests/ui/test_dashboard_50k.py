"""The dashboard over 50,000 cases: lazy pages, SQL filters, full-text search."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import event, select

from desktop.casework.dashboard import CaseFilter, case_page, count_cases
from desktop.casework.demo import generate_demo
from desktop.casework.settings import save_profile, working_calendar
from desktop.casework.workflow import record_discussion
from desktop.procedures.catalogue import load_catalogue
from desktop.storage.vault import create_vault
from desktop.ui.case_table_model import KEEP_PAGES, PAGE
from desktop.ui.dashboard import Dashboard, summary_text
from desktop.ui.services import Services
from tests.conftest import FAST_KDF, PASSPHRASE

CASES = 50_000
pytestmark = pytest.mark.slow  # the vault of 50,000 cases takes a minute or more to fill


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Services]:
    folder: Path = tmp_path_factory.mktemp("big") / "vault"
    vault = create_vault(folder, PASSPHRASE, params=FAST_KDF)
    catalogue = load_catalogue()
    with vault.sessions.begin() as session:
        save_profile(session, "Alex Example (fictional)", "DSL", "Nowhere Primary (fictional)")
        generate_demo(
            session,
            vault.audit_key,
            catalogue,
            working_calendar(session),
            CASES,
            dt.datetime.now(dt.UTC),
        )
    with vault.sessions.begin() as session:
        from desktop.models import StageRecord

        record = session.scalar(  # an open stage: the demo's mix follows the bundled files
            select(StageRecord)
            .where(StageRecord.id >= 4242, StageRecord.finalised_at.is_(None))
            .order_by(StageRecord.id)
            .limit(1)
        )
        assert record is not None
        record_discussion(
            session,
            vault.audit_key,
            record,
            dt.datetime.now(dt.UTC),
            "telephone",
            ["Fictional"],
            "Zebracorn marker Gwynedd ŵ notes",
        )
    yield Services(vault, catalogue)
    vault.close()


def test_opens_with_one_page_and_fetches_more_on_demand(qtbot: QtBot, big: Services) -> None:
    statements: list[str] = []
    engine = big.vault.engine
    listener = lambda *args: statements.append(args[2])  # noqa: E731 - a one-line probe
    event.listen(engine, "before_cursor_execute", listener)
    try:
        dashboard = Dashboard(big)
        qtbot.addWidget(dashboard)
        dashboard.status.setCurrentIndex(dashboard.status.findData("all"))
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    model = dashboard.model
    assert model.total == CASES == model.rowCount()
    assert model.loaded == PAGE  # not 50,000
    # one count and one page per load, the greeting, BEGINs: a handful, not one per row
    assert len(statements) <= 12, statements
    statements.clear()
    event.listen(engine, "before_cursor_execute", listener)
    try:
        last = model.row(CASES - 1)  # the end, read from the end of the sorted list
        middle = model.row(CASES // 2)
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    assert len([s for s in statements if s.lstrip().upper().startswith("SELECT")]) == 2
    assert model.loaded == 3 * PAGE
    assert last is not None and middle is not None
    assert model.row(0) is not None
    for number in range(0, CASES, PAGE):  # every page once: memory stays bounded
        model.row(number)
    assert model.loaded <= KEEP_PAGES * PAGE
    dashboard.show()
    dashboard.table.scrollToBottom()
    assert model.row(CASES - 1) == last


def test_pages_from_either_end_join_up_in_order(big: Services) -> None:
    """Reading a page from the end gives exactly the rows reading forward would."""
    now = dt.datetime.now(dt.UTC)
    filt = CaseFilter(status="all")
    with big.vault.sessions() as session:
        total = count_cases(session, filt, now)
        forward = case_page(session, big.catalogue, filt, now, "due", False, total - 300, 300)
        backward = case_page(session, big.catalogue, filt, now, "due", False, 0, 300, from_end=True)
    assert [r.case_id for r in forward] == [r.case_id for r in backward]


def test_filters_and_search_run_in_sql(qtbot: QtBot, big: Services) -> None:
    dashboard = Dashboard(big)
    qtbot.addWidget(dashboard)
    dashboard.status.setCurrentIndex(dashboard.status.findData("overdue"))
    overdue = dashboard.model.total
    assert 0 < overdue < CASES
    assert all(
        "OVERDUE" in dashboard.model.data(dashboard.model.index(r, 5))
        for r in range(min(overdue, 3 * PAGE))
    )
    dashboard.status.setCurrentIndex(dashboard.status.findData("all"))
    ids = [dashboard.procedure.itemData(i) for i in range(dashboard.procedure.count())]
    dashboard.procedure.setCurrentIndex(ids.index("berkshire"))
    assert 0 < dashboard.model.total < CASES
    assert all(
        dashboard.model.data(dashboard.model.index(r, 2)).startswith("Berkshire")
        for r in (*range(PAGE), dashboard.model.total - 1)
    )
    dashboard.procedure.setCurrentIndex(0)
    dashboard.search.setText("zebracorn gwyn")  # words and a prefix, any case
    qtbot.waitUntil(lambda: dashboard.model.total == 1)
    dashboard.search.setText('"unbalanced quote')
    qtbot.waitUntil(lambda: dashboard.model.total == 0)
    assert "0 cases match." in dashboard.counts.text()


def test_summary_greeting_words() -> None:
    assert summary_text(0, 0, 0) == "No open escalations."
    assert summary_text(12, 3, 2) == (
        "Escalations: 12 open, 3 overdue, 2 due within the next working day."
    )
    assert "none overdue" in summary_text(4, 0, 0)
