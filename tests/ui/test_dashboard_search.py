"""The dashboard's search: a child's identifier finds the case, and the match is shown."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop.ui.case_table_model import SNIPPET_COLUMN
from desktop.ui.dashboard import Dashboard
from desktop.ui.services import Services
from tests.factories import open_case_in

SUMMARY = "Fictional: the referral was closed without a visit."


def test_typing_a_childs_identifier_finds_the_case_and_shows_where(
    qtbot: QtBot, services: Services
) -> None:
    vault, catalogue = services.vault, services.catalogue
    open_case_in(vault, catalogue, "ESC-2026-0042", identifier="PUPIL-7731", summary=SUMMARY)
    open_case_in(vault, catalogue, "ESC-2026-0043", identifier="PUPIL-8800", summary=SUMMARY)
    dashboard = Dashboard(services)
    qtbot.addWidget(dashboard)
    dashboard.show()
    assert dashboard.table.isColumnHidden(SNIPPET_COLUMN)
    qtbot.keyClicks(dashboard.search, "pupil-77")
    qtbot.waitUntil(lambda: dashboard.model.total == 1)
    model = dashboard.model
    assert model.index(0, 0).data() == "ESC-2026-0042"
    snippet = model.index(0, SNIPPET_COLUMN)
    qtbot.waitUntil(lambda: snippet.data() is not None)  # read just after the rows
    assert snippet.data().startswith("ESC-2026-0042 «PUPIL-7731» Fict")
    assert snippet.data(Qt.ItemDataRole.ToolTipRole) == snippet.data()
    assert not dashboard.table.isColumnHidden(SNIPPET_COLUMN)
    assert model.headerData(SNIPPET_COLUMN, dashboard.table.horizontalHeader().orientation())
    dashboard.search.clear()
    qtbot.waitUntil(lambda: dashboard.model.total == 2)
    assert dashboard.table.isColumnHidden(SNIPPET_COLUMN)


def test_a_match_read_after_the_vault_locked_is_dropped(qtbot: QtBot, services: Services) -> None:
    open_case_in(
        services.vault,
        services.catalogue,
        "ESC-2026-0042",
        identifier="PUPIL-7731",
        summary=SUMMARY,
    )
    dashboard = Dashboard(services)
    qtbot.addWidget(dashboard)
    dashboard.search.setText("pupil")
    dashboard._on_filter_changed()  # what the typing pause does
    assert dashboard.model.index(0, SNIPPET_COLUMN).data() is None  # asked for, not yet read
    services.vault.close()  # the idle lock comes first
    QApplication.processEvents()  # the read (a zero timer) finds it locked: nothing shown
    assert dashboard.model.index(0, SNIPPET_COLUMN).data() is None
