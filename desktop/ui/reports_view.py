"""The Reports view: the partnership report's figures and charts, and saving it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from desktop.casework.report import SECTIONS, PartnershipReport, totals
from desktop.errors import KnownError
from desktop.sharing.report_export import (
    export_report,
    prepare_report_pdf,
    save_report_pdf,
    view_report,
)
from desktop.ui.bar_chart import BarChart
from desktop.ui.date_field import DateField
from desktop.ui.form_widgets import button, error_label, note, problem
from desktop.ui.save_dialog import ask_save_path
from desktop.ui.screen_fit import scrolling
from desktop.ui.services import Services
from desktop.ui.worker import Task

if TYPE_CHECKING:
    from desktop.sharing.signed_documents import ReportJob


def produce_report_pdf(job: ReportJob) -> bytes:
    """On a pool thread: lay out the charts and tables and sign (PDF libraries: on first use)."""
    from desktop.sharing.signed_documents import produce_report

    return produce_report(job)


class ReportsView(QWidget):
    """Pick a period; see the anonymised figures as charts; save CSV, JSON or a signed PDF."""

    back_requested = Signal()

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reportsView")
        self._services = services
        self.report: PartnershipReport | None = None
        today = dt.date.today()
        self.start = DateField("reportFrom", "From")
        self.start.set_day(dt.date(today.year - 1, today.month, 1))
        self.end = DateField("reportTo", "Until")
        self.end.set_day(today)
        show = button("showReport", "&Show", self.refresh)
        self.save_buttons = [
            button("saveCsv", "Save &CSV…", lambda: self._save("csv")),
            button("saveJson", "Save &JSON…", lambda: self._save("json")),
            button("savePdf", "Save signed &PDF…", lambda: self._save("pdf")),
        ]
        back = button("reportsBack", "&Back to the dashboard", self.back_requested.emit)
        controls = QHBoxLayout()
        # Not Alt+F or Alt+T: the File and Tools menus have them. Not "T&o" either: an
        # underlined letter breaks the kerning of "To" and its last letter is cut off.
        for text, buddy in (("Fro&m", self.start), ("&Until", self.end)):
            label = QLabel(text)
            label.setBuddy(buddy)
            controls.addWidget(label)
            controls.addWidget(buddy)
        controls.addWidget(show)
        controls.addStretch(1)
        for control in (*self.save_buttons, back):
            controls.addWidget(control)
        self.message = error_label()
        self.totals = QFormLayout()
        self.charts: dict[str, BarChart] = {}
        body = QWidget()
        column = QVBoxLayout(body)
        column.addWidget(
            note(
                "Escalations opened in the period, anonymised: no child or practitioner is "
                "named, and areas described in free text count as 'Other'."
            )
        )
        column.addLayout(self.totals)
        for attribute, title in SECTIONS:
            heading = QLabel(f"<b>{title}</b>")
            chart = BarChart(f"chart_{attribute}", title)
            self.charts[attribute] = chart
            column.addWidget(heading)
            column.addWidget(chart)
        column.addStretch(1)
        scroll = scrolling(body)
        layout = QVBoxLayout(self)
        layout.addLayout(controls)
        layout.addWidget(self.message)
        layout.addWidget(scroll, 1)
        self._task: Task[bytes] = Task(self.message, self.save_buttons, self)

    def refresh(self) -> None:
        """Count the period's escalations and show them."""
        services = self._services
        start, end = self.start.day(), self.end.day()
        refused = [f.problem() for f in (self.start, self.end) if not f.check()]
        if refused or start is None or end is None:
            self.message.setText(refused[0] if refused else "Give the first and last day.")
            return
        try:
            self.report = view_report(
                services.vault, services.catalogue, start, end, dt.datetime.now(dt.UTC)
            )
        except KnownError as error:
            self.message.setText(error.message)
            return
        self.message.clear()
        while self.totals.rowCount():
            self.totals.removeRow(0)
        for label, value in totals(self.report):
            shown = QLabel(value)
            shown.setObjectName("total")
            self.totals.addRow(label, shown)
        for attribute, chart in self.charts.items():
            chart.show_figures(getattr(self.report, attribute))

    def _save(self, form: str) -> None:
        if self.report is None:
            self.refresh()
        report = self.report
        if report is None:
            return
        suggested = f"partnership-report-{report.start}-to-{report.end}.{form}"
        target = ask_save_path(
            self, self._services.vault.files.folder, self.message, "Save the report", suggested
        )
        if target is not None:
            self.save_to(target, form)

    def save_to(self, target: Path, form: str) -> None:
        """Save the shown period's report as csv or json, or start making the signed pdf."""
        report, services = self.report, self._services
        assert report is not None
        if form == "pdf":
            self._start_pdf(report, target)
            return
        try:
            export_report(
                services.vault,
                services.catalogue,
                report.start,
                report.end,
                form,
                dt.datetime.now(dt.UTC),
                target,
            )
        except (KnownError, OSError) as error:
            self.message.setText(problem(error))
            return
        self.message.setText(f"Saved {target.name}.")

    def _start_pdf(self, report: PartnershipReport, target: Path) -> None:
        """Count and read the signer here; lay out and sign on a worker; write on return."""
        services = self._services
        try:  # audited first: the PDF carries the event
            job = prepare_report_pdf(
                services.vault,
                services.catalogue,
                report.start,
                report.end,
                dt.datetime.now(dt.UTC),
            )
        except KnownError as error:
            self.message.setText(error.message)
            return
        self._task.start(
            lambda: produce_report_pdf(job),
            lambda pdf: self._on_signed(pdf, target),
            progress="Laying out and signing the report…",
            failure="The report could not be made; nothing was saved.",
        )

    def _on_signed(self, pdf: bytes, target: Path) -> None:
        try:
            save_report_pdf(self._services.vault, pdf, target)
        except (KnownError, OSError) as error:
            self.message.setText(problem(error))
            return
        self.message.setText(f"Saved {target.name}.")
