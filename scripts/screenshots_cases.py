"""Screenshots of a case moving on: open and closed, the outcome page, escalate, close, the track.

Called by scripts/screenshot_views.py (``make screenshots``) with its ``Shots``.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QRadioButton, QScrollArea, QWizard
from screenshot_data import story_cases  # scripts/, beside this file

from desktop.casework.transitions import check_transition
from desktop.models import StageOutcome
from desktop.procedures.catalogue import load_catalogue
from desktop.ui.main_window import MainWindow
from desktop.ui.services import Services

if TYPE_CHECKING:
    from screenshot_views import Shots

# A fictional partnership whose timescales follow a priority (none of the bundled five does).
PRIORITIES = Path(__file__).parents[1] / "docs" / "examples" / "fictionshire-priorities.toml"


def _case_views(shots: Shots, window: MainWindow, closed: int, choice: int) -> None:
    """A case whose earlier stages are selected in the timeline, and a closed case."""
    window.open_case(choice)
    view = window.case_view
    assert view is not None
    view.timeline.setCurrentItem(view.timeline.topLevelItem(1))
    shots.take(window, "case-stage-selected")
    window.open_case(closed)
    view = window.case_view
    assert view is not None
    view.timeline.setCurrentItem(view.timeline.topLevelItem(0))
    shots.take(window, "case-closed")


def _closing_page(shots: Shots, window: MainWindow, services: Services, choice: int) -> None:
    """The outcome page: resolved, with the closing group; unresolved, with 4a or 4b to choose."""
    from desktop.ui.stage_form import StageForm

    form = StageForm(services, choice, window)
    form.show()  # a wizard starts at its first page when shown
    while form.currentId() != form.pageIds()[-1]:
        form.next()
    button = form.findChild(QRadioButton, "outcome_resolved")
    assert button is not None
    button.setChecked(True)
    page = form.currentPage()
    scroll = page.findChild(QScrollArea) if page is not None else None
    assert scroll is not None
    shots.settle()
    scroll.ensureWidgetVisible(form.closing_group)  # the closing group, below the outcome
    shots.take(form, "stage-form-closing")
    button = form.findChild(QRadioButton, "outcome_unresolved")
    assert button is not None
    button.setChecked(True)
    shots.dialog(form, "stage-form-choice")


def _transitions(shots: Shots, window: MainWindow, services: Services, choice: int) -> None:
    """Escalate with a choice of stage 4a or 4b; resolve (closing the case); reopen."""
    from desktop.ui.close_case_dialog import CloseCaseDialog, ReopenDialog
    from desktop.ui.escalate_dialog import EscalateDialog

    transition = check_transition(services.vault, services.catalogue, choice)
    shots.dialog(EscalateDialog(transition, window), "escalate-choice")
    shots.dialog(CloseCaseDialog(transition, StageOutcome.RESOLVED, window), "close-case")
    shots.dialog(CloseCaseDialog(transition, StageOutcome.WITHDRAWN, window), "withdraw-case")
    shots.dialog(ReopenDialog("ESC-2026-0040", window), "reopen-case")


def _track_page(shots: Shots, services: Services, procedure: str, area: str, name: str) -> None:
    """The new-case wizard's track page for ``procedure`` with ``area`` chosen."""
    from desktop.ui.new_case_wizard import NewCaseWizard

    wizard = NewCaseWizard(services)
    wizard.show()
    choices = wizard.risk.procedure
    ids = [choices.itemData(i).id for i in range(choices.count())]
    choices.setCurrentIndex(ids.index(procedure))
    wizard.risk.no.setChecked(True)
    wizard.next()
    wizard.redirects.confirm.setChecked(True)
    wizard.next()
    wizard.track.area.setCurrentIndex(wizard.track.area.findData(area))
    wizard.track.priority.setCurrentIndex(0)
    shots.take(wizard, name)
    wizard.guard.mark_clean()
    wizard.done(QWizard.DialogCode.Rejected)


def case_screens(shots: Shots, window: MainWindow, services: Services) -> None:
    """Take the pictures of a case moving on, with the cases they need."""
    closed, choice = story_cases(services)
    _case_views(shots, window, closed, choice)
    _closing_page(shots, window, services, choice)
    _transitions(shots, window, services, choice)
    _track_page(shots, services, "north-lincolnshire", "quality-of-help", "new-case-track")
    with tempfile.TemporaryDirectory() as folder:
        shutil.copyfile(PRIORITIES, Path(folder) / "fictionshire.toml")
        fictional = Services(services.vault, load_catalogue(Path(folder)))
        _track_page(shots, fictional, "fictionshire", "quality", "new-case-track-priorities")
