"""Escape on a filled form asks first: Keep editing leaves it as it was, Discard writes nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from desktop.casework.stage_entry import read_entry, record_stage
from desktop.models import AuditEvent, Contact
from desktop.sharing.subject_access_records import Reason
from desktop.ui.change_passphrase_dialog import ChangePassphraseDialog
from desktop.ui.contacts_dialog import ContactsDialog
from desktop.ui.correction_dialog import CorrectionDialog
from desktop.ui.services import Services
from desktop.ui.subject_access_dialog import SubjectAccessDialog
from tests.factories import import_sample, open_case_in
from tests.ui.questions import answering


def _written(services: Services) -> tuple[int, int]:
    """How many audit events and contacts the vault holds: any write changes the first."""
    with services.vault.sessions() as session:
        events = session.scalar(select(func.count()).select_from(AuditEvent)) or 0
        return events, session.scalar(select(func.count()).select_from(Contact)) or 0


def _escape_keeps_then_discards(
    qtbot: QtBot,
    services: Services,
    dialog: QDialog,
    question: str,
    still_there: Callable[[], bool],
) -> None:
    """Escape twice: Keep editing, then Discard; nothing may be written by either."""
    qtbot.addWidget(dialog)
    dialog.show()
    before = _written(services)
    with answering("&Keep editing") as asked:
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert asked == [question]
    assert dialog.isVisible() and still_there()
    with answering("&Discard"):
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible() and dialog.result() == QDialog.DialogCode.Rejected
    assert _written(services) == before


def test_the_correction_dialog_asks(qtbot: QtBot, services: Services) -> None:
    opened = dt.datetime(2026, 11, 16, 10, 0, tzinfo=dt.UTC)
    case_id = open_case_in(services.vault, services.catalogue, "UI-ASK", opened_at=opened)
    entry = read_entry(services.vault, services.catalogue, case_id)
    values: dict[str, object] = {
        name: f"Fictional {name}." for name in entry.stage.record if name.startswith("concern")
    }
    values |= {
        "discussion": {
            "at": "2026-11-20T10:30:00",
            "mode": "telephone",
            "participants": "Alex Example; Sam Sample",
            "notes": "Fictional notes.",
        },
        "other_party_rationale": "Fictional rationale.",
        "lived_experience": "Fictional experience.",
        "agreed_actions": [],
        "outcome": "unresolved",
        "incomplete_because": "Fictional: urgent, the file records follow.",
    }
    record_stage(services.vault, services.catalogue, case_id, values, dt.datetime.now(dt.UTC))
    dialog = CorrectionDialog(services, entry.record_id)
    dialog.reason.setPlainText("Fictional: the wrong meeting was named.")
    _escape_keeps_then_discards(
        qtbot,
        services,
        dialog,
        "Discard this correction?",
        lambda: dialog.reason.toPlainText() == "Fictional: the wrong meeting was named.",
    )


def test_the_contacts_dialog_asks_only_for_a_contact_typed_and_not_added(
    qtbot: QtBot, services: Services
) -> None:
    untouched = ContactsDialog(services)
    qtbot.addWidget(untouched)
    untouched.show()
    qtbot.keyClick(untouched, Qt.Key.Key_Escape)  # nothing typed: it closes at once
    assert not untouched.isVisible()
    dialog = ContactsDialog(services)
    dialog.fields["agency"].setText("Fictional Health Trust")
    _escape_keeps_then_discards(
        qtbot,
        services,
        dialog,
        "Discard the contact you typed?",
        lambda: dialog.fields["agency"].text() == "Fictional Health Trust",
    )


def test_the_subject_access_dialog_asks_for_its_marks(qtbot: QtBot, services: Services) -> None:
    import_sample(services.vault, services.catalogue)
    dialog = SubjectAccessDialog(services, "C-1042")
    professional = dialog.records.professionals[0] if dialog.records else ""
    assert dialog.mark(professional, Reason.PROFESSIONAL)
    _escape_keeps_then_discards(
        qtbot,
        services,
        dialog,
        "Discard the passages marked to withhold?",
        lambda: dialog.mark_list.count() == 1,
    )


def test_the_change_passphrase_dialog_asks(qtbot: QtBot, services: Services) -> None:
    dialog = ChangePassphraseDialog(services)
    dialog.new.setText("a fictional new passphrase")
    _escape_keeps_then_discards(
        qtbot,
        services,
        dialog,
        "Discard the passphrases you typed?",
        lambda: dialog.new.text() == "a fictional new passphrase",
    )
