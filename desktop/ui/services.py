"""What every window needs from below: the open vault, the procedures, the keyring."""

from __future__ import annotations

from dataclasses import dataclass

from desktop.procedures.catalogue import Catalogue
from desktop.storage.secrets import SecretStore
from desktop.storage.vault import Vault


@dataclass(frozen=True)
class Services:
    """The open vault, the procedures and the keyring (if secure), for each widget.

    Handed out by the composition root.
    """

    vault: Vault
    catalogue: Catalogue
    store: SecretStore | None = None
