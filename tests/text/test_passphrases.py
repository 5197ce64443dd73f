"""Share passphrases: read aloud without homophones, at least 60 bits, within poppler's 32 bytes."""

from __future__ import annotations

import math
import subprocess
from pathlib import Path

import pytest

from desktop.documents.signing import encrypt_pdf
from desktop.text.passphrases import WORDS, entropy_bits, normalised_words, word_passphrase

# Common English homophones and near-homophones; a listener cannot tell either from the other.
HOMOPHONES = (
    ("key", "quay"),
    ("sea", "see"),
    ("sun", "son"),
    ("hare", "hair"),
    ("pear", "pair"),
    ("bear", "bare"),
    ("deer", "dear"),
    ("knot", "not"),
    ("knight", "night"),
    ("road", "rode"),
    ("rose", "rows"),
    ("sail", "sale"),
    ("tail", "tale"),
    ("flour", "flower"),
    ("meat", "meet"),
    ("peak", "peek"),
    ("plane", "plain"),
    ("right", "write"),
    ("sole", "soul"),
    ("wood", "would"),
    ("yew", "you"),
    ("ewe", "you"),
    ("eye", "i"),
    ("bee", "be"),
    ("pea", "pee"),
    ("tea", "tee"),
    ("toe", "tow"),
    ("doe", "dough"),
    ("oar", "ore"),
    ("hay", "hey"),
    ("mail", "male"),
    ("hole", "whole"),
    ("new", "knew"),
    ("one", "won"),
    ("two", "too"),
    ("four", "for"),
    ("eight", "ate"),
    ("red", "read"),
    ("blue", "blew"),
    ("bow", "bough"),
    ("flea", "flee"),
    ("steak", "stake"),
    ("weak", "week"),
    ("wait", "weight"),
    ("way", "weigh"),
    ("pain", "pane"),
    ("rain", "reign"),
    ("sew", "so"),
    ("brake", "break"),
    ("dew", "due"),
    ("fir", "fur"),
    ("heal", "heel"),
    ("hour", "our"),
    ("mist", "missed"),
    ("nun", "none"),
    ("place", "plaice"),
    ("seam", "seem"),
    ("some", "sum"),
    ("stair", "stare"),
    ("tide", "tied"),
    ("wave", "waive"),
    ("whale", "wail"),
    ("which", "witch"),
    ("ring", "wring"),
    ("wrap", "rap"),
    ("colonel", "kernel"),
    ("bean", "been"),
    ("cell", "sell"),
    ("cent", "scent"),
    ("fair", "fare"),
    ("grown", "groan"),
    ("hall", "haul"),
    ("idle", "idol"),
    ("lead", "led"),
    ("loan", "lone"),
    ("made", "maid"),
    ("mane", "main"),
    ("moose", "mousse"),
    ("pause", "paws"),
    ("peace", "piece"),
    ("pole", "poll"),
    ("prey", "pray"),
    ("rays", "raise"),
    ("root", "route"),
    ("scene", "seen"),
    ("sight", "site"),
    ("stationary", "stationery"),
    ("threw", "through"),
    ("vain", "vein"),
    ("wear", "where"),
    ("whine", "wine"),
    ("yolk", "yoke"),
    ("bread", "bred"),
    ("board", "bored"),
    ("cheap", "cheep"),
    ("gate", "gait"),
    ("hymn", "him"),
    ("jeans", "genes"),
    ("leak", "leek"),
    ("tire", "tyre"),
    ("curb", "kerb"),
    ("gray", "grey"),
    ("paw", "pour"),
    ("court", "caught"),
    ("sauce", "source"),
    ("hat", "at"),
)


def test_the_list_gives_at_least_60_bits_within_32_bytes_and_no_homophones() -> None:
    words = set(WORDS)
    assert len(words) == len(WORDS), "duplicates"
    assert all(w.isascii() and w.isalpha() and w.islower() and len(w) >= 3 for w in WORDS)
    count = len(word_passphrase().split("-"))
    assert count * math.log2(len(words)) >= entropy_bits() >= 60
    assert all(len(word_passphrase().encode()) <= 32 for _ in range(2000))
    heard = [pair for pair in HOMOPHONES if set(pair) & words]
    assert heard == []
    inflected = sorted(
        w
        for w in words
        for end in ("s", "es", "ed", "ing")
        if w.endswith(end) and w[: -len(end)] in words
    )
    assert inflected == []


def test_the_entropy_counts_exactly_the_passphrases_that_fit() -> None:
    from itertools import product

    lengths = [len(w) for w in WORDS]
    # By brute force over word lengths: sequences whose six words and five hyphens fit in 32.
    by_length = {n: lengths.count(n) for n in set(lengths)}
    fitting = sum(
        math.prod(by_length[n] for n in combo)
        for combo in product(by_length, repeat=6)
        if sum(combo) + 5 <= 32
    )
    assert entropy_bits() == pytest.approx(math.log2(fitting))


def test_the_list_is_data_shipped_in_resources() -> None:
    from importlib import resources

    shipped = resources.files("desktop.resources").joinpath("words/passphrase-words.txt")
    assert tuple(shipped.read_text("utf-8").split()) == WORDS


def test_pdftotext_opens_an_encrypted_pdf_with_the_longest_passphrase(tmp_path: Path) -> None:
    import io

    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    page = canvas.Canvas(out)
    page.drawString(72, 720, "A fictional shared letter.")
    page.save()
    five, four = [w for w in WORDS if len(w) == 5], [w for w in WORDS if len(w) == 4]
    longest = "-".join([*five[:3], *four[:3]])  # 27 letters and 5 hyphens: the longest
    assert len(longest.encode()) == 32
    path = tmp_path / "shared.pdf"
    path.write_bytes(encrypt_pdf(out.getvalue(), longest))
    shown = subprocess.run(
        ["pdftotext", "-upw", longest, str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "A fictional shared letter." in shown
    assert normalised_words("  " + longest.replace("-", " \t ").upper()) == longest


@pytest.mark.parametrize(
    "typed", ["Fig Bat Cod", "fig-bat-cod", " FIG  bat\tcod ", "fig - bat - cod"]
)
def test_a_typed_passphrase_is_normalised(typed: str) -> None:
    assert normalised_words(typed) == "fig-bat-cod"
