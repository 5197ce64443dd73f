"""What every window needs from below: the open vault and the procedure catalogue."""

from __future__ import annotations

from dataclasses import dataclass

from desktop.procedures import Catalogue
from desktop.vault import Vault


@dataclass(frozen=True)
class Services:
    """The open vault and the procedures, handed to each widget by the composition root."""

    vault: Vault
    catalogue: Catalogue
