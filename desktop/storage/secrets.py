"""Where the vault key may be remembered: the OS keyring when secure, or memory in tests."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from desktop.errors import KeyringUnavailable

SERVICE = "escalation-recorder"

_INSECURE_MODULES = ("keyrings.alt", "keyring.backends.fail", "keyring.backends.null")


class SecretStore(Protocol):
    """Somewhere a vault key can be kept between runs."""

    @property
    def description(self) -> str:
        """Say which store this is, for notices."""
        ...

    def get(self, name: str) -> str | None:
        """Return the secret stored under ``name``, or None."""
        ...

    def put(self, name: str, secret: str) -> None:
        """Store ``secret`` under ``name``, replacing any other."""
        ...

    def delete(self, name: str) -> None:
        """Forget the secret under ``name``; absent is fine."""
        ...


class MemorySecretStore:
    """A secret store that lives only as long as the process (tests, no keyring)."""

    description = "memory"

    def __init__(self) -> None:
        self._secrets: dict[str, str] = {}

    def get(self, name: str) -> str | None:
        """Return the secret stored under ``name``, or None."""
        return self._secrets.get(name)

    def put(self, name: str, secret: str) -> None:
        """Store ``secret`` under ``name``."""
        self._secrets[name] = secret

    def delete(self, name: str) -> None:
        """Forget ``name``."""
        self._secrets.pop(name, None)


NO_SECURE_STORE = (
    "This computer has no secure password store, so you will type your passphrase each time."
)


@dataclass(frozen=True)
class KeyringVerdict:
    """Whether the configured keyring backend may hold vault keys, and why not.

    ``reason`` names the backend (for a Details section or the command line);
    ``plain_words`` is what a window says.
    """

    backend_name: str
    secure: bool
    reason: str

    @property
    def plain_words(self) -> str:
        """Say in plain words what the verdict means for the user ("" when secure)."""
        return "" if self.secure else NO_SECURE_STORE


def backend_is_secure(backend: Any) -> bool:
    """Judge a keyring backend: priority >= 1, no insecure module, every chained one too."""
    from keyring.backends.chainer import ChainerBackend

    module = type(backend).__module__
    if module.startswith(_INSECURE_MODULES):
        return False
    if isinstance(backend, ChainerBackend):
        chained = list(backend.backends)
        if not chained or not all(backend_is_secure(b) for b in chained):
            return False
    try:
        return float(backend.priority) >= 1
    except Exception:  # noqa: BLE001 - keyring signals a non-viable backend by any error
        return False


def judge_keyring() -> tuple[KeyringVerdict, Any]:
    """Load the keyring backend keyring would use (env and config applied) and judge it."""
    try:
        import keyring

        backend = keyring.get_keyring()
    except Exception as exc:  # noqa: BLE001 - a broken keyring config must not crash start-up
        verdict = KeyringVerdict("none", False, f"the keyring could not be loaded ({exc})")
        return verdict, None
    name = f"{type(backend).__module__}.{type(backend).__name__}"
    if backend_is_secure(backend):
        return KeyringVerdict(name, True, ""), backend
    reason = f"the keyring backend {name} is not a secure store"
    return KeyringVerdict(name, False, reason), None


class KeyringSecretStore:
    """The OS keyring, used only when its backend was judged secure."""

    def __init__(self, backend: Any, backend_name: str) -> None:
        self._backend = backend
        self.description = backend_name

    @classmethod
    def open(cls) -> KeyringSecretStore:
        """Return the secure OS keyring, or raise KeyringUnavailable saying why not."""
        verdict, backend = judge_keyring()
        if not verdict.secure:
            raise KeyringUnavailable(
                f"The key cannot be remembered on this device: {verdict.reason}; "
                "use the passphrase instead."
            )
        return cls(backend, verdict.backend_name)

    def get(self, name: str) -> str | None:
        """Return the secret stored under ``name``, or None."""
        from keyring.errors import KeyringError

        try:
            value = self._backend.get_password(SERVICE, name)
        except (KeyringError, OSError) as exc:
            raise KeyringUnavailable(f"The OS keyring could not be read ({exc}).") from exc
        return value if isinstance(value, str) else None

    def put(self, name: str, secret: str) -> None:
        """Store ``secret`` under ``name``."""
        from keyring.errors import KeyringError

        try:
            self._backend.set_password(SERVICE, name, secret)
        except (KeyringError, OSError) as exc:
            raise KeyringUnavailable(f"The OS keyring could not store the key ({exc}).") from exc

    def delete(self, name: str) -> None:
        """Forget ``name``; absent is fine."""
        from keyring.errors import KeyringError, PasswordDeleteError

        try:
            self._backend.delete_password(SERVICE, name)
        except PasswordDeleteError:
            return
        except (KeyringError, OSError) as exc:
            raise KeyringUnavailable(f"The OS keyring could not forget the key ({exc}).") from exc
