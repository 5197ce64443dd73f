"""The vault's key material and its passphrase-wrapped form on disk.

The database key and the audit key are random. They are wrapped with
AES-256-GCM under a key derived from the passphrase by scrypt, whose
parameters are stored beside the wrapped key. The key file also anchors the
audit trail's head outside the database (desktop.storage.audit explains the seal).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import secrets
import uuid
from concurrent.futures import Future
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
# The scrypt costs a key file may ask for: from the tests' cheap 2^12 up to 2^20,
# and at most 256 MiB of memory (scrypt needs 128 * r * N bytes). A key file
# outside them is refused before any work is done, not left to exhaust memory.
MIN_N, MAX_N, MAX_P = 2**12, 2**20, 4
MAX_MEMORY = 256 * 2**20
OUT_OF_BOUNDS = (
    "The vault's key file asks for key-derivation settings outside the safe range; "
    "it was not used, and nothing was changed."
)
HEX_64 = frozenset("0123456789abcdef")


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


def within_bounds(params: ScryptParams) -> bool:
    """Say whether a key file's scrypt costs are ones this app made and can afford."""
    n, r, p = params.n, params.r, params.p
    power_of_two = n > 0 and n & (n - 1) == 0
    return (
        power_of_two
        and MIN_N <= n <= MAX_N
        and 1 <= r <= 32
        and 1 <= p <= MAX_P
        and 128 * r * n <= MAX_MEMORY
    )


@dataclass(frozen=True)
class AuditAnchor:
    """The audit trail's head as last committed: its event number and MAC, sealed.

    ``seal`` is made with the audit key (desktop.storage.audit.seal_anchor), so only a
    holder of the key can write an anchor that verifies.
    """

    event: int
    mac: str
    seal: str

    def to_json(self) -> dict[str, Any]:
        """Serialise as the key file's ``audit_anchor`` member."""
        return {"event": self.event, "mac": self.mac, "seal": self.seal}

    @classmethod
    def parsed(cls, data: Any) -> AuditAnchor:
        """Parse the ``audit_anchor`` member; one that is not an anchor never verifies.

        A damaged anchor must not lock anyone out of the vault: the vault opens,
        and verifying the audit trail reports the anchor as not sealed.
        """
        try:
            event, mac, seal = data["event"], str(data["mac"]), str(data["seal"])
        except (KeyError, TypeError, IndexError):
            return UNSEALED
        if type(event) is not int or event < 0 or not all(_is_hex_64(v) for v in (mac, seal)):
            return UNSEALED
        return cls(event, mac, seal)


def _is_hex_64(text: str) -> bool:
    return len(text) == 64 and set(text) <= HEX_64


UNSEALED = AuditAnchor(0, "0" * 64, "0" * 64)  # stands for an anchor that could not be read


@dataclass(frozen=True)
class KeyFile:
    """The contents of ``vault.key``: the vault id, the wrapped keys, the audit anchor."""

    vault_id: str
    params: ScryptParams
    salt: bytes
    nonce: bytes
    wrapped: bytes
    check: str
    anchor: AuditAnchor | None = None

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
        if self.anchor is not None:
            data["audit_anchor"] = self.anchor.to_json()
        return json.dumps(data, indent=2) + "\n"

    @classmethod
    def from_json(cls, text: str) -> KeyFile:
        """Parse a key file; raise VaultDamaged when it is not one or asks too much of scrypt."""
        try:
            data: Any = json.loads(text)
            if data.get("format") != FORMAT or data["kdf"]["name"] != "scrypt":
                raise ValueError("unknown key file format")
            kdf = data["kdf"]
            params = ScryptParams(_small_int(kdf["n"]), _small_int(kdf["r"]), _small_int(kdf["p"]))
            unb64 = base64.b64decode
            anchor = data.get("audit_anchor")
            parsed = cls(
                vault_id=str(uuid.UUID(data["vault_id"])),
                params=params,
                salt=unb64(kdf["salt"], validate=True),
                nonce=unb64(data["nonce"], validate=True),
                wrapped=unb64(data["wrapped"], validate=True),
                check=str(data["check"]),
                anchor=None if anchor is None else AuditAnchor.parsed(anchor),
            )
        except (ValueError, KeyError, TypeError, AttributeError, binascii.Error, RecursionError):
            raise VaultDamaged("The vault's key file is damaged or is not a key file.") from None
        if not within_bounds(params):
            raise VaultDamaged(OUT_OF_BOUNDS)
        return parsed


def _small_int(value: Any) -> int:
    """An integer as JSON gives it (not a bool, a float or a string), of a sane size."""
    if type(value) is not int or not 0 < value < 2**63:
        raise ValueError("not a positive integer")
    return value


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


@dataclass(frozen=True)
class EarlyKey:
    """A vault key being unwrapped in the background for ``folder`` (see desktop.launch)."""

    folder: Path
    key_file: KeyFile
    material: Future[KeyMaterial]
