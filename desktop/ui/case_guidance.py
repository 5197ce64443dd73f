"""The case view's guidance pane: where the case is, what the procedure says, what comes next.

The procedure's words (track description, stage guidance, the choice of next
stage, special rules) are shown under "What the procedure says"; the app's own
advice apart, under "The app's advice".
"""

from __future__ import annotations

import datetime as dt
import html

from desktop.casework.timeline import CaseDetail
from desktop.procedures.catalogue import DOCUMENTS, Stage
from desktop.procedures.workdays import to_london
from desktop.ui.procedure_words import quoted_html

STANDINGS = {"informal": "This stage is informal.", "formal": "This stage is formal."}


def when(value: dt.datetime | None) -> str:
    """Return a time as the case view shows it (London time)."""
    return to_london(value).strftime("%d %b %Y %H:%M") if value else "—"


def _case_facts(detail: CaseDetail) -> str:
    rows = [
        ("Area", detail.area),
        ("Decision challenged", detail.decision),
        ("Date of the decision", detail.decision_at),
        ("Raised by", detail.raised_by),
        ("Other party", detail.other_party),
    ]
    shown = "<br>".join(f"<b>{k}:</b> {html.escape(v)}" for k, v in rows if v)
    return f"<p>{shown}</p>"


def _due(detail: CaseDetail) -> str:
    due = detail.state.due_at
    if due is None:
        return " No review time set." if detail.review else ""
    return f" {'Review by' if detail.review else 'Due'} {when(due)}."


def timescale_text(stage: Stage) -> str:
    """Say a stage's timescale: the procedure's own words quoted, the app's plain."""
    said = html.escape(stage.timescale.describe())
    return f"“<i>{said}</i>” (the procedure's words)" if stage.timescale.phrase else said


def _now(detail: CaseDetail, stage: Stage) -> str:
    parts = [
        f"<h3>Now: {html.escape(stage.title)}</h3><p>"
        f"{html.escape(stage.raising_role)} ↔ {html.escape(stage.receiving_role)}. "
        f"Timescale: {timescale_text(stage)}.{_due(detail)}"
        f" {STANDINGS.get(stage.standing, '')}</p>"
    ]
    for milestone in detail.milestones:
        timing = (
            f"due {when(milestone.due_at)}"
            if milestone.due_at
            else f"starts when: {milestone.waits_for}"
        )
        parts.append(
            f"<p><b>Also:</b> {html.escape(milestone.title)}, "
            f"{html.escape(milestone.timescale)} — {html.escape(timing)}.</p>"
        )
    if detail.missing:
        items = "".join(f"<li>{html.escape(m)}</li>" for m in detail.missing)
        parts.append(f"<p><b>Still to record before this stage ends:</b></p><ul>{items}</ul>")
    produced = ", ".join(DOCUMENTS[d] for d in stage.produces)
    if produced:
        parts.append(
            f"<p><b>Documents the procedure asks for here:</b> {html.escape(produced)}</p>"
        )
    if stage.rule:
        parts.append(quoted_html(stage.rule, heading="Rule at this stage"))
    parts.append(quoted_html(stage.guidance, stage.advice))
    return "".join(parts)


def _next(detail: CaseDetail) -> str:
    parts = []
    for option in detail.next_options:
        words = quoted_html(option.branch_guidance) if len(detail.next_options) > 1 else ""
        parts.append(
            f"<h3>If unresolved, next: {html.escape(option.title)}</h3>{words}"
            f"<p>Contact: {html.escape(option.receiving_role)}</p>"
        )
    if detail.contacts and detail.next_options:
        rows = "".join(
            f"<li>{html.escape(c.role)}, {html.escape(c.agency)}"
            + (f" — {html.escape(c.name)}" if c.name else "")
            + (f", {html.escape(c.phone)}" if c.phone else "")
            + (f", {html.escape(c.email)}" if c.email else "")
            + "</li>"
            for c in detail.contacts
        )
        parts.append(f"<p><b>Directory for this procedure:</b></p><ul>{rows}</ul>")
    return "".join(parts)


def guidance_html(detail: CaseDetail) -> str:
    """Return the guidance pane for a case, the procedure's words apart from the app's advice."""
    track = detail.track_definition
    parts = [_case_facts(detail)]
    if detail.current is not None:
        parts.append(_now(detail, detail.current))
    parts.append(_next(detail))
    if track.description or track.advice:
        parts.append(f"<h3>This track: {html.escape(track.title)}</h3>")
        parts.append(quoted_html(track.description, track.advice))
    if detail.track_rule:
        parts.append(quoted_html(detail.track_rule, heading="Special rule"))
    if detail.definition.description:
        parts.append(quoted_html(detail.definition.description, heading="The procedure as a whole"))
    if detail.draft:
        parts.append("<p><b>A draft of this stage's form is saved.</b></p>")
    return "".join(parts)
