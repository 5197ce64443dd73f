"""Show text that came from a file or a certificate without letting it steer the screen."""

from __future__ import annotations

import unicodedata

# Controls (escape sequences, line breaks), format characters (bidirectional
# overrides U+202A-U+202E and isolates U+2066-U+2069, zero-width characters),
# line and paragraph separators, lone surrogates (which cannot be printed) and
# private-use characters (no font draws them the same way twice).
_HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs", "Co"})
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escaped(char: str) -> str:
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    if code < 0x100:
        return f"\\x{code:02x}"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def visible(text: str) -> str:
    r"""Return ``text`` with control and bidirectional characters written out as escapes.

    An escape sequence becomes the characters ``\x1b[8m``, a newline ``\n``, a
    right-to-left override ``\u202e``: a name from a certificate or a package
    can then neither hide words, forge a line, nor reorder what follows it.
    Everything else (accents, other scripts) is kept as it is.
    """
    return "".join(
        _escaped(char) if unicodedata.category(char) in _HIDDEN_CATEGORIES else char
        for char in text
    )
