"""The new case's track, area and reference, with what the procedure says about the track.

The track's description is shown as the procedure's words when the track is
chosen. An area that routes to its own track chooses that track, and an area
that names the stages a case may start at offers them, in the procedure's words.
"""

from __future__ import annotations

import html
from collections.abc import Callable

from PySide6.QtWidgets import QCheckBox

from desktop.casework.case_opening import reference_problems
from desktop.procedures.catalogue import Procedure, Track
from desktop.ui import form_widgets as fw
from desktop.ui.procedure_words import quoted_html
from desktop.ui.wizard_page import FormPage

OTHER_AREA = "__other__"


class TrackPage(FormPage):
    """Track, area of disagreement, urgency, priority and reference."""

    def __init__(
        self, chosen: Callable[[], Procedure], at_risk: Callable[[], bool], suggested: str
    ) -> None:
        super().__init__("The disagreement", "Which part of the procedure applies?")
        self._chosen, self._at_risk = chosen, at_risk
        self.reference = fw.line("reference", "Case reference", suggested)
        self.track = fw.combo("trackChoice", "Track", [], long_items=True)
        self.description = fw.note("", "trackDescription")
        self.area = fw.combo("areaChoice", "Area of disagreement", [], long_items=True)
        self.other_area = fw.line("otherArea", "Other area of disagreement")
        self.area_note = fw.note("", "areaGuidance")
        self.entry = fw.combo("entryChoice", "Start at stage", [], long_items=True)
        self.priority = fw.combo("priorityChoice", "Priority", [], long_items=True)
        self.urgent = QCheckBox("&Urgent: start at the level the procedure allows")
        self.urgent.setObjectName("urgentCheck")
        self.urgent_note = fw.note("", "urgentGuidance")
        self.form.addRow("&Reference:", self.reference)
        self.form.addRow("&Track:", self.track)
        self.form.addRow(self.description)
        self.form.addRow("&Area:", self.area)
        self.form.addRow("&Other area:", self.other_area)
        self.form.addRow(self.area_note)
        self.form.addRow("&Start at stage:", self.entry)
        self.form.addRow("Priorit&y:", self.priority)
        self.form.addRow(self.urgent)
        self.form.addRow(self.urgent_note)
        self.track.currentIndexChanged.connect(self._on_track_changed)
        self.area.currentIndexChanged.connect(self._on_area_changed)
        self.urgent.toggled.connect(self._offer_entries)

    def initializePage(self) -> None:
        """Offer the chosen procedure's tracks, areas and priorities."""
        procedure = self._chosen()
        self.track.clear()
        for track in procedure.tracks:
            self.track.addItem(track.title, track)
        self.area.clear()
        for item in procedure.areas:
            self.area.addItem(item.title, item.id)
        self.area.addItem("Other (describe)", OTHER_AREA)
        self.priority.clear()
        for ident, title in procedure.priorities:
            self.priority.addItem(title, ident)
        self.priority.setEnabled(bool(procedure.priorities))
        self.form.setRowVisible(self.priority, bool(procedure.priorities))
        self.urgent.setChecked(self._at_risk())
        self._on_area_changed()

    def chosen_track(self) -> Track:
        """Return the chosen track."""
        track: Track = self.track.currentData()
        return track

    def area_value(self) -> str:
        """Return the area id, or the free text typed for Other."""
        value = self.area.currentData()
        return self.other_area.text().strip() if value == OTHER_AREA else str(value)

    def area_title(self) -> str:
        """Return the area as shown: its title, or the text typed for Other."""
        if self.area.currentData() == OTHER_AREA:
            return self.other_area.text().strip()
        return self.area.currentText()

    def entry_value(self) -> str | None:
        """Return the stage the chosen area starts the case at, when it names one."""
        value = self.entry.currentData()
        return str(value) if self.entry.isEnabled() and value else None

    def priority_value(self) -> str | None:
        """Return the chosen priority, where the procedure sets timescales by priority."""
        value = self.priority.currentData()
        return str(value) if self.priority.isEnabled() and value else None

    def _on_track_changed(self) -> None:
        track = self.track.currentData()
        if track is None:
            return
        self.description.setText(quoted_html(track.description, track.advice))
        entry = track.urgent_entry
        self.urgent.setEnabled(entry is not None)
        self.urgent_note.setText(
            f"Urgent cases start at stage {entry}. {quoted_html(track.urgent_guidance)}"
            if entry
            else "This track has no urgent entry point: an urgent case starts at the first stage "
            "and moves through the stages quickly."
        )
        self._offer_entries()

    def _on_area_changed(self) -> None:
        other = self.area.currentData() == OTHER_AREA
        self.other_area.setEnabled(other)
        self.form.setRowVisible(self.other_area, other)  # asked only for "Other (describe)"
        area = self._chosen().area(str(self.area.currentData()))
        if area is not None and area.track:
            self.track.setCurrentIndex(
                next(
                    i for i in range(self.track.count()) if self.track.itemData(i).id == area.track
                )
            )
        self.area_note.setText(quoted_html(area.guidance, area.advice) if area else "")
        self._offer_entries()

    def _offer_entries(self) -> None:
        """Offer the stages the chosen area starts at (its first stage otherwise)."""
        track = self.track.currentData()
        area = self._chosen().area(str(self.area.currentData()))
        self.entry.clear()
        routes = area is not None and area.entry and track is not None and area.track == track.id
        if routes and area is not None and track is not None:
            for stage_id in area.entry:
                title = html.unescape(track.stage(stage_id).title)
                self.entry.addItem(f"{stage_id}: {title}", stage_id)
        urgent = self.urgent.isChecked() and self.urgent.isEnabled()  # the urgent entry wins
        self.entry.setEnabled(bool(routes) and not urgent)
        self.form.setRowVisible(self.entry, bool(routes))

    def problems(self) -> list[str]:
        """Return what is missing or wrong."""
        return reference_problems(self.reference.text().strip(), self.area_value())
