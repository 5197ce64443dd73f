"""Sign (PAdES B-B), countersign, verify and encrypt PDFs with pyHanko.

The first signature on a document certifies it (DocMDP, form filling and
signing allowed): later signatures are the only changes a reader should
accept. Verifying runs pyHanko's difference analysis on every revision
appended after a signature, so a signature is valid only if it covers the
whole file or everything after it is another signature.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import io
from collections.abc import Iterable
from dataclasses import dataclass

from asn1crypto import pem  # type: ignore[import-untyped]  # no stubs
from asn1crypto import x509 as asn1_x509
from pyhanko.keys import (
    load_cert_from_pemder,
    load_certs_from_pemder_data,
    load_private_key_from_pemder_data,
)
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.crypt import AuthStatus, StandardSecurityHandler
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.writer import copy_into_new_writer
from pyhanko.sign import fields, signers
from pyhanko.sign.diff_analysis import DiffResult
from pyhanko.sign.fields import MDPPerm
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore

from desktop.documents.certificate_names import party_of, root_name
from desktop.documents.changes import SIGNED_DOCUMENT_POLICY
from desktop.documents.identity import IdentityPem
from desktop.documents.stamps import stamp_lines, stamp_style
from desktop.errors import InvalidInput, PdfPassphraseNeeded
from desktop.text.passphrases import normalised_words

Box = tuple[int, int, int, int, int]  # page index, x1, y1, x2, y2


class Verdict(enum.IntEnum):
    """How the signatures of one file stand, from best to worst."""

    TRUSTED = 0  # every signature valid, from a root this vault trusts
    UNCONFIRMED = 1  # every signature valid, some from a root not confirmed yet
    UNREADABLE = 2  # the file could not be read as a PDF
    INVALID = 3  # not signed, altered, changed after signing, or a broken chain


@dataclass(frozen=True)
class SignatureReport:
    """What verifying one signature found.

    ``signer`` is the signer's name, role and organisation joined by commas, as
    the certificate gives them (also apart: ``signer_name``, ``signer_role``,
    ``signer_organisation``); ``root_subject`` is whom the root certificate
    belongs to (its organisation, else its common name).
    """

    field: str
    intact: bool
    valid: bool
    signer: str
    signed_at: dt.datetime | None
    fingerprint: str
    root_fingerprint: str
    root_subject: str
    root_pem: str
    known: bool
    changed_after_signing: bool
    certified: bool
    signer_name: str = ""
    signer_role: str = ""
    signer_organisation: str = ""

    @property
    def verdict(self) -> Verdict:
        """Valid and trusted, valid but from an unconfirmed root, or not valid."""
        if not self.valid:
            return Verdict.INVALID
        return Verdict.TRUSTED if self.known else Verdict.UNCONFIRMED


def file_verdict(reports: Iterable[SignatureReport]) -> Verdict:
    """The worst of a file's signatures; a file with none is not valid."""
    return max((r.verdict for r in reports), default=Verdict.INVALID)


def _signer(identity: IdentityPem) -> signers.SimpleSigner:
    key = load_private_key_from_pemder_data(identity.key_pem.encode(), passphrase=None)
    cert = load_cert_from_pemder_data(identity.cert_pem)
    chain = list(load_certs_from_pemder_data(identity.chain_pem.encode()))
    registry = SimpleCertificateStore.from_certs([cert, *chain])  # type: ignore[no-untyped-call]  # untyped upstream
    return signers.SimpleSigner(signing_cert=cert, signing_key=key, cert_registry=registry)


def load_cert_from_pemder_data(pem: str) -> asn1_x509.Certificate:
    """Parse one PEM certificate."""
    certs = list(load_certs_from_pemder_data(pem.encode()))
    if not certs:
        raise InvalidInput("The signing certificate is missing.")
    return certs[0]


def next_field_name(taken: Iterable[str]) -> str:
    """Return an unused signature field name (Signature1, Signature2...)."""
    names, number = set(taken), 1
    while f"Signature{number}" in names:
        number += 1
    return f"Signature{number}"


def sign_in_box(
    writer: IncrementalPdfFileWriter,
    identity: IdentityPem,
    meta: signers.PdfSignatureMetadata,
    box: Box,
    lines: list[str],
    spec: fields.SigFieldSpec | None = None,
) -> bytes:
    """Sign into ``meta.field_name`` (made from ``spec`` if given); the box shows ``lines``."""
    style = stamp_style(lines, box[3] - box[1], box[4] - box[2])
    out = io.BytesIO()
    signers.PdfSigner(meta, _signer(identity), stamp_style=style, new_field_spec=spec).sign_pdf(
        writer, output=out
    )
    return out.getvalue()


def signed_by(identity: IdentityPem) -> str:
    """Whom ``identity``'s certificate names: name, role, organisation."""
    return party_of(load_cert_from_pemder_data(identity.cert_pem)).line


def field_spec(name: str, box: Box) -> fields.SigFieldSpec:
    """A signature field named ``name`` drawn at ``box``."""
    page, x1, y1, x2, y2 = box
    return fields.SigFieldSpec(name, on_page=page, box=(x1, y1, x2, y2))


def signature_meta(field_name: str, reason: str, *, certify: bool) -> signers.PdfSignatureMetadata:
    """PAdES B-B, SHA-256; a certification allows only form filling and signing after it."""
    return signers.PdfSignatureMetadata(
        field_name=field_name,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason=reason,
        certify=certify,
        docmdp_permissions=MDPPerm.FILL_FORMS,
    )


def sign_pdf(
    pdf: bytes,
    identity: IdentityPem,
    box: Box,
    reason: str,
    passphrase: str | None = None,
    open_boxes: Iterable[Box] = (),
) -> bytes:
    """Certify ``pdf`` (PAdES B-B, ETSI.CAdES.detached) in a visible box, as an incremental update.

    The signature certifies the document (DocMDP: after it, only filling in
    its empty signature fields is an allowed change); ``open_boxes`` become
    those empty fields, for the other parties to countersign in.

    Args:
        box: (page index, x1, y1, x2, y2) of the visible signature.
    """
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    if passphrase is not None:
        writer.encrypt(passphrase)  # type: ignore[no-untyped-call]  # untyped upstream
    signed = [name for name, _v, _r in fields.enumerate_sig_fields(writer, filled_status=True)]
    names = [name for name, _v, _r in fields.enumerate_sig_fields(writer)]
    field_name = next_field_name(names)
    for name_box in (box, *open_boxes):  # this signature's field first, then the empty ones
        names.append(next_field_name(names))
        fields.append_signature_field(writer, field_spec(names[-1], name_box))
    lines = stamp_lines(f"Signed by {signed_by(identity)}", dt.datetime.now(dt.UTC), reason)
    meta = signature_meta(field_name, reason, certify=not signed)
    return sign_in_box(writer, identity, meta, box, lines)


def _root_of(embedded: EmbeddedPdfSignature) -> asn1_x509.Certificate | None:
    certs = getattr(embedded, "other_embedded_certs", []) or []
    for cert in certs:
        if cert.self_signed and cert.ca:
            return cert
    return None


def _reader(data: bytes) -> PdfFileReader:
    try:
        return PdfFileReader(io.BytesIO(data), strict=False)
    except Exception as error:  # noqa: BLE001 - any parse failure means "not a signed PDF"
        raise InvalidInput(f"This is not a readable PDF ({type(error).__name__}).") from None


def is_encrypted(data: bytes) -> bool:
    """Say whether the PDF is encrypted (it then opens only with its passphrase)."""
    return bool(_reader(data).encrypted)


def open_signed(
    data: bytes, passphrase: str | None = None
) -> tuple[PdfFileReader, list[EmbeddedPdfSignature]]:
    """Read a PDF (decrypted with ``passphrase`` if it is encrypted) and its signatures.

    Raises:
        InvalidInput: not a readable PDF; encrypted and no passphrase, or the wrong one.
    """
    reader = _reader(data)
    if reader.encrypted:
        if passphrase is None:
            raise PdfPassphraseNeeded(
                "This PDF is encrypted: it opens only with the passphrase it was shared with."
            )
        if reader.decrypt(normalised_words(passphrase)).status == AuthStatus.FAILED:
            raise PdfPassphraseNeeded("That passphrase does not open this PDF.")
    try:
        return reader, list(reader.embedded_signatures)
    except Exception as error:  # noqa: BLE001 - any parse failure means "not a signed PDF"
        raise InvalidInput(f"This is not a readable PDF ({type(error).__name__}).") from None


def verify_pdf(
    data: bytes, known_fingerprints: set[str], passphrase: str | None = None
) -> list[SignatureReport]:
    """Check every signature: intact, covering what follows it, chained to its root, known.

    A signer's self-signed leaf is never used as its own trust root: only a CA
    root shipped in the signature anchors it, and whether that root is known
    is reported separately. A revision appended after a signature counts only
    if pyHanko's difference analysis (with the stricter /Info rule of
    :mod:`desktop.documents.changes`) finds nothing but signing or form filling
    in it, within the certification's permissions. An encrypted PDF opens with
    ``passphrase`` as typed (any capitals, spaces or hyphens between its words).
    """
    _opened, signatures = open_signed(data, passphrase)
    return [report_signature(embedded, known_fingerprints) for embedded in signatures]


def report_signature(
    embedded: EmbeddedPdfSignature, known_fingerprints: set[str]
) -> SignatureReport:
    """Check one embedded signature (see :func:`verify_pdf`)."""
    root = _root_of(embedded)
    context = ValidationContext(trust_roots=[root] if root else [], allow_fetching=False)
    try:
        status = validate_pdf_signature(embedded, context, diff_policy=SIGNED_DOCUMENT_POLICY)
        intact, chain_ok = status.intact, status.valid and status.trusted
        covered = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
        allowed = isinstance(status.diff_result, DiffResult) and status.docmdp_ok is True
        changed = intact and not (covered or allowed)
        cert, signed_at = status.signing_cert, status.signer_reported_dt
    except Exception:  # noqa: BLE001 - a mangled signature is reported, not raised
        intact = chain_ok = changed = False
        cert, signed_at = embedded.signer_cert, None
    root_fp = _fp(root) if root else ""
    party = party_of(cert)
    return SignatureReport(
        field=embedded.field_name,
        intact=intact,
        valid=intact and chain_ok and not changed,
        signer=party.line,
        signed_at=signed_at,
        fingerprint=_fp(cert) if cert else "",
        root_fingerprint=root_fp,
        root_subject=root_name(root),
        root_pem=pem.armor("CERTIFICATE", root.dump()).decode() if root else "",
        known=root_fp in known_fingerprints,
        changed_after_signing=changed,
        certified=embedded.docmdp_level is not None,
        signer_name=party.name,
        signer_role=party.role,
        signer_organisation=party.organisation,
    )


def signed_keywords(data: bytes, passphrase: str | None = None) -> str:
    """The /Info keywords as the first signature signed them (never a later revision's)."""
    return signed_info(*open_signed(data, passphrase)).get("/Keywords", "")


def signed_info(reader: PdfFileReader, signatures: list[EmbeddedPdfSignature]) -> dict[str, str]:
    """The /Info entries (title, keywords...) of the revision the first signature covers."""
    if not signatures:
        return {}
    signed = reader.get_historical_resolver(signatures[0].signed_revision)
    ref = signed.trailer_view.get_value_as_reference("/Info", optional=True)
    info = signed.get_object(ref) if ref is not None else None
    if not isinstance(info, generic.DictionaryObject):
        return {}
    return {str(key): str(value) for key, value in info.items()}


def _fp(cert: asn1_x509.Certificate) -> str:
    digest = hashlib.sha256(cert.dump()).hexdigest().upper()
    return ":".join(digest[i : i + 2] for i in range(0, len(digest), 2))


def encrypt_pdf(data: bytes, passphrase: str) -> bytes:
    """Return a copy encrypted with AES-256 (PDF security handler R6) under ``passphrase``."""
    reader = PdfFileReader(io.BytesIO(data), strict=False)
    writer = copy_into_new_writer(reader)
    handler = StandardSecurityHandler.build_from_pw(passphrase, passphrase, pdf_mac=False)
    writer._assign_security_handler(handler)
    out = io.BytesIO()
    writer.write(out)  # type: ignore[no-untyped-call]  # untyped upstream
    return out.getvalue()


__all__ = [
    "SignatureReport",
    "Verdict",
    "encrypt_pdf",
    "file_verdict",
    "is_encrypted",
    "load_cert_from_pemder",
    "open_signed",
    "sign_in_box",
    "sign_pdf",
    "signed_keywords",
    "verify_pdf",
]
