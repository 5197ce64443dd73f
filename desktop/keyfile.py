"""The vault's key material and its passphrase-wrapped form on disk.

The database key and the audit key are random. They are wrapped with
AES-256-GCM under a key derived from the passphrase by scrypt, whose
parameters are stored beside the wrapped key, so the passphrase can change
without re-encrypting the database.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import secrets
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nacl.bindings
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from desktop.errors import InvalidInput, VaultDamaged, WrongPassphrase

FORMAT = "escalation-recorder.key/1"
KEY_BYTES = 32
MIN_PASSPHRASE = 8


@dataclass(frozen=True)
class ScryptParams:
    """scrypt cost parameters; the defaults follow OWASP's minimum (N=2^17, r=8, p=1)."""

    n: int = 2**17
    r: int = 8
    p: int = 1

    def derive(self, passphrase: str, salt: bytes) -> bytes:
        """Derive a 256-bit wrapping key from the passphrase.

        libsodium's scrypt (through PyNaCl) gives the same bytes as OpenSSL's
        (hashlib) in 0.28 s instead of 0.48 s at N=2^17 on the benchmark machine,
        and every unlock by passphrase waits for it. OpenSSL's stays for
        parameters outside scrypt's domain (it raises the usual ValueError) and
        for a libsodium built without scrypt.
        """
        secret, memory = passphrase.encode("utf-8"), 256 * self.r * self.n + 2**20
        valid = self.n > 1 and self.n & (self.n - 1) == 0 and self.r > 0 and self.p > 0
        if valid and nacl.bindings.has_crypto_pwhash_scryptsalsa208sha256:
            return nacl.bindings.crypto_pwhash_scryptsalsa208sha256_ll(
                secret, salt, self.n, self.r, self.p, dklen=KEY_BYTES, maxmem=memory
            )
        return hashlib.scrypt(
            secret, salt=salt, n=self.n, r=self.r, p=self.p, maxmem=memory, dklen=KEY_BYTES
        )


@dataclass(frozen=True)
class KeyMaterial:
    """The secrets of an open vault: the raw database key and the audit HMAC key."""

    database_key: bytes
    audit_key: bytes

    @classmethod
    def generate(cls) -> KeyMaterial:
        """Return fresh random keys."""
        return cls(secrets.token_bytes(KEY_BYTES), secrets.token_bytes(KEY_BYTES))

    def encode(self) -> str:
        """Return the keys as one base64 string (for the OS keyring)."""
        return base64.b64encode(self.database_key + self.audit_key).decode("ascii")

    @classmethod
    def decode(cls, text: str) -> KeyMaterial:
        """Parse :meth:`encode`'s output; raise ValueError when it is not that."""
        raw = base64.b64decode(text.encode("ascii"), validate=True)
        if len(raw) != 2 * KEY_BYTES:
            raise ValueError("key material has the wrong length")
        return cls(raw[:KEY_BYTES], raw[KEY_BYTES:])

    def check_value(self) -> str:
        """Return a short value that identifies these keys without revealing them."""
        digest = hmac.new(self.database_key, b"escalation-recorder key check", "sha256")
        return digest.hexdigest()[:32]

    @property
    def sqlcipher_key(self) -> str:
        """Return the raw key in SQLCipher's blob-literal form, so no KDF runs on open."""
        return f"x'{self.database_key.hex()}'"


@dataclass(frozen=True)
class KeyFile:
    """The contents of ``vault.key``: the vault id and the wrapped key material."""

    vault_id: str
    params: ScryptParams
    salt: bytes
    nonce: bytes
    wrapped: bytes
    check: str

    @classmethod
    def seal(
        cls,
        material: KeyMaterial,
        passphrase: str,
        params: ScryptParams,
        vault_id: str | None = None,
    ) -> KeyFile:
        """Wrap ``material`` under ``passphrase``."""
        check_passphrase(passphrase)
        vault_id = vault_id or str(uuid.uuid4())
        salt, nonce = secrets.token_bytes(16), secrets.token_bytes(12)
        wrapping = params.derive(passphrase, salt)
        plain = material.database_key + material.audit_key
        wrapped = AESGCM(wrapping).encrypt(nonce, plain, vault_id.encode("ascii"))
        return cls(vault_id, params, salt, nonce, wrapped, material.check_value())

    def open(self, passphrase: str) -> KeyMaterial:
        """Unwrap the key material; raise WrongPassphrase when the passphrase is wrong."""
        wrapping = self.params.derive(passphrase, self.salt)
        try:
            plain = AESGCM(wrapping).decrypt(
                self.nonce, self.wrapped, self.vault_id.encode("ascii")
            )
        except InvalidTag:
            raise WrongPassphrase("That passphrase does not open this vault.") from None
        return KeyMaterial(plain[:KEY_BYTES], plain[KEY_BYTES:])

    def matches(self, material: KeyMaterial) -> bool:
        """Say whether ``material`` belongs to this vault."""
        return hmac.compare_digest(self.check, material.check_value())

    def to_json(self) -> str:
        """Serialise for disk."""
        b64 = base64.b64encode
        data = {
            "format": FORMAT,
            "vault_id": self.vault_id,
            "kdf": {
                "name": "scrypt",
                "n": self.params.n,
                "r": self.params.r,
                "p": self.params.p,
                "salt": b64(self.salt).decode(),
            },
            "cipher": "AES-256-GCM",
            "nonce": b64(self.nonce).decode(),
            "wrapped": b64(self.wrapped).decode(),
            "check": self.check,
        }
        return json.dumps(data, indent=2) + "\n"

    @classmethod
    def from_json(cls, text: str) -> KeyFile:
        """Parse a key file; raise VaultDamaged when it is not one."""
        try:
            data: Any = json.loads(text)
            if data.get("format") != FORMAT or data["kdf"]["name"] != "scrypt":
                raise ValueError("unknown key file format")
            kdf = data["kdf"]
            params = ScryptParams(int(kdf["n"]), int(kdf["r"]), int(kdf["p"]))
            unb64 = base64.b64decode
            return cls(
                vault_id=str(uuid.UUID(data["vault_id"])),
                params=params,
                salt=unb64(kdf["salt"], validate=True),
                nonce=unb64(data["nonce"], validate=True),
                wrapped=unb64(data["wrapped"], validate=True),
                check=str(data["check"]),
            )
        except (ValueError, KeyError, TypeError, AttributeError, binascii.Error):
            raise VaultDamaged("The vault's key file is damaged or is not a key file.") from None


def check_passphrase(passphrase: str) -> None:
    """Raise InvalidInput when a new passphrase is too weak to protect the vault."""
    if len(passphrase) < MIN_PASSPHRASE:
        raise InvalidInput(f"The passphrase must be at least {MIN_PASSPHRASE} characters long.")
    if passphrase != passphrase.strip():
        raise InvalidInput("The passphrase must not start or end with spaces.")


def passphrase_strength(passphrase: str) -> str:
    """Return a plain-words hint of how hard the passphrase is to guess."""
    if len(passphrase) < MIN_PASSPHRASE:
        return f"Too short: use at least {MIN_PASSPHRASE} characters."
    classes = sum(
        any(test(c) for c in passphrase)
        for test in (str.islower, str.isupper, str.isdigit, lambda c: not c.isalnum())
    )
    words = len(passphrase.split())
    if len(passphrase) >= 20 or words >= 4 or (len(passphrase) >= 14 and classes >= 3):
        return "Strong."
    if len(passphrase) >= 12 or classes >= 3:
        return "Fair: a few more words would make it strong."
    return "Weak: use four or more unrelated words."


def read_key_file(path: Path) -> KeyFile:
    """Read ``vault.key``; a missing or unreadable file is reported as damage."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise VaultDamaged("The vault's key file is missing; the vault cannot be opened.") from None
    except (OSError, UnicodeDecodeError):
        raise VaultDamaged("The vault's key file is damaged or is not a key file.") from None
    return KeyFile.from_json(text)
