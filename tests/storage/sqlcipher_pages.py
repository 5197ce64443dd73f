"""Read every page of a SQLCipher 4 database, and of its WAL, decrypted with the raw key.

Used to check that deleted text is gone from the file itself, free pages and
old WAL frames included, not just from what queries return. SQLCipher 4's
defaults: 4096-byte pages, each ending in a 16-byte IV and a 64-byte HMAC,
AES-256-CBC; page 1 begins with the 16-byte salt in place of SQLite's header.
"""

from __future__ import annotations

from pathlib import Path

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

PAGE = 4096
RESERVE = 16 + 64
SALT = 16
WAL_HEADER, FRAME_HEADER = 32, 24


def _page(raw: bytes, number: int, key: bytes) -> bytes:
    start = SALT if number == 1 else 0
    end = PAGE - RESERVE
    iv = raw[end : end + 16]
    decryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).decryptor()
    return decryptor.update(raw[start:end]) + decryptor.finalize()


def decrypted_pages(path: Path, key: bytes) -> bytes:
    """Return every page of the database or WAL file at ``path``, decrypted, concatenated."""
    data = path.read_bytes()
    if path.name.endswith("-wal"):
        frames = range(WAL_HEADER, len(data) - FRAME_HEADER - PAGE + 1, FRAME_HEADER + PAGE)
        return b"".join(
            _page(
                data[at + FRAME_HEADER : at + FRAME_HEADER + PAGE],
                int.from_bytes(data[at : at + 4]),
                key,
            )
            for at in frames
        )
    return b"".join(
        _page(data[at : at + PAGE], at // PAGE + 1, key) for at in range(0, len(data), PAGE)
    )


def database_files(folder: Path) -> list[Path]:
    """The vault's database and its WAL, where there is one."""
    return [p for p in (folder / "vault.db", folder / "vault.db-wal") if p.exists()]
