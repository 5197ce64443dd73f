"""Error types: known errors carry one sentence for the user; anything else is a bug."""

import errno


class DesktopError(Exception):
    """Base of every error the app raises on purpose."""


class KnownError(DesktopError):
    """An error that comes from the world, with a sentence a user can act on."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidInput(KnownError):
    """The user's input (arguments, a file, a form) is not acceptable."""


class SignatureInvalid(InvalidInput):
    """A signed PDF is altered, changed after signing, or its signature is not valid."""


class PdfPassphraseNeeded(InvalidInput):
    """An encrypted PDF was given no passphrase, or one that does not open it."""


class SignerNotConfirmed(InvalidInput):
    """A signed document's signer is not one this vault trusts, so it is not countersigned.

    ``signer`` and ``words`` (their root's fingerprint words) let each front door
    say how to confirm them.
    """

    def __init__(self, message: str, signer: str = "", words: str = "") -> None:
        super().__init__(message)
        self.signer = signer
        self.words = words


class FinalisedRecordError(InvalidInput):
    """Something tried to change a finalised stage record."""

    MESSAGE = "This stage is finalised and cannot change; record a correction instead."

    def __init__(self, message: str = MESSAGE) -> None:
        super().__init__(message)


class ProfileMissing(InvalidInput):
    """Something needs the signing identity, which is made when the profile is first saved."""

    MESSAGE = (
        "Save your name, role and organisation in Settings first; they go on signed documents."
    )

    def __init__(self, message: str = MESSAGE) -> None:
        super().__init__(message)


class UnknownCase(InvalidInput):
    """The case named (by its reference) or shown (by its id) is not in the vault."""

    def __init__(self, reference: str | None = None) -> None:
        super().__init__(
            f"There is no case {reference}." if reference else "That case no longer exists."
        )


class VaultNotFound(KnownError):
    """There is no vault at the given folder."""


class VaultExists(KnownError):
    """A vault already exists where a new one was asked for."""


class WrongPassphrase(KnownError):
    """The passphrase does not unwrap the vault key."""


class VaultDamaged(KnownError):
    """The vault files cannot be read: damaged, truncated or not a vault."""


class VaultInUse(KnownError):
    """Another running instance holds the vault."""


class VaultLocked(KnownError):
    """The vault was locked: nothing is read or written until it is unlocked again."""


class VaultTooNew(KnownError):
    """The vault was written by a newer version of the app."""


class KeyringUnavailable(KnownError):
    """The OS keyring is missing, insecure or failed."""


class StorageFull(KnownError):
    """The disk is full or the file size limit was reached."""


def describe_os_error(error: OSError) -> str:
    """Return one sentence for an error the operating system reported."""
    if error.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return "The disk is full (or a size limit was reached); nothing more was written."
    where = f" ({error.filename})" if error.filename else ""
    reason = error.strerror or str(error)
    return f"The operating system refused: {reason}{where}."
