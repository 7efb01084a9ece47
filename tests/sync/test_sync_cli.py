"""``netfolio sync`` through Typer's CliRunner against a real Dovecot, checked through the
library."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sync_servers import ME, PASSWORD, Dovecot
from typer.testing import CliRunner

from netfolio.cli.app import app
from netfolio.cli.sync_cmds import parse_interval
from netfolio.errors import ValidationError
from netfolio.network import Network

#: Each starts a real server (a few seconds): run once in CI, on SQLite.
pytestmark = pytest.mark.slow


@pytest.fixture
def run(sqlite_url: str):  # type: ignore[no-untyped-def]
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None):  # type: ignore[no-untyped-def]
        return runner.invoke(app, ["--db", sqlite_url, *map(str, args)], input=input)

    return invoke


def test_add_asks_the_password_keeps_it_in_the_keyring_and_syncs(
    run, sqlite_url: str, dovecot: Dovecot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    import keyring
    from keyrings.alt.file import PlaintextKeyring

    backend = PlaintextKeyring()
    backend.file_path = str(tmp_path / "keyring.cfg")  # type: ignore[misc]
    monkeypatch.setattr(keyring.core, "_keyring_backend", backend)
    assert run("init", "--email", ME).exit_code == 0
    url = f"imap://127.0.0.1:{dovecot.port}"
    r = run("sync", "add", "imap", url, "--name", "mail", "--username", "sam", "--plain",
            input=PASSWORD + "\n")
    assert r.exit_code == 0, r.output
    assert "Added mail" in r.output and "OS keyring" in r.output
    assert "INBOX: 8 messages, 8 new to read" in r.output  # the check after adding
    r = run("sync")
    assert r.exit_code == 0, r.output
    assert "mail (INBOX, Sent): 10 read, 3 new people, 4 interactions added" in r.output
    assert "skipped: mailing list: 1" in r.output
    r = run("sync", "--source", "mail", "--json")
    assert json.loads(r.output)[0]["read"] == 0
    listed = json.loads(run("sync", "list", "--json").output)
    assert listed[0]["name"] == "mail" and listed[0]["last_status"] == "ok"
    assert "password" not in json.dumps(listed).replace("password_env", "")
    history = run("import", "history", "--json")
    assert [h["format"] for h in json.loads(history.output)] == ["imap", "imap"]
    r = run("sync", "remove", "mail")
    assert r.exit_code == 0 and "what it imported stays" in r.output
    with Network(sqlite_url) as net:
        assert net.sync_sources() == []
        assert len(net.people()) == 3


def test_a_wrong_password_is_one_line_and_exit_1(
    run, dovecot: Dovecot, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("MAILPW", "not it")
    run("init", "--email", ME)
    r = run("sync", "add", "imap", f"imap://127.0.0.1:{dovecot.port}", "--name", "mail",
            "--username", "sam", "--password-env", "MAILPW", "--plain", "--no-test")
    assert r.exit_code == 0, r.output
    r = run("sync", "--source", "mail")
    assert r.exit_code == 1
    lines = [x for x in r.output.splitlines() if x.strip()]
    assert len(lines) == 1
    assert lines[0].startswith("Error: sync source 'mail': 127.0.0.1:")
    assert "refused the login of 'sam'" in lines[0]


def test_unknown_kinds_and_bad_urls_are_refused_clearly(run) -> None:  # type: ignore[no-untyped-def]
    r = run("sync", "add", "jmap", "https://dav.example.org/", "--no-test")
    assert r.exit_code == 1
    assert "'jmap': a source is one of imap, caldav, carddav, ics" in r.output
    r = run("sync", "add", "caldav", "http://dav.example.org/", "--no-test")
    assert r.exit_code == 1 and "use https:// (plain http only on loopback)" in r.output
    r = run("sync", "add", "imap", "https://mail.example.org", "--password-env", "X")
    assert r.exit_code == 1
    assert "imap source's URL starts with imaps:// or imap://" in r.output


def test_intervals() -> None:
    assert parse_interval("15m") == 900
    assert parse_interval("1h") == 3600
    assert parse_interval("2") == 120
    with pytest.raises(ValidationError):
        parse_interval("10s")
    with pytest.raises(ValidationError):
        parse_interval("soon")
