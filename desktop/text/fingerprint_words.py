"""A certificate fingerprint as eight words two people can read to each other by telephone.

A SHA-256 fingerprint is 64 hexadecimal characters: too long to compare by
voice, and letters such as B, D, P, T and V sound alike. The words come from
the passphrase list (resources/words), chosen for reading aloud: common,
three to five letters, no two sounding alike. The fingerprint's 256 bits are
read as one number and written in base 1,330 (the list's length), lowest
digit first; the first eight digits are the words. Eight words carry 83 bits
of the fingerprint, so a forger who wants a certificate whose words match a
real one must make about 2^83 certificates (a second preimage), which is
more than the 80 bits the alternative (the first 80 bits in base32, four
groups of four characters) would give, and easier to say.
"""

from __future__ import annotations

import math

from desktop.text.passphrases import WORDS, normalised_words

WORDS_IN_A_FINGERPRINT = 8


def fingerprint_words(fingerprint: str, count: int = WORDS_IN_A_FINGERPRINT) -> str:
    """Return ``count`` words for a fingerprint written as hex (colons and case ignored).

    Raises:
        ValueError: ``fingerprint`` is not hexadecimal.
    """
    number = int.from_bytes(bytes.fromhex(fingerprint.replace(":", "")), "big")
    words = []
    for _ in range(count):
        number, index = divmod(number, len(WORDS))
        words.append(WORDS[index])
    return " ".join(words)


def fingerprint_bits(count: int = WORDS_IN_A_FINGERPRINT) -> float:
    """How many bits of the fingerprint ``count`` words carry."""
    return count * math.log2(len(WORDS))


def same_words(typed: str, fingerprint: str) -> bool:
    """Say whether ``typed`` are the fingerprint's words (any spaces, hyphens or capitals)."""
    return normalised_words(typed) == normalised_words(fingerprint_words(fingerprint))
