"""What to do now in a case, first in its guidance: the steps, then the procedure's words."""

from __future__ import annotations

import html

from desktop.casework.guidance import NowGuidance


def now_html(now: NowGuidance) -> str:
    """Lay out what to do now: heading, steps, then the procedure's words as a quote."""
    steps = " ".join(html.escape(step) for step in now.steps)
    parts = [f"<b>What to do now: {html.escape(now.heading)}</b><br>{steps}"]
    if now.quote:
        parts.append(f"<br><i>The procedure says: {html.escape(now.quote)}</i>")
    return "".join(parts)
