"""Sign (PAdES B-B), countersign, verify and encrypt PDFs with pyHanko."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import secrets
from dataclasses import dataclass

from asn1crypto import x509 as asn1_x509  # type: ignore[import-untyped]  # no stubs
from pyhanko import stamp
from pyhanko.keys import (
    load_cert_from_pemder,
    load_certs_from_pemder_data,
    load_private_key_from_pemder_data,
)
from pyhanko.pdf_utils.crypt import StandardSecurityHandler
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.writer import copy_into_new_writer
from pyhanko.sign import fields, signers
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore

from desktop.documents.identity import IdentityPem
from desktop.errors import InvalidInput

# Short words (four letters at most): six of them, joined by hyphens, stay within
# 32 characters, because poppler (Evince, Okular, pdftotext) reads only the first
# 32 bytes of an AES-256 password; 259 words give about 48 bits over six words.
WORDS = (
    "ant",
    "ape",
    "arm",
    "art",
    "ash",
    "axe",
    "bag",
    "bat",
    "bay",
    "bed",
    "bee",
    "bell",
    "belt",
    "bib",
    "bike",
    "bird",
    "boat",
    "bone",
    "book",
    "boot",
    "bowl",
    "box",
    "bun",
    "bus",
    "cab",
    "cake",
    "calf",
    "camp",
    "cap",
    "car",
    "card",
    "cart",
    "cat",
    "cave",
    "cod",
    "coin",
    "cone",
    "cook",
    "cord",
    "corn",
    "cow",
    "crab",
    "crow",
    "cub",
    "cup",
    "dam",
    "deer",
    "desk",
    "dew",
    "dice",
    "dish",
    "dock",
    "doe",
    "dog",
    "doll",
    "door",
    "dove",
    "drum",
    "duck",
    "dune",
    "dust",
    "ear",
    "eel",
    "egg",
    "elk",
    "elm",
    "eye",
    "fan",
    "farm",
    "fern",
    "fig",
    "film",
    "fin",
    "fir",
    "fish",
    "flag",
    "flax",
    "foal",
    "fog",
    "fork",
    "fox",
    "frog",
    "gate",
    "gem",
    "goat",
    "gold",
    "golf",
    "gown",
    "grub",
    "gull",
    "hail",
    "hall",
    "ham",
    "hare",
    "harp",
    "hat",
    "hay",
    "hen",
    "herb",
    "hill",
    "hive",
    "hood",
    "hoof",
    "hook",
    "horn",
    "hut",
    "ice",
    "ink",
    "iron",
    "ivy",
    "jam",
    "jar",
    "jet",
    "jug",
    "kale",
    "kelp",
    "key",
    "kid",
    "kite",
    "kiwi",
    "knot",
    "lace",
    "lake",
    "lamb",
    "lamp",
    "land",
    "lark",
    "leaf",
    "leek",
    "lily",
    "lime",
    "lion",
    "log",
    "loom",
    "lute",
    "mane",
    "map",
    "mare",
    "mask",
    "mast",
    "mat",
    "mill",
    "mint",
    "mist",
    "mole",
    "moon",
    "moss",
    "moth",
    "mug",
    "mule",
    "nail",
    "nest",
    "net",
    "newt",
    "nut",
    "oak",
    "oar",
    "oat",
    "owl",
    "ox",
    "pad",
    "pail",
    "palm",
    "pan",
    "park",
    "path",
    "pea",
    "peak",
    "pear",
    "pen",
    "pie",
    "pig",
    "pin",
    "pine",
    "pit",
    "plum",
    "pod",
    "pole",
    "pond",
    "pony",
    "pot",
    "puma",
    "quay",
    "rail",
    "rain",
    "ram",
    "raft",
    "reed",
    "rice",
    "ring",
    "road",
    "robe",
    "rock",
    "roof",
    "root",
    "rope",
    "rose",
    "rug",
    "sack",
    "sage",
    "sail",
    "salt",
    "sand",
    "seal",
    "seed",
    "shed",
    "ship",
    "shoe",
    "silk",
    "sky",
    "sled",
    "slug",
    "snow",
    "sock",
    "sofa",
    "soup",
    "star",
    "stem",
    "stew",
    "sun",
    "swan",
    "tap",
    "tea",
    "tent",
    "tide",
    "tile",
    "toad",
    "toe",
    "tree",
    "tub",
    "tusk",
    "twig",
    "urn",
    "van",
    "vase",
    "veil",
    "vest",
    "vine",
    "wall",
    "wand",
    "wasp",
    "wave",
    "web",
    "well",
    "whip",
    "wick",
    "wig",
    "wind",
    "wing",
    "wolf",
    "wool",
    "worm",
    "yak",
    "yam",
    "yard",
    "yarn",
    "yew",
    "zinc",
    "zoo",
)


@dataclass(frozen=True)
class SignatureReport:
    """What verifying one signature found."""

    field: str
    intact: bool
    valid: bool
    signer: str
    signed_at: dt.datetime | None
    fingerprint: str
    root_fingerprint: str
    root_subject: str
    known: bool
    covers_whole_file: bool


def word_passphrase(words: int = 6) -> str:
    """Return short words to read over the telephone (about 8 bits of entropy each)."""
    return "-".join(secrets.choice(WORDS) for _ in range(words))


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


def next_field_name(pdf: bytes) -> str:
    """Return an unused signature field name (Signature1, Signature2...)."""
    reader = PdfFileReader(io.BytesIO(pdf))
    taken = {s.field_name for s in reader.embedded_signatures}
    number = 1
    while f"Signature{number}" in taken:
        number += 1
    return f"Signature{number}"


def sign_pdf(
    pdf: bytes,
    identity: IdentityPem,
    box: tuple[int, int, int, int, int],
    reason: str,
    location: str = "",
    passphrase: str | None = None,
) -> bytes:
    """Sign ``pdf`` (PAdES B-B, ETSI.CAdES.detached) in a visible box, as an incremental update.

    Args:
        box: (page index, x1, y1, x2, y2) of the visible signature.
    """
    page, *rect = box
    field_name = next_field_name(pdf)
    meta = signers.PdfSignatureMetadata(
        field_name=field_name,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason=reason,
        location=location or None,
    )
    style = stamp.TextStampStyle(
        stamp_text="Digitally signed by %(signer)s\n%(ts)s\n" + reason[:60], border_width=1
    )
    spec = fields.SigFieldSpec(field_name, on_page=page, box=tuple(rect))  # type: ignore[arg-type]
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    if passphrase is not None:
        writer.encrypt(passphrase)  # type: ignore[no-untyped-call]  # untyped upstream
    out = io.BytesIO()
    signers.PdfSigner(meta, _signer(identity), stamp_style=style, new_field_spec=spec).sign_pdf(
        writer, output=out
    )
    return out.getvalue()


def _root_of(embedded: object) -> asn1_x509.Certificate | None:
    certs = getattr(embedded, "other_embedded_certs", []) or []
    for cert in certs:
        if cert.self_signed and cert.ca:
            return cert
    return None


def verify_pdf(data: bytes, known_fingerprints: set[str]) -> list[SignatureReport]:
    """Check every signature: intact (unchanged bytes), valid (chain to its own root).

    A signer's self-signed leaf is never used as its own trust root: only a CA
    root shipped in the signature anchors it, and whether that root is known
    is reported separately.
    """
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        signatures = list(reader.embedded_signatures)
    except Exception as error:  # noqa: BLE001 - any parse failure means "not a signed PDF"
        raise InvalidInput(f"This is not a readable PDF ({type(error).__name__}).") from None
    reports = []
    for embedded in signatures:
        root = _root_of(embedded)
        context = ValidationContext(trust_roots=[root] if root else [], allow_fetching=False)
        try:
            status = validate_pdf_signature(embedded, context)
            intact, valid = status.intact, status.intact and status.valid and status.trusted
            cert = status.signing_cert
            signed_at = status.signer_reported_dt
            coverage = status.coverage is not None and status.coverage.name == "ENTIRE_FILE"
        except Exception:  # noqa: BLE001 - a mangled signature is reported, not raised
            intact = valid = coverage = False
            cert, signed_at = embedded.signer_cert, None
        root_fp = _fp(root) if root else ""
        reports.append(
            SignatureReport(
                field=embedded.field_name,
                intact=intact,
                valid=valid,
                signer=cert.subject.human_friendly if cert else "unknown",
                signed_at=signed_at,
                fingerprint=_fp(cert) if cert else "",
                root_fingerprint=root_fp,
                root_subject=root.subject.human_friendly if root else "no root certificate",
                known=root_fp in known_fingerprints,
                covers_whole_file=coverage,
            )
        )
    return reports


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
    "encrypt_pdf",
    "load_cert_from_pemder",
    "sign_pdf",
    "verify_pdf",
    "word_passphrase",
]
