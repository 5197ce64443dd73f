"""Process-wide SQLite settings, made before the process opens its first connection.

SQLite counts every allocation in its memory statistics under one process-wide
mutex unless told not to (SQLITE_CONFIG_MEMSTATUS; SQLite's documentation
recommends turning it off where sqlite3_status() is not used, and the app never
uses it). With it on, two connections building a large export side by side spend
more time waiting for that mutex than working: 50,000 cases took as long on two
threads as on one; with it off, two threads take about two-thirds of the time.

The setting can change only while SQLite is not initialised, and the driver
initialises SQLite when it is imported, so SQLite is shut down and started again;
that is allowed only while no connection is open, which is why only the entry
point calls this, first thing. Where the driver does not export SQLite's C
functions (extension modules on Windows export only their init), nothing
changes and everything works as before, one mutex slower.
"""

from __future__ import annotations

import ctypes

from sqlcipher3 import _sqlite3  # the compiled driver

SQLITE_OK = 0
SQLITE_CONFIG_MEMSTATUS = 9  # sqlite3.h


def stop_memory_statistics() -> bool:
    """Turn SQLite's allocation statistics off; True when done.

    Call only before any connection is opened in this process.
    """
    try:
        library = ctypes.CDLL(_sqlite3.__file__)
        shutdown, config = library.sqlite3_shutdown, library.sqlite3_config
        initialize = library.sqlite3_initialize
    except (OSError, AttributeError):
        return False
    # sqlite3_config is variadic: naming only its fixed argument is what ctypes
    # needs to pass the rest correctly on every platform (arm64 macOS included).
    config.argtypes = [ctypes.c_int]
    if shutdown() != SQLITE_OK:
        return False
    changed = bool(config(SQLITE_CONFIG_MEMSTATUS, ctypes.c_int(0)) == SQLITE_OK)
    initialize()  # opening a connection would also do it; an error surfaces there
    return changed
