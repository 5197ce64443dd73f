"""Seal a payload for one recipient: signed by the sender, then encrypted for the recipient.

The file is ``MAGIC``, one line of JSON saying how it is encrypted (no user
text, no names: safe to be seen), then AES-256-GCM ciphertext whose
associated data is everything before it, so the header cannot be changed
either. Inside is the payload, the sender's signature over it (ECDSA P-256, or RSA-PSS for an
organisation's RSA certificate; SHA-256) and
the sender's certificate chain. The key is derived from a passphrase read over
the telephone (scrypt), or agreed with the recipient's EC certificate
(ephemeral ECDH P-256, HKDF-SHA-256).

The header names scrypt's costs, so a package could ask for anything: they
must be at least the app's own (N=2^17, r=8, p=1), need at most 256 MiB
(scrypt holds 128*r*(N + p + 2) bytes: its V array, B and XY) and at most
four times the app's work (N*r*p), or the package is refused unread.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from cryptography import x509
from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.x509.oid import NameOID

from desktop.errors import InvalidInput
from desktop.storage.keyfile import MIN_PASSPHRASE, ScryptParams
from desktop.text.passphrases import normalised_words

MAGIC = b"ESCALATION-RECORDER-SEALED/1\n"
MAX_HEADER = 4096
HKDF_INFO = b"escalation-recorder sealed package v1"
_PSS = padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=padding.PSS.DIGEST_LENGTH)
KDF_FLOOR = ScryptParams()  # the app's own default strength
KDF_MAX_MEMORY = 256 * 2**20
KDF_MAX_WORK = 4 * KDF_FLOOR.n * KDF_FLOOR.r * KDF_FLOOR.p
UNOPENABLE = (
    "This package could not be opened: the passphrase is wrong, it was sealed for "
    "someone else, or the file was changed after it was sent. Nothing was imported."
)


@dataclass(frozen=True)
class Signer:
    """The sender's private key and certificates (PEM), as kept in the vault."""

    key_pem: str
    cert_pem: str
    chain_pem: str


@dataclass(frozen=True)
class Opened:
    """A package whose seal and signature both checked out."""

    payload: bytes
    cert_pem: str
    chain_pem: str
    root_fingerprint: str
    signer_subject: str


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(value: Any) -> bytes:
    if not isinstance(value, str):
        raise InvalidInput(UNOPENABLE)
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):  # ValueError: a character outside ASCII
        raise InvalidInput(UNOPENABLE) from None


def fingerprint_of(cert: x509.Certificate) -> str:
    """SHA-256 of the certificate's DER bytes as colon-separated hex (as the app shows it)."""
    digest = cert.fingerprint(hashes.SHA256()).hex().upper()
    return ":".join(digest[i : i + 2] for i in range(0, len(digest), 2))


def scrypt_memory(n: int, r: int, p: int) -> int:
    """Bytes scrypt holds for these costs: V (128*r*N), B (128*r*p) and XY (256*r)."""
    return 128 * r * (n + p + 2)


def checked_kdf(n: object, r: object, p: object) -> ScryptParams:
    """Return the scrypt costs a package names if they are within bounds; else raise.

    Raises:
        InvalidInput: not whole numbers, N not a power of two, weaker than the app's
            own default, more than 256 MiB of memory or four times the default work.
    """
    numbers = [v for v in (n, r, p) if isinstance(v, int) and not isinstance(v, bool)]
    if len(numbers) == 3:
        n_, r_, p_ = numbers
        if (
            n_ >= KDF_FLOOR.n
            and n_ & (n_ - 1) == 0
            and r_ >= KDF_FLOOR.r
            and p_ >= KDF_FLOOR.p
            and scrypt_memory(n_, r_, p_) <= KDF_MAX_MEMORY
            and n_ * r_ * p_ <= KDF_MAX_WORK
        ):
            return ScryptParams(n_, r_, p_)
    shown = ", ".join(
        f"{k}={v if isinstance(v, int) and abs(v) < 2**64 else '?'}"
        for k, v in zip("Nrp", (n, r, p), strict=True)
    )
    raise InvalidInput(
        f"This package asks for key-derivation costs outside the accepted range (scrypt "
        f"{shown}), so it was not opened and nothing was imported."
    )


def _recipient_key(cert_pem: str) -> ec.EllipticCurvePublicKey:
    try:
        cert = x509.load_pem_x509_certificate(cert_pem.encode())
    except ValueError:
        raise InvalidInput("The recipient's certificate is not a PEM certificate.") from None
    key = cert.public_key()
    if not isinstance(key, ec.EllipticCurvePublicKey) or key.curve.name != "secp256r1":
        raise InvalidInput(
            "The recipient's certificate does not hold an EC P-256 key; "
            "send with a passphrase instead."
        )
    return key


def _agreed_key(shared: bytes, salt: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=HKDF_INFO).derive(shared)


def _sign(key_pem: str, payload: bytes) -> bytes:
    """ECDSA P-256 / SHA-256, or RSA-PSS / SHA-256 for an organisation's RSA certificate."""
    key = serialization.load_pem_private_key(key_pem.encode(), password=None)
    if isinstance(key, ec.EllipticCurvePrivateKey):
        return key.sign(payload, ec.ECDSA(hashes.SHA256()))
    if isinstance(key, rsa.RSAPrivateKey):
        return key.sign(payload, _PSS, hashes.SHA256())
    raise InvalidInput("Your signing key is neither EC nor RSA; it cannot sign a package.")


def _check_signature(public: object, signature: bytes, payload: bytes) -> None:
    if isinstance(public, ec.EllipticCurvePublicKey):
        public.verify(signature, payload, ec.ECDSA(hashes.SHA256()))
    elif isinstance(public, rsa.RSAPublicKey):
        public.verify(signature, payload, _PSS, hashes.SHA256())
    else:
        raise InvalidSignature


def seal(
    payload: bytes,
    signer: Signer,
    *,
    passphrase: str | None = None,
    recipient_cert_pem: str | None = None,
    kdf: ScryptParams | None = None,
) -> bytes:
    """Sign ``payload`` with the sender's key, then encrypt it for one recipient."""
    if (passphrase is None) == (recipient_cert_pem is None):
        raise InvalidInput("Choose one: a passphrase or the recipient's certificate.")
    inner = json.dumps(
        {
            "payload": _b64(payload),
            "signature": _b64(_sign(signer.key_pem, payload)),
            "certificate": signer.cert_pem,
            "chain": signer.chain_pem,
        }
    ).encode()
    salt, nonce = secrets.token_bytes(16), secrets.token_bytes(12)
    header: dict[str, Any] = {"cipher": "AES-256-GCM", "salt": _b64(salt), "nonce": _b64(nonce)}
    if passphrase is not None:
        words = normalised_words(passphrase)
        if len(words) < MIN_PASSPHRASE:
            raise InvalidInput(f"The passphrase must have at least {MIN_PASSPHRASE} characters.")
        params = kdf or ScryptParams()
        checked_kdf(params.n, params.r, params.p)
        header |= {"key": "scrypt", "n": params.n, "r": params.r, "p": params.p}
        key = params.derive(words, salt)
    else:
        assert recipient_cert_pem is not None
        public = _recipient_key(recipient_cert_pem)
        ephemeral = ec.generate_private_key(ec.SECP256R1())
        recipient = x509.load_pem_x509_certificate(recipient_cert_pem.encode())
        header |= {
            "key": "ecdh-p256",
            "recipient": fingerprint_of(recipient),
            "ephemeral": _b64(
                ephemeral.public_key().public_bytes(
                    serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
                )
            ),
        }
        key = _agreed_key(ephemeral.exchange(ec.ECDH(), public), salt)
    head = MAGIC + json.dumps(header, sort_keys=True).encode() + b"\n"
    return head + AESGCM(key).encrypt(nonce, inner, head)


def _split(data: bytes) -> tuple[bytes, dict[str, Any], bytes]:
    if not data.startswith(MAGIC):
        raise InvalidInput("This file is not an Escalation Recorder transfer package.")
    end = data.find(b"\n", len(MAGIC), len(MAGIC) + MAX_HEADER)
    if end < 0:
        raise InvalidInput(UNOPENABLE)
    try:
        header = json.loads(data[len(MAGIC) : end])
    except (ValueError, RecursionError):  # not JSON, nested too deeply, a number too long
        raise InvalidInput(UNOPENABLE) from None
    if not isinstance(header, dict):
        raise InvalidInput(UNOPENABLE)
    return data[: end + 1], header, data[end + 1 :]


def needs_passphrase(data: bytes) -> bool:
    """Say whether the package opens with a passphrase (else with the recipient's key)."""
    return _split(data)[1].get("key") == "scrypt"


def _key_for(header: dict[str, Any], passphrase: str | None, own: Sequence[Signer]) -> bytes:
    salt = _unb64(header.get("salt"))
    if header.get("key") == "scrypt":
        if passphrase is None:
            raise InvalidInput("This package opens with the passphrase the sender read to you.")
        params = checked_kdf(header.get("n"), header.get("r"), header.get("p"))
        return params.derive(normalised_words(passphrase), salt)
    if header.get("key") == "ecdh-p256" and own:
        mine = {fingerprint_of(x509.load_pem_x509_certificate(o.cert_pem.encode())): o for o in own}
        chosen = mine.get(str(header.get("recipient")))
        if chosen is None:
            raise InvalidInput(
                "This package was sealed for another recipient's certificate, not yours."
            )
        private = serialization.load_pem_private_key(chosen.key_pem.encode(), password=None)
        assert isinstance(private, ec.EllipticCurvePrivateKey)
        try:
            point = ec.EllipticCurvePublicKey.from_encoded_point(
                ec.SECP256R1(), _unb64(header.get("ephemeral"))
            )
        except ValueError:
            raise InvalidInput(UNOPENABLE) from None
        return _agreed_key(private.exchange(ec.ECDH(), point), salt)
    raise InvalidInput(UNOPENABLE)


def _who(cert: x509.Certificate) -> str:
    """The signer in words: name, title, organisation (as the certificate gives them)."""
    parts = [
        str(attribute.value)
        for oid in (NameOID.COMMON_NAME, NameOID.TITLE, NameOID.ORGANIZATION_NAME)
        for attribute in cert.subject.get_attributes_for_oid(oid)
    ]
    return ", ".join(parts) or cert.subject.rfc4514_string()


def _verified(inner: dict[str, Any]) -> Opened:
    """Check the signature over the payload and that the chain's root issued the signer."""
    payload, signature = _unb64(inner.get("payload")), _unb64(inner.get("signature"))
    cert_pem, chain_pem = inner.get("certificate"), inner.get("chain")
    if not isinstance(cert_pem, str) or not isinstance(chain_pem, str):
        raise InvalidInput(UNOPENABLE)
    tampered = InvalidInput(
        "The sender's signature does not match the package's contents: it was changed "
        "after it was signed. Nothing was imported."
    )
    try:
        cert = x509.load_pem_x509_certificate(cert_pem.encode())
        roots = x509.load_pem_x509_certificates(chain_pem.encode()) if chain_pem else [cert]
        _check_signature(cert.public_key(), signature, payload)
        root = roots[-1]
        if root is not cert:
            cert.verify_directly_issued_by(root)
    except (InvalidSignature, ValueError, TypeError):
        raise tampered from None
    return Opened(payload, cert_pem, chain_pem, fingerprint_of(root), _who(cert))


def unseal(data: bytes, *, passphrase: str | None = None, own: Sequence[Signer] = ()) -> Opened:
    """Decrypt a package and verify its signature; raise InvalidInput on any failure.

    Args:
        passphrase: as typed: any capitals, spaces or hyphens between the words.
        own: the recipient's signing identities, newest first (a package sealed to
            an earlier certificate still opens).
    """
    head, header, body = _split(data)
    key = _key_for(header, passphrase, own)
    try:
        inner = json.loads(AESGCM(key).decrypt(_unb64(header.get("nonce")), body, head))
    except (InvalidTag, ValueError, RecursionError):
        raise InvalidInput(UNOPENABLE) from None
    if not isinstance(inner, dict):
        raise InvalidInput(UNOPENABLE)
    return _verified(inner)


def digest(data: bytes) -> str:
    """SHA-256 of a whole package file, as recorded by both sides and on the receipt."""
    return hashlib.sha256(data).hexdigest()
