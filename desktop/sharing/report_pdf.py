"""The partnership report as a PDF: totals, then each breakdown as a bar chart and a table."""

from __future__ import annotations

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from desktop.casework.report import SECTIONS, Figure, PartnershipReport, totals
from desktop.documents.fonts import BODY, check_covered
from desktop.documents.render import (
    MARGIN,
    SignatureBlocks,
    SignatureSlots,
    facts,
    grid,
    keep,
    para,
    styles,
    title_block,
)

CHART_WIDTH = 174 * mm
LABEL_WIDTH = 62 * mm
BAR_COLOUR = colors.HexColor("#1f5f8b")
MAX_BARS = 12


def _short(label: str, limit: int = 44) -> str:
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def tick_step(top: int) -> int:
    """A round step (1, 2, 5, 10, 20, 50...) giving at most six ticks up to ``top``."""
    step = 1
    while top / step > 6:
        for factor in (2, 5 / 2, 2):  # 1 → 2 → 5 → 10
            step = int(step * factor)
            if top / step <= 6:
                break
    return step


def bar_chart(figures: tuple[Figure, ...]) -> Drawing:
    """Draw up to twelve figures as labelled horizontal bars (reportlab's own graphics)."""
    shown = list(figures[:MAX_BARS])
    bar_height = 13
    height = max(len(shown), 1) * bar_height + 28
    drawing = Drawing(CHART_WIDTH, height)
    if not shown or not any(f.count for f in shown):
        drawing.add(String(0, height / 2, "Nothing to count in this period.", fontName=BODY))
        return drawing
    chart = HorizontalBarChart()
    chart.x, chart.y = LABEL_WIDTH, 18
    chart.width, chart.height = CHART_WIDTH - LABEL_WIDTH - 30, height - 26
    # reportlab draws the first category at the bottom: reverse so the largest is on top.
    chart.data = [[f.count for f in reversed(shown)]]
    chart.categoryAxis.categoryNames = [_short(f.label) for f in reversed(shown)]
    chart.categoryAxis.labels.fontName = BODY
    chart.categoryAxis.labels.fontSize = 7.5
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.categoryAxis.labels.dx = -4
    chart.valueAxis.valueMin = 0
    chart.valueAxis.labels.fontName = BODY
    chart.valueAxis.labels.fontSize = 7.5
    chart.valueAxis.forceZero = True
    chart.valueAxis.valueStep = tick_step(max(f.count for f in shown))
    chart.bars[0].fillColor = BAR_COLOUR
    chart.bars[0].strokeColor = None
    chart.barLabelFormat = "%d"
    chart.barLabels.fontName = BODY
    chart.barLabels.fontSize = 7
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 3
    drawing.add(chart)
    return drawing


def compose_report(
    report: PartnershipReport, organisation: str, signer: str
) -> tuple[list[Flowable], SignatureSlots]:
    """Lay out the report: period and totals, six breakdowns, the signer's block."""
    st = styles()
    labels = [f.label for attribute, _t in SECTIONS for f in getattr(report, attribute)]
    check_covered([organisation, signer, *labels])
    period = f"{report.start:%d %B %Y} to {report.end:%d %B %Y}"
    story: list[Flowable] = [
        *title_block("Partnership escalation report", f"{organisation} · {period}", st),
        para(
            "Escalations (resolving professional differences) opened in the period. The "
            "figures are anonymised: no child, family or practitioner is named, and areas "
            "described in free text are counted as 'Other'.",
            st["small"],
        ),
        Spacer(1, 3 * mm),
        facts(totals(report), st),
    ]
    width = 210 * mm - 2 * MARGIN
    for attribute, title in SECTIONS:
        figures: tuple[Figure, ...] = getattr(report, attribute)
        rows = [[f.label, str(f.count)] for f in figures] or [["Nothing counted", "0"]]
        note = (
            f"The chart shows the {MAX_BARS} largest; the table lists all {len(figures)}."
            if len(figures) > MAX_BARS
            else ""
        )
        story.append(keep(para(title, st["h2"]), bar_chart(figures)))
        if note:
            story.append(para(note, st["small"]))
        story.append(grid(["", "Escalations"], rows, [width - 30 * mm, 30 * mm], st))
    slots = SignatureSlots()
    story += [Spacer(1, 8 * mm), keep(SignatureBlocks([("Produced by", signer)], slots))]
    return story, slots
