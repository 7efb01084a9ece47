"""A sync source's password: from the environment variable the source names, else the OS
keyring (the ``keyring`` package: macOS Keychain, Windows Credential Locker, the Secret
Service on a Linux desktop). Never the ledger.

A headless Linux machine has no keyring: there the environment variable is the way, and
the error says so in one line.
"""

from __future__ import annotations

import os

from netfolio.errors import SyncError

#: The keyring's service name; the entry's user name is :func:`keyring_user`.
SERVICE = "netfolio-sync"


def keyring_user(url: str, username: str | None) -> str:
    """The keyring entry of a source: its user name at its URL (two sources of one account
    share it)."""
    return f"{username or ''}@{url}"


def default_env(name: str) -> str:
    """The environment variable a source reads when none is named: ``NETFOLIO_SYNC_<NAME>``."""
    cleaned = "".join(c if c.isalnum() else "_" for c in name.upper())
    return f"NETFOLIO_SYNC_{cleaned}"


def _keyring_problem(exc: Exception) -> str:
    return f"no OS keyring to read the password from ({type(exc).__name__}: {exc})"


def get_password(*, name: str, url: str, username: str | None, env: str | None) -> str:
    """The password of source ``name``: ``$env`` if set, else the keyring; a one-line
    :class:`SyncError` naming the source when neither has it."""
    variable = env or default_env(name)
    value = os.environ.get(variable)
    if value:
        return value
    try:
        import keyring

        found = keyring.get_password(SERVICE, keyring_user(url, username))
    except Exception as exc:  # keyring.errors.NoKeyringError and backend failures
        raise SyncError(
            f"{_keyring_problem(exc)}; set the environment variable {variable}", source=name
        ) from exc
    if not found:
        raise SyncError(
            f"no password: none in the keyring and {variable} is not set "
            f"(netfolio sync add stores one, or set {variable})",
            source=name,
        )
    return found


def store_password(*, name: str, url: str, username: str | None, password: str) -> None:
    """Keep the password in the OS keyring; a one-line error when there is none."""
    try:
        import keyring

        keyring.set_password(SERVICE, keyring_user(url, username), password)
    except Exception as exc:
        raise SyncError(
            f"cannot store the password: no OS keyring ({type(exc).__name__}: {exc}); "
            "add the source with --password-env VAR and set VAR instead",
            source=name,
        ) from exc


def forget_password(*, url: str, username: str | None) -> bool:
    """Remove the keyring entry; False when there was none (or no keyring)."""
    try:
        import keyring

        keyring.delete_password(SERVICE, keyring_user(url, username))
    except Exception:
        return False
    return True


__all__ = ["SERVICE", "default_env", "forget_password", "get_password", "keyring_user",
           "store_password"]
