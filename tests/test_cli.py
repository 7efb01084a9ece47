"""The CLI through Typer's CliRunner, checked through the library."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from netfolio.cli.app import app
from netfolio.network import Network


@pytest.fixture
def run(sqlite_url: str):  # type: ignore[no-untyped-def]
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None):  # type: ignore[no-untyped-def]
        return runner.invoke(app, ["--db", sqlite_url, *args], input=input)

    return invoke


@pytest.fixture
def lib(sqlite_url: str):  # type: ignore[no-untyped-def]
    network = Network(sqlite_url)
    yield network
    network.close()


def test_help_teaches() -> None:
    result = CliRunner().invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("tour", "init", "add", "log", "show", "search", "intro", "merge"):
        assert command in result.output
    log_help = CliRunner().invoke(app, ["log", "--help"]).output
    assert "asked_of_me" in log_help and "last friday" in log_help


def test_add_log_show_roundtrip(run, lib: Network) -> None:  # type: ignore[no-untyped-def]
    r = run("add", "Ana Núñez", "--email", "ana@example.org", "--org", "Hospital Clínic",
            "--title", "Cardiologist", "--tag", "mentor")
    assert r.exit_code == 0, r.output
    assert "Added #1 Ana Núñez (Hospital Clínic)" in r.output
    r = run("log", "Ana Núñez", "--intent", "catch_up", "--channel", "call",
            "--when", "2026-11-03", "--note", "her new lab")
    assert r.exit_code == 0, r.output
    ledger = lib.ledger("Ana")
    assert [(i.intent, i.channel, i.when, i.note) for i in ledger.interactions] == [
        ("catch_up", "call", "2026-11-03", "her new lab")
    ]
    r = run("show", "ana@example.org")
    assert r.exit_code == 0 and "her new lab" in r.output and "Hospital Clínic" in r.output
    data = json.loads(run("show", "Ana", "--json").output)
    assert data["person"]["emails"] == ["ana@example.org"]
    assert data["interactions"][0]["people"] == [{"id": 1, "name": "Ana Núñez"}]


def test_list_and_search_json(run, lib: Network) -> None:  # type: ignore[no-untyped-def]
    lib.add("Ana Núñez", organisation="Hospital Clínic", notes="heart imaging")
    lib.add("Ben Okafor", organisation="Acme Robotics", tags=["climbing"])
    names = [p["display_name"] for p in json.loads(run("list", "--json").output)]
    assert names == ["Ana Núñez", "Ben Okafor"]
    found = json.loads(run("search", "imaging", "--json").output)
    assert [p["display_name"] for p in found] == ["Ana Núñez"]
    assert "Ben Okafor" in run("list", "--tag", "climbing").output
    assert "No one matches" in run("search", "zzz").output


def test_unknown_person_is_one_clear_line(run, lib: Network) -> None:  # type: ignore[no-untyped-def]
    lib.add("Ana Núñez")
    r = run("log", "Ana Nunes", "--intent", "catch_up")
    assert r.exit_code == 1
    assert r.output.strip().splitlines() == [
        "Error: no person matches 'Ana Nunes'; did you mean: Ana Núñez?"
    ]
    assert lib.ledger("Ana").interactions == []


def test_ambiguous_name_without_terminal_writes_nothing(run, lib: Network) -> None:  # type: ignore[no-untyped-def]
    lib.add("Sam Lee", organisation="Acme")
    lib.add("Sam Lee", organisation="Globex")
    r = run("log", "Sam Lee")
    assert r.exit_code == 1 and "matches 2 people" in r.output and "Globex" in r.output
    assert lib.last_logged() is None


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["add", "Carla", "--email", "nope"], "is not an email address"),
        (["add", "Carla", "--phone", "12"], "phone"),
        (["add", "Carla", "--birthday", "31-31"], "not a"),
        (["log", "Ana", "--when", "whenever"], "not a date"),
        (["log", "Ana", "--intent", "bribe"], "choose one of"),
    ],
)
def test_bad_input_exits_nonzero_without_traceback(
    run, lib: Network, args: list[str], message: str  # type: ignore[no-untyped-def]
) -> None:
    lib.add("Ana Núñez")
    r = run(*args)
    assert r.exit_code == 1
    assert message in r.output and "Traceback" not in r.output
    assert lib.count() == 1 and lib.ledger("Ana").interactions == []


def test_intro_tag_edit_merge_delete(run, lib: Network) -> None:  # type: ignore[no-untyped-def]
    lib.add("Ana Núñez", emails=["ana@example.org"])
    lib.add("Ana Nunez", emails=["ana2@example.org"])
    lib.add("Ben Okafor")
    assert run("intro", "ana@example.org", "Ben", "--note", "hearts").exit_code == 0
    assert run("tag", "Ben", "climbing", "mentor").exit_code == 0
    assert run("tag", "Ben", "--remove", "mentor").exit_code == 0
    assert lib.get("Ben").tags == ["climbing"]
    assert run("edit", "Ben", "--title", "Robotics Lead", "--tier", "15").exit_code == 0
    assert (lib.get("Ben").title, lib.get("Ben").tier_override) == ("Robotics Lead", 15)
    r = run("merge", "ana@example.org", "ana2@example.org", "--yes")
    assert r.exit_code == 0, r.output
    assert lib.get("ana@example.org").emails == ["ana@example.org", "ana2@example.org"]
    r = run("delete", "Ben")  # no terminal input: confirmation refused
    assert r.exit_code != 0 and lib.count() == 2
    assert run("delete", "Ben", "--yes").exit_code == 0 and lib.count() == 1


def test_unlog_removes_the_last(run, lib: Network) -> None:  # type: ignore[no-untyped-def]
    lib.add("Ana Núñez")
    run("log", "Ana")
    run("log", "Ana", "--intent", "give")
    r = run("unlog")
    assert r.exit_code == 0 and "give" in r.output
    assert [i.intent for i in lib.ledger("Ana").interactions] == ["catch_up"]


def test_init_for_scripts(run, lib: Network) -> None:  # type: ignore[no-untyped-def]
    r = run("init", "--name", "Sam Rivera", "--email", "sam@example.org", "--budget", "6")
    assert r.exit_code == 0, r.output
    me = lib.me()
    assert (me.name, me.emails, me.weekly_budget) == ("Sam Rivera", ["sam@example.org"], 6)


def test_fields_commands(run, lib: Network) -> None:  # type: ignore[no-untyped-def]
    lib.add("Ana Núñez")
    slugs = [f["slug"] for f in json.loads(run("fields", "--json").output)]
    assert len(slugs) >= 30
    assert run("fields", "set", "Ana", slugs[0], slugs[1]).exit_code == 0
    assert lib.get("Ana").fields == sorted([slugs[0], slugs[1]])
    assert run("fields", "add", "Beekeeping").exit_code == 0
    assert any(f.slug == "beekeeping" and f.custom for f in lib.fields())


def test_db_info_and_upgrade(run) -> None:  # type: ignore[no-untyped-def]
    assert "newest revision" in run("db", "upgrade").output
    info = json.loads(run("db", "info", "--json").output)
    assert info["people"] == 0 and info["revision"]


def test_env_var_chooses_the_ledger(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "env.db"
    monkeypatch.setenv("NETFOLIO_DB", str(path))
    r = CliRunner().invoke(app, ["add", "Ana Núñez"])
    assert r.exit_code == 0, r.output
    assert Network(str(path)).count() == 1


def test_a_list_of_field_names_with_their_own_and_stays_readable() -> None:
    from netfolio.reports import _and

    assert _and(["Law", "Design", "Banking"]) == "Law, Design and Banking"
    assert _and(["Finance and Investing", "Law", "Skilled Trades and Construction"]) == (
        "Finance and Investing; Law; and Skilled Trades and Construction")
    assert _and(["Finance and Investing", "Design"]) == "Finance and Investing, and Design"
