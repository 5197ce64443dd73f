"""Read a vault without opening it for writing: no instance lock, no migration, no audit event.

For a command that only looks up something small (``verify`` reads which
signing roots the vault trusts) while the window or another command holds the
vault. SQLite's write-ahead log lets a reader see every committed record
beside the writer; the connection is opened read-only (``mode=ro``) and
``query_only``, so nothing this path does can change the database, and it
takes no lock, so it never stops the writer. A restore or re-key under way is
refused rather than read half-done.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlcipher3

from desktop.errors import VaultDamaged, VaultInUse
from desktop.storage import journal
from desktop.storage.database import DAMAGED, quiet
from desktop.storage.keyfile import KeyMaterial, read_key_file
from desktop.storage.opening import require_vault
from desktop.storage.vault_files import VaultFiles

SWAP_UNDER_WAY = (
    "The vault is being restored or re-encrypted just now; try again when that has finished."
)


@contextmanager
def read_only_database(folder: Path, material: KeyMaterial) -> Iterator[sqlcipher3.Connection]:
    """Open the vault's database read-only with ``material``, for one short read.

    Raises:
        VaultNotFound: no vault in ``folder``.
        VaultInUse: a restore or re-key is under way.
        VaultDamaged: the key does not fit the vault, or the database does not open with it.
    """
    require_vault(folder)
    files = VaultFiles(folder)
    if journal.pending(files):
        raise VaultInUse(SWAP_UNDER_WAY)
    if not read_key_file(files.key).matches(material):
        raise VaultDamaged("The key given does not belong to this vault; nothing was read.")
    uri = f"{files.database.resolve().as_uri()}?mode=ro"
    connection = sqlcipher3.connect(uri, uri=True)
    try:
        try:
            connection.execute(f'PRAGMA key = "{material.sqlcipher_key}"')
            quiet(connection)
            connection.execute("PRAGMA query_only = ON")
            connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlcipher3.dbapi2.DatabaseError:
            raise VaultDamaged(DAMAGED) from None
        yield connection
    finally:
        connection.close()
