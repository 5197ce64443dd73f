"""Signature boxes never overlap; the header fits any organisation's name; stamps show Unicode.

On the old code a second countersignature was drawn over the first (its time
garbled), and a receipt's header ran an 80-character organisation into the
"OFFICIAL-SENSITIVE" marking ("Northtown Council (fictiOFFICIAL-SENSITIVE").
"""

from __future__ import annotations

import datetime as dt
import io
import subprocess
from pathlib import Path

import pytest
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from desktop.documents.countersigning import countersign_pdf
from desktop.documents.identity import create_identity
from desktop.documents.receipt_pdf import ReceiptData, compose_receipt
from desktop.documents.render import Header, build_pdf, organisation_lines
from desktop.documents.signing import field_spec, sign_in_box, signature_meta, verify_pdf
from tests.sharing.parties import pdf_text, pdfsig_agrees, require_poppler

LONG_NAME = "Northtown Metropolitan Borough Council, Children and Family Services (fictional)"
NOW = dt.datetime(2027, 1, 11, 9, 30, tzinfo=dt.UTC)


def _receipt(organisation: str) -> bytes:
    data = ReceiptData(
        "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0",
        "ab" * 32,
        "Fictional Lead, DSL, Nowhere Primary (fictional)",
        NOW,
        NOW,
        f"Fictional Receiver, DSL, {organisation}",
        "C-1042",
        (("ESC-0001", "ESC-0001"),),
    )
    story, _slots = compose_receipt(data)
    header = Header("Transfer 0f1e2d3c", organisation, NOW, "event 7 abc", "Receipt")
    return build_pdf(header, story)


def test_an_80_character_organisation_does_not_run_into_the_marking(tmp_path: Path) -> None:
    require_poppler()
    assert len(LONG_NAME) == 80
    path = tmp_path / "receipt.pdf"
    path.write_bytes(_receipt(LONG_NAME))
    lines = [line.strip() for line in pdf_text(path).splitlines()]
    assert "OFFICIAL-SENSITIVE" in lines  # alone on its line: nothing ran into it
    assert any(line.startswith(LONG_NAME) for line in lines)  # the name whole, not cut
    subprocess.run(
        ["pdftoppm", "-r", "80", "-png", "-singlefile", str(path), str(tmp_path / "page")],
        check=True,
    )
    assert (tmp_path / "page.png").stat().st_size > 0


def test_the_header_keeps_a_short_name_beside_the_marking_and_wraps_a_very_long_one() -> None:
    width = A4[0]
    assert organisation_lines("Nowhere Primary (fictional)", 170, width) == [
        (8, 10, "Nowhere Primary (fictional)")
    ]
    [(size, below, text)] = organisation_lines(LONG_NAME, 170, width)
    assert text == LONG_NAME and below > 10 and size >= 6
    longest = " ".join([LONG_NAME] * 3)[:200]
    wrapped = organisation_lines(longest, 170, width)
    assert len(wrapped) >= 2 and " ".join(t for _s, _y, t in wrapped) == longest


def _rects(pdf: bytes) -> list[tuple[float, float, float, float]]:
    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    return [
        tuple(float(v) for v in s.sig_field["/Rect"])  # type: ignore[misc]
        for s in reader.embedded_signatures
    ]


def _overlap(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def test_a_countersignature_beside_an_approval_stays_on_the_page_and_off_it(
    tmp_path: Path,
) -> None:
    require_poppler()
    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=A4)
    page.drawString(72, 720, "A fictional letter signed elsewhere.")
    page.save()
    first = create_identity("Ann Other (fictional)", "Manager", "Elsewhere (fictional)")
    box = (0, 330, 80, 560, 140)  # near the right edge: there is no room to its right
    writer = IncrementalPdfFileWriter(io.BytesIO(out.getvalue()), strict=False)
    meta = signature_meta("Signature1", "Approved", certify=False)
    approved = sign_in_box(
        writer, first, meta, box, ["Signed by Ann"], field_spec("Signature1", box)
    )
    second = create_identity("Zażółć Gęślą (fictional)", "Κοινωνική λειτουργός", "Fictional")
    both = countersign_pdf(approved, second, "Confirms this document.")
    first_rect, second_rect = _rects(both)
    assert not _overlap(first_rect, second_rect)
    assert second_rect[0] >= 0 and second_rect[2] <= A4[0]
    path = tmp_path / "both.pdf"
    path.write_bytes(both)
    pdfsig_agrees(path, 2)
    text = pdf_text(path, stamps=True)
    assert "Zażółć Gęślą (fictional), Κοινωνική λειτουργός" in " ".join(text.split())


@pytest.mark.parametrize("twice", [False, True])
def test_a_box_left_for_the_other_party_is_filled_once(tmp_path: Path, twice: bool) -> None:
    from desktop.documents.countersigning import NO_BOX
    from desktop.documents.signing import sign_pdf
    from desktop.errors import InvalidInput

    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=A4)
    page.drawString(72, 720, "A fictional confirmation.")
    page.save()
    first = create_identity("Alex Example (fictional)", "DSL", "Nowhere (fictional)")
    signed = sign_pdf(
        out.getvalue(),
        first,
        (0, 50, 80, 290, 140),
        "Written confirmation",
        open_boxes=[(0, 305, 80, 545, 140)],
    )
    other = create_identity("Sam Sample (fictional)", "Team manager", "Fictional")
    both = countersign_pdf(signed, other, "Confirms this record.")
    assert [r.valid for r in verify_pdf(both, set())] == [True, True]
    first_rect, second_rect = _rects(both)
    assert not _overlap(first_rect, second_rect)
    if twice:
        with pytest.raises(InvalidInput, match=NO_BOX[:30]):
            countersign_pdf(both, other, "Confirms this record.")
