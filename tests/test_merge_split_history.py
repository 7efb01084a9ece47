"""Merge and split are in the import history, and undo restores the ledger exactly."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from typer.testing import CliRunner

from netfolio.cli.app import app
from netfolio.errors import ValidationError
from netfolio.network import Network

CARDS = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ana Núñez\r\nORG:Acme\r\nEMAIL:ana@acme.example\r\n"
    "TEL;TYPE=CELL:+34 612 345 678\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ana Núñez\r\nORG:Globex\r\nEMAIL:ana@globex.example\r\n"
    "END:VCARD\r\n"
)


def state(net: Network, tmp_path: Path) -> str:
    out = tmp_path / f"state-{dt.datetime.now().timestamp()}.json"
    net.export("json", out)
    return out.read_text(encoding="utf-8")


@pytest.fixture
def two_anas(net: Network, tmp_path: Path) -> Network:
    path = tmp_path / "cards.vcf"
    path.write_text(CARDS, encoding="utf-8")
    net.import_file(path)
    acme = net.get("ana@acme.example")
    net.log([acme.id], when="2026-01-05", channel="call", intent="catch_up", note="coffee")
    net.tag(acme.id, add=["mentor"])
    return net


def test_merge_is_in_the_history_and_undone_exactly(two_anas: Network, tmp_path: Path) -> None:
    net = two_anas
    before = state(net, tmp_path)
    acme, globex = net.get("ana@acme.example"), net.get("ana@globex.example")
    kept = net.merge(acme.id, globex.id)
    assert sorted(kept.emails) == ["ana@acme.example", "ana@globex.example"]
    assert net.import_history()[0].format == "merge"
    undone = net.import_undo()
    assert undone.run.format == "merge" and undone.people_restored == 2
    assert state(net, tmp_path) == before


def test_split_moves_the_chosen_keys_and_interactions_and_is_undone(
    two_anas: Network, tmp_path: Path
) -> None:
    net = two_anas
    acme, globex = net.get("ana@acme.example"), net.get("ana@globex.example")
    net.merge(acme.id, globex.id)
    before = state(net, tmp_path)
    (coffee,) = net.ledger(acme.id).interactions
    new = net.split(acme.id, emails=["ana@globex.example"], interactions=[coffee.id],
                    name="Ana Núñez Ruiz")
    assert new.display_name == "Ana Núñez Ruiz" and new.emails == ["ana@globex.example"]
    assert net.get(acme.id).emails == ["ana@acme.example"]
    assert [i.id for i in net.ledger(new.id).interactions] == [coffee.id]
    assert net.ledger(acme.id).interactions == []
    assert net.duplicates() == []  # never proposed again
    assert [r.format for r in net.import_history()[:2]] == ["split", "merge"]
    net.import_undo()
    assert state(net, tmp_path) == before
    net.import_undo()  # and the merge before it
    assert {p.id for p in net.people()} == {acme.id, globex.id}


def test_reimport_after_a_split_is_idempotent(two_anas: Network, tmp_path: Path) -> None:
    net = two_anas
    acme, globex = net.get("ana@acme.example"), net.get("ana@globex.example")
    net.merge(acme.id, globex.id)
    new = net.split(acme.id, emails=["ana@globex.example"])
    path = tmp_path / "again.vcf"
    path.write_text(CARDS, encoding="utf-8")
    report = net.import_file(path)
    assert (report.new, report.merged) == (0, 0)
    assert net.get("ana@globex.example").id == new.id


def test_split_refuses_what_the_person_does_not_have(two_anas: Network) -> None:
    acme = two_anas.get("ana@acme.example")
    with pytest.raises(ValidationError, match="has no email"):
        two_anas.split(acme.id, emails=["nobody@x.example"])
    with pytest.raises(ValidationError, match="choose what to move"):
        two_anas.split(acme.id)


def test_split_command(two_anas: Network) -> None:
    acme = two_anas.get("ana@acme.example")
    r = CliRunner().invoke(app, ["--db", two_anas.url, "split", f"#{acme.id}", "--phone",
                                 "+34612345678", "--name", "Ana N."])
    assert r.exit_code == 0 and "Split off" in r.output
    assert two_anas.get("Ana N.").phones == ["+34612345678"]
