"""The new-case wizard: what it refuses, and that refusing then cancelling opens nothing."""

from __future__ import annotations

from PySide6.QtWidgets import QWizard
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from desktop.models import Case, StageRecord
from desktop.ui.new_case_wizard import NewCaseWizard
from desktop.ui.services import Services


def test_cancel_after_a_refused_finish_opens_no_case(qtbot: QtBot, services: Services) -> None:
    wizard = NewCaseWizard(services)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.risk.no.setChecked(True)
    wizard.next()
    wizard.redirects.confirm.setChecked(True)
    wizard.next()
    wizard.track.reference.setText("UI-CANCEL")
    wizard.next()
    qtbot.keyClicks(wizard.child.identifier, "C-CANCEL")
    qtbot.keyClicks(wizard.child.initials, "Z.Q.")
    wizard.next()
    assert wizard.currentPage() is wizard.parties
    qtbot.keyClicks(wizard.parties.decision, "Fictional: the referral was declined.")
    wizard.button(QWizard.WizardButton.FinishButton).click()  # the other party is empty
    assert "other party" in wizard.parties.error.text()
    assert wizard.isVisible()
    wizard.button(QWizard.WizardButton.CancelButton).click()
    assert wizard.case_id is None
    with services.vault.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Case)) == 0
        assert session.scalar(select(func.count()).select_from(StageRecord)) == 0
