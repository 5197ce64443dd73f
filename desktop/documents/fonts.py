"""Embedded fonts, and turning any user text into safe Paragraph markup with fallbacks."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from functools import cache
from importlib import resources

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFont

from desktop.errors import InvalidInput

BODY, BOLD, ITALIC, SYMBOLS = "DejaVuSans", "DejaVuSans-Bold", "DejaVuSans-Oblique", "Symbola"
FILES = {
    BODY: "DejaVuSans.ttf",
    BOLD: "DejaVuSans-Bold.ttf",
    ITALIC: "DejaVuSans-Oblique.ttf",
    SYMBOLS: "Symbola.ttf",
}
# Characters that are layout, not glyphs: always allowed.
LAYOUT = {"\n", "\t", "\r", "\u200b", "\u200d", "\ufe0f", "\ufe0e"}


def _utf16_hex(code: int) -> str:
    if code <= 0xFFFF:
        return f"{code:04X}"
    code -= 0x10000
    return f"{0xD800 + (code >> 10):04X}{0xDC00 + (code & 0x3FF):04X}"


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """Write a ToUnicode CMap whose targets are UTF-16BE, as the PDF reference requires.

    reportlab's own writes ``<%04X>``, which turns U+1F642 into five hex digits
    that readers truncate, so copied or extracted emoji came out as other
    characters. Same CMap otherwise.
    """
    lines = [
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo",
        f"<< /Registry ({fontname})",
        f"/Ordering ({fontname})",
        "/Supplement 0",
        ">> def",
        f"/CMapName /{fontname} def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        f"<00> <{len(subset) - 1:02X}>",
        "endcodespacerange",
        f"{len(subset)} beginbfchar",
        *(f"<{index:02X}> <{_utf16_hex(code)}>" for index, code in enumerate(subset)),
        "endbfchar",
        "endcmap",
        "CMapName currentdict /CMap defineresource pop",
        "end",
        "end",
    ]
    return "\n".join(lines)


@cache
def register_fonts() -> dict[str, frozenset[int]]:
    """Register the embedded fonts once; return the code points each covers."""
    ttfonts.makeToUnicodeCMap = _to_unicode_cmap
    folder = resources.files("desktop.resources").joinpath("fonts")
    covered = {}
    for name, file in FILES.items():
        with resources.as_file(folder.joinpath(file)) as path:
            font = TTFont(name, str(path))
        pdfmetrics.registerFont(font)
        covered[name] = frozenset(font.face.charToGlyph)
    for bold in (0, 1):
        for italic in (0, 1):
            face = BOLD if bold else (ITALIC if italic else BODY)
            addMapping(BODY, bold, italic, face)
    return covered


def uncovered(text: str) -> list[str]:
    """Return the characters of ``text`` the documents cannot show faithfully, each once.

    That is a character no embedded font has, or one written right to left
    (Arabic, Urdu, Hebrew): reportlab neither joins nor reorders them, so they
    would print as disconnected letters in the wrong order.
    """
    if text.isascii() and text.replace("\n", "").replace("\t", "").isprintable():
        return []  # the body font has every printable ASCII character
    covered = register_fonts()
    body, symbols = covered[BODY], covered[SYMBOLS]
    missing = []
    for char in text:
        if char in LAYOUT:
            continue
        right_to_left = unicodedata.bidirectional(char) in ("R", "AL")
        drawable = ord(char) in body or ord(char) in symbols
        if (right_to_left or not drawable) and char not in missing:
            missing.append(char)
    return missing


def check_covered(texts: list[str]) -> None:
    """Raise InvalidInput naming every character no embedded font covers."""
    missing: list[str] = []
    for text in texts:
        missing += [c for c in uncovered(text) if c not in missing]
    if missing:
        shown = ", ".join(f"{c} (U+{ord(c):04X})" for c in missing[:12])
        more = f" and {len(missing) - 12} more" if len(missing) > 12 else ""
        raise InvalidInput(
            f"The document cannot be made: no embedded font can show {shown}{more} "
            "faithfully. Write these in Latin letters, or leave them out."
        )


def _named(char: str) -> str:
    code = f"U+{ord(char):04X}"
    return f"'{char}' ({code})" if unicodedata.category(char)[0] in "LNPS" else code


def _texts(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _texts(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _texts(item)


def check_drawable(what: str, value: object) -> None:
    """Refuse text at entry that the documents could not print, naming the characters.

    The same test as ``check_covered`` at render time, so what is accepted can
    always be printed: no embedded font has the character (most Chinese,
    Devanagari...), or it is written right to left (Arabic, Hebrew). ``value``
    is a text, or a list or dict holding texts (a stage form's fields).

    Raises:
        InvalidInput: ``what`` (such as "The summary") contains such a character.
    """
    shown = undrawable(value)
    if shown:
        raise InvalidInput(
            f"{what} contains {shown}, which the documents cannot print; write it in Latin "
            "letters or leave it out."
        )


def undrawable(value: object) -> str | None:
    """Name the characters in ``value`` the documents could not print, or None if none."""
    missing: list[str] = []
    for text in _texts(value):
        missing += [c for c in uncovered(text) if c not in missing]
    if not missing:
        return None
    more = f" and {len(missing) - 5} more" if len(missing) > 5 else ""
    return ", ".join(_named(c) for c in missing[:5]) + more


def markup(text: str) -> str:
    """Escape ``text`` for a Paragraph, keep its line breaks and spaces, use fallbacks.

    Every character renders as typed: ``<``, ``&`` and quotes are escaped,
    tabs and runs of spaces are kept, and a character the body font lacks is
    drawn with the symbol font.
    """
    covered = register_fonts()
    body = covered[BODY]
    out: list[str] = []
    for char in text.replace("\r\n", "\n").replace("\t", "    "):
        if char == "\n":
            out.append("<br/>")
        elif char == "&":
            out.append("&amp;")
        elif char == "<":
            out.append("&lt;")
        elif char == ">":
            out.append("&gt;")
        elif char == '"':
            out.append("&quot;")
        elif char == " " and out and out[-1] in (" ", "&nbsp;"):
            out.append("&nbsp;")
        elif char in LAYOUT:
            continue
        elif ord(char) in body:
            out.append(char)
        else:
            out.append(f'<font name="{SYMBOLS}">{char}</font>')
    return "".join(out)
