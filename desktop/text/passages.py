"""Find a passage in text however it is spaced, cased or encoded, and where it lies in the original.

Matching is on a folded form: NFKC, case-folded, every run of white space as
one space (line breaks too), and invisible characters (format characters such
as U+200B, U+2060, U+FEFF or a soft hyphen, controls, variation selectors) as
a mark that may stand for a space or for nothing, because the documents draw
nothing for them. So "Sam  Sample", "SAM\u00a0SAMPLE", "Sam\nSample",
"Sam\u200bSample" and "Sa\u00adm Sample" all match "Sam Sample". Each folded
character remembers the span of original text it came from, so a match is
withheld in the original text, whole.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# A run of invisible characters between visible ones, in the folded text.
JOIN = "\x00"
# Default-ignorable code points that are not format (Cf) or control (Cc) characters:
# the combining grapheme joiner, Hangul fillers, Khmer inherent vowels, Mongolian
# free variation selectors, variation selectors.
_IGNORABLE = frozenset(
    [
        0x034F,
        0x115F,
        0x1160,
        0x17B4,
        0x17B5,
        0x3164,
        0xFFA0,
        *range(0x180B, 0x1810),
        *range(0xFE00, 0xFE10),
        *range(0xE0100, 0xE01F0),
    ]
)


@dataclass(frozen=True)
class Folded:
    """Folded text, and for each of its characters the original span it came from."""

    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]


def _invisible(char: str) -> bool:
    return unicodedata.category(char) in ("Cf", "Cc") or ord(char) in _IGNORABLE


def _clusters(text: str) -> list[tuple[int, int]]:
    """Split into a character and the combining marks that follow it."""
    spans, start = [], 0
    for index in range(1, len(text) + 1):
        if index == len(text) or not unicodedata.category(text[index]).startswith("M"):
            spans.append((start, index))
            start = index
    return spans


def fold(text: str) -> Folded:
    """Return ``text`` folded for matching, each character mapped back to its origin."""
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for start, end in _clusters(text):
        first = text[start]
        if not (first.isspace() or _invisible(first)):
            visible = "".join(c for c in text[start:end] if not _invisible(c))
            cluster = unicodedata.normalize("NFKC", visible)
            folded = unicodedata.normalize("NFKC", cluster.casefold())
            out.extend(" " if c.isspace() else c for c in folded)
            starts.extend([start] * len(folded))
            ends.extend([end] * len(folded))
            continue
        kind = " " if first.isspace() else JOIN
        if out and out[-1] in (" ", JOIN):  # one run, a space if any of it is one
            out[-1] = " " if " " in (kind, out[-1]) else JOIN
            ends[-1] = end
        else:
            out.append(kind)
            starts.append(start)
            ends.append(end)
    return Folded("".join(out), tuple(starts), tuple(ends))


def passage_key(text: str) -> str:
    """Return the form two passages share when they read the same (for removing repeats)."""
    return fold(text).text.replace(JOIN, "").strip()


def compile_passage(passage: str) -> re.Pattern[str] | None:
    """Return the pattern of ``passage`` over folded text; None when nothing visible is left.

    A space in the passage matches a space or an invisible character; an
    invisible character may sit between any two characters of the text. A
    passage that begins or ends with a letter or digit is not matched inside
    a longer word.
    """
    folded = fold(passage).text.strip(" " + JOIN)
    if not folded.replace(JOIN, ""):
        return None
    parts = []
    for char in folded:
        if char == " ":
            parts.append(f"[ {JOIN}]")
        elif char == JOIN:
            parts.append(f"[ {JOIN}]?")
        else:
            parts.append(re.escape(char))
    start = r"(?<!\w)" if folded[0].isalnum() else ""
    end = r"(?!\w)" if folded[-1].isalnum() else ""
    return re.compile(start + f"{JOIN}?".join(parts) + end)


def find(pattern: re.Pattern[str], folded: Folded) -> list[tuple[int, int]]:
    """Return the original spans where ``pattern`` matches ``folded``, in order."""
    return [
        (folded.starts[match.start()], folded.ends[match.end() - 1])
        for match in pattern.finditer(folded.text)
        if match.end() > match.start()
    ]
