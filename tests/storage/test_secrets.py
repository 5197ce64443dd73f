"""Judging keyring backends: only secure ones may hold the vault key."""

from __future__ import annotations

import pytest
from keyring.backend import KeyringBackend
from keyring.backends import chainer, fail, null
from keyrings.alt.file import EncryptedKeyring, PlaintextKeyring

from desktop.errors import KeyringUnavailable
from desktop.storage.secrets import (
    KeyringSecretStore,
    KeyringVerdict,
    backend_is_secure,
    judge_keyring,
)


class _SecureStub(KeyringBackend):
    """A stand-in for an OS store such as Secret Service (priority 5)."""

    priority = 5  # type: ignore[assignment]  # keyring declares it as a classproperty

    def get_password(self, service: str, username: str) -> str | None:
        return None

    def set_password(self, service: str, username: str, password: str) -> None:
        return None

    def delete_password(self, service: str, username: str) -> None:
        return None


class _LowPriority(_SecureStub):
    priority = 0.5  # type: ignore[assignment]  # as above


@pytest.mark.parametrize(
    ("backend", "secure"),
    [
        (_SecureStub(), True),
        (_LowPriority(), False),
        (PlaintextKeyring(), False),
        (EncryptedKeyring.__new__(EncryptedKeyring), False),  # its __init__ needs pycryptodome
        (fail.Keyring(), False),
        (null.Keyring(), False),
    ],
)
def test_backend_verdicts(backend: KeyringBackend, secure: bool) -> None:
    assert backend_is_secure(backend) is secure


def test_a_chainer_is_secure_only_if_every_chained_backend_is(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(chainer.ChainerBackend, "backends", [_SecureStub(), _SecureStub()])
    assert backend_is_secure(chainer.ChainerBackend())
    monkeypatch.setattr(chainer.ChainerBackend, "backends", [_SecureStub(), PlaintextKeyring()])
    assert not backend_is_secure(chainer.ChainerBackend())


def test_environment_choice_is_judged(monkeypatch: pytest.MonkeyPatch) -> None:
    import keyring.core

    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")
    monkeypatch.setattr(keyring.core, "_keyring_backend", None)
    verdict, backend = judge_keyring()
    assert not verdict.secure and backend is None
    assert verdict.backend_name == "keyring.backends.null.Keyring"
    with pytest.raises(KeyringUnavailable, match="not a secure store"):
        KeyringSecretStore.open()
    monkeypatch.setattr(keyring.core, "_keyring_backend", None)


def test_config_file_choice_is_judged(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import keyring.core

    (tmp_path / "python_keyring").mkdir()
    (tmp_path / "python_keyring" / "keyringrc.cfg").write_text(
        "[backend]\ndefault-keyring=keyrings.alt.file.PlaintextKeyring\n"
    )
    monkeypatch.delenv("PYTHON_KEYRING_BACKEND", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    monkeypatch.setattr(keyring.core, "_keyring_backend", None)
    verdict, _ = judge_keyring()
    assert verdict.backend_name == "keyrings.alt.file.PlaintextKeyring"
    assert not verdict.secure
    monkeypatch.setattr(keyring.core, "_keyring_backend", None)


def test_an_insecure_verdict_is_said_in_plain_words_without_the_backends_name(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import keyring.core

    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    monkeypatch.setattr(keyring.core, "_keyring_backend", None)
    verdict, _backend = judge_keyring()
    assert verdict.plain_words == (
        "This computer has no secure password store, so you will type your passphrase each time."
    )
    assert "keyring" not in verdict.plain_words.lower()
    assert "keyring.backends.fail" in verdict.reason  # kept for the details and the CLI
    monkeypatch.setattr(keyring.core, "_keyring_backend", None)
    assert KeyringVerdict("x", True, "").plain_words == ""
