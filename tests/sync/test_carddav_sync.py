"""CardDAV address books against a real Radicale: cards read by the vCard importer and
matched into people by the identity rules, incremental by sync-token (and by ETags without
it), a broken card skipped and counted, faults."""

from __future__ import annotations

from typing import Any

import pytest
from sync_servers import ME, PASSWORD, Radicale, card

from netfolio.errors import SyncError
from netfolio.io.sync import dav
from netfolio.network import Network

#: Each starts a real server (a few seconds): run once in CI, on SQLite.
pytestmark = pytest.mark.slow

ENV = "NETFOLIO_TEST_CARDDAV_PASSWORD"


@pytest.fixture
def book(net: Network, radicale: Radicale, monkeypatch: pytest.MonkeyPatch
         ) -> tuple[Network, Radicale, str]:
    monkeypatch.setenv(ENV, PASSWORD)
    net.init(emails=[ME])
    # Ana is in the ledger already (from mail), with her address only
    net.add("Ana Núñez", emails=["ana@lab.example"])
    path = radicale.addressbook("contacts")
    radicale.put_card(path, "ana", card("ana", "Ana Núñez", email="ANA@lab.example",
                                        org="Lab Inc", title="Researcher"))
    radicale.put_card(path, "bo", card("bo", "Bo Chen", email="bo@chen.example",
                                       phone="+44 20 7946 0958"))
    net.sync_add("carddav", "contacts", radicale.base + path, username="sam",
                 password_env=ENV)
    return net, radicale, path


def people(net: Network) -> dict[str, Any]:
    return {p.display_name: p for p in net.people()}


def test_cards_are_matched_into_people_by_the_identity_rules(book: Any) -> None:
    net, _radicale, _path = book
    (report,) = net.sync("contacts")
    assert report.error is None and report.read == 2
    assert report.new_people == 1 and report.updated_people == 1  # Ana matched by address
    found = people(net)
    assert sorted(found) == ["Ana Núñez", "Bo Chen"]
    assert found["Ana Núñez"].organisation == "Lab Inc"
    assert found["Ana Núñez"].title == "Researcher"
    assert found["Bo Chen"].phones == ["+442079460958"]
    assert net.import_history()[0].format == "carddav"
    (again,) = net.sync("contacts")
    assert again.runs == [] and again.read == 0


def test_a_changed_card_updates_the_person_and_a_deleted_one_leaves_them(book: Any) -> None:
    net, radicale, path = book
    net.sync("contacts")
    radicale.put_card(path, "bo", card("bo", "Bo Chen", email="bo@chen.example",
                                       org="Chen & Co", title="Founder"))
    radicale.delete(path + "ana.vcf")
    radicale.put_card(path, "cy", card("cy", "Cy Young", email="cy@young.example"))
    (report,) = net.sync("contacts")
    assert report.read == 2 and report.new_people == 1
    found = people(net)
    assert found["Bo Chen"].organisation == "Chen & Co"
    assert "Ana Núñez" in found  # the address book is one source among others
    undone = net.import_undo()
    assert undone.people_removed == 1 and "Cy Young" not in people(net)
    assert people(net)["Bo Chen"].organisation is None
    (again,) = net.sync("contacts")  # the undone changes are read again
    assert again.read == 2 and people(net)["Bo Chen"].organisation == "Chen & Co"


def test_without_sync_collection_the_etags_say_what_changed(
    book: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    net, radicale, path = book

    def refuse(self: dav.DavClient, url: str, token: str | None) -> dav.Changes:
        raise dav.NoSyncCollection(501)

    monkeypatch.setattr(dav.DavClient, "sync_collection", refuse)
    assert net.sync("contacts")[0].read == 2
    assert net.sync("contacts")[0].read == 0
    radicale.put_card(path, "cy", card("cy", "Cy Young", email="cy@young.example"))
    (report,) = net.sync("contacts")
    assert report.read == 1 and report.new_people == 1


def test_a_broken_card_is_skipped_and_counted(book: Any) -> None:
    net, radicale, path = book
    net.sync("contacts")
    # a card Radicale stores but with no name, address or phone: nothing to know them by
    radicale.put_card(path, "empty", b"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:empty\r\n"
                      b"FN:\r\nN:;;;;\r\nEND:VCARD\r\n")
    radicale.put_card(path, "cy", card("cy", "Cy Young", email="cy@young.example"))
    (report,) = net.sync("contacts")
    assert report.error is None and report.new_people == 1
    assert sum(report.skipped.values()) == 1


def test_a_wrong_password_is_one_line(book: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    net, _radicale, _path = book
    monkeypatch.setenv(ENV, "wrong")
    with pytest.raises(SyncError) as caught:
        net.sync("contacts")
    assert str(caught.value) == (
        "sync source 'contacts': the server refused the login (HTTP 401: wrong password?)")
