"""Render and sign documents, against a bare reportlab page measured in the same run.

    python -m benchmarks.bench_documents [--runs 15]

Targets: a signed written confirmation under 150 ms (median); a signed
child-file summary of a five-stage case under 300 ms. Where LibreOffice is
installed, `soffice --convert-to pdf` of a DOCX is what users do today; it is
not installed here, and `python -m benchmarks` says so beside the table.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import tempfile
from collections.abc import Callable
from pathlib import Path

from reportlab.pdfgen.canvas import Canvas

from benchmarks.common import Row, median_seconds, table
from desktop.casework.case_opening import ChildDetails, NewCase, Party, open_case
from desktop.casework.settings import working_calendar
from desktop.casework.workflow import add_action, escalate, record_discussion
from desktop.procedures.catalogue import load_catalogue
from desktop.sharing.signed_documents import render_document
from desktop.sharing.signing_profile import change_profile
from desktop.storage.keyfile import ScryptParams
from desktop.storage.vault import Vault, create_vault


def _five_stage_case(vault: Vault) -> None:
    catalogue = load_catalogue()
    now = dt.datetime(2026, 11, 2, 10, tzinfo=dt.UTC)
    change_profile(vault, "Bench Signer (fictional)", "DSL", "Benchmark School (fictional)")
    with vault.sessions.begin() as session:
        calendar = working_calendar(session)
        case = open_case(
            session,
            vault.audit_key,
            catalogue,
            calendar,
            NewCase(
                reference="BENCH-1",
                procedure_id="north-lincolnshire",
                track_id="help-and-safeguarding",
                child=ChildDetails("C-BENCH", "B.B."),
                area="quality-of-help",
                opened_at=now,
                raised_by=Party("Bench Signer", "DSL", "Benchmark School (fictional)"),
                other_party=Party("Other Person", "Team manager", "Fictional Services"),
            ),
        )
        record = case.stages[0]
        for step in range(5):
            at = now + dt.timedelta(days=step)
            record_discussion(
                session,
                vault.audit_key,
                record,
                at,
                "meeting",
                ["A", "B"],
                "Fictional discussion notes. " * 30,
            )
            add_action(
                session, vault.audit_key, record, "Fictional action", "A", at + dt.timedelta(days=2)
            )
            if step < 4:
                record = escalate(
                    session, vault.audit_key, catalogue, calendar, case, at + dt.timedelta(hours=4)
                )


def _bare() -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    canvas.drawString(72, 720, "A bare reportlab page")
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def measure(runs: int) -> list[Row]:
    """Render and sign the two documents, median of ``runs``, beside a bare page."""
    catalogue = load_catalogue()
    with tempfile.TemporaryDirectory() as temp:
        vault = create_vault(
            Path(temp) / "vault", "benchmark passphrase (fictional)", params=ScryptParams(n=2**14)
        )
        _five_stage_case(vault)

        def render(kind: str, stage: str | None) -> Callable[[], object]:
            def run() -> object:
                with vault.sessions.begin() as session:
                    return render_document(
                        session, vault.audit_key, catalogue, "BENCH-1", kind, stage
                    )

            return run

        render("summary", None)()  # warm up fonts and imports
        base = median_seconds(_bare, runs)
        confirmation = median_seconds(render("confirmation", "C"), runs)
        summary = median_seconds(render("summary", None), runs)
        vault.close()
    section = "Documents"
    rows = [
        Row(section, "bare reportlab page (baseline)", base, "ms", 1.0),
        Row(
            section,
            "written confirmation, rendered and signed",
            confirmation,
            "ms",
            confirmation / base,
            "< 150 ms",
            confirmation < 0.150,
        ),
        Row(
            section,
            "five-stage child-file summary, rendered and signed",
            summary,
            "ms",
            summary / base,
            "< 300 ms",
            summary < 0.300,
        ),
    ]
    return rows


def main() -> int:
    """Print the documents rows."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    print(table(measure(args.runs)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
