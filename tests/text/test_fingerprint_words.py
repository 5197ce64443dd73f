"""A root's fingerprint as eight words to read by telephone: at least 80 bits, forgiving to type."""

from __future__ import annotations

import hashlib

from hypothesis import given
from hypothesis import strategies as st

from desktop.text.fingerprint_words import fingerprint_bits, fingerprint_words, same_words
from desktop.text.passphrases import WORDS


def _fingerprint(data: bytes) -> str:
    digest = hashlib.sha256(data).hexdigest().upper()
    return ":".join(digest[i : i + 2] for i in range(0, len(digest), 2))


def test_eight_words_from_the_telephone_list_carry_at_least_80_bits() -> None:
    words = fingerprint_words(_fingerprint(b"a fictional root")).split()
    assert len(words) == 8 and set(words) <= set(WORDS)
    assert fingerprint_bits() >= 80


@given(st.binary(), st.binary())
def test_the_words_follow_the_fingerprint_and_only_it(first: bytes, second: bytes) -> None:
    a, b = _fingerprint(first), _fingerprint(second)
    assert fingerprint_words(a) == fingerprint_words(a.lower().replace(":", ""))
    assert (fingerprint_words(a) == fingerprint_words(b)) == (a == b)


def test_the_words_heard_are_accepted_with_any_spacing_hyphens_or_capitals() -> None:
    fingerprint = _fingerprint(b"another fictional root")
    words = fingerprint_words(fingerprint)
    assert same_words("  " + words.upper().replace(" ", " - "), fingerprint)
    assert not same_words(" ".join(words.split()[:7]), fingerprint)
