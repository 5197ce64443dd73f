"""The partnership report as a user views and saves it: on screen, as CSV, JSON or a signed PDF.

One service per user action, shared by the command line and the window, each
recording the same audit event with the report's count (never a case id).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.casework.report import PartnershipReport, build_report, report_csv, report_json
from desktop.errors import InvalidInput
from desktop.procedures.catalogue import Catalogue
from desktop.storage import audit
from desktop.storage.output import write_recorded
from desktop.storage.vault import Vault

if TYPE_CHECKING:  # the PDF libraries load only when a PDF is made
    from desktop.sharing.signed_documents import ReportJob

FORMATS = ("csv", "json", "pdf")


@dataclass(frozen=True)
class ExportedReport:
    """A saved report's bytes and how many escalations it counts."""

    data: bytes
    escalations: int


def view_report(
    vault: Vault, catalogue: Catalogue, start: dt.date, end: dt.date, now: dt.datetime
) -> PartnershipReport:
    """Count the escalations opened from ``start`` to ``end``; audit the view (a count only)."""
    with vault.sessions.begin() as session:
        report = build_report(session, catalogue, start, end, now)
        audit.record(session, vault.audit_key, "report.viewed", None, report.escalations)
    return report


def export_report(
    vault: Vault,
    catalogue: Catalogue,
    start: dt.date,
    end: dt.date,
    fmt: str,
    now: dt.datetime,
    target: Path | None = None,
) -> ExportedReport:
    """Save the period's report as ``fmt`` to ``target`` (CSV and JSON may go unwritten).

    CSV and JSON record ``report.exported`` with the file (no file, no record);
    without a target the bytes are returned once recorded. A PDF records
    ``report.rendered`` first (it carries the audit head that includes it), is
    laid out and signed, then written: the window takes the same steps with the
    signing on a worker.

    Raises:
        InvalidInput: an unknown format, a PDF with nowhere to go, or an end before the start.
    """
    if fmt not in FORMATS:
        raise InvalidInput(f"Unknown report format '{fmt}' (choose {', '.join(FORMATS)}).")
    if fmt == "pdf":
        if target is None:
            raise InvalidInput("A PDF report needs an output file: add -o FILE.")
        from desktop.sharing.signed_documents import produce_report

        job = prepare_report_pdf(vault, catalogue, start, end, now)
        pdf = produce_report(job)
        save_report_pdf(vault, pdf, target)
        return ExportedReport(pdf, job.report.escalations)
    with vault.sessions() as session:
        report = build_report(session, catalogue, start, end, now)
    data = (report_csv(report) if fmt == "csv" else report_json(report)).encode("utf-8")
    write_recorded(
        vault,
        target,
        data,
        lambda session: audit.record(
            session, vault.audit_key, "report.exported", None, report.escalations
        ),
    )
    return ExportedReport(data, report.escalations)


def prepare_report_pdf(
    vault: Vault, catalogue: Catalogue, start: dt.date, end: dt.date, now: dt.datetime
) -> ReportJob:
    """Count the period and read the signer; record ``report.rendered`` (a count only).

    Returns:
        What ``produce_report`` lays out and signs, in memory, without the vault.
    """
    from desktop.sharing.signed_documents import prepare_report

    with vault.sessions.begin() as session:
        report = build_report(session, catalogue, start, end, now)
        return prepare_report(session, vault.audit_key, report)


def save_report_pdf(vault: Vault, pdf: bytes, target: Path) -> None:
    """Write the signed report to ``target`` (refused, unwritten, once the vault is locked)."""
    write_recorded(vault, target, pdf, lambda _session: None)
