"""The practice commands through Typer's CliRunner, checked through the library."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from icalendar import Calendar
from typer.testing import CliRunner

from netfolio.cli.app import app
from netfolio.network import Network


@pytest.fixture
def lib(sqlite_url: str):  # type: ignore[no-untyped-def]
    network = Network(sqlite_url)
    yield network
    network.close()


@pytest.fixture
def run(sqlite_url: str):  # type: ignore[no-untyped-def]
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None):  # type: ignore[no-untyped-def]
        return runner.invoke(app, ["--db", sqlite_url, *args], input=input,
                             terminal_width=140)

    return invoke


@pytest.fixture
def people(lib: Network) -> dict[str, int]:
    """A small network: friends at Stripe and elsewhere, a stranger at Stripe."""
    ids = {}
    for name, org, title, field in (
        ("Ana Núñez", "Stripe", "Payments Engineer", "software"),
        ("Bo Chen", "Globex", "Analyst", "finance"),
        ("Cy Diaz", "Initech", "Designer", "design"),
        ("Dee Park", "Stripe", "Risk Lead", "finance"),
        ("Eve Stone", "Acme", "Teacher", "teaching"),
        ("Fay Lund", "Hooli", "Lawyer", "law"),
    ):
        ids[name.split()[0]] = lib.add(name, organisation=org, title=title, fields=[field]).id
    for who in ("Ana", "Bo", "Cy", "Eve", "Fay"):
        for day in ("2025-01-15", "2025-02-15", "2025-03-15", "2025-04-15", "2025-05-15"):
            lib.log([ids[who]], when=day, channel="call")
    lib.knows(ids["Ana"], ids["Dee"])
    return ids


def test_plan_shows_and_prints_json(run, lib: Network, people: dict[str, int]) -> None:  # type: ignore[no-untyped-def]
    r = run("plan")
    assert r.exit_code == 0, r.output
    assert "Week of" in r.output and "How to give" in r.output
    data = json.loads(run("plan", "--json").output)
    assert set(data) >= {"week", "items"}
    assert data == lib.plan().to_dict()
    item = data["items"][0]
    assert {"person", "reasons", "suggestion"} <= set(item)
    assert item["reasons"][0]["code"] and item["suggestion"]["opener"]
    other = json.loads(run("plan", "--week", "2026-12-09", "--json").output)
    assert other["week"] == "2026-12-07"


def test_plan_done_skip_snooze(run, lib: Network, people: dict[str, int]) -> None:  # type: ignore[no-untyped-def]
    items = lib.plan().items
    first, second, third = (i.person.id for i in items[:3])
    r = run("plan", "done", f"#{first}", "--channel", "call", "--intent", "give")
    assert r.exit_code == 0, r.output
    assert "Done: give by call" in r.output
    assert run("plan", "skip", f"#{second}").exit_code == 0
    until = (dt.date.today() + dt.timedelta(days=21)).isoformat()
    r = run("plan", "snooze", f"#{third}", "--until", until)
    assert r.exit_code == 0 and until in r.output
    plan = lib.plan()
    assert plan.items[0].person.id == first and plan.items[0].status == "done"
    assert second not in [i.person.id for i in plan.items]
    assert third not in [i.person.id for i in plan.items]
    assert lib.ledger(first).interactions[0].intent == "give"
    r = run("plan", "snooze", f"#{third}", "--until", "2020-01-01")
    assert r.exit_code == 1 and r.output.startswith("Error: snooze until a day after today")


def test_ask_with_a_need_and_subcommands(run, lib: Network, people: dict[str, int]) -> None:  # type: ignore[no-untyped-def]
    r = run("ask", "who knows stripe")
    assert r.exit_code == 0, r.output
    assert "Ask directly" in r.output and "Warm paths" in r.output and "Dee Park" in r.output
    data = json.loads(run("ask", "who knows stripe", "--json").output)
    assert data == lib.ask("who knows stripe").to_dict()
    assert [c["person"]["id"] for c in data["direct"]] == [people["Ana"]]
    assert data["warm_paths"][0]["target"]["id"] == people["Dee"]
    # filters without words, and the explicit subcommand
    by_company = json.loads(run("ask", "--company", "Stripe", "--json").output)
    assert by_company["need"]["company"] == "Stripe" and by_company["direct"]
    assert json.loads(run("ask", "find", "stripe", "--json").output)["matched"] == 2
    # the header counts in words and reads the need's fields by name; nothing shown, no "from #"
    words = " ".join(run("ask", "advice on hiring", "--field", "data_ai").output.split())
    assert "Read as: People, HR and Recruiting;" in words and "hr_recruiting" not in words
    assert "Showing from" not in run("ask", "underwater basket weaving").output
    past = run("ask", "--company", "Stripe", "--offset", "50").output
    assert "No more past #50" in past and "No one in your network" not in past
    # record and resolve are still subcommands
    r = run("ask", "record", "Ana", "an intro to Dee")
    assert r.exit_code == 0, r.output
    asks = lib.ledger(people["Ana"]).asks
    assert [(a.what, a.status) for a in asks] == [("an intro to Dee", "open")]
    r = run("ask", "resolve", str(asks[0].id), "fulfilled")
    assert r.exit_code == 0 and "thank-you" in r.output
    assert lib.ledger(people["Ana"]).asks[0].status == "fulfilled"
    thanks = lib.plan().item_for(people["Ana"])
    assert thanks is not None and thanks.suggestion.kind == "thank"
    r = run("ask", "resolve", str(asks[0].id), "sometime")
    assert r.exit_code == 1 and "Error:" in r.output
    assert run("ask").exit_code in (0, 2)  # no need given: help


def test_compose_and_check(run, lib: Network, people: dict[str, int], tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    r = run("compose", "Dee", "--json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    assert data["purpose"] == "learn" and data["check"]["score"] >= 50
    r = run("compose", "Ana", "--purpose", "reconnect")
    assert r.exit_code == 0 and "Ana" in r.output
    r = run("compose", "Ana", "--purpose", "beg")
    assert r.exit_code == 1 and "not a purpose" in r.output
    draft = tmp_path / "draft.txt"
    draft.write_text("Just checking in! Could you refer me to your manager?", encoding="utf-8")
    r = run("check", str(draft), "--json")
    out = json.loads(r.output)
    assert set(out) == {"score", "findings"} and out["score"] < 50
    assert {"empty_opener", "asks_favour"} <= {f["code"] for f in out["findings"]}
    r = run("check", "-", "--person", "Dee", input="Hi Dee, how did you get into risk work "
            "at Stripe? I loved your talk.")
    assert r.exit_code == 0 and "send it" in r.output
    assert run("check", str(tmp_path / "missing.txt")).exit_code == 1


def test_calendar_file(run, lib: Network, people: dict[str, int], tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    lib.edit(people["Ana"], birthday="--06-01")
    path = tmp_path / "netfolio.ics"
    r = run("calendar", str(path), "--weeks", "2")
    assert r.exit_code == 0, r.output
    cal = Calendar.from_ical(path.read_bytes())
    summaries = [str(e["SUMMARY"]) for e in cal.walk("VEVENT")]
    assert any(s.startswith("Birthday: Ana") for s in summaries)
    assert len(summaries) == 1 + len(lib.plan().items) + len(
        lib.plan(dt.date.today() + dt.timedelta(days=7)).items)
