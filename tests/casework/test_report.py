"""The partnership report: figures equal counts made independently from the export; anonymous."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil
import subprocess
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from desktop.casework.case_opening import Party
from desktop.casework.demo import generate_demo
from desktop.casework.report import OTHER_AREA, build_report, report_csv, report_json
from desktop.casework.settings import working_calendar
from desktop.procedures.catalogue import load_catalogue
from desktop.procedures.workdays import LONDON, parse_instant
from desktop.sharing.export import export_cases
from desktop.storage.vault import Vault
from tests.conftest import run_cli
from tests.factories import open_case_in, signing_profile

NOW = dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.UTC)
START, END = dt.date(2025, 6, 1), dt.date(2026, 6, 30)
FREE_AREA = "Fictional free-text area naming Zebedee Quxworth"


@pytest.fixture
def demo_vault(vault: Vault) -> Vault:
    catalogue = load_catalogue()
    with vault.sessions.begin() as session:
        generate_demo(
            session, vault.audit_key, catalogue, working_calendar(session), 600, NOW, seed=7
        )
    open_case_in(
        vault,
        catalogue,
        "FREE-0001",
        area=FREE_AREA,
        raised_by=Party("Fictional Zebedee", "DSL", "Nowhere Primary (fictional)"),
        other_party=Party("Fictional Quxworth", "SW", "Fictional Police"),
        opened_at=dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC),
    )
    signing_profile(vault, "Fictional Lead", "DSL", "Nowhere Primary")
    return vault


def _expected(exported: dict[str, Any]) -> dict[str, Any]:
    """Count, from the exchange JSON alone, what the report should say."""
    catalogue = load_catalogue()
    cases = [
        c
        for c in exported["cases"]
        if START <= parse_instant(c["stages"][0]["opened_at"]).astimezone(LONDON).date() <= END
    ]
    counts: dict[str, Counter[str]] = {k: Counter() for k in ("raised", "other", "area", "stage")}
    days = []
    for case in cases:
        procedure = catalogue.get(case["procedure"], case["procedure_version"])
        counts["raised"][case["raised_by"]["agency"]] += 1
        counts["other"][case["other_party"]["agency"]] += 1
        areas = {a.id: a.title for a in procedure.areas}
        counts["area"][areas.get(case["area"], OTHER_AREA)] += 1
        stage = procedure.track(case["track"]).stage(case["stages"][-1]["stage"])
        counts["stage"][f"{procedure.short_name}: {stage.title}"] += 1
        if case["status"] == "resolved":
            opened = parse_instant(case["stages"][0]["opened_at"])
            days.append((parse_instant(case["stages"][-1]["closed_at"]) - opened).days)
    stages = [s for c in cases for s in c["stages"]]
    return {
        "escalations": len(cases),
        **counts,
        "status": Counter(c["status"] for c in cases),
        "days": sorted(days),
        "overdue": sum(s["overdue"] for s in stages),
        "late": sum(
            1
            for s in stages
            if s["due_at"]
            and s["closed_at"]
            and parse_instant(s["closed_at"]) > parse_instant(s["due_at"])
        ),
        "learning": sum(
            1 for c in cases if any(s["fields"].get("learning", "").strip() for s in c["stages"])
        ),
    }


def _as_counter(figures: list[dict[str, Any]]) -> Counter[str]:
    return Counter({f["label"]: f["count"] for f in figures})


def test_figures_equal_counts_from_the_export(demo_vault: Vault) -> None:
    catalogue = load_catalogue()
    with demo_vault.sessions() as session:
        exported = export_cases(session, catalogue, NOW)
        report = json.loads(report_json(build_report(session, catalogue, START, END, NOW)))
    want = _expected(exported)
    assert 100 < want["escalations"] < 600, "the range must cut the demo cases, not take all"
    assert want["learning"] > 0 and want["overdue"] > 0 and want["late"] > 0
    assert report["escalations"] == want["escalations"]
    assert _as_counter(report["by_raising_agency"]) == want["raised"]
    assert _as_counter(report["by_receiving_agency"]) == want["other"]
    assert _as_counter(report["by_area"]) == want["area"]
    assert _as_counter(report["by_stage_reached"]) == want["stage"]
    assert _as_counter(report["by_status"]) == want["status"]
    assert report["resolved"] == len(want["days"])
    assert report["longest_days_to_resolution"] == max(want["days"])
    assert sum(f["count"] for f in report["days_to_resolution"]) == len(want["days"])
    assert report["overdue_open_stages"] == want["overdue"]
    assert report["stages_closed_late"] == want["late"]
    assert report["learning_identified"] == want["learning"]
    assert _as_counter(report["by_area"])[OTHER_AREA] == 1  # the free-text area, unnamed


def test_csv_holds_the_same_figures(demo_vault: Vault) -> None:
    catalogue = load_catalogue()
    with demo_vault.sessions() as session:
        report = build_report(session, catalogue, START, END, NOW)
    rows = list(csv.reader(io.StringIO(report_csv(report))))
    agencies = {r[1]: int(r[2]) for r in rows if r[0] == "Escalations by agency raising"}
    assert agencies == {f.label: f.count for f in report.by_raising_agency}
    assert ["totals", "Escalations opened", str(report.escalations)] in rows


def test_no_identifier_reaches_any_report_file(demo_vault: Vault, tmp_path: Path) -> None:
    for tool in ("pdftotext", "pdfsig"):
        if shutil.which(tool) is None:
            pytest.fail(f"{tool} (poppler-utils) is needed: run 'make test' to install it")
    with demo_vault.sessions() as session:
        exported = export_cases(session, load_catalogue(), NOW)
    secrets = {FREE_AREA, "Zebedee", "Quxworth", "Demo DSL", "Demo Worker"}
    for case in exported["cases"]:
        secrets |= {case["reference"], case["child"]["identifier"], case["summary"]}
        secrets |= {d["notes"] for s in case["stages"] for d in s["discussions"]}
    folder = str(demo_vault.files.folder)
    demo_vault.close()  # the CLI takes the vault's lock
    texts = []
    for form in ("csv", "json", "pdf"):
        out = tmp_path / f"report.{form}"
        args = ["--from", START.isoformat(), "--to", END.isoformat(), "--format", form]
        result = run_cli("--vault", folder, "report", *args, "-o", str(out))
        assert result.returncode == 0, result.stderr
        texts.append(out.read_bytes().decode("utf-8", "replace"))
    pdf = tmp_path / "report.pdf"
    shown = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True)
    texts.append(shown.stdout)
    assert "Nowhere Primary (fictional)" in shown.stdout  # the check can see text at all
    assert (
        "Signature is Valid."
        in subprocess.run(["pdfsig", str(pdf)], capture_output=True, text=True, check=False).stdout
    )
    leaks = sorted({s for s in secrets for t in texts if s and s in t})
    assert leaks == []


def test_bad_ranges_are_one_sentence(demo_vault: Vault) -> None:
    folder = str(demo_vault.files.folder)
    demo_vault.close()
    backwards = run_cli("--vault", folder, "report", "--from", "2026-02-01", "--to", "2026-01-01")
    assert backwards.returncode == 2
    assert "end date is before its start date" in backwards.stderr
    assert "Traceback" not in backwards.stderr
    nodate = run_cli("--vault", folder, "report", "--from", "yesterday", "--to", "2026-01-01")
    assert nodate.returncode == 2 and "is not a date" in nodate.stderr
    pdf = run_cli(
        "--vault", folder, "report", "--from", "2026-01-01", "--to", "2026-02-01", "--format", "pdf"
    )
    assert pdf.returncode == 2 and "-o FILE" in pdf.stderr
