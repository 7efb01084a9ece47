"""Who "me" is: from the export itself when init's name is not in it; `netfolio me` shows,
edits and folds into you a person who was you."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from netfolio.cli.app import app
from netfolio.core.identity import identity_kind
from netfolio.errors import ValidationError
from netfolio.io.formats import linkedin, mbox
from netfolio.network import Network

FIXTURES = Path(__file__).parent / "fixtures/import"
SAM = "https://www.linkedin.com/in/sam-rivera"


def test_linkedin_owner_found_when_inits_name_is_not_in_the_messages() -> None:
    data = (FIXTURES / "linkedin/messages_basic.csv").read_bytes()
    given = linkedin.parse(data, filename="messages.csv", me_urls=[SAM])
    # init said "Samuel Rivera" (a different spelling): nobody in the messages
    other = linkedin.parse(data, filename="messages.csv", me_names=["Samuel Rivera"])
    assert other.interactions == given.interactions
    assert other.me_taken == [SAM]
    assert any("nobody in the messages is you as given (samuel rivera)" in w
               and "netfolio me --add" in w for w in other.warnings)


def test_the_owner_is_not_made_a_person(net: Network) -> None:
    net.init(name="Samuel Rivera")
    report = net.import_file(FIXTURES / "linkedin/messages_basic.csv")
    assert report.me_taken == [SAM]
    names = {p.display_name for p in net.people()}
    assert "Sam Rivera" not in names and names  # the others are there


MBOX = (
    "From a Mon Jun 03 08:00:00 2024\nMessage-ID: <1@x>\nDate: Mon, 3 Jun 2024 08:00:00 +0000\n"
    "From: Owner <owner@home.example>\nTo: Kim <kim@x.example>\nSubject: hi\n\nBody\n\n"
    "From a Mon Jun 04 08:00:00 2024\nMessage-ID: <2@x>\nDate: Tue, 4 Jun 2024 08:00:00 +0000\n"
    "From: Owner <owner@home.example>\nTo: Lee <lee@x.example>\nSubject: hi\n\nBody\n\n"
    "From a Mon Jun 05 08:00:00 2024\nMessage-ID: <3@x>\nDate: Wed, 5 Jun 2024 08:00:00 +0000\n"
    "From: Kim <kim@x.example>\nTo: Owner <owner@home.example>\nSubject: re\n\nBody\n"
)


def test_mbox_owner_found_when_none_of_inits_addresses_is_in_it() -> None:
    result = mbox.parse(MBOX.encode(), filename="m.mbox", me_emails=["old@work.example"])
    assert result.me_taken == ["owner@home.example"]
    assert {ref.email for i in result.interactions for ref in i.participants} == {
        "kim@x.example", "lee@x.example"
    }
    assert any("none of your addresses (old@work.example)" in w for w in result.warnings)


def test_identities_are_added_and_removed_by_their_form(net: Network) -> None:
    me = net.me_edit(add=["Me@Home.example", "http://uk.linkedin.com/in/Me-X/", "Bobby Tables"])
    assert me.emails == ["me@home.example"]
    assert me.profiles == ["https://www.linkedin.com/in/me-x"]
    assert me.other_names == ["Bobby Tables"]
    me = net.me_edit(remove=["bobby tables"])
    assert me.other_names == []
    with pytest.raises(ValidationError, match="not one of your identities"):
        net.me_edit(remove=["nobody@x.example"])
    with pytest.raises(ValidationError, match="not a LinkedIn profile"):
        net.me_edit(add=["https://www.linkedin.com/company/acme"])


def test_fold_a_person_who_was_me_and_import_again(net: Network, tmp_path: Path) -> None:
    box = tmp_path / "m.mbox"
    # One mail names init's address, so the parser trusts it; the owner becomes a person.
    box.write_text(MBOX + (
        "\nFrom a Mon Jun 06 08:00:00 2024\nMessage-ID: <4@x>\n"
        "Date: Thu, 6 Jun 2024 08:00:00 +0000\nFrom: Kim <kim@x.example>\n"
        "To: Old <old@work.example>\nSubject: x\n\nBody\n"), encoding="utf-8")
    net.init(name="Me", emails=["old@work.example"])
    net.import_file(box)
    owner = net.get("owner@home.example")
    assert net.ledger(owner.id).interactions  # the bug: "contact" with yourself
    folded = net.me_fold(owner.id)
    assert folded.added == ["owner@home.example", "Owner"]
    assert folded.imported_removed >= 1 and folded.sources == ["mbox:m.mbox"]
    assert "owner@home.example" in net.me().emails
    assert all(p.display_name != "Owner" for p in net.people())
    again = net.import_file(box)
    # read with the right "me", the owner's mail to Lee is contact with Lee now
    assert again.new == 1 and net.get("lee@x.example").display_name == "Lee"
    assert again.interactions_added >= 2
    kim = net.ledger("kim@x.example")
    assert {i.initiator for i in kim.interactions} == {"me", "them"}
    assert all(p.display_name != "Owner" for p in net.people())


def test_me_command_shows_adds_and_folds(net: Network, tmp_path: Path) -> None:
    runner = CliRunner()
    db = ["--db", net.url]
    r = runner.invoke(app, [*db, "me", "--add", "me@home.example", "--add", "Bobby"])
    assert r.exit_code == 0 and "me@home.example" in r.output and "Bobby" in r.output
    person = net.add("Robert Tables", emails=["bob@tables.example"])
    r = runner.invoke(app, [*db, "me", "--fold", str(person.id)])
    assert r.exit_code != 0 and "--yes" in r.output
    r = runner.invoke(app, [*db, "me", "--fold", str(person.id), "--yes"])
    assert r.exit_code == 0 and "Robert Tables is you now" in r.output
    assert "bob@tables.example" in net.me().emails and net.count() == 0


def test_an_address_at_linkedin_com_is_an_email(net: Network, tmp_path: Path) -> None:
    assert [identity_kind(x) for x in (
        "ana@linkedin.com", "Ana@LinkedIn.com", "https://www.linkedin.com/in/ana",
        "linkedin.com/in/ana", "ana@x.example", "Ana Núñez")] == [
        "email", "email", "profile", "profile", "email", "name"]
    me = net.me_edit(add=["Ana@LinkedIn.com"])
    assert me.emails == ["ana@linkedin.com"] and me.profiles == []
    mail = tmp_path / "m.mbox"
    mail.write_text(MBOX.replace("owner@home.example", "ana@linkedin.com"), encoding="utf-8")
    report = net.import_file(mail, me=["ana@linkedin.com"])
    assert report.me_taken == []  # known as you from --me, not guessed from the file
    emails = {e for p in net.people() for e in p.emails}
    assert emails == {"kim@x.example", "lee@x.example"}  # no person made of you
