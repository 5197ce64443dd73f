"""What every window needs from below: the open vault, the procedures, the keyring."""

from __future__ import annotations

from dataclasses import dataclass

from desktop.procedures import Catalogue
from desktop.secrets import SecretStore
from desktop.vault import Vault


@dataclass(frozen=True)
class Services:
    """The open vault, the procedures and the keyring (if secure), for each widget.

    Handed out by the composition root.
    """

    vault: Vault
    catalogue: Catalogue
    store: SecretStore | None = None
