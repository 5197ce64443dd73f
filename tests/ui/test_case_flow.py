"""New case → stage form → escalate → next stage → resolve, on every bundled procedure."""

from __future__ import annotations

import json
from unittest.mock import patch

import pytest
from PySide6.QtWidgets import QPlainTextEdit, QRadioButton, QWidget, QWizard
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from desktop.casework.stage_entry import TEXT_FIELDS
from desktop.casework.workflow import effective_stages
from desktop.models import Case, StageRecord
from desktop.procedures.catalogue import load_catalogue
from desktop.ui.main_window import MainWindow, Place
from desktop.ui.new_case_wizard import NewCaseWizard
from desktop.ui.services import Services
from desktop.ui.stage_form import StageForm

CATALOGUE = load_catalogue()


def _fill_new_case(
    qtbot: QtBot, wizard: NewCaseWizard, procedure_id: str, reference: str, urgent: bool = False
) -> None:
    ids = [wizard.risk.procedure.itemData(i).id for i in range(wizard.risk.procedure.count())]
    wizard.risk.procedure.setCurrentIndex(ids.index(procedure_id))
    wizard.next()
    assert wizard.currentPage() is wizard.risk  # unanswered: stays, says why
    assert "immediate or significant harm" in wizard.risk.error.text()
    (wizard.risk.yes if urgent else wizard.risk.no).setChecked(True)
    if urgent:
        assert wizard.risk.guidance.isVisibleTo(wizard)
        assert "Act first." in wizard.risk.guidance.text()
    wizard.next()
    wizard.next()
    assert "Confirm that this is a professional disagreement" in wizard.redirects.error.text()
    wizard.redirects.confirm.setChecked(True)
    wizard.next()
    wizard.track.reference.setText(reference)
    wizard.next()
    qtbot.keyClicks(wizard.child.identifier, f"C-{reference}")
    qtbot.keyClicks(wizard.child.initials, "Z.Q.")
    wizard.next()
    qtbot.keyClicks(wizard.parties.decision, "Fictional: the referral was declined.")
    for field, text in zip(
        wizard.parties.theirs,
        ("Sam Sample", "Team manager", "Fictional Children's Services"),
        strict=True,
    ):
        qtbot.keyClicks(field, text)
    wizard.next()
    assert wizard.currentPage() is wizard.review  # Finish is on the review page


def _fill_stage(form: StageForm, outcome: str) -> None:
    values = {
        "discussion": {
            "at": "2026-11-20T10:30:00",
            "mode": "telephone",
            "participants": "Alex Example; Sam Sample",
            "notes": "Fictional: discussed the decision.",
        },
        "agreed_actions": [
            {"action": "Send chronology", "owner": "Alex Example", "due": "2026-11-27T17:00:00"}
        ],
        "written_confirmation": {
            "sent": True,
            "when": "2026-11-20T16:00:00",
            "how": "secure email",
            "to": "Sam Sample",
        },
        "recorded_on_files": True,
        "partnership_notified": True,
        "outcome": outcome,
    }
    for field in TEXT_FIELDS:
        values[field] = f"Fictional {field.replace('_', ' ')}."
    for page in form.pages:
        page.set_values(values)


def _finish(form: StageForm) -> None:
    while form.currentId() != form.pageIds()[-1]:
        form.next()
    form.button(QWizard.WizardButton.FinishButton).click()


@pytest.mark.parametrize("procedure_id", [p.id for p in CATALOGUE.current()])
def test_new_case_stage_escalate_resolve(
    qtbot: QtBot, services: Services, procedure_id: str
) -> None:
    wizard = NewCaseWizard(services)
    qtbot.addWidget(wizard)
    wizard.show()
    _fill_new_case(qtbot, wizard, procedure_id, f"UI-{procedure_id}")
    with qtbot.waitSignal(wizard.accepted):
        wizard.button(QWizard.WizardButton.FinishButton).click()
    assert wizard.case_id is not None
    # First stage: record it unresolved, which escalates.
    form = StageForm(services, wizard.case_id)
    qtbot.addWidget(form)
    form.show()
    unresolved = form.findChild(QRadioButton, "outcome_unresolved")
    assert unresolved is not None
    unresolved.setChecked(True)
    _finish(form)
    assert form.isVisible()  # nothing recorded: it names what the stage still needs and stays
    assert "cannot end yet: still to record" in form.pages[-1].error.text()
    _fill_stage(form, "unresolved")
    with qtbot.waitSignal(form.stage_saved):
        _finish(form)
    # Second stage: resolve.
    second = StageForm(services, wizard.case_id)
    qtbot.addWidget(second)
    second.show()
    _fill_stage(second, "resolved")
    with qtbot.waitSignal(second.stage_saved):
        _finish(second)
    with services.vault.sessions() as session:
        case = session.get(Case, wizard.case_id)
        assert case is not None and case.closed_at is not None
        track = CATALOGUE.get(procedure_id).track(case.track_id)
        stages = effective_stages(case)
        assert [r.stage_id for r in stages] == [track.stages[0].id, track.stages[0].next[0]]
        assert [r.outcome.value for r in stages if r.outcome] == ["unresolved", "resolved"]
        assert stages[0].discussions[0].notes == "Fictional: discussed the decision."
        fields = json.loads(stages[1].fields_json)
        assert fields["outcome"] == "resolved"


def test_urgent_north_lincolnshire_starts_at_senior_managers(
    qtbot: QtBot, services: Services
) -> None:
    wizard = NewCaseWizard(services)
    qtbot.addWidget(wizard)
    wizard.show()
    _fill_new_case(qtbot, wizard, "north-lincolnshire", "UI-URGENT", urgent=True)
    assert wizard.track.urgent.isChecked()
    assert "telephone" in wizard.track.urgent_note.text()
    wizard.button(QWizard.WizardButton.FinishButton).click()
    with services.vault.sessions() as session:
        case = session.scalar(select(Case).where(Case.reference == "UI-URGENT"))
        assert case is not None and case.urgent and case.stages[0].stage_id == "C"


def test_auto_lock_keeps_the_draft(qtbot: QtBot, services: Services) -> None:
    wizard = NewCaseWizard(services)
    qtbot.addWidget(wizard)
    wizard.show()
    _fill_new_case(qtbot, wizard, "berkshire", "UI-DRAFT")
    wizard.button(QWizard.WizardButton.FinishButton).click()
    assert wizard.case_id is not None
    window = MainWindow()
    qtbot.addWidget(window)
    window.show_vault(services)
    window.open_case(wizard.case_id)
    opened: list[StageForm] = []

    def keep_open(form: StageForm) -> int:
        opened.append(form)
        form.show()
        notes = form.findChild(QPlainTextEdit, "discussionNotes")
        assert notes is not None
        qtbot.keyClicks(notes, "Typed before the auto-lock (fictional).")
        window.show_locked()  # what the idle timer does
        return 0

    with patch.object(StageForm, "exec", keep_open):
        window.record_stage(wizard.case_id)
    assert window.services is None
    assert window.stack.currentWidget().objectName() == "lockedView"
    assert window.place == Place("case", wizard.case_id, draft=True)  # where unlocking returns
    with services.vault.sessions() as session:
        case = session.get(Case, wizard.case_id)
        assert case is not None
        draft = json.loads(effective_stages(case)[-1].draft_json or "{}")
    assert draft["discussion"]["notes"] == "Typed before the auto-lock (fictional)."
    # After unlock the form shows the draft again.
    form = StageForm(services, wizard.case_id)
    qtbot.addWidget(form)
    notes = form.findChild(QPlainTextEdit, "discussionNotes")
    assert notes is not None and notes.toPlainText() == "Typed before the auto-lock (fictional)."


def test_stage_form_pages_come_from_the_procedure(qtbot: QtBot, services: Services) -> None:
    wizard = NewCaseWizard(services)
    qtbot.addWidget(wizard)
    wizard.show()
    _fill_new_case(qtbot, wizard, "cambridgeshire-peterborough", "UI-PAGES")
    wizard.button(QWizard.WizardButton.FinishButton).click()
    assert wizard.case_id is not None
    form = StageForm(services, wizard.case_id)
    qtbot.addWidget(form)
    stage = CATALOGUE.get("cambridgeshire-peterborough").track("resolution").stage("1")
    shown = {field for page in form.pages for field in page.fields}
    assert shown == set(stage.record)
    assert "written_confirmation" not in shown  # stage 1 does not ask for it
    outcome_buttons = form.findChildren(QRadioButton)
    assert {b.objectName() for b in outcome_buttons} >= {"outcome_resolved", "outcome_open"}
    with services.vault.sessions() as session:
        assert session.scalar(select(StageRecord.draft_json)) is None


def test_correction_is_a_linked_entry_and_the_original_stays(
    qtbot: QtBot, services: Services
) -> None:
    from desktop.ui.case_view import CaseView
    from desktop.ui.correction_dialog import CorrectionDialog, correction_problem

    wizard = NewCaseWizard(services)
    qtbot.addWidget(wizard)
    wizard.show()
    _fill_new_case(qtbot, wizard, "berkshire", "UI-FIX")
    wizard.button(QWizard.WizardButton.FinishButton).click()
    assert wizard.case_id is not None
    form = StageForm(services, wizard.case_id)
    qtbot.addWidget(form)
    form.show()
    _fill_stage(form, "unresolved")
    _finish(form)
    view = CaseView(services)
    qtbot.addWidget(view)
    view.show_case(wizard.case_id)
    first = view.timeline.topLevelItem(0)
    assert first is not None
    view.timeline.setCurrentItem(first)
    assert view.correct_button.isEnabled()
    second = view.timeline.topLevelItem(1)
    assert second is not None
    view.timeline.setCurrentItem(second)  # the open stage: nothing to correct
    assert not view.correct_button.isEnabled()
    assert correction_problem("  ") is not None
    with services.vault.sessions() as session:
        case = session.get(Case, wizard.case_id)
        assert case is not None
        original = case.stages[0]
        before = original.fields_json
    dialog = CorrectionDialog(services, original.id)
    qtbot.addWidget(dialog)
    dialog.inputs["concern_why"].setPlainText("Corrected fictional reason.")
    dialog._on_buttons_accepted()
    assert "Say why" in dialog.error.text()
    dialog.reason.setPlainText("The first account named the wrong meeting (fictional).")
    dialog._on_buttons_accepted()
    assert dialog.result() == 1
    with services.vault.sessions() as session:
        case = session.get(Case, wizard.case_id)
        assert case is not None
        rows = sorted(case.stages, key=lambda r: r.id)
        assert rows[0].fields_json == before  # the finalised record is untouched
        fix = rows[-1]
        assert fix.corrects_id == rows[0].id
        assert json.loads(fix.fields_json)["concern_why"] == "Corrected fictional reason."
        assert [r.stage_id for r in effective_stages(case)] == ["1", "2"]


def test_lock_closes_every_dialog(qtbot: QtBot, services: Services) -> None:
    from desktop.ui.contacts_dialog import ContactsDialog

    window = MainWindow()
    qtbot.addWidget(window)
    window.show_vault(services)
    dialog = ContactsDialog(services, window)
    dialog.show()
    assert dialog.isVisible()
    window.show_locked()
    assert not dialog.isVisible()
    assert window.stack.currentWidget().objectName() == "lockedView"


def test_every_case_action_is_a_visible_button(qtbot: QtBot, services: Services) -> None:
    from desktop.ui.case_view import CaseView

    view = CaseView(services)
    qtbot.addWidget(view)
    view.show()
    for name in ("recordStage", "escalate", "resolve", "withdraw", "correctStage", "back"):
        button = view.findChild(QWidget, name)
        assert button is not None and button.isVisibleTo(view), name
