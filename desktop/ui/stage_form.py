"""The guided stage form, generated from the stage's required fields in the procedure data."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QLabel,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from desktop.casework import stage_entry
from desktop.casework.closing import CLOSING_LEARNING, CLOSING_NOTE, REFERRED
from desktop.errors import KnownError
from desktop.models import StageOutcome
from desktop.procedures import fields
from desktop.procedures.catalogue import Stage
from desktop.procedures.fields import Field
from desktop.ui import form_widgets as fw
from desktop.ui.closing_box import ClosingBox
from desktop.ui.field_editor import FieldEditor
from desktop.ui.field_widgets import OutcomeEditor, editor_for
from desktop.ui.screen_fit import keep_title_whole, open_fitting, scrolling
from desktop.ui.services import Services
from desktop.ui.wizard_page import enter_goes_forward


class _FieldsPage(QWizardPage):
    """One page of the form: the widgets for the fields the stage asks for on it."""

    changed = Signal()

    def __init__(self, title: str, specs: list[Field], stage: Stage) -> None:
        super().__init__()
        self.setTitle(title)
        self.setSubTitle(stage.title)
        self.fields = [spec.name for spec in specs]
        self.editors: dict[str, FieldEditor] = {}
        self.form = QFormLayout()
        self.error = fw.error_label()
        content = QWidget()
        column = QVBoxLayout(content)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(self.form)
        column.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.scroll_area = scrolling(content)
        layout.addWidget(self.scroll_area, 1)  # Back, Next and Finish stay on a small screen
        layout.addWidget(self.error)
        for spec in specs:
            editor = editor_for(spec, stage)
            editor.add_to(self.form)
            for signal in editor.changes:
                signal.connect(self.changed)
            self.editors[spec.name] = editor

    def values(self) -> dict[str, Any]:
        """Return this page's values in the stage-entry form."""
        out: dict[str, Any] = {}
        for editor in self.editors.values():
            out.update(editor.values())
        return out

    def set_values(self, values: dict[str, Any]) -> None:
        """Show a saved draft."""
        for editor in self.editors.values():
            editor.show(values)

    def refused(self) -> list[str]:
        """Say what typed on this page cannot be read (a date that is not one); mark it."""
        return [problem for editor in self.editors.values() for problem in editor.refused()]


class StageForm(QWizard):
    """Record the current stage of a case: the fields its procedure requires, nothing else."""

    draft_saved = Signal(int)
    stage_saved = Signal(int)

    def __init__(self, services: Services, case_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("stageForm")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        open_fitting(self, 820, 640)
        self._services = services
        self.case_id = case_id
        self.typed = False  # whether anything was typed since the form opened
        entry = stage_entry.read_entry(services.vault, services.catalogue, case_id)
        self.record_id = entry.record_id
        self.stage = entry.stage
        self.setWindowTitle(f"{entry.reference}: {self.stage.title}")
        keep_title_whole(self)
        self._autosave = QTimer(self)
        self._autosave.setSingleShot(True)
        self._autosave.setInterval(2000)
        self._autosave.timeout.connect(self.save_draft)
        self.pages: list[_FieldsPage] = []
        for title, specs in fields.pages(self.stage.record):
            page = _FieldsPage(title, specs, self.stage)
            page.changed.connect(self._on_page_changed)
            self.pages.append(page)
            self.addPage(page)
        self.closing = ClosingBox(entry.closing_offers, "learning" not in self.stage.record)
        self.closing_group = QGroupBox("Closing the case: this outcome closes it")
        self.closing_group.setObjectName("closingGroup")
        QVBoxLayout(self.closing_group).addWidget(self.closing)  # the page scrolls, not the box
        self.pages[-1].form.addRow(self.closing_group)
        for page in self.pages:
            for editor in page.editors.values():
                if isinstance(editor, OutcomeEditor):
                    editor.offer([(o.stage_id, o.words) for o in entry.next_options])
            page.set_values(dict(entry.draft or entry.start))
        self._autosave.stop()  # showing the draft, or where the form starts, is not a change
        self.had_draft = bool(entry.draft)
        self._show_closing()
        enter_goes_forward(self)

    def values(self) -> dict[str, Any]:
        """Return every page's values (and the closing page's, when the outcome closes the case)."""
        merged: dict[str, Any] = {}
        for page in self.pages:
            merged.update(page.values())
        if self._closes_case(merged):
            said = self.closing.closing()
            merged.update(
                {
                    CLOSING_NOTE: said.note,
                    CLOSING_LEARNING: said.learning,
                    REFERRED: list(said.referred),
                }
            )
        return merged

    def _closes_case(self, values: dict[str, Any]) -> bool:
        outcome = values.get("outcome")
        return outcome in ("resolved", "withdrawn") or (
            outcome == "unresolved" and not self.stage.next
        )

    def _fields(self) -> dict[str, Any]:
        merged: dict[str, Any] = {}
        for page in self.pages:
            merged.update(page.values())
        return merged

    def _on_page_changed(self) -> None:
        self.typed = True
        self._autosave.start()
        self._show_closing()

    def _show_closing(self) -> None:
        """Show the closing questions when the outcome chosen closes the case."""
        chosen = self._fields()
        appears = self._closes_case(chosen) and self.closing_group.isHidden()
        self.closing_group.setVisible(self._closes_case(chosen))
        self.closing.set_outcome(StageOutcome(chosen.get("outcome") or "resolved"))
        if appears and self.isVisible():  # bring the new questions into view, below the choice
            QTimer.singleShot(0, self, self._show_closing_group)

    def _show_closing_group(self) -> None:
        self.pages[-1].scroll_area.ensureWidgetVisible(self.closing_group, 0, 0)

    def save_draft(self) -> None:
        """Keep what is typed inside the vault (also before an auto-lock)."""
        self._autosave.stop()
        if stage_entry.save_draft(self._services.vault, self.record_id, self.values()):
            self.draft_saved.emit(self.record_id)

    def problems(self) -> list[str]:
        """Return what is missing before the stage can be saved."""
        return stage_entry.missing(self.stage, self.values())

    def validateCurrentPage(self) -> bool:
        """Refuse a date that is not one on any page; on the last, say what is missing too."""
        page = self.currentPage()
        if not isinstance(page, _FieldsPage):
            return True
        found = page.refused()
        if not found and self.currentId() == self.pageIds()[-1]:
            found = self.problems()
        page.error.setText(" ".join(found))
        return not found

    def _error(self) -> QLabel:
        """The error line of the last page, where finishing is refused."""
        return self.pages[-1].error

    def accept(self) -> None:
        """Save the stage and act on its outcome; on a problem, say it and stay."""
        if not self.validateCurrentPage():
            return
        services = self._services
        try:
            stage_entry.record_stage(
                services.vault,
                services.catalogue,
                self.case_id,
                self.values(),
                dt.datetime.now(dt.UTC),
            )
        except KnownError as error:
            self._error().setText(error.message)
            return
        self._autosave.stop()
        self.stage_saved.emit(self.case_id)
        super().accept()

    def reject(self) -> None:
        """Keep what is typed as a draft in the vault and close (nothing is lost: no question).

        The caller says the draft is kept (``draft_kept``).
        """
        self.save_draft()
        super().reject()

    @property
    def draft_kept(self) -> bool:
        """Whether closing without saving left a draft with something in it."""
        return self.result() != QWizard.DialogCode.Accepted and (self.typed or self.had_draft)
