"""The Settings window: built from the declarations, saving only what changed, refusing first."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QLabel, QLineEdit, QSpinBox, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from desktop.casework.settings import SETTINGS, load_settings
from desktop.models import AuditEvent
from desktop.sharing.signing_profile import read_signer
from desktop.ui.closure_days import ClosureDays
from desktop.ui.services import Services
from desktop.ui.settings_dialog import SettingsDialog
from tests.ui.questions import answering


def _dialog(qtbot: QtBot, services: Services) -> SettingsDialog:
    dialog = SettingsDialog(services)
    qtbot.addWidget(dialog)
    return dialog


def _save(dialog: SettingsDialog) -> None:
    box = dialog.findChild(QDialogButtonBox)
    assert box is not None
    box.button(QDialogButtonBox.StandardButton.Save).click()


def _audited(services: Services) -> list[tuple[str, str | None]]:
    with services.vault.sessions() as session:
        return [tuple(row) for row in session.execute(select(AuditEvent.action, AuditEvent.entity))]


def test_every_setting_shows_under_its_caption_with_its_label(
    qtbot: QtBot, services: Services
) -> None:
    dialog = _dialog(qtbot, services)
    captions = {label.text() for label in dialog.findChildren(QLabel)}
    for declared in SETTINGS:
        widget = dialog.findChild(QWidget, declared.key)
        assert widget is not None and widget.accessibleName() == declared.label
        assert f"{declared.caption}:" in captions
    lock = dialog.findChild(QSpinBox, "auto_lock_minutes")
    assert lock is not None and (lock.minimum(), lock.maximum(), lock.value()) == (1, 240, 10)


def test_saving_audits_only_the_setting_that_changed(qtbot: QtBot, services: Services) -> None:
    before = _audited(services)
    dialog = _dialog(qtbot, services)
    dialog.show()
    keep = dialog.findChild(QSpinBox, "backups_keep")
    assert keep is not None
    keep.setValue(7)
    _save(dialog)
    assert dialog.saved, dialog.error.text()
    assert dialog.isVisible() and dialog.status.text() == "Saved."  # it stays in Settings
    assert load_settings(services.vault).backups_keep == 7
    assert _audited(services)[len(before) :] == [("settings.changed", "setting:backups_keep")]
    unchanged = _dialog(qtbot, services)
    _save(unchanged)
    assert unchanged.saved and len(_audited(services)) == len(before) + 1


def test_office_hours_out_of_order_save_nothing_at_all(qtbot: QtBot, services: Services) -> None:
    before = _audited(services)
    dialog = _dialog(qtbot, services)
    dialog.name.setText("Jo Newname (fictional)")
    opens = dialog.findChild(QLineEdit, "office_opens")
    assert opens is not None and opens.text() == "09:00"
    opens.setText("18:00")
    _save(dialog)
    assert not dialog.saved
    assert dialog.error.text() == "The office must open before it closes."
    assert read_signer(services.vault).name == "Alex Example (fictional)"
    assert load_settings(services.vault).office_opens == dt.time(9, 0)
    assert _audited(services) == before


def test_closure_days_are_picked_from_a_calendar_and_shown_day_first(
    qtbot: QtBot, services: Services
) -> None:
    dialog = _dialog(qtbot, services)
    closures = dialog.findChild(ClosureDays, "closures")
    assert closures is not None
    closures.day.edit._on_popup_picked(dt.date(2026, 12, 23))  # a day chosen in the calendar
    closures.day.setFocus()
    qtbot.keyClicks(closures.day.edit, "15/02/2027")
    qtbot.keyClick(closures.day.edit, Qt.Key.Key_Return)  # Enter adds the day; it does not save
    assert not dialog.saved
    qtbot.keyClicks(closures.day.edit, "30/02/2027")
    qtbot.keyClick(closures.day.edit, Qt.Key.Key_Return)
    assert "February 2027 has 28 days" in closures.day.message.text()
    shown = [closures.listing.item(row).text() for row in range(closures.listing.count())]
    assert shown == ["23/12/2026 (Wednesday)", "15/02/2027 (Monday)"]
    _save(dialog)
    saved = load_settings(services.vault).closures
    assert saved == {dt.date(2026, 12, 23), dt.date(2027, 2, 15)}


def test_escape_with_a_change_asks_and_discarding_saves_nothing(
    qtbot: QtBot, services: Services
) -> None:
    before = _audited(services)
    dialog = _dialog(qtbot, services)
    dialog.show()
    keep = dialog.findChild(QSpinBox, "backups_keep")
    assert keep is not None
    keep.setValue(9)
    with answering("&Keep editing") as asked:
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert asked == ["Discard your changes to the settings?"]
    assert dialog.isVisible() and keep.value() == 9
    with answering("&Discard"):
        dialog.close()
    assert not dialog.isVisible() and not dialog.saved
    assert load_settings(services.vault).backups_keep == 5 and _audited(services) == before
