"""UI fixtures: services over a real vault, and a helper to finish a wizard."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from desktop.procedures import load_catalogue
from desktop.settings import save_profile
from desktop.ui.services import Services
from desktop.vault import Vault


@pytest.fixture
def services(vault: Vault) -> Iterator[Services]:
    """Return services over a vault whose owner has a profile."""
    with vault.sessions.begin() as session:
        save_profile(
            session,
            "Alex Example (fictional)",
            "Designated Safeguarding Lead",
            "Nowhere Primary (fictional)",
        )
    yield Services(vault, load_catalogue())
