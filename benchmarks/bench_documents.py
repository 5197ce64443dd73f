"""Render and sign documents, against a bare reportlab page measured in the same run.

    python -m benchmarks.bench_documents [--runs 15]

Targets: a signed written confirmation under 150 ms (median); a signed
child-file summary of a five-stage case under 300 ms. Where LibreOffice is
installed, `soffice --convert-to pdf` of a DOCX is what users do today; it is
not installed here, so that row says so.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from reportlab.pdfgen.canvas import Canvas

from desktop.documents.service import render_document
from desktop.keyfile import ScryptParams
from desktop.procedures import load_catalogue
from desktop.settings import save_profile, working_calendar
from desktop.vault import Vault, create_vault
from desktop.workflow import (
    ChildDetails,
    NewCase,
    Party,
    add_action,
    escalate,
    open_case,
    record_discussion,
)


def _median_ms(action: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def _five_stage_case(vault: Vault) -> None:
    catalogue = load_catalogue()
    now = dt.datetime(2026, 11, 2, 10, tzinfo=dt.UTC)
    with vault.sessions.begin() as session:
        save_profile(session, "Bench Signer (fictional)", "DSL", "Benchmark School (fictional)")
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


def main() -> int:
    """Print the documents table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    catalogue = load_catalogue()
    with tempfile.TemporaryDirectory() as temp:
        vault = create_vault(
            Path(temp) / "vault", "benchmark passphrase (fictional)", params=ScryptParams(n=2**14)
        )
        _five_stage_case(vault)

        def bare() -> bytes:
            buffer = io.BytesIO()
            canvas = Canvas(buffer)
            canvas.drawString(72, 720, "A bare reportlab page")
            canvas.showPage()
            canvas.save()
            return buffer.getvalue()

        def render(kind: str, stage: str | None) -> Callable[[], object]:
            def run() -> object:
                with vault.sessions.begin() as session:
                    return render_document(
                        session, vault.audit_key, catalogue, "BENCH-1", kind, stage
                    )

            return run

        render("summary", None)()  # warm up fonts and imports
        base = _median_ms(bare, args.runs)
        confirmation = _median_ms(render("confirmation", "C"), args.runs)
        summary = _median_ms(render("summary", None), args.runs)
        vault.close()
    print(f"\nmedian of {args.runs} runs")
    print(f"{'measure':52} {'ms':>8} {'ratio':>7}  target")
    print(f"{'bare reportlab page (baseline)':52} {base:8.1f} {1:7.2f}")
    print(
        f"{'written confirmation, rendered and signed':52} {confirmation:8.1f} "
        f"{confirmation / base:7.1f}  < 150 ms {'met' if confirmation < 150 else 'MISSED'}"
    )
    print(
        f"{'five-stage child-file summary, rendered and signed':52} {summary:8.1f} "
        f"{summary / base:7.1f}  < 300 ms {'met' if summary < 300 else 'MISSED'}"
    )
    if shutil.which("soffice") is None:
        print("LibreOffice is not installed here: no DOCX comparison in this run.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
