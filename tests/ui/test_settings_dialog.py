"""The Settings window: built from the declarations, saving only what changed, refusing first."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QTime
from PySide6.QtWidgets import QDialogButtonBox, QLabel, QSpinBox, QTimeEdit, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from desktop.casework.settings import SETTINGS, load_settings
from desktop.models import AuditEvent
from desktop.sharing.signing_profile import read_signer
from desktop.ui.services import Services
from desktop.ui.settings_dialog import SettingsDialog


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
    keep = dialog.findChild(QSpinBox, "backups_keep")
    assert keep is not None
    keep.setValue(7)
    _save(dialog)
    assert dialog.result() == 1, dialog.error.text()
    assert load_settings(services.vault).backups_keep == 7
    assert _audited(services)[len(before) :] == [("settings.changed", "setting:backups_keep")]
    unchanged = _dialog(qtbot, services)
    _save(unchanged)
    assert unchanged.result() == 1 and len(_audited(services)) == len(before) + 1


def test_office_hours_out_of_order_save_nothing_at_all(qtbot: QtBot, services: Services) -> None:
    before = _audited(services)
    dialog = _dialog(qtbot, services)
    dialog.name.setText("Jo Newname (fictional)")
    opens = dialog.findChild(QTimeEdit, "office_opens")
    assert opens is not None
    opens.setTime(QTime(18, 0))
    _save(dialog)
    assert dialog.result() == 0
    assert dialog.error.text() == "The office must open before it closes."
    assert read_signer(services.vault).name == "Alex Example (fictional)"
    assert load_settings(services.vault).office_opens == dt.time(9, 0)
    assert _audited(services) == before
