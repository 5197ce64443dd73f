"""A signed PDF someone sent: its signatures, the boxes it leaves empty, what it says it is."""

from __future__ import annotations

from dataclasses import dataclass

from pyhanko.sign import fields

from desktop.documents.countersigning import stated_purpose
from desktop.documents.signing import (
    SignatureReport,
    Verdict,
    file_verdict,
    open_signed,
    report_signature,
    signed_info,
)


@dataclass(frozen=True)
class SignedFile:
    """What checking one received PDF found (read in one pass, no vault involved).

    ``empty_boxes`` are signature boxes nobody has signed yet: the document asks
    for another party's signature. ``title`` and ``purpose`` are read from the
    revision the first signature covers.
    """

    reports: tuple[SignatureReport, ...]
    empty_boxes: tuple[str, ...] = ()
    title: str = ""
    purpose: str = ""
    encrypted: bool = False

    @property
    def verdict(self) -> Verdict:
        """The worst of its signatures; a file with none is not valid."""
        return file_verdict(self.reports)

    @property
    def asks_for_countersignature(self) -> bool:
        """Say whether the document leaves a box for another party to sign."""
        return bool(self.empty_boxes)


def read_signed_file(
    data: bytes, known_fingerprints: set[str], passphrase: str | None = None
) -> SignedFile:
    """Verify every signature (as ``verify_pdf``) and read what the document says it is.

    Raises:
        InvalidInput: not a readable PDF; encrypted and no passphrase, or the wrong one.
    """
    reader, signatures = open_signed(data, passphrase)
    reports = tuple(report_signature(s, known_fingerprints) for s in signatures)
    empty = tuple(name for name, _v, _r in fields.enumerate_sig_fields(reader, filled_status=False))
    info = signed_info(reader, signatures)
    return SignedFile(
        reports,
        empty,
        info.get("/Title", ""),
        stated_purpose(info.get("/Keywords", "")),
        bool(reader.encrypted),
    )
