"""Fixtures: a real Dovecot on loopback with generated mail, and a real Radicale (skipped
with a reason where either is not installed, never when CI=true)."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from sync_servers import (
    DOVECOT,
    START,
    Dovecot,
    Radicale,
    folder_path,
    sample_mailbox,
    write_maildir,
)


def need_dovecot() -> None:
    if DOVECOT is None:
        if os.environ.get("CI") == "true":
            pytest.fail("Dovecot is not installed (CI installs dovecot-imapd; see .ci/run)")
        pytest.skip("Dovecot is not installed here (apt-get install dovecot-imapd)")


@pytest.fixture
def dovecot() -> Iterator[Dovecot]:
    """Dovecot with user ``sam``'s INBOX and Sent (see sync_servers.sample_mailbox) and user
    ``gm`` with a Gmail-like All Mail folder."""
    need_dovecot()
    # not under tmp_path: pytest's directories are private to us, and Dovecot's own users
    # (when the tests run as root) must read the config and the mail
    server = Dovecot(Path(tempfile.mkdtemp(prefix="netfolio-dovecot-")))
    server.prepare()
    for folder, messages in sample_mailbox(START).items():
        write_maildir(folder_path(server.maildir("sam"), folder), messages)
        write_maildir(folder_path(server.maildir("gm"), folder), messages)
        write_maildir(folder_path(server.maildir("gm"), "All Mail"), messages)
    server.start()
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(server.root, ignore_errors=True)


def need_radicale() -> None:
    try:
        import radicale  # noqa: F401
    except ImportError:
        if os.environ.get("CI") == "true":
            pytest.fail("Radicale is not installed (the test extras install it)")
        pytest.skip("Radicale is not installed here (pip install -e '.[test]')")


@pytest.fixture
def radicale(tmp_path: Path) -> Iterator[Radicale]:
    """Radicale on loopback with user ``sam`` and no calendars yet."""
    need_radicale()
    server = Radicale(tmp_path / "radicale")
    server.start()
    try:
        yield server
    finally:
        server.stop()
