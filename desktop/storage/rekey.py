"""Change the passphrase: fresh random keys, the database re-encrypted, swapped in crash-safely.

Re-wrapping the old keys under a new passphrase would let every old copy of
``vault.key`` still open the current database with the old passphrase. So a
change makes a new database key and a new audit key, exports the database into
a new file under the new key (SQLCipher's ``sqlcipher_export``), records the
change in that new file, and swaps the new database and key file in through
the journal (desktop.storage.journal): a kill at any point leaves the vault opening
with the old passphrase or the new one, never neither, and the change is never
in place without its audit event. The old database is deleted, not kept
aside: it would open with the old passphrase. Backups made before the change
keep opening with the passphrase they were made under.

The audit chain is not re-sealed under the new key: that would change every
MAC, so the heads printed on documents already sent would no longer be found.
The change is the last event under the old audit key; the old key is kept
inside the new database, sealed by the new one; later events chain on from it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import sqlcipher3
from sqlalchemy.orm import Session

from desktop.errors import InvalidInput, KeyringUnavailable, StorageFull, VaultDamaged
from desktop.storage import audit, journal
from desktop.storage.database import could_not_write, open_checked, quiet
from desktop.storage.files import create_private, write_atomically
from desktop.storage.keyfile import (
    AuditAnchor,
    KeyFile,
    KeyMaterial,
    ScryptParams,
    check_passphrase,
)
from desktop.storage.secrets import SecretStore
from desktop.storage.vault import Vault

CHANGED = "vault.passphrase_changed"


@dataclass(frozen=True)
class NewKeys:
    """Fresh keys sealed under the new passphrase, for the vault whose keys they replace."""

    material: KeyMaterial
    key_file: KeyFile
    replaces: str


def seal_new_keys(
    key_file: KeyFile, current: str, new: str, params: ScryptParams | None = None
) -> NewKeys:
    """Check the current passphrase and seal fresh random keys under the new one.

    Slow (scrypt twice), and touches no file: run it off the GUI thread.

    Raises:
        WrongPassphrase: ``current`` does not open ``key_file``.
        InvalidInput: ``new`` is too weak or is the current one.
    """
    check_passphrase(new)
    if new == current:
        raise InvalidInput(
            "The new passphrase is the same as the current one; nothing was changed."
        )
    key_file.open(current)
    material = KeyMaterial.generate()
    sealed = KeyFile.seal(material, new, params or key_file.params, vault_id=key_file.vault_id)
    return NewKeys(material, sealed, key_file.check)


def rekey(vault: Vault, keys: NewKeys, store: SecretStore | None = None) -> bool:
    """Re-encrypt the open vault under ``keys`` and swap them in; the vault stays open.

    Call on the thread that uses the vault's sessions: no other write may run
    meanwhile (late callers are refused with VaultLocked while it runs). A
    remembered key in ``store`` is replaced by the new one; returns False when
    the store failed to take it (the change itself is done).

    Raises:
        InvalidInput: the keys were made for other keys than the vault's.
        StorageFull, VaultDamaged: nothing was changed (or, once the swap was
            committed, it is finished the next time the vault is opened).
    """
    if keys.replaces != vault.key_file.check:
        raise InvalidInput("The vault's keys changed meanwhile; nothing was changed.")
    files, old_key_file, old_material = vault.files, vault.key_file, vault.material
    journal.discard_staged(files)
    vault.release_database()
    try:
        database = journal.staged_database(files)
        _export(files.database, old_material.sqlcipher_key, database, keys.material)
        anchor = _record_change(database, vault.audit_key, keys.material)
        # An anchor that no longer matched the chain stays missing: the evidence is kept.
        key_file = replace(keys.key_file, anchor=anchor if vault.anchoring else None)
        write_atomically(journal.staged_key(files), key_file.to_json().encode("utf-8"))
        journal.commit(files, journal.Swap("rekey", None))
    except BaseException:
        if journal.pending(files):  # committed: the next unlock finishes the swap
            vault.close()
            raise
        journal.discard_staged(files)
        vault.adopt(old_key_file, old_material)
        raise
    vault.adopt(key_file, keys.material)
    return _remember(vault, store)


def _remember(vault: Vault, store: SecretStore | None) -> bool:
    """Replace a key remembered in ``store`` by the vault's new one; False if that failed."""
    try:
        if store is not None and store.get(vault.vault_id) is not None:
            vault.remember(store)
    except KeyringUnavailable:
        return False
    return True


def change_passphrase(
    vault: Vault,
    current: str,
    new: str,
    *,
    params: ScryptParams | None = None,
    store: SecretStore | None = None,
) -> bool:
    """Change the passphrase of the open vault, re-encrypting it under fresh keys.

    Returns False when a key remembered in ``store`` could not be replaced.
    """
    return rekey(vault, seal_new_keys(vault.key_file, current, new, params), store)


def _export(source: Path, source_key: str, target: Path, keys: KeyMaterial) -> None:
    """Copy the whole database at ``source`` into a new file encrypted with ``keys``."""
    create_private(target)
    connection = sqlcipher3.connect(str(source))
    try:
        connection.execute(f'PRAGMA key = "{source_key}"')  # hex digits only
        quiet(connection)
        connection.execute("ATTACH DATABASE ? AS rekeyed KEY ?", (str(target), keys.sqlcipher_key))
        connection.execute("SELECT sqlcipher_export('rekeyed')")
        connection.execute("DETACH DATABASE rekeyed")
    except sqlcipher3.dbapi2.DatabaseError as error:
        if could_not_write(error):
            raise StorageFull("The disk is full; the passphrase was not changed.") from None
        raise VaultDamaged("The vault could not be re-encrypted; nothing was changed.") from None
    finally:
        connection.close()


def _record_change(database: Path, old: audit.AuditKey, keys: KeyMaterial) -> AuditAnchor:
    """Record the change as the last event under the old audit key; anchor it under the new."""
    engine = open_checked(database, keys.sqlcipher_key)
    try:
        with Session(engine) as session, session.begin():
            event = audit.retire_key(session, old, keys.audit_key, CHANGED)
            head = audit.Head(event.id, event.mac)
    finally:
        engine.dispose()
    return audit.seal_anchor(audit.AuditKey(keys.audit_key), head)
