"""`netfolio team ...` through Typer's CliRunner, checked through the library (PostgreSQL;
the SQLite refusals run everywhere)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from click.testing import Result
from typer.testing import CliRunner

from netfolio.cli.app import app
from netfolio.network import Network

Run = Callable[..., Result]

postgres = pytest.mark.postgres


def _runner(url: str) -> Run:
    runner = CliRunner()

    def invoke(*args: str, user: str | None = None, input: str | None = None) -> Result:
        who = ["--user", user] if user else []
        return runner.invoke(app, ["--db", url, *who, *args], input=input)

    return invoke


def _one_line_error(result: Result) -> str:
    assert result.exit_code == 1, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.output
    return lines[0]


@pytest.fixture
def run(team: Any) -> Run:
    return _runner(team.url)


# -- accounts ---------------------------------------------------------------------------------


@postgres
def test_add_user_from_stdin_the_first_takes_over_the_empty_default_user(pg_url: str) -> None:
    run = _runner(pg_url)
    r = run("team", "add-user", "ana", "--name", "Ana Núñez", "--password-stdin",
            input="ana-password-1\n")
    assert r.exit_code == 0, r.output
    assert "Added ana (Ana Núñez)" in r.output and "ana-password-1" not in r.output
    for name in ("bob", "carol"):  # account commands need only the database
        r = run("team", "add-user", name, "--password-stdin", input=f"{name}-password-1\n")
        assert r.exit_code == 0, r.output
    users = json.loads(run("team", "users", "--json").stdout)
    assert (users[0]["id"], users[0]["username"], users[0]["can_log_in"]) == (1, "ana", True)
    assert [u["username"] for u in users] == ["ana", "bob", "carol"]
    text = run("team", "users").output
    assert "ana" in text and "Ana Núñez" in text and "carol" in text
    net = Network(pg_url, user="bob")
    assert net.team.authenticate("bob", "bob-password-1") is not None
    net.close()


@postgres
def test_passwords_come_from_a_terminal_or_stdin_never_the_command_line(pg_url: str) -> None:
    run = _runner(pg_url)
    assert "no terminal" in _one_line_error(run("team", "add-user", "ana"))
    assert "at least 8" in _one_line_error(
        run("team", "add-user", "ana", "--password-stdin", input="short\n"))
    assert "no password on stdin" in _one_line_error(
        run("team", "add-user", "ana", "--password-stdin", input=""))
    r = run("team", "add-user", "ana", "--password", "x")
    assert r.exit_code == 2  # no such option


@postgres
def test_set_password(team: Any, run: Run) -> None:
    r = run("team", "set-password", "ana", "--password-stdin", input="a-new-password\n")
    assert r.exit_code == 0, r.output
    assert team.bob.team.authenticate("ana", "a-new-password") is not None
    assert team.bob.team.authenticate("ana", team.passwords["ana"]) is None


def test_team_accounts_are_refused_on_sqlite(sqlite_url: str) -> None:
    line = _one_line_error(_runner(sqlite_url)("team", "add-user", "ana", "--password-stdin",
                                               input="ana-password-1\n"))
    assert "need a PostgreSQL database" in line and "migrate-to" in line


@postgres
def test_a_team_database_needs_to_know_who_you_are(team: Any, run: Run) -> None:
    assert "--user NAME" in _one_line_error(run("list"))
    assert "--user NAME" in _one_line_error(run("team", "ask", "--org", "Stripe"))
    assert "no user 'zed'" in _one_line_error(run("list", user="zed"))
    r = CliRunner().invoke(app, ["--db", team.url, "list", "--json"],
                           env={"NETFOLIO_USER": "bob"})
    assert r.exit_code == 0 and [p["display_name"] for p in json.loads(r.stdout)] == ["Sam Poe"]


@postgres
def test_db_info_shows_the_team_and_counts_only_the_named_members_network(
    team: Any, run: Run,
) -> None:
    ledger = json.loads(run("db", "info", "--json").stdout)
    assert ledger["users"] == 2 and ledger["team"] is True and "people" not in ledger
    bob = json.loads(run("db", "info", "--json", user="bob").stdout)
    assert bob["member"] == "bob" and bob["people"] == 1 and bob["interactions"] == 0


# -- API tokens -------------------------------------------------------------------------------


@postgres
def test_token_create_list_revoke(team: Any, run: Run) -> None:
    r = run("team", "token", "create", "nightly", user="ana")
    assert r.exit_code == 0, r.output
    assert "shown only once" in r.output
    token = next(w for w in r.output.split() if w.startswith("nf_"))
    assert team.bob.team.user_for_token(token).username == "ana"
    listed = json.loads(run("team", "token", "list", "--json", user="ana").stdout)
    assert [(t["name"], t["revoked"]) for t in listed] == [("nightly", False)]
    assert "token" not in listed[0] and token not in run("team", "token", "list",
                                                          user="ana").output
    assert run("team", "token", "list", "--json", user="bob").stdout.strip() == "[]"
    assert "no token" in _one_line_error(
        run("team", "token", "revoke", str(listed[0]["id"]), user="bob"))
    r = run("team", "token", "revoke", str(listed[0]["id"]), user="ana")
    assert r.exit_code == 0, r.output
    assert team.bob.team.user_for_token(token) is None
    created = json.loads(run("team", "token", "create", "ci", "--json", user="bob").stdout)
    assert team.ana.team.user_for_token(created["token"]).username == "bob"


# -- sharing ----------------------------------------------------------------------------------


@postgres
def test_share_sharing_directory(team: Any, run: Run) -> None:
    r = run("team", "share", "Sam Poe", user="bob")
    assert r.exit_code == 0, r.output
    assert "Sharing Sam Poe (Stripe)" in r.output and "1 shared (1 added" in r.output
    rules = json.loads(run("team", "sharing", "--json", user="bob").stdout)
    assert [(p["name"], p["share"]) for p in rules["people"]] == [("Sam Poe", True)]
    entries = json.loads(run("team", "directory", "--json", user="bob").stdout)
    assert [(e["name"], e["organisation"], e["owner"]) for e in entries] == [
        ("Sam Poe", "Stripe", "Bob Li")]
    assert entries[0]["strength"] in ("strong", "familiar", "weak")
    assert "Bob's private note" not in json.dumps(entries)
    assert "Sam Poe" in run("team", "directory", user="bob").output

    team.bob.set_fields("Sam Poe", ["software"])
    r = run("team", "share", "--field", "software", user="bob")
    assert r.exit_code == 0 and "Sharing the field software" in r.output
    r = run("team", "share", "Sam Poe", "--off", user="bob")
    assert r.exit_code == 0 and "Keeping out Sam Poe" in r.output and "0 shared" in r.output
    text = run("team", "sharing", user="bob").output
    assert "software" in text and "Sam Poe: kept out" in text
    assert "directory is empty" in run("team", "directory", user="bob").output
    r = run("team", "share", "Sam Poe", "--forget", user="bob")
    assert r.exit_code == 0 and "1 shared" in r.output  # the field shares him again
    r = run("team", "share", "--field", "software", "--forget", user="bob")
    assert r.exit_code == 0 and "0 shared" in r.output
    assert json.loads(run("team", "sharing", "--json", user="bob").stdout) == {
        "fields": [], "people": []}
    r = run("team", "sync", "--json", user="ana")
    assert json.loads(r.stdout)["shared"] == 1

    assert "one of them" in _one_line_error(run("team", "share", user="bob"))
    assert "pick one" in _one_line_error(run("team", "share", "Sam Poe", "--off", "--forget",
                                             user="bob"))
    assert "Jane Roe" in _one_line_error(run("team", "share", "Jane Roe", user="bob"))


# -- the team ask and introductions -----------------------------------------------------------


@postgres
def test_ask_text_and_json(team: Any, run: Run) -> None:
    text = run("team", "ask", "--org", "stripe", user="bob")
    assert text.exit_code == 0, text.output
    assert "Ana Núñez" in text.output and "Jane Roe" in text.output
    assert "Staff Engineer" in text.output and "entry #" in text.output
    assert "private" not in text.output and "jane@stripe.example" not in text.output
    answer = json.loads(run("team", "ask", "--org", "Stripe", "--title", "engineer", "--json",
                            user="bob").stdout)
    assert [lead["teammate"] for lead in answer["leads"]] == ["Ana Núñez"]
    path = answer["paths"][0]
    assert (path["name"], path["organisation"]) == ("Jane Roe", "Stripe, Inc.")
    assert path["introducers"][0]["teammate"] == "Ana Núñez"
    nobody = run("team", "ask", "--org", "Stripe", user="ana")  # your own shares are not leads
    assert nobody.exit_code == 0 and "No one on the team" in nobody.output
    assert "say who to look for" in _one_line_error(run("team", "ask", user="bob"))


def _entry(run: Run) -> int:
    answer = json.loads(run("team", "ask", "--org", "Stripe", "--json", user="bob").stdout)
    entry: int = answer["paths"][0]["introducers"][0]["entry_id"]
    return entry


@postgres
def test_introductions_end_to_end(team: Any, run: Run) -> None:
    entry = _entry(run)
    r = run("team", "request", str(entry), "--message", "hiring for payments", user="bob")
    assert r.exit_code == 0, r.output
    assert "asked Ana Núñez to introduce you to Jane Roe (Stripe, Inc.)" in r.output
    assert "already asked" in _one_line_error(run("team", "request", str(entry), user="bob"))
    incoming = json.loads(run("team", "requests", "--json", user="ana").stdout)
    assert [(x["direction"], x["requester"], x["status"], x["message"]) for x in incoming] == [
        ("incoming", "Bob Li", "pending", "hiring for payments")]
    first = incoming[0]["id"]
    assert "Bob Li asks you to introduce Jane Roe" in run("team", "requests", user="ana").output
    assert "only the teammate asked" in _one_line_error(run("team", "accept", str(first),
                                                            user="bob"))
    r = run("team", "accept", str(first), user="ana")
    assert r.exit_code == 0 and "logged as a give" in r.output
    gives = [i for i in team.ana.ledger("Jane Roe").interactions if i.intent == "give"]
    assert len(gives) == 1 and "Bob Li" in (gives[0].note or "")
    assert team.bob.count() == 1  # nothing landed in the requester's ledger
    r = run("team", "outcome", str(first), "met for coffee", user="bob")
    assert r.exit_code == 0 and "met for coffee" in r.output
    outgoing = json.loads(run("team", "requests", "--status", "accepted", "--json",
                              user="bob").stdout)
    assert [(x["direction"], x["status"], x["outcome"]) for x in outgoing] == [
        ("outgoing", "accepted", "met for coffee")]

    second = json.loads(run("team", "request", str(entry), "--json", user="bob").stdout)["id"]
    assert run("team", "decline", str(second), user="ana").exit_code == 0
    third = json.loads(run("team", "request", str(entry), "--json", user="bob").stdout)["id"]
    assert "only the teammate who asked" in _one_line_error(
        run("team", "withdraw", str(third), user="ana"))
    assert run("team", "withdraw", str(third), user="bob").exit_code == 0
    statuses = {x["id"]: x["status"] for x in json.loads(
        run("team", "requests", "--json", user="bob").stdout)}
    assert statuses == {first: "accepted", second: "declined", third: "withdrawn"}
    assert "is declined" in _one_line_error(run("team", "outcome", str(second), "x", user="bob"))
    assert "not a status" in _one_line_error(run("team", "requests", "--status", "nope",
                                                 user="bob"))
    text = run("team", "requests", "--status", "declined", user="bob").output
    assert "you asked Ana Núñez to introduce Jane Roe" in text and "[declined]" in text


def test_team_help_teaches() -> None:
    runner = CliRunner()
    for command in (["team"], ["team", "ask"], ["team", "share"], ["team", "add-user"],
                    ["team", "token", "create"], ["migrate-to"]):
        text = runner.invoke(app, [*command, "--help"]).output
        assert "Example" in text, command
    assert "--user NAME" in runner.invoke(app, ["--help"]).output
