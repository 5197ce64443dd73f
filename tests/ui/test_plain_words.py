"""Plain words on screen: history, stage titles, what to do now, empty lists, details folded."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from desktop.casework import stage_entry
from desktop.casework.dashboard import CaseFilter
from desktop.storage.secrets import NO_SECURE_STORE
from desktop.ui.case_view import CaseView
from desktop.ui.dashboard import Dashboard
from desktop.ui.details_section import DetailsSection
from desktop.ui.empty_dashboard import HOW_TO_START, empty_text
from desktop.ui.services import Services
from tests.factories import open_case_in

LEVEL_1 = "Level 1: Practitioners, then line managers / team managers"


def test_the_case_history_is_in_words_with_autosaves_folded(
    qtbot: QtBot, services: Services
) -> None:
    case_id = open_case_in(services.vault, services.catalogue, "WORDS-1")
    record_id = stage_entry.read_entry(services.vault, services.catalogue, case_id).record_id
    for words in ("first", "second", "third"):
        stage_entry.save_draft(services.vault, record_id, {"notes": words})
    view = CaseView(services)
    qtbot.addWidget(view)
    view.show_case(case_id)
    lines = [view.history.item(row).text().split("  ", 1)[1] for row in range(view.history.count())]
    assert lines == [
        "Escalation opened",
        "Draft saved (3 times)",
    ]  # was case.created, stage.draft_saved x3
    assert not any("." in line or "_" in line for line in lines)


def test_the_case_says_what_to_do_now_in_the_procedures_words(
    qtbot: QtBot, services: Services
) -> None:
    view = CaseView(services)
    qtbot.addWidget(view)
    view.show_case(open_case_in(services.vault, services.catalogue, "WORDS-1"))
    text = view.guidance.toPlainText()
    assert text.startswith(f"What to do now: {LEVEL_1}")
    assert 'The procedure says: "Most differences of opinion can be resolved' in text


def test_the_dashboard_names_stages_by_title(qtbot: QtBot, services: Services) -> None:
    open_case_in(services.vault, services.catalogue, "WORDS-1")
    dashboard = Dashboard(services)
    qtbot.addWidget(dashboard)
    assert dashboard.model.total == 1
    stage = dashboard.model.index(0, 3).data()
    assert stage == LEVEL_1
    assert not dashboard.empty_hint.isVisibleTo(dashboard)


def test_an_empty_dashboard_says_how_to_start(qtbot: QtBot, services: Services) -> None:
    dashboard = Dashboard(services)
    qtbot.addWidget(dashboard)
    dashboard.show()
    assert dashboard.empty_hint.isVisible() and dashboard.empty_hint.text() == HOW_TO_START
    assert "New escalation" in HOW_TO_START and "F1" in HOW_TO_START
    assert dashboard.empty_hint.geometry() == dashboard.table.viewport().rect()
    assert empty_text(CaseFilter(search="nothing")).startswith("No cases match")
    assert empty_text(CaseFilter(status="overdue")) == "Nothing is overdue."


def test_details_are_folded_until_asked_for_and_hidden_when_there_are_none(
    qtbot: QtBot,
) -> None:
    holder = QWidget()
    qtbot.addWidget(holder)
    details = DetailsSection()
    QVBoxLayout(holder).addWidget(details)
    holder.show()
    assert not details.isVisible()  # nothing to show
    details.set_details("SHA-256 0123abcd")
    assert details.isVisible() and not details.body.isVisible()
    details.toggle.click()
    assert details.expanded and details.body.isVisible()
    assert details.body.text() == "SHA-256 0123abcd"


def test_no_secure_store_is_said_without_the_backends_name(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import keyring.core

    from desktop.app import secure_store

    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    monkeypatch.setattr(keyring.core, "_keyring_backend", None)
    store, notice = secure_store()
    monkeypatch.setattr(keyring.core, "_keyring_backend", None)
    assert store is None and notice == NO_SECURE_STORE
