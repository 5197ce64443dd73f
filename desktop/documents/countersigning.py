"""Countersign a signed document in the box it left for the other party; say what that confirms.

A document made for two parties states its purpose in its signed metadata
(``escalation-recorder-purpose: ...``, read from the revision the first
signature covers, so nobody can change it afterwards); the countersignature's
box then says what the countersigner confirms, in the document's own words.
"""

from __future__ import annotations

import datetime as dt
import io

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature

from desktop.documents.identity import IdentityPem
from desktop.documents.signing import (
    Box,
    field_spec,
    next_field_name,
    sign_in_box,
    signature_meta,
    signed_by,
)
from desktop.documents.stamps import stamp_lines
from desktop.errors import InvalidInput
from desktop.text.passphrases import normalised_words

PURPOSE_KEYWORD = "escalation-recorder-purpose:"
GAP = 14  # points between a signature placed beside another and that one
NO_BOX = (
    "This document has no empty box for another signature: only documents made for "
    "two parties to sign (a written confirmation, a meeting record) can be countersigned."
)


def purpose_keywords(purpose: str) -> str:
    """The metadata line that states what the document records, for the countersignature."""
    return f"{PURPOSE_KEYWORD} {purpose}"


def stated_purpose(keywords: str) -> str:
    """What a document says it records (from its signed keywords), or "" if it says nothing."""
    _before, found, after = keywords.partition(PURPOSE_KEYWORD)
    return after.strip() if found else ""


def countersign_statement(purpose: str, title: str) -> str:
    """What the countersigner confirms: the document's stated purpose, else the document."""
    if purpose:
        return f"Confirms this record of {purpose}."
    return f"Confirms this {title.strip().lower() or 'document'}."


def _widget(field: generic.DictionaryObject) -> generic.DictionaryObject:
    """The field's widget annotation: the field itself, or its first kid."""
    if "/Rect" not in field and "/Kids" in field:
        kid = field["/Kids"][0]
        assert isinstance(kid, generic.DictionaryObject)
        return kid
    return field


def _rect_of(field: generic.DictionaryObject) -> tuple[int, int, int, int]:
    try:
        rect = _widget(field)["/Rect"]  # indexing decrypts an encrypted document's values
    except KeyError:
        rect = [0, 0, 0, 0]
    values = [int(float(v)) for v in rect]
    return values[0], values[1], values[2], values[3]


def _page_of(writer: IncrementalPdfFileWriter, field: generic.DictionaryObject) -> int:
    """The index of the page a signature field's widget is on (the last page if unsaid)."""
    pages = int(writer.root["/Pages"]["/Count"])
    widget = _widget(field)
    target = widget.raw_get("/P") if "/P" in widget else None
    if isinstance(target, generic.IndirectObject):
        for index in range(pages):
            page = writer.find_page_for_modification(index)[0]  # type: ignore[no-untyped-call]  # untyped upstream
            if page.reference == target.reference:
                return index
    return pages - 1


def _page_width(writer: IncrementalPdfFileWriter, index: int) -> int:
    page = writer.find_page_for_modification(index)[0].get_object()  # type: ignore[no-untyped-call]  # untyped upstream
    return int(float(page["/MediaBox"][2])) if "/MediaBox" in page else 595


def countersign_pdf(
    pdf: bytes, identity: IdentityPem, statement: str, passphrase: str | None = None
) -> bytes:
    """Sign a signed document again, in its empty signature box, saying ``statement``.

    A document whose first signature is only an approval (made elsewhere, or
    by an earlier version of the app) gets a new box beside that signature,
    kept inside the page. An encrypted document is countersigned with its
    passphrase and stays encrypted.

    Raises:
        InvalidInput: a certified document with no empty signature box left.
    """
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    if passphrase is not None:
        writer.encrypt(normalised_words(passphrase))  # type: ignore[no-untyped-call]  # untyped upstream
    lines = stamp_lines(
        f"Countersigned by {signed_by(identity)}", dt.datetime.now(dt.UTC), statement
    )
    empty = list(fields.enumerate_sig_fields(writer, filled_status=False))
    if empty:
        name, _value, ref = empty[0]
        field = ref.get_object()
        assert isinstance(field, generic.DictionaryObject)
        box = (_page_of(writer, field), *_rect_of(field))
        meta = signature_meta(name, "Countersigned", certify=False)
        return sign_in_box(writer, identity, meta, box, lines)
    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    if passphrase is not None:
        reader.decrypt(normalised_words(passphrase))
    signatures = list(reader.embedded_signatures)
    if not signatures or signatures[0].docmdp_level is not None:
        raise InvalidInput(NO_BOX)
    name = next_field_name(s.field_name for s in signatures)
    box = beside(signatures[0], writer)
    meta = signature_meta(name, "Countersigned", certify=False)
    return sign_in_box(writer, identity, meta, box, lines, field_spec(name, box))


def beside(first: EmbeddedPdfSignature, writer: IncrementalPdfFileWriter) -> Box:
    """A box of the first signature's size beside it on the last page, never over it.

    To its right if that fits on the page, else to its left, else above it.
    """
    pages = int(writer.root["/Pages"]["/Count"])
    page_width = _page_width(writer, pages - 1)
    x1, y1, x2, y2 = _rect_of(first.sig_field)
    width, height = x2 - x1, y2 - y1
    if width <= 0 or height <= 0:
        return (pages - 1, 300, 80, 540, 140)
    if x2 + GAP + width <= page_width:
        return (pages - 1, x2 + GAP, y1, x2 + GAP + width, y2)
    if x1 - GAP - width >= 0:
        return (pages - 1, x1 - GAP - width, y1, x1 - GAP, y2)
    return (pages - 1, x1, y2 + GAP, x2, y2 + GAP + height)
