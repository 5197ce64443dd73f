"""The subject access dialog: every spelling of a withheld name is withheld, and counted."""

from __future__ import annotations

import re

from pytestqt.qtbot import QtBot
from sqlalchemy import select

from desktop.models import Case, Discussion
from desktop.sharing.subject_access_records import Reason
from desktop.ui.services import Services
from desktop.ui.subject_access_dialog import SubjectAccessDialog
from tests.factories import import_sample


def test_the_preview_withholds_every_spelling_and_counts_the_places(
    qtbot: QtBot, services: Services
) -> None:
    vault, catalogue = services.vault, services.catalogue
    import_sample(vault, catalogue)
    with vault.sessions.begin() as session:
        session.scalars(select(Case)).one().other_party_name = "FICTIONAL\u00a0 sw"
        talk = session.scalars(select(Discussion)).one()
        talk.notes = "Fictional: Fictional\nSW and fictional\u200bsw called."
    dialog = SubjectAccessDialog(services, "C-1042")
    qtbot.addWidget(dialog)
    assert [n for n in dialog.records.professionals if "sw" in n.lower()] == ["FICTIONAL\u00a0 sw"]
    assert dialog.mark("Fictional SW", Reason.PROFESSIONAL)
    assert dialog.mark("fictional  SW", Reason.OTHER_CHILD)  # the same words: not a second entry
    assert dialog.mark_list.count() == 1
    assert dialog.mark_list.item(0).text() == "Fictional SW — another professional, 5 places"
    shown = dialog.preview.toPlainText()
    assert not re.search(r"(?i)fictional\W*sw", shown)
    assert shown.count("[withheld: another professional]") == 5
