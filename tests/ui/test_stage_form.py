"""The stage form through its widgets: a draft is kept on closing, and the stage is finalised."""

from __future__ import annotations

import datetime as dt
from typing import TypeVar

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QTableWidget,
    QWizard,
)
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from desktop.casework.case_opening import ChildDetails, NewCase, Party, open_case
from desktop.casework.settings import working_calendar
from desktop.casework.workflow import effective_stages
from desktop.models import AuditEvent, Case, StageOutcome
from desktop.procedures import fields
from desktop.procedures.workdays import LONDON
from desktop.ui.services import Services
from desktop.ui.stage_form import StageForm

W = TypeVar("W", bound=QObject)


def _open(services: Services) -> int:
    new = NewCase(
        reference="UI-FORM",
        procedure_id="berkshire",
        track_id=services.catalogue.get("berkshire").tracks[0].id,
        child=ChildDetails("C-UI-FORM", "Z.Z."),
        area="fictional area",
        raised_by=Party("Alex Example", "DSL", "Nowhere Primary (fictional)"),
        other_party=Party("Sam Sample", "Team manager", "Fictional Children's Services"),
        opened_at=dt.datetime(2026, 11, 16, 10, 0, tzinfo=LONDON),
    )
    vault = services.vault
    with vault.sessions.begin() as session:
        calendar = working_calendar(session)
        return open_case(session, vault.audit_key, services.catalogue, calendar, new).id


def _form(qtbot: QtBot, services: Services, case_id: int) -> StageForm:
    form = StageForm(services, case_id)
    qtbot.addWidget(form)
    form.show()
    return form


def _child(form: StageForm, kind: type[W], name: str) -> W:
    found = form.findChild(kind, name)
    assert found is not None, name
    return found


def _actions(services: Services) -> list[str]:
    with services.vault.sessions() as session:
        return list(session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def test_the_form_keeps_a_draft_then_finalises_through_its_widgets(
    qtbot: QtBot, services: Services
) -> None:
    case_id = _open(services)
    form = _form(qtbot, services, case_id)
    qtbot.keyClicks(_child(form, QPlainTextEdit, "discussionNotes"), "Fictional: typed first.")
    with qtbot.waitSignal(form.draft_saved):
        form.button(QWizard.WizardButton.CancelButton).click()
    assert _actions(services)[-1] == "stage.draft_saved"

    again = _form(qtbot, services, case_id)
    notes = _child(again, QPlainTextEdit, "discussionNotes")
    assert notes.toPlainText() == "Fictional: typed first."
    qtbot.keyClicks(_child(again, QLineEdit, "participants"), "Alex Example; Sam Sample")
    for name in fields.names(fields.Kind.TEXT) & set(again.stage.record):
        qtbot.keyClicks(_child(again, QPlainTextEdit, name), f"Fictional {name}.")
    qtbot.mouseClick(_child(again, QPushButton, "addAction"), Qt.MouseButton.LeftButton)
    table = _child(again, QTableWidget, "actionsTable")
    for column, text in enumerate(("Send chronology", "Alex Example", "27/11/2026")):
        item = table.item(0, column)
        assert item is not None
        item.setText(text)
    _child(again, QCheckBox, "recorded_on_files").setChecked(True)
    _child(again, QRadioButton, "outcome_resolved").setChecked(True)
    while again.currentId() != again.pageIds()[-1]:
        again.next()
    with qtbot.waitSignal(again.stage_saved):
        again.button(QWizard.WizardButton.FinishButton).click()

    with services.vault.sessions() as session:
        case = session.get(Case, case_id)
        assert case is not None and case.closed_at is not None
        [record] = effective_stages(case)
        assert record.outcome is StageOutcome.RESOLVED and record.draft_json is None
        assert record.discussions[0].notes == "Fictional: typed first."
        assert record.actions[0].owner == "Alex Example"
    assert {"stage.changed", "stage.finalised", "case.resolved"} <= set(_actions(services))
