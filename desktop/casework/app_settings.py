"""What the app reads once the vault is open: is there a profile, when to lock, backups to keep."""

from __future__ import annotations

from dataclasses import dataclass

from desktop.casework.settings import read_profile, read_settings
from desktop.storage.vault import Vault


@dataclass(frozen=True)
class AppSettings:
    """The settings the composition root acts on (the rest are read where they are used)."""

    profile_saved: bool
    auto_lock_minutes: int
    backups_keep: int


def read_app_settings(vault: Vault) -> AppSettings:
    """Read whether the profile is saved, the idle minutes before locking and backups to keep."""
    with vault.sessions() as session:
        values = read_settings(session)
        return AppSettings(
            read_profile(session) is not None,
            values.auto_lock_minutes,
            values.backups_keep,
        )
