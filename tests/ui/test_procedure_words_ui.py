"""The procedure's words where they apply, the app's advice apart: wizard, form, settings."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QComboBox, QDialogButtonBox, QRadioButton
from pytestqt.qtbot import QtBot

from desktop.casework.transitions import escalate_case
from desktop.procedures.workdays import LONDON
from desktop.ui.closure_days import ClosureDays
from desktop.ui.dashboard import Dashboard
from desktop.ui.new_case_wizard import NewCaseWizard
from desktop.ui.services import Services
from desktop.ui.settings_dialog import SettingsDialog
from desktop.ui.stage_form import StageForm
from tests.factories import open_case_in

T0 = dt.datetime(2026, 6, 5, 15, 0, tzinfo=LONDON)


def test_the_wizard_shows_the_track_s_words_routes_an_area_and_keeps_learning_for_the_close(
    qtbot: QtBot, services: Services
) -> None:
    wizard = NewCaseWizard(services)
    qtbot.addWidget(wizard)
    wizard.show()
    ids = [wizard.risk.procedure.itemData(i).id for i in range(wizard.risk.procedure.count())]
    wizard.risk.procedure.setCurrentIndex(ids.index("four-stage-dispute"))
    wizard.risk.yes.setChecked(True)
    said = wizard.risk.guidance.text()
    assert "What the procedure says:" in said and "The app's advice:" in said
    assert said.index("999") > said.index("The app's advice:")  # 999 is the app's, not the text's
    wizard.next()
    listed = wizard.redirects.listing.text()
    assert "Initial Child Protection Conference" in listed and "Learning" not in listed
    wizard.risk.procedure.setCurrentIndex(ids.index("north-lincolnshire"))
    wizard.redirects.confirm.setChecked(True)
    wizard.next()
    assert "duty to challenge and resolve" in wizard.track.description.text()
    areas = [wizard.track.area.itemData(i) for i in range(wizard.track.area.count())]
    wizard.track.area.setCurrentIndex(areas.index("quality-of-help"))
    assert wizard.track.chosen_track().id == "help-and-safeguarding"
    assert [wizard.track.entry.itemData(i) for i in range(wizard.track.entry.count())] == ["B", "C"]
    assert wizard.track.urgent.isChecked() and wizard.track.entry_value() is None  # urgent: C
    wizard.track.urgent.setChecked(False)
    assert wizard.track.entry_value() == "B"


def test_the_form_asks_where_to_escalate_in_words_and_takes_a_reason_for_missing_records(
    qtbot: QtBot, services: Services
) -> None:
    case_id = open_case_in(
        services.vault,
        services.catalogue,
        "UI-FORM-4",
        procedure_id="cambridgeshire-peterborough",
        track_id="resolution",
        opened_at=T0,
    )
    for hour in (1, 2):
        escalate_case(
            services.vault, services.catalogue, case_id, T0 + dt.timedelta(hours=hour), None, "x"
        )
    form = StageForm(services, case_id)
    qtbot.addWidget(form)
    form.show()
    target = form.findChild(QComboBox, "escalateTo")
    assert target is not None and target.currentData() is None  # no choice made for the user
    assert target.itemText(2) == "4b: b) Non-urgent and / or lessons learned"
    unresolved = form.findChild(QRadioButton, "outcome_unresolved")
    assert unresolved is not None
    unresolved.setChecked(True)
    assert "Choose the stage to escalate to: 4a, 4b." in form.problems()
    target.setCurrentIndex(2)
    assert any("cannot end yet" in p for p in form.problems())
    form.findChild(object, "incompleteBecause").setPlainText("Fictional: urgent.")  # type: ignore[union-attr]
    assert form.problems() == []
    assert not form.closing_group.isVisible()
    resolved = form.findChild(QRadioButton, "outcome_resolved")
    assert resolved is not None
    resolved.setChecked(True)
    while form.currentId() != form.pageIds()[-1]:
        form.next()
    assert form.closing_group.isVisibleTo(form)


def test_a_calendar_change_says_how_many_deadlines_moved(qtbot: QtBot, services: Services) -> None:
    open_case_in(services.vault, services.catalogue, "UI-CAL", opened_at=T0)
    dialog = SettingsDialog(services)
    qtbot.addWidget(dialog)
    closures = dialog.findChild(ClosureDays, "closures")
    assert closures is not None
    closures.day.edit.setText("08/06/2026")
    closures.add_typed()
    box = dialog.findChild(QDialogButtonBox)
    assert box is not None
    box.button(QDialogButtonBox.StandardButton.Save).click()
    assert "1 open stage's deadline moved" in dialog.status.text()
    board = Dashboard(services)
    qtbot.addWidget(board)
    board.status.setCurrentIndex(board.status.findData("incomplete"))
    assert board.model.total == 0  # nothing ended with records missing
