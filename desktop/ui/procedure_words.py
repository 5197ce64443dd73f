"""The procedure's words and the app's advice, shown apart (as HTML for labels and browsers).

Text from a procedure file's quoted fields is the procedure's own words and is
shown under "What the procedure says"; the file's ``advice`` is the app's, and is
shown under "The app's advice", never among the quotes.
"""

from __future__ import annotations

import html
import re

SAYS = "What the procedure says"
ADVICE = "The app's advice"
_BOLD = re.compile(r"\*\*(.+?)\*\*")


def _paragraphs(text: str) -> list[str]:
    """The procedure's passages, one per paragraph, escaped (its **emphasis** in bold)."""
    shown = []
    for passage in re.split(r"\n\s*\n", text.strip()):
        if passage.strip():
            escaped = html.escape(" ".join(passage.split()))
            shown.append(_BOLD.sub(r"<b>\1</b>", escaped))
    return shown


def quoted_html(words: str, advice: str = "", heading: str = SAYS) -> str:
    """Return the procedure's words under their heading, then any advice under the app's."""
    parts = []
    if words.strip():
        paragraphs = "".join(f"<p><i>{p}</i></p>" for p in _paragraphs(words))
        parts.append(f"<p><b>{html.escape(heading)}:</b></p>{paragraphs}")
    if advice.strip():
        parts.append(f"<p><b>{ADVICE}:</b> {html.escape(advice.strip())}</p>")
    return "".join(parts)


def plain_words(words: str) -> str:
    """Return the procedure's words as plain text, one paragraph per passage."""
    return "\n\n".join(html.unescape(_BOLD.sub(r"\1", p)) for p in _paragraphs(words))
