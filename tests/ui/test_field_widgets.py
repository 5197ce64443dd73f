"""Every field a bundled procedure asks for has a widget, chosen by its kind, named by its label."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QFormLayout, QWidget
from pytestqt.qtbot import QtBot

from desktop.procedures import fields
from desktop.procedures.catalogue import Stage, load_catalogue
from desktop.procedures.fields import Kind
from desktop.ui.field_widgets import EDITORS, editor_for

CATALOGUE = load_catalogue()
ASKED: dict[str, Stage] = {
    name: stage
    for procedure in CATALOGUE
    for track in procedure.tracks
    for stage in track.stages
    for name in stage.record
}
SAVED: dict[Kind, object] = {
    Kind.TEXT: "Fictional passage.",
    Kind.TICK: True,
    Kind.DISCUSSION: {
        "at": "2026-11-20T10:30:00",
        "mode": "meeting",
        "participants": "Alex Example; Sam Sample",
        "notes": "Fictional notes.",
    },
    Kind.ACTIONS: [{"action": "Call", "owner": "Sam Sample", "due": "2026-11-27T17:00:00"}],
    Kind.OUTCOME: "withdrawn",
    Kind.CONFIRMATION: {
        "sent": True,
        "when": "2026-11-20T16:00:00",
        "how": "letter",
        "to": "Sam Sample",
    },
    Kind.PARTIES: {
        "raising": {"name": "Alex Example", "role": "Line manager", "agency": "Nowhere Primary"},
        "receiving": {"name": "Sam Sample", "role": "Team manager", "agency": "Fictional CSC"},
    },
}


def test_every_kind_has_a_widget() -> None:
    assert set(EDITORS) == set(Kind)


@pytest.mark.parametrize("name", sorted(ASKED))
def test_a_required_field_renders_a_widget_named_by_its_label(qtbot: QtBot, name: str) -> None:
    spec = fields.named(name)  # in the registry, or this raises
    page = QWidget()
    qtbot.addWidget(page)
    form = QFormLayout(page)
    editor = editor_for(spec, ASKED[name])
    editor.add_to(form)
    assert editor.widget.accessibleName() == ASKED[name].label(name)
    assert page.findChild(QWidget, name) is editor.widget
    assert editor.changes, "the form must see every change to autosave it"


@pytest.mark.parametrize("kind", list(Kind))
def test_a_saved_value_shows_and_reads_back_unchanged(qtbot: QtBot, kind: Kind) -> None:
    spec = next(spec for spec in fields.FIELDS if spec.kind is kind)
    stage = next(stage for stage in ASKED.values() if stage.next)
    editor = editor_for(spec, stage)
    qtbot.addWidget(editor.widget)
    editor.show({spec.name: SAVED[kind]})
    assert editor.values()[spec.name] == SAVED[kind]
