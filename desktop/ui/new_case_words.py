"""What the new-case wizard says when a child is at risk: the procedure's words, then the app's."""

from __future__ import annotations

import html

from desktop.procedures.catalogue import Procedure
from desktop.ui.procedure_words import ADVICE, quoted_html

FALLBACK = (
    "Act now under your own agency's safeguarding procedures; dial 999 if a child is in "
    "immediate danger."
)


def risk_html(procedure: Procedure) -> str:
    """Say what to do first when a child is at risk, the procedure's words apart from the app's."""
    urgent = [r for r in procedure.redirects_at("start") if r.kind == "immediate-risk"]
    parts = ["<p><b>Act first. You can still record the case now.</b></p>"]
    for redirect in urgent:
        parts.append(f"<p><b>{html.escape(redirect.title)}</b></p>")
        parts.append(quoted_html(redirect.guidance, redirect.advice))
        if redirect.timescale is not None and redirect.milestone:
            parts.append(
                f"<p>The case will carry this deadline: {html.escape(redirect.milestone)}, "
                f"{html.escape(redirect.timescale.describe())}.</p>"
            )
    if not urgent:
        parts.append(f"<p><b>{ADVICE}:</b> {html.escape(FALLBACK)}</p>")
    return "".join(parts)
