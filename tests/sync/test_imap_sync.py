"""IMAP sync against a real Dovecot on loopback: headers only, incremental, faults."""

from __future__ import annotations

import datetime as dt
import shutil
import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sync_servers import ME, PASSWORD, Dovecot, message

from netfolio.errors import SyncError
from netfolio.network import Network

#: Each starts a real server (a few seconds): run once in CI, on SQLite.
pytestmark = pytest.mark.slow

ENV = "NETFOLIO_TEST_IMAP_PASSWORD"


@pytest.fixture
def mail(net: Network, dovecot: Dovecot, monkeypatch: pytest.MonkeyPatch) -> Network:
    """A ledger that knows Sam, with Dovecot's ``sam`` as source ``mail`` (password in $ENV)."""
    monkeypatch.setenv(ENV, PASSWORD)
    net.init(name="Sam Rivera", emails=[ME])
    net.sync_add("imap", "mail", f"imap://127.0.0.1:{dovecot.port}", username="sam",
                 password_env=ENV, options={"plain": True})
    return net


def rows(net: Network, sql: str) -> list[Any]:
    with net.session() as s:
        return list(s.execute(text(sql)))


def interactions_by_person(net: Network) -> dict[str, int]:
    found = rows(net, "SELECT p.display_name, count(*) FROM interaction_person ip "
                      "JOIN person p ON p.id = ip.person_id GROUP BY p.display_name")
    return {name: n for name, n in found}


def test_first_sync_reads_headers_and_skips_what_the_mbox_importer_skips(mail: Network) -> None:
    (report,) = mail.sync("mail")
    assert report.error is None
    assert report.collections == ["INBOX", "Sent"]
    assert report.read == 10
    # Ana's encoded name decoded; Bo's thread (his two messages, Sam's reply in Sent) one
    # interaction; Ana copied on Sam's mail to Chidi is contact with her too
    assert interactions_by_person(mail) == {"Ana Núñez": 2, "Bo Chen": 1, "Chidi Okafor": 1}
    assert report.new_people == 3 and report.interactions_added == 4
    assert report.skipped == {"mailing list": 1, "bulk mail": 1, "no-reply sender": 1,
                              "large recipient list": 1, "no other person": 1}
    assert "item" in report.skipped_examples[0]  # where: source/folder, item UID
    history = mail.import_history()
    assert [h.format for h in history] == ["imap", "imap"]  # one run per folder
    (source,) = mail.sync_sources()
    assert source.last_status == "ok" and source.last_counts["new_people"] == 3
    # the people's emails, and nothing of a subject or body anywhere in the ledger
    emails = {r[0] for r in rows(mail, "SELECT email FROM person_email")}
    assert emails == {"ana@lab.example", "bo@chen.example", "chidi@okafor.example"}
    notes = rows(mail, "SELECT note FROM interaction WHERE note IS NOT NULL")
    assert not notes


def test_a_second_sync_reads_nothing_and_new_mail_is_read_alone(
    mail: Network, dovecot: Dovecot
) -> None:
    mail.sync("mail")
    (again,) = mail.sync("mail")
    assert again.read == 0 and again.runs == [] and again.interactions_added == 0
    later = dt.datetime(2026, 2, 1, 10, tzinfo=dt.UTC)
    dovecot.append("sam", "INBOX", [
        message(sender="Eve Adams <eve@adams.example>", to=[ME], at=later, mid="e1@adams"),
        message(sender="Bo Chen <bo@chen.example>", to=[ME], at=later, mid="b9@chen"),
    ])
    (new,) = mail.sync("mail")
    assert new.read == 2 and new.new_people == 1 and new.interactions_added == 2
    assert interactions_by_person(mail)["Bo Chen"] == 2


def test_the_ledgers_addresses_are_you_in_every_batch(mail: Network, dovecot: Dovecot) -> None:
    """New mail that does not name you (to a team alias) is not read as written by you: the
    ledger's addresses are the user's, not guessed again from each batch."""
    mail.sync("mail")
    later = dt.datetime(2026, 2, 1, 10, tzinfo=dt.UTC)
    dovecot.append("sam", "INBOX", [message(sender="Gil Moss <gil@moss.example>",
                                            to=["team@corp.example"], at=later, mid="g1@moss")])
    (new,) = mail.sync("mail")
    assert new.read == 1 and new.interactions_added == 1 and new.warnings == []
    assert interactions_by_person(mail)["Gil Moss"] == 1  # from Gil, not from "you" to a team
    names = {r[0] for r in rows(mail, "SELECT email FROM person_email")}
    assert "team@corp.example" not in names


def test_a_mailbox_already_imported_as_mbox_adds_nothing_twice(
    mail: Network, tmp_path: Path
) -> None:
    from sync_servers import START, sample_mailbox

    box = sample_mailbox(START)
    mbox = tmp_path / "takeout.mbox"
    with mbox.open("wb") as f:
        for raw in box["INBOX"] + box["Sent"]:
            f.write(b"From x@y Mon Jan  5 09:00:00 2026\n" + raw.replace(b"\r\n", b"\n") + b"\n")
    imported = mail.import_file(str(mbox))
    assert imported.interactions_added == 4
    (report,) = mail.sync("mail")
    assert report.interactions_added == 0 and report.new_people == 0


def test_undo_of_a_sync_makes_the_next_sync_read_it_again(mail: Network) -> None:
    mail.sync("mail")
    mail.import_undo()  # the Sent folder's run
    assert interactions_by_person(mail) == {"Ana Núñez": 1, "Bo Chen": 1}
    (again,) = mail.sync("mail")
    assert again.collections == ["INBOX", "Sent"] and again.read == 2
    assert interactions_by_person(mail) == {"Ana Núñez": 2, "Bo Chen": 1, "Chidi Okafor": 1}


def test_changed_uidvalidity_resyncs_without_duplicates(mail: Network, dovecot: Dovecot) -> None:
    mail.sync("mail")
    people = rows(mail, "SELECT count(*) FROM person")[0][0]
    dovecot.stop()
    inbox = dovecot.maildir("sam")
    for index in inbox.glob("dovecot*"):  # the UID list and indexes: renumbered on restart
        index.unlink() if index.is_file() else shutil.rmtree(index)
    time.sleep(1.1)  # Dovecot takes the time (in seconds) as the new UIDVALIDITY
    dovecot.start()
    (report,) = mail.sync("mail")
    assert report.resynced == ["INBOX"]
    assert report.read == 8 and report.interactions_added == 0 and report.new_people == 0
    assert rows(mail, "SELECT count(*) FROM person")[0][0] == people
    assert any("UIDVALIDITY" in w for w in report.warnings)


def test_a_connection_cut_mid_sync_keeps_what_was_committed_and_resumes(
    net: Network, dovecot: Dovecot, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sync_servers import Proxy

    monkeypatch.setenv(ENV, PASSWORD)
    net.init(emails=[ME])
    proxy = Proxy(dovecot.port)  # the network between netfolio and the server
    net.sync_add("imap", "mail", f"imap://127.0.0.1:{proxy.port}", username="sam",
                 password_env=ENV, options={"plain": True})
    calls = []

    def cut_after_the_first_batch(stage: str, done: int, total: int) -> None:
        calls.append(done)
        if len(calls) == 1:
            proxy.cut()

    with pytest.raises(SyncError) as caught:
        net.sync("mail", chunk=2, batch=2, progress=cut_after_the_first_batch)
    said = str(caught.value)
    assert said.startswith("sync source 'mail': the connection was lost after")
    assert "\n" not in said
    # runs of two messages, each committed with its cursor (the fetch runs ahead of the
    # writing, so how many got through before the cut varies)
    committed = rows(net, "SELECT count(*) FROM import_run")[0][0]
    assert 1 <= committed < 5
    (source,) = net.sync_sources()
    assert source.last_status == "error" and "connection was lost" in (source.last_error or "")
    back = Proxy(dovecot.port)  # the network is back (on another port: the URL is edited)
    with net.session() as s:
        s.execute(text("UPDATE sync_source SET url = :u"),
                  {"u": f"imap://127.0.0.1:{back.port}"})
    (report,) = net.sync("mail")
    assert report.read == 10 - 2 * committed  # resumed after what was committed
    assert interactions_by_person(net) == {"Ana Núñez": 2, "Bo Chen": 1, "Chidi Okafor": 1}
    back.cut()


def test_wrong_password_is_one_line_naming_the_source(
    mail: Network, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV, "wrong")
    with pytest.raises(SyncError) as caught:
        mail.sync("mail")
    assert str(caught.value).startswith("sync source 'mail': 127.0.0.1:")
    assert "refused the login of 'sam'" in str(caught.value)
    assert "\n" not in str(caught.value)


def test_a_server_that_is_down_is_one_line(net: Network, monkeypatch: pytest.MonkeyPatch) -> None:
    from sync_servers import IMAP_PORTS, free_port

    monkeypatch.setenv(ENV, PASSWORD)
    net.init(emails=[ME])
    port = free_port(IMAP_PORTS)
    net.sync_add("imap", "down", f"imap://127.0.0.1:{port}", username="sam",
                 password_env=ENV, options={"plain": True})
    (report,) = net.sync()  # every source: the failure is reported, not raised
    assert report.error is not None
    assert report.error.startswith(f"sync source 'down': cannot reach 127.0.0.1:{port}")


def test_an_untrusted_certificate_is_refused_unless_the_source_says_so(
    net: Network, dovecot: Dovecot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV, PASSWORD)
    net.init(emails=[ME])
    url = f"imaps://127.0.0.1:{dovecot.tls_port}"
    net.sync_add("imap", "tls", url, username="sam", password_env=ENV)
    with pytest.raises(SyncError, match=r"certificate of 127\.0\.0\.1:\d+ is not trusted"):
        net.sync("tls")
    net.sync_add("imap", "own-ca", url, username="sam", password_env=ENV,
                 options={"cafile": str(dovecot.cert)})
    assert net.sync("own-ca")[0].read == 10
    net.sync_add("imap", "insecure", url, username="sam", password_env=ENV,
                 options={"insecure": True})
    assert net.sync("insecure")[0].error is None
    # STARTTLS on the plain port, verified against the server's own certificate
    net.sync_add("imap", "starttls", f"imap://127.0.0.1:{dovecot.port}", username="sam",
                 password_env=ENV, options={"cafile": str(dovecot.cert)})
    assert net.sync("starttls")[0].error is None


def test_plain_imap_is_refused_beyond_loopback(net: Network) -> None:
    from netfolio.errors import ValidationError

    with pytest.raises(ValidationError, match="only for a server on this machine"):
        net.sync_add("imap", "x", "imap://mail.example.org", username="sam",
                     options={"plain": True})


def test_all_mail_alone_is_read_where_the_server_has_it(
    net: Network, dovecot: Dovecot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV, PASSWORD)
    net.init(emails=[ME])
    net.sync_add("imap", "gmail", f"imap://127.0.0.1:{dovecot.port}", username="gm",
                 password_env=ENV, options={"plain": True})
    assert net.sync_test("gmail")["collections"] == [
        {"name": "All Mail", "messages": 10, "new": 10}
    ]
    (report,) = net.sync("gmail")
    assert report.collections == ["All Mail"] and report.interactions_added == 4


def test_without_a_password_anywhere_the_error_names_the_variable(
    net: Network, dovecot: Dovecot, monkeypatch: pytest.MonkeyPatch
) -> None:
    import keyring
    from keyring.backends import fail

    monkeypatch.setattr(keyring.core, "_keyring_backend", fail.Keyring())
    net.init(emails=[ME])
    net.sync_add("imap", "work-mail", f"imap://127.0.0.1:{dovecot.port}", username="sam",
                 options={"plain": True})
    with pytest.raises(SyncError) as caught:
        net.sync("work-mail")
    msg = str(caught.value)
    assert msg.startswith("sync source 'work-mail': no OS keyring")
    assert "NETFOLIO_SYNC_WORK_MAIL" in msg and "\n" not in msg
    with pytest.raises(SyncError, match="--password-env"):
        net.sync_add("imap", "other", f"imap://127.0.0.1:{dovecot.port}", username="sam",
                     password="secret", options={"plain": True})
    assert [s.name for s in net.sync_sources()] == ["work-mail"]  # not added


def test_the_password_is_kept_in_the_keyring_not_the_ledger(
    net: Network, dovecot: Dovecot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import keyring
    from keyrings.alt.file import PlaintextKeyring

    backend = PlaintextKeyring()
    backend.file_path = str(tmp_path / "keyring.cfg")  # type: ignore[misc]
    monkeypatch.setattr(keyring.core, "_keyring_backend", backend)
    net.init(emails=[ME])
    net.sync_add("imap", "kept", f"imap://127.0.0.1:{dovecot.port}", username="sam",
                 password=PASSWORD, options={"plain": True})
    assert net.sync("kept")[0].read == 10
    dump = "\n".join(str(r) for r in rows(net, "SELECT * FROM sync_source"))
    assert PASSWORD not in dump
    net.sync_remove("kept")
    assert keyring.get_password("netfolio-sync", f"sam@imap://127.0.0.1:{dovecot.port}") is None
