"""The measure commands on a demo ledger, checked for consistency through the library."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from netfolio.cli.app import app
from netfolio.network import Network


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from netfolio.demo import build

    path = tmp_path_factory.mktemp("demo") / "demo.db"
    build(f"sqlite:///{path}", people=200, years=4, seed=11)
    return path


@pytest.fixture
def ledger(demo_file: Path, tmp_path: Path) -> str:
    path = tmp_path / "ledger.db"
    shutil.copyfile(demo_file, path)
    return str(path)


def run(db: str, *args: str) -> str:
    result = CliRunner().invoke(app, ["--db", db, *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_portfolio_json_is_consistent(ledger: str) -> None:
    report = json.loads(run(ledger, "portfolio", "--json"))
    standings = Network(ledger).standings()
    assert report["people"] == len(standings) == report["relationships"] + report["connections"]
    assert report["value"] == pytest.approx(sum(s.strength for s in standings), abs=10)
    assert report["series"][-1][1] == pytest.approx(report["value"], rel=1e-3)
    shares = [f["share_strength"] for f in report["allocation"]]
    assert sum(shares) == pytest.approx(1.0, abs=0.01)
    assert 0 <= report["by_strength"]["blau"] < 1
    assert 0 <= report["transactional_index"] <= 1
    assert sum(report["tiers"].values()) == report["people"]


def test_portfolio_text_speaks_plainly(ledger: str) -> None:
    out = " ".join(run(ledger, "portfolio").split())
    for words in ("You know 200 people", "relationships", "your own field", "This week you",
                  "netfolio portfolio --details"):
        assert words in out
    for jargon in ("Blau", "HHI", "Shannon", "constraint", "effective size"):
        assert jargon not in out  # the indices wait behind --details
    details = " ".join(run(ledger, "portfolio", "--details").split())
    for words in ("Allocation by field", "Blau index", "HHI", "Shannon evenness",
                  "Transactional index", "Goodwill", "what they mean"):
        assert words in details
    assert ".5 " not in details  # whole head counts


def test_as_of_ignores_what_happened_later(ledger: str) -> None:
    net = Network(ledger)
    before = net.portfolio("2026-01-01").value
    someone = net.standings()[0].id
    net.log([someone], when="2026-06-01", intent="give", channel="in_person")
    assert net.portfolio("2026-01-01").value == before
    assert json.loads(run(ledger, "portfolio", "--as-of", "2026-01-01", "--json"))["value"] == (
        before
    )


def test_why_parts_add_up(ledger: str) -> None:
    net = Network(ledger)
    strongest = max(net.standings(), key=lambda s: s.strength)
    why = json.loads(run(ledger, "why", f"#{strongest.id}", "--json"))
    assert sum(p["points"] for p in why["parts"]) == pytest.approx(
        why["standing"]["strength"], abs=0.1
    )
    assert [p["part"] for p in why["parts"]] == ["rhythm", "recent", "closeness"]
    assert "tie strength" in run(ledger, "why", f"#{strongest.id}")


def test_list_sorts_by_strength_and_includes_identity(ledger: str) -> None:
    rows = json.loads(run(ledger, "list", "--sort", "strength", "-n", "20", "--json"))
    strengths = [r["standing"]["strength"] for r in rows]
    assert strengths == sorted(strengths, reverse=True) and len(rows) == 20
    assert {"emails", "linkedin_url", "standing"} <= set(rows[0])
    assert {"strength", "tier", "last_contact"} <= set(rows[0]["standing"])
    recent = json.loads(run(ledger, "list", "--sort", "last-contact", "-n", "5", "--json"))
    days = [r["standing"]["days_since"] for r in recent]
    assert days == sorted(days)


def test_list_rejects_unknown_sort(ledger: str) -> None:
    result = CliRunner().invoke(app, ["--db", ledger, "list", "--sort", "shoe-size"])
    assert result.exit_code == 1 and "sort by one of" in result.output


def test_dormant_ties_are_silent_past_their_cadence(ledger: str) -> None:
    lines = json.loads(run(ledger, "dormant", "--json"))
    assert lines, "the demo has strong ties gone dormant"
    for d in lines:
        assert d["days_silent"] > 0 and d["peak"] > d["strength"]
        assert d["reasons"] and len(d["reasons"]) == len(d["reason_codes"])


def test_goodwill_filters(ledger: str) -> None:
    takers = json.loads(run(ledger, "goodwill", "--takers", "--json", "-n", "0"))
    assert takers["people"] and all(p["taker"] for p in takers["people"])
    ask_only = json.loads(run(ledger, "goodwill", "--ask-only", "--json", "-n", "0"))
    assert all(p["ask_only"] and p["asks_mine"] > 0 for p in ask_only["people"])
    everyone = json.loads(run(ledger, "goodwill", "--json", "-n", "0"))
    balances = [p["balance"] for p in everyone["people"]]
    assert balances == sorted(balances)
    assert everyone["total"] == pytest.approx(sum(balances), abs=1.0)


def test_value_series_is_monthly(ledger: str) -> None:
    points = json.loads(run(ledger, "value", "--json"))
    months = [p["date"][:7] for p in points]
    assert months == sorted(set(months)) and len(months) >= 40
    assert "█" in run(ledger, "value")


def test_plan_reuses_a_loaded_snapshot_with_the_same_result(ledger: str) -> None:
    net = Network(ledger)
    assert net.plan(snapshot=net.snapshot()).to_dict() == net.plan().to_dict()
