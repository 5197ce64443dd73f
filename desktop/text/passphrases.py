"""Passphrases to read over the telephone: six short words, no homophones, at least 60 bits.

The words are data (resources/words/passphrase-words.txt, and its README for
how they were chosen): common English words of three to five letters, none of
which sounds like another English word. Six are drawn uniformly and joined by
hyphens; if that is longer than 32 characters (poppler, in Evince, Okular and
pdftotext, reads only the first 32 bytes of an AES-256 PDF password) all six
are drawn again. Every passphrase of at most 32 characters is then equally
likely: :func:`entropy_bits` counts them (61.2 bits for the shipped list).
"""

from __future__ import annotations

import math
import re
import secrets
from collections import Counter
from importlib import resources

WORDS_IN_A_PASSPHRASE = 6
MAX_PASSPHRASE_BYTES = 32
_SEPARATORS = re.compile(r"[\s\-_.,;:]+")


def _load_words() -> tuple[str, ...]:
    text = resources.files("desktop.resources").joinpath("words/passphrase-words.txt")
    return tuple(text.read_text("utf-8").split())


WORDS = _load_words()


def word_passphrase(words: int = WORDS_IN_A_PASSPHRASE) -> str:
    """Return ``words`` words from WORDS joined by hyphens, at most 32 characters long."""
    while True:
        chosen = "-".join(secrets.choice(WORDS) for _ in range(words))
        if len(chosen.encode()) <= MAX_PASSPHRASE_BYTES:
            return chosen


def entropy_bits(words: int = WORDS_IN_A_PASSPHRASE) -> float:
    """Bits of entropy of :func:`word_passphrase`: log2 of how many passphrases it can give."""
    letters = MAX_PASSPHRASE_BYTES - (words - 1)
    # ways[n]: sequences of the words drawn so far with n letters in all
    ways: Counter[int] = Counter({0: 1})
    lengths = Counter(len(w) for w in WORDS)
    for _ in range(words):
        following: Counter[int] = Counter()
        for total, count in ways.items():
            for length, how_many in lengths.items():
                if total + length <= letters:
                    following[total + length] += count * how_many
        ways = following
    return math.log2(sum(ways.values()))


def normalised_words(typed: str) -> str:
    """Return a typed passphrase as generated: lower case, words joined by single hyphens.

    "Fig Bat  COD", "fig - bat - cod" and "fig-bat-cod" are the same passphrase;
    anything that is not a run of separators is kept as typed (lower-cased).
    """
    return "-".join(part for part in _SEPARATORS.split(typed.strip().lower()) if part)
