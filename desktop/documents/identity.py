"""The user's signing identity: a local root CA and an EC P-256 signer under it, or a PKCS#12."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from desktop.errors import InvalidInput

PEM = serialization.Encoding.PEM


@dataclass(frozen=True)
class IdentityPem:
    """A private key, its certificate and the chain above it, as PEM text."""

    key_pem: str
    cert_pem: str
    chain_pem: str


def _name(*parts: tuple[x509.ObjectIdentifier, str]) -> x509.Name:
    return x509.Name([x509.NameAttribute(oid, value[:64]) for oid, value in parts if value])


@dataclass(frozen=True)
class RootPem:
    """A local root CA's private key and certificate, as PEM text."""

    key_pem: str
    cert_pem: str


def _usage(*, signs: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=signs,
        content_commitment=signs,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=not signs,
        crl_sign=not signs,
        encipher_only=False,
        decipher_only=False,
    )


def create_root(organisation: str, now: dt.datetime | None = None) -> RootPem:
    """Make a small local root CA for the organisation (ten years)."""
    now = now or dt.datetime.now(dt.UTC)
    root_key = ec.generate_private_key(ec.SECP256R1())
    root_name = _name(  # the organisation in full (to 64 characters) names whose root it is
        (NameOID.ORGANIZATION_NAME, organisation),
        (NameOID.COMMON_NAME, "Local signing root (Escalation Recorder)"),
    )
    root = (
        x509.CertificateBuilder()
        .subject_name(root_name)
        .issuer_name(root_name)
        .public_key(root_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_usage(signs=False), critical=True)
        .add_extension(
            x509.SubjectKeyIdentifier.from_public_key(root_key.public_key()), critical=False
        )
        .sign(root_key, hashes.SHA256())
    )
    key_pem = root_key.private_bytes(
        PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return RootPem(key_pem.decode(), root.public_bytes(PEM).decode())


def issue_signer(
    root: RootPem, name: str, role: str, organisation: str, now: dt.datetime | None = None
) -> IdentityPem:
    """Issue a signer certificate (EC P-256, five years) naming the person, under ``root``."""
    now = now or dt.datetime.now(dt.UTC)
    root_key = serialization.load_pem_private_key(root.key_pem.encode(), password=None)
    root_cert = x509.load_pem_x509_certificate(root.cert_pem.encode())
    if not isinstance(root_key, ec.EllipticCurvePrivateKey):
        raise InvalidInput("The local signing root's key is not an EC key.")
    key = ec.generate_private_key(ec.SECP256R1())
    subject = _name(
        (NameOID.COMMON_NAME, name),
        (NameOID.TITLE, role),
        (NameOID.ORGANIZATION_NAME, organisation),
    )
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(root_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(min(now + dt.timedelta(days=1825), root_cert.not_valid_after_utc))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_usage(signs=True), critical=True)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(root_key.public_key()),
            critical=False,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(root_key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return IdentityPem(key_pem.decode(), cert.public_bytes(PEM).decode(), root.cert_pem)


def create_identity(
    name: str, role: str, organisation: str, now: dt.datetime | None = None
) -> IdentityPem:
    """Make a small local root CA for the organisation and a signer certificate under it."""
    return issue_signer(create_root(organisation, now), name, role, organisation, now)


def import_pkcs12(data: bytes, password: str) -> IdentityPem:
    """Read an organisation-issued PKCS#12 (key, certificate, chain)."""
    try:
        key, cert, chain = pkcs12.load_key_and_certificates(data, password.encode() or None)
    except ValueError:
        raise InvalidInput("That PKCS#12 file or its password is not right.") from None
    if key is None or cert is None:
        raise InvalidInput("That PKCS#12 file holds no private key and certificate.")
    key_pem = key.private_bytes(
        PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return IdentityPem(
        key_pem.decode(),
        cert.public_bytes(PEM).decode(),
        "".join(c.public_bytes(PEM).decode() for c in chain or []),
    )


def fingerprint(cert_pem: str) -> str:
    """Return a certificate's SHA-256 fingerprint as colon-separated hex."""
    cert = x509.load_pem_x509_certificate(cert_pem.encode())
    digest = cert.fingerprint(hashes.SHA256()).hex().upper()
    return ":".join(digest[i : i + 2] for i in range(0, len(digest), 2))


def root_fingerprint(chain_pem: str) -> str:
    """Return the SHA-256 fingerprint of the root (self-issued) certificate of a chain.

    A chain of one certificate is its own root; in a longer chain without a
    self-issued certificate, the last one is the top.
    """
    certs = x509.load_pem_x509_certificates(chain_pem.encode())
    roots = [c for c in certs if c.issuer == c.subject] or certs[-1:]
    digest = roots[0].fingerprint(hashes.SHA256()).hex().upper()
    return ":".join(digest[i : i + 2] for i in range(0, len(digest), 2))
