"""Finding the right person: a chooser for an ambiguous name, and add refusing a name that is
someone's unless told it is a new person."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from netfolio.cli.app import app
from netfolio.errors import ValidationError
from netfolio.network import Network


@pytest.fixture
def anas(net: Network) -> Network:
    net.add("Ana Núñez", organisation="Acme", emails=["ana@acme.example"])
    net.add("Ana Núñez", organisation="Globex", emails=["ana@globex.example"])
    return net


def test_an_ambiguous_name_without_a_terminal_lists_the_people_and_fails(anas: Network) -> None:
    r = CliRunner().invoke(app, ["--db", anas.url, "why", "Ana"])
    assert r.exit_code == 1
    assert "matches 2 people" in r.output and "Acme" in r.output and "Globex" in r.output


def test_at_a_terminal_a_numbered_chooser_picks_one(
    anas: Network, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("netfolio.cli.state.interactive", lambda: True)
    r = CliRunner().invoke(app, ["--db", anas.url, "edit", "Ana", "--title", "CFO"], input="2\n")
    assert r.exit_code == 0, r.output
    assert "1. Ana Núñez (Acme) (#1)" in r.output and "2. Ana Núñez (Globex) (#2)" in r.output
    assert anas.get("ana@globex.example").title == "CFO"
    assert anas.get("ana@acme.example").title is None


def test_at_a_terminal_choosing_none_stops(
    anas: Network, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("netfolio.cli.state.interactive", lambda: True)
    r = CliRunner().invoke(app, ["--db", anas.url, "why", "Ana"], input="\n")
    assert r.exit_code == 1 and "Error: 'Ana' matches 2 people" in r.output


def test_add_refuses_a_name_already_there_unless_new(net: Network) -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["--db", net.url, "add", "Ana Núñez"]).exit_code == 0
    r = runner.invoke(app, ["--db", net.url, "add", "ANA NUNEZ", "--org", "Globex"])
    assert r.exit_code == 1 and "already in the ledger: #1 Ana Núñez" in r.output
    assert "--new" in r.output and net.count() == 1
    r = runner.invoke(app, ["--db", net.url, "add", "Ana Núñez", "--org", "Globex", "--new"])
    assert r.exit_code == 0 and net.count() == 2
    net.add("Ben Okafor", emails=["ben@x.example"])
    r = runner.invoke(app, ["--db", net.url, "add", "Benjamin", "-e", "BEN@x.example", "--new"])
    assert r.exit_code == 1 and "already belongs to" in r.output


def test_the_library_adds_namesakes_unless_asked_to_check(net: Network) -> None:
    net.add("Kim Lee")
    net.add("Kim Lee")  # scripts and imports: as before
    with pytest.raises(ValidationError, match="already in the ledger"):
        net.add("Kim Lee", new=False)
