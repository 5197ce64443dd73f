"""The parts that make commands fast give the same answers as the plain ways."""

from __future__ import annotations

import subprocess
import sys

import pytest

# Memory SQLite's allocator reports in use after one query, with statistics on or off.
MEMORY_IN_USE = """
import ctypes, sys
import sqlcipher3
from sqlcipher3 import _sqlite3
from desktop.sqlite_setup import stop_memory_statistics
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
