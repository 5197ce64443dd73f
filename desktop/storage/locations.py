"""Where the vault lives and where its passphrase may come from.

Light on purpose: the entry point uses it before the rest of the app is imported.
"""

from __future__ import annotations

import os
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
