"""Run every benchmark, print one table, and write docs/benchmarks.md.

    python -m benchmarks            (make bench)
    python -m benchmarks startup dashboard   (only those; prints, writes no document)

Each row is a median of repeated runs beside a baseline measured in the same
run; the 50,000-case vault is made once (about 80 s) and reused.
"""

from __future__ import annotations

import datetime as dt
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

from benchmarks import (
    bench_dashboard,
    bench_documents,
    bench_due_export,
    bench_encryption,
    bench_startup,
    bench_unlock,
)
from benchmarks.common import Row, big_vault, machine, table
from desktop.storage.sqlite_setup import stop_memory_statistics

DOC = Path(__file__).resolve().parents[1] / "docs" / "benchmarks.md"
NOTES = Path(__file__).with_name("notes.md")


def main() -> int:
    """Measure everything (or the parts named), print the table, write the document."""
    stop_memory_statistics()  # as the app's entry point does, before any connection
    vault = big_vault()
    rows: list[Row] = []
    parts: list[tuple[str, str, Callable[[], list[Row]]]] = [
        ("startup", "start-up and memory", lambda: bench_startup.measure(vault, 5)),
        ("dashboard", "dashboard", lambda: bench_dashboard.measure(vault, 7)),
        ("due", "due and export", lambda: bench_due_export.measure(vault, 5)),
        ("documents", "documents", lambda: bench_documents.measure(15)),
        ("unlock", "unlock", lambda: bench_unlock.measure(5)),
        ("encryption", "encryption (about four minutes)", lambda: bench_encryption.measure(3)),
    ]
    chosen = sys.argv[1:]
    unknown = set(chosen) - {name for name, _label, _run in parts}
    if unknown:
        print(f"Unknown parts: {', '.join(sorted(unknown))}", file=sys.stderr)
        return 2
    for name, label, run in parts:
        if chosen and name not in chosen:
            continue
        print(f"Measuring {label} ...", file=sys.stderr, flush=True)
        rows += run()
    figures = table(rows)
    print(figures)
    if chosen:  # a part alone: the document keeps every row of the last whole run
        return 0
    office = (
        "LibreOffice is installed but the DOCX comparison is not automated yet."
        if shutil.which("soffice")
        else "LibreOffice is not installed on this machine, so the DOCX-to-PDF comparison "
        "(what users do today) is not measured."
    )
    DOC.write_text(
        "# Benchmarks\n\n"
        "`make bench` (`python -m benchmarks`) measured these figures on "
        f"{dt.date.today():%d %B %Y}, on: {machine()}.\n\n"
        "Every row is the median of repeated runs; a ratio compares it with the baseline "
        "row above it, measured in the same run. Seconds move with the machine's load; "
        "the ratios are the stable figures.\n\n"
        f"{figures}\n\n{office}\n\n{NOTES.read_text(encoding='utf-8')}",
        encoding="utf-8",
    )
    print(f"Wrote {DOC}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
