"""The walker: every window and dialog, in each of its states, for names, Alt keys, Tab and size.

To add a window, write a generator below that opens it (through ``walk``) and
yields it once per state worth checking (a page, a tab, a view), then add it
to ``WINDOWS``. Every check then runs on it, at the normal font and at 14 pt.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QTableWidget, QWidget, QWizard
from pytestqt.qtbot import QtBot

from desktop.casework.transitions import escalate_case
from desktop.procedures.workdays import LONDON
from desktop.ui.services import Services
from tests.factories import CaseOverrides, open_case_in
from tests.ui.accessibility_checks import (
    SCREEN,
    alt_key_problems,
    clipping_problems,
    name_problems,
    settle,
    size_problems,
    tab_trap_problems,
)

CHILD = "C-WALK-1"
OPENED = dt.datetime(2026, 11, 16, 10, 0, tzinfo=LONDON)


@dataclass
class Walk:
    """What a window needs to open: the test's bot, services, a case and a finalised record."""

    qtbot: QtBot
    services: Services
    folder: Path
    case_id: int
    record_id: int

    def shown(self, window: QWidget) -> QWidget:
        """Show ``window`` (closed after the test) and let it settle."""
        self.qtbot.addWidget(window)
        window.show()
        settle()
        return window


@pytest.fixture
def walk(qtbot: QtBot, services: Services) -> Walk:
    """Two cases of one child; the first escalated, so its first stage is finalised."""
    vault, catalogue = services.vault, services.catalogue
    both: CaseOverrides = {"identifier": CHILD, "born": dt.date(2015, 4, 1), "opened_at": OPENED}
    case_id = open_case_in(vault, catalogue, "WALK-1", **both)
    open_case_in(vault, catalogue, "WALK-2", **both)
    escalate_case(
        services.vault,
        services.catalogue,
        case_id,
        dt.datetime(2026, 11, 17, 10, tzinfo=LONDON),
        incomplete_because="Fictional: urgent, the records follow.",
    )
    from desktop.casework.timeline import view_case

    detail = view_case(services.vault, services.catalogue, case_id, dt.datetime.now(dt.UTC))
    record_id = detail.entries[0].record_id
    return Walk(qtbot, services, services.vault.files.folder, case_id, record_id)


def main_window(walk: Walk) -> Iterator[QWidget]:
    """The dashboard, a case, and the reports, in the main window."""
    from desktop.ui.main_window import MainWindow

    window = MainWindow()
    window.show_vault(walk.services)
    yield walk.shown(window)
    window.open_case(walk.case_id)
    settle()
    yield window
    window.reports_action.trigger()
    settle()
    yield window


def stage_form(walk: Walk) -> Iterator[QWidget]:
    """Each page of the stage form (the case's second stage)."""
    from desktop.ui.stage_form import StageForm

    form = StageForm(walk.services, walk.case_id)
    for table in form.findChildren(QTableWidget):
        table.insertRow(0)  # an agreed action: Tab must still leave the table
    yield walk.shown(form)
    for _ in form.pages[1:]:
        form.next()
        settle()
        yield form


def new_case_wizard(walk: Walk) -> Iterator[QWidget]:
    """Each page of the new-case wizard, filled in as far as needed to move on."""
    from desktop.ui.new_case_wizard import NewCaseWizard

    wizard = NewCaseWizard(walk.services)
    yield walk.shown(wizard)
    fills: list[Callable[[], None]] = [
        lambda: wizard.risk.no.setChecked(True),
        lambda: wizard.redirects.confirm.setChecked(True),
        lambda: None,
        lambda: (wizard.child.identifier.setText("C-WALK-9"), wizard.child.initials.setText("Q.")),
    ]
    for fill in fills:
        fill()
        wizard.next()
        settle()
        yield wizard
    assert (
        wizard.currentId() == wizard.pageIds()[-1]
        or wizard.button(QWizard.WizardButton.NextButton).isVisible()
    )


def settings(walk: Walk) -> Iterator[QWidget]:
    """Settings, and the first run's profile."""
    from desktop.ui.settings_dialog import SettingsDialog

    yield walk.shown(SettingsDialog(walk.services))
    yield walk.shown(SettingsDialog(walk.services, first_run=True))


def contacts(walk: Walk) -> Iterator[QWidget]:
    """The contacts directory."""
    from desktop.ui.contacts_dialog import ContactsDialog

    yield walk.shown(ContactsDialog(walk.services))


def subject_access(walk: Walk) -> Iterator[QWidget]:
    """Subject access with a child's records loaded."""
    from desktop.ui.subject_access_dialog import SubjectAccessDialog

    yield walk.shown(SubjectAccessDialog(walk.services, CHILD))


def transfers(walk: Walk) -> Iterator[QWidget]:
    """Each tab of the transfers dialog: send, receive, history."""
    from desktop.ui.transfers_dialog import TransfersDialog

    dialog = TransfersDialog(walk.services, CHILD)
    yield walk.shown(dialog)
    for index in (1, 2):
        dialog.tabs.setCurrentIndex(index)
        settle()
        yield dialog


def retention(walk: Walk) -> Iterator[QWidget]:
    """Records past their review date, in a year when both cases are."""
    from desktop.ui.retention_dialog import RetentionDialog

    yield walk.shown(RetentionDialog(walk.services, today=dt.date(2060, 1, 1)))


def verify(walk: Walk) -> Iterator[QWidget]:
    """Verify signed documents."""
    from desktop.ui.verify_dialog import VerifyDialog

    yield walk.shown(VerifyDialog(walk.services))


def vault_dialogs(walk: Walk) -> Iterator[QWidget]:
    """Unlock (also after a wrong passphrase), create a vault, change the passphrase."""
    from desktop.errors import WrongPassphrase
    from desktop.ui.change_passphrase_dialog import ChangePassphraseDialog
    from desktop.ui.create_vault_dialog import CreateVaultDialog
    from desktop.ui.unlock_dialog import UnlockDialog

    unlock = UnlockDialog(walk.folder)
    yield walk.shown(unlock)
    unlock.error.setText(WrongPassphrase("That passphrase does not open this vault.").message)
    settle()
    yield unlock
    notice = "This computer has no secure password store, so you will type your passphrase."
    yield walk.shown(CreateVaultDialog(walk.folder.parent / "new", None, notice))
    yield walk.shown(ChangePassphraseDialog(walk.services))


def correction(walk: Walk) -> Iterator[QWidget]:
    """Correct a finalised stage."""
    from desktop.ui.correction_dialog import CorrectionDialog

    yield walk.shown(CorrectionDialog(walk.services, walk.record_id))


# One line per window: add new windows and dialogs here.
WINDOWS: dict[str, Callable[[Walk], Iterator[QWidget]]] = {
    "main window": main_window,
    "stage form": stage_form,
    "new-case wizard": new_case_wizard,
    "settings": settings,
    "contacts": contacts,
    "subject access": subject_access,
    "transfers": transfers,
    "retention": retention,
    "verify": verify,
    "vault dialogs": vault_dialogs,
    "correction": correction,
}


@pytest.mark.parametrize("name", list(WINDOWS))
def test_every_state_is_named_keyed_once_and_lets_tab_out_and_fits_at_150_percent(
    walk: Walk, name: str
) -> None:
    # At 1.5x scaling a 1366 x 768 screen holds 2/3 of its pixels in the window's units.
    scaled = QSize(SCREEN.width() * 2 // 3, SCREEN.height() * 2 // 3)
    problems = []
    for number, window in enumerate(WINDOWS[name](walk), 1):
        found = (
            name_problems(window)
            + alt_key_problems(window)
            + tab_trap_problems(walk.qtbot, window)
            + size_problems(window, scaled, "at 1.5x scaling")
            + clipping_problems(window)
        )
        problems += [f"{name}, state {number} ({window.windowTitle()}): {p}" for p in found]
    assert not problems, "\n".join(problems)


@pytest.fixture
def large_font(qtbot: QtBot) -> Iterator[None]:
    """The application's font at 14 points while the test runs."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    before = app.font()
    font = QFont(before)
    font.setPointSize(14)
    app.setFont(font)
    yield
    app.setFont(before)


@pytest.mark.parametrize("name", list(WINDOWS))
def test_every_state_fits_the_screen_with_a_14_point_font(
    large_font: None, walk: Walk, name: str
) -> None:
    problems = [
        f"{name}, state {number}: {p}"
        for number, window in enumerate(WINDOWS[name](walk), 1)
        for p in size_problems(window, SCREEN, "with a 14-point font")
    ]
    assert not problems, "\n".join(problems)
