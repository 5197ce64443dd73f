"""The parts that make commands fast give the same answers as the plain ways."""

from __future__ import annotations

import hashlib
import subprocess
import sys

import nacl.bindings
import pytest

from desktop.storage.keyfile import ScryptParams

# Memory SQLite's allocator reports in use after one query, with statistics on or off.
MEMORY_IN_USE = """
import ctypes, sys
import sqlcipher3
from sqlcipher3 import _sqlite3
from desktop.storage.sqlite_setup import stop_memory_statistics
stopped = stop_memory_statistics() if sys.argv[1] == "stop" else None
connection = sqlcipher3.connect(":memory:")
connection.execute("CREATE TABLE t (x)")
connection.execute("INSERT INTO t VALUES (randomblob(100000))")
library = ctypes.CDLL(_sqlite3.__file__)
library.sqlite3_status64.argtypes = [ctypes.c_int, ctypes.POINTER(ctypes.c_int64),
                                     ctypes.POINTER(ctypes.c_int64), ctypes.c_int]
current, highest = ctypes.c_int64(), ctypes.c_int64()
assert library.sqlite3_status64(0, ctypes.byref(current), ctypes.byref(highest), 0) == 0
print(stopped, current.value)
"""


def _memory_in_use(mode: str) -> tuple[str, int]:
    done = subprocess.run(
        [sys.executable, "-c", MEMORY_IN_USE, mode], capture_output=True, text=True, check=True
    )
    stopped, used = done.stdout.split()
    return stopped, int(used)


@pytest.mark.skipif(sys.platform != "linux", reason="the driver exports SQLite's C API on Linux")
def test_sqlite_memory_statistics_are_off_once_stopped() -> None:
    assert _memory_in_use("keep")[1] > 100_000  # counted: the check below can fail
    assert _memory_in_use("stop") == ("True", 0)


@pytest.mark.parametrize(
    "params", [ScryptParams(), ScryptParams(2**10, 16, 4), ScryptParams(2**11, 1, 1)]
)
def test_scrypt_from_libsodium_is_scrypt(
    params: ScryptParams, monkeypatch: pytest.MonkeyPatch
) -> None:
    salt, phrase = b"fictional salt 1", "Fictional passphrase, Zażółć 🙂"
    expected = hashlib.scrypt(
        phrase.encode(), salt=salt, n=params.n, r=params.r, p=params.p, maxmem=2**30, dklen=32
    )
    assert params.derive(phrase, salt) == expected
    monkeypatch.setattr(nacl.bindings, "has_crypto_pwhash_scryptsalsa208sha256", False)
    assert params.derive(phrase, salt) == expected  # a libsodium without scrypt: OpenSSL's


@pytest.mark.parametrize("n, r, p", [(1000, 8, 1), (1, 8, 1), (2**10, 0, 1), (2**10, 8, 0)])
def test_impossible_scrypt_parameters_are_a_value_error(n: int, r: int, p: int) -> None:
    with pytest.raises(ValueError):
        ScryptParams(n, r, p).derive("fictional passphrase", b"fictional salt 1")
