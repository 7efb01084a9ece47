"""`netfolio migrate-to`: a personal ledger copied into members' networks of a team database,
ids fresh, every count checked, all of it or nothing; and the JSON ledger's fresh ids."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from netfolio.cli.app import app
from netfolio.errors import DatabaseError, ImportError_, NotFoundError, ValidationError
from netfolio.network import Network

TODAY = dt.date(2026, 6, 1)


def _without_ids(value: Any) -> Any:
    """A result with every id left out: the same ledger under other ids compares equal."""
    if isinstance(value, dict):
        return {k: _without_ids(v) for k, v in value.items() if k not in ("id", "ask_id")}
    if isinstance(value, list | tuple):
        return [_without_ids(v) for v in value]
    return value


def _counts(net: Network) -> dict[str, int]:
    from netfolio.io.migrate import ledger_counts

    with net.session() as s:
        return ledger_counts(db_session=s)


@pytest.fixture
def personal(sqlite_url: str) -> Iterator[Network]:
    """A personal SQLite ledger: a small demo network, a plan action, some settings."""
    from netfolio.demo import build

    build(sqlite_url, people=40, seed=11, today=TODAY)
    net = Network(sqlite_url)
    net.init(name="Ana Núñez", weekly_budget=7)
    first = net.people()[0]
    net.plan_skip(first.id, TODAY)
    yield net
    net.close()


def _members(url: str, *names: str) -> None:
    admin = Network(url)
    for name in names:
        admin.team.add_user(name, f"{name}-password-1")
    admin.close()


def _same_ledgers(source: Network, target: Network) -> None:
    """Person by person (in id order on both sides) the ledgers match, ids aside."""
    theirs = sorted(p.id for p in source.people())
    ours = sorted(p.id for p in target.people())
    assert len(theirs) == len(ours)
    for a, b in list(zip(theirs, ours, strict=True))[:: max(1, len(theirs) // 8)]:
        assert (_without_ids(target.ledger(b, limit=None).to_dict())
                == _without_ids(source.ledger(a, limit=None).to_dict()))


@pytest.mark.postgres
def test_two_members_migrate_the_same_ledger_without_colliding(
    personal: Network, pg_url: str
) -> None:
    _members(pg_url, "ana", "bob")
    expected = _counts(personal)
    assert expected["people"] == 40 and expected["interactions"] > 100
    assert expected["asks"] and expected["knows"] and expected["plan_actions"] == 1
    assert personal.migrate_to(pg_url, "ana") == expected
    assert personal.migrate_to(pg_url, "bob") == expected  # the same ids again: fresh ones
    ana, bob = Network(pg_url, user="ana"), Network(pg_url, user="bob")
    try:
        for member in (ana, bob):
            assert _counts(member) == expected
            _same_ledgers(personal, member)
            assert (_without_ids(member.portfolio(TODAY).to_dict())
                    == _without_ids(personal.portfolio(TODAY).to_dict()))
            assert member.me().weekly_budget == 7 and member.me().name == "Ana Núñez"
        assert not {p.id for p in ana.people()} & {p.id for p in bob.people()}
    finally:
        ana.close()
        bob.close()


@pytest.mark.postgres
def test_a_member_with_people_is_refused_and_nothing_is_written(
    personal: Network, pg_url: str
) -> None:
    _members(pg_url, "ana")
    ana = Network(pg_url, user="ana")
    ana.add("Jane Roe", organisation="Stripe")
    with pytest.raises(ValidationError, match=r"not empty .*1 people"):
        personal.migrate_to(pg_url, "ana")
    assert _counts(ana)["people"] == 1 and _counts(ana)["interactions"] == 0
    ana.close()


@pytest.mark.postgres
def test_an_unknown_member_is_a_clear_error(personal: Network, pg_url: str) -> None:
    _members(pg_url, "ana")
    with pytest.raises(NotFoundError, match=r"no user 'zed'.*team add-user zed"):
        personal.migrate_to(pg_url, "zed")


@pytest.mark.postgres
def test_dry_run_checks_and_writes_nothing(personal: Network, pg_url: str) -> None:
    _members(pg_url, "ana")
    assert personal.migrate_to(pg_url, "ana", dry_run=True) == _counts(personal)
    ana = Network(pg_url, user="ana")
    assert not any(_counts(ana).values())
    ana.close()


@pytest.mark.postgres
def test_a_count_that_does_not_match_rolls_everything_back(
    personal: Network, pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from netfolio.io.export import ledger_json

    whole = ledger_json.ledger_data

    def lossy(*, db_session: Any) -> dict[str, Any]:
        data = whole(db_session=db_session)
        data["interactions"] = data["interactions"][1:]  # one lost on the way
        return data

    monkeypatch.setattr(ledger_json, "ledger_data", lossy)
    _members(pg_url, "ana")
    with pytest.raises(DatabaseError, match=r"does not match.*interactions"):
        personal.migrate_to(pg_url, "ana")
    ana = Network(pg_url, user="ana")
    assert not any(_counts(ana).values())
    ana.close()


@pytest.mark.postgres
def test_the_command(personal: Network, pg_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    _members(pg_url, "ana", "bob")
    monkeypatch.setenv("NETFOLIO_USER", "bob")  # who you are in the team, not in the file
    runner = CliRunner()
    result = runner.invoke(app, ["--db", personal.url, "migrate-to", pg_url, "--user", "ana",
                                 "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["counts"] == _counts(personal)
    assert "Checking the counts" in result.stderr
    again = runner.invoke(app, ["--db", personal.url, "migrate-to", pg_url, "--user", "ana"])
    assert again.exit_code == 1
    assert again.output.strip().startswith("Error: this member's network")
    assert len(again.stderr.strip().splitlines()) == 1  # refused before reading anything


# -- the JSON ledger with fresh ids (any database) ---------------------------------------------


def _data(net: Network) -> dict[str, Any]:
    from netfolio.io.export.ledger_json import ledger_data

    with net.session() as s:
        return ledger_data(db_session=s)


def test_read_ledger_with_fresh_ids_follows_every_reference(
    personal: Network, tmp_path: Path, _sqlite_template: Path
) -> None:
    import shutil

    from netfolio.io.export.ledger_json import read_ledger

    for person in personal.people()[:5]:  # gaps in the ids: fresh ones are different
        personal.delete(person.id)
    data = _data(personal)
    assert min(p["id"] for p in data["people"]) > 1
    path = tmp_path / "copy.db"
    shutil.copyfile(_sqlite_template, path)
    copy = Network(f"sqlite:///{path}")
    with copy.session() as s:
        counts = read_ledger(db_session=s, data=data, fresh_ids=True)
    assert counts["people"] == len(data["people"])
    assert sorted(p.id for p in copy.people()) == list(range(1, counts["people"] + 1))
    assert _counts(copy) == _counts(personal)
    _same_ledgers(personal, copy)
    copy.close()


def test_fresh_ids_refuse_a_reference_to_no_one(
    personal: Network, tmp_path: Path, _sqlite_template: Path
) -> None:
    import shutil

    from netfolio.io.export.ledger_json import read_ledger

    data = _data(personal)
    data["knows"][0]["b_id"] = 10_000_000
    path = tmp_path / "copy.db"
    shutil.copyfile(_sqlite_template, path)
    copy = Network(f"sqlite:///{path}")
    with pytest.raises(ImportError_, match="damaged"), copy.session() as s:
        read_ledger(db_session=s, data=data, fresh_ids=True)
    assert copy.count() == 0
    copy.close()
