"""Records past their review date, through the dialog: listed, and purged only when typed again."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from desktop.models import AuditEvent, Case
from desktop.procedures.workdays import to_london
from desktop.storage.backup import automatic_backup, write_backup
from desktop.ui.main_window import MainWindow
from desktop.ui.retention_dialog import RetentionDialog
from desktop.ui.services import Services
from tests.factories import open_case_in

TODAY = dt.date(2026, 11, 23)
OPENED = dt.datetime(2025, 1, 6, 10, tzinfo=dt.UTC)


def _references(services: Services) -> list[str]:
    with services.vault.sessions() as session:
        return list(session.scalars(select(Case.reference).order_by(Case.reference)))


def test_a_case_past_review_is_purged_only_when_its_reference_is_typed_again(
    qtbot: QtBot, services: Services
) -> None:
    vault, catalogue = services.vault, services.catalogue
    open_case_in(vault, catalogue, "OLD-1", born=dt.date(1990, 3, 1), opened_at=OPENED)
    open_case_in(vault, catalogue, "NEW-1", born=dt.date(2015, 3, 1), opened_at=OPENED)
    dialog = RetentionDialog(services, today=TODAY)
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 1 and dialog.table.item(0, 0).text() == "OLD-1"
    assert dialog.table.item(0, 1).text() == "01 Mar 2015"
    assert "25 years" in dialog.rule.text()
    assert not dialog.purge_button.isEnabled()  # nothing chosen yet
    dialog.table.selectRow(0)
    qtbot.keyClicks(dialog.confirmation, "old-1")
    assert not dialog.purge_button.isEnabled()  # not the same reference
    dialog.confirmation.clear()
    qtbot.keyClicks(dialog.confirmation, "OLD-1")
    assert dialog.purge_button.isEnabled()
    qtbot.mouseClick(dialog.purge_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.purged == 1)  # the backups are rewritten on a worker
    assert _references(services) == ["NEW-1"]
    assert dialog.purged == 1 and dialog.table.rowCount() == 0
    assert "OLD-1 and everything recorded under it were deleted" in dialog.message.text()
    with services.vault.sessions() as session:
        actions = list(session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))
    assert actions[-2:] == ["case.purged", "retention.viewed"]  # then the list is shown again


def test_the_dialog_names_the_backups_that_still_hold_the_purged_case(
    qtbot: QtBot, services: Services, tmp_path: Path
) -> None:
    born = dt.date(1990, 3, 1)
    open_case_in(services.vault, services.catalogue, "OLD-1", born=born, opened_at=OPENED)
    vault = services.vault
    automatic_backup(vault, keep=5)
    write_backup(vault, tmp_path / "own-copy.zip")
    with vault.sessions() as session:
        made = session.scalar(select(AuditEvent.at).order_by(AuditEvent.id.desc()).limit(1))
    assert made is not None
    dialog = RetentionDialog(services, today=TODAY)
    qtbot.addWidget(dialog)
    dialog.table.selectRow(0)
    qtbot.keyClicks(dialog.confirmation, "OLD-1")
    qtbot.mouseClick(dialog.purge_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.purged == 1)
    shown = dialog.message.text()
    assert "removed from 1 automatic backup(s)" in shown
    day = to_london(made).strftime("%d/%m/%Y")
    assert f"You made 1 backup(s) of your own since the case was entered (on {day})" in shown


def test_the_tools_menu_opens_it_while_the_vault_is_open(
    qtbot: QtBot, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[Services] = []
    monkeypatch.setattr(RetentionDialog, "ask", classmethod(lambda cls, p, s: asked.append(s) or 0))
    window = MainWindow()
    qtbot.addWidget(window)
    assert not window.retention_action.isEnabled()  # locked: nothing to review
    window.show_vault(services)
    assert window.retention_action.isEnabled()
    window.retention_action.trigger()
    assert asked == [services]
