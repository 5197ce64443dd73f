"""The parties at one stage: name, role and agency of the raising and the receiving side."""

from __future__ import annotations

import html

from PySide6.QtWidgets import QLineEdit

from desktop.procedures.catalogue import Stage
from desktop.procedures.field_kinds import PERSON, SIDES
from desktop.procedures.fields import Field
from desktop.ui import form_widgets as fw
from desktop.ui.field_editor import FieldEditor, container, mapping

SIDE_CAPTIONS = {"raising": "Raising the concern", "receiving": "Receiving it"}


class PartiesEditor(FieldEditor):
    """Who takes part at this stage on each side (line managers at level 2, and so on)."""

    def __init__(self, spec: Field, stage: Stage) -> None:
        super().__init__(spec, stage)
        self.widget, rows = container(spec, self.label)
        self.lines: dict[tuple[str, str], QLineEdit] = {}
        roles = {"raising": stage.raising_role, "receiving": stage.receiving_role}
        for number, side in enumerate(SIDES):
            caption = fw.note(f"<b>{SIDE_CAPTIONS[side]}</b> ({html.escape(roles[side])})")
            caption.setContentsMargins(0, 8 if number else 0, 0, 0)  # the sides apart
            rows.addRow(caption)
            for part in PERSON:
                line = fw.line(f"{side}_{part}", f"{SIDE_CAPTIONS[side]}: {part}")
                self.lines[(side, part)] = line
                rows.addRow(f"{part.capitalize()}:", line)
        self.changes = tuple(line.textChanged for line in self.lines.values())

    def values(self) -> dict[str, object]:
        """Return both sides as the stage form keeps them."""
        return {
            self.spec.name: {
                side: {part: self.lines[(side, part)].text().strip() for part in PERSON}
                for side in SIDES
            }
        }

    def _show(self, value: object) -> None:
        sides = mapping(value)
        for (side, part), line in self.lines.items():
            line.setText(str(mapping(sides.get(side)).get(part, "")))
