"""Read the audit head a document carries (printed on each page, kept in its /Subject)."""

from __future__ import annotations

import io

from desktop.errors import InvalidInput
from desktop.storage import audit


def printed_head(pdf: bytes) -> audit.Head:
    """Return the audit head in the document's /Subject.

    Raises:
        InvalidInput: not a PDF, encrypted (its metadata cannot be read without
            its passphrase), or carrying no head of this app.
    """
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        encrypted = reader.encrypted
        trailer = reader.trailer  # pyHanko's trailer has no get(): look the entry up
        info = trailer["/Info"] if "/Info" in trailer and not encrypted else {}
        subject = str(info.get("/Subject", ""))
    except Exception:  # noqa: BLE001 - a malformed file fails in pyHanko's parser in many ways
        raise InvalidInput("it is not a PDF this app can read") from None
    if encrypted:
        raise InvalidInput("it is encrypted (its head is printed at the foot of every page)")
    found = audit.parse_head(subject)
    if found is None:
        raise InvalidInput("it carries no audit head (it was not made by Escalation Recorder)")
    return found
