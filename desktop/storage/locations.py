"""Where the vault lives, where its passphrase may come from, and a hardened process.

Light on purpose: the entry point uses it before the rest of the app is imported.
"""

from __future__ import annotations

import os
import resource
from pathlib import Path

ENV_VAULT = "ESCALATION_RECORDER_VAULT"
ENV_PASSPHRASE = "ESCALATION_RECORDER_PASSPHRASE"  # noqa: S105 - a variable name, not a secret
ENV_NEW_PASSPHRASE = "ESCALATION_RECORDER_NEW_PASSPHRASE"  # noqa: S105 - a variable name


def default_vault_folder() -> Path:
    """Return the vault folder: ``$ESCALATION_RECORDER_VAULT`` or the user-data folder."""
    configured = os.environ.get(ENV_VAULT)
    if configured:
        return Path(configured).expanduser()
    import platformdirs

    return platformdirs.user_data_path("escalation-recorder", appauthor=False) / "vault"


def harden_process() -> None:
    """Keep what the user types off disk: private new files and no core dumps."""
    os.umask(0o077)
    if hasattr(resource, "RLIMIT_CORE"):
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
