"""One-line names, references and identifiers: only characters a reader sees as they were typed.

A right-to-left override turns "ESC-1000" into something that reads
differently on screen, in a terminal and in a PDF; an escape code repaints a
terminal; a zero-width space makes two names look the same. None of them
belongs in a name, so they are refused where names are entered.
"""

from __future__ import annotations

import unicodedata

from desktop.errors import InvalidInput

# Controls (Cc), format characters such as the bidirectional overrides and
# zero-width spaces (Cf), unpaired surrogates (Cs), private use (Co), and the
# line and paragraph separators (Zl, Zp).
HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Zl", "Zp"})
NAME_LIMIT = 200  # the width of the name columns in desktop/models


def hidden_character(text: str) -> str | None:
    """Return the first character of ``text`` that does not show as typed, as "U+XXXX (NAME)"."""
    for char in text:
        if unicodedata.category(char) in HIDDEN_CATEGORIES:
            name = unicodedata.name(char, "")
            return f"U+{ord(char):04X}" + (f" ({name})" if name else "")
    return None


def line_problem(text: str, limit: int = NAME_LIMIT) -> str | None:
    """Say what is wrong with ``text`` as a one-line name (too long, hidden characters), or None."""
    if len(text) > limit:
        return f"is longer than {limit} characters"
    hidden = hidden_character(text)
    if hidden is not None:
        return f"contains {hidden}, an invisible or control character"
    return None


def check_line(text: str, label: str, limit: int = NAME_LIMIT) -> None:
    """Raise InvalidInput, one sentence naming ``label``, when ``text`` is not a plain line.

    Raises:
        InvalidInput: ``text`` is longer than ``limit`` or holds a hidden character.
    """
    problem = line_problem(text, limit)
    if problem is not None:
        raise InvalidInput(f"{label} {problem}; nothing was saved.")
