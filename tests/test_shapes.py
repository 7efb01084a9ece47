"""One shape per report: ``to_dict()`` (the CLI's --json) and pydantic (the web API) write the
same JSON for every report, from the one declaration each report has (its dataclass)."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from dataclasses import dataclass
from typing import Annotated, Any

import pytest
from pydantic import TypeAdapter

from netfolio.core.shapes import Iso, Plain, Ref, Rounded, plain
from netfolio.core.team import (
    Entry,
    Introducer,
    Lead,
    RequestInfo,
    SharedPerson,
    ShareRules,
    TeamAnswer,
    TeamPath,
    TeamQuery,
)
from netfolio.network import Network


def _pydantic(value: Any) -> Any:
    if isinstance(value, list):
        return [_pydantic(v) for v in value]
    return TypeAdapter(type(value)).dump_python(value, mode="json")


def _same(value: Any) -> Any:
    """``plain(value)``, after checking pydantic writes the very same JSON."""
    ours = plain(value)
    assert json.dumps(ours, sort_keys=True) == json.dumps(_pydantic(value), sort_keys=True)
    return ours


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Any:
    from netfolio.demo import build

    url = f"sqlite:///{tmp_path_factory.mktemp('shapes') / 'demo.db'}"
    build(url, people=150, years=3, seed=5)
    net = Network(url)
    yield net
    net.close()


def test_every_report_writes_the_same_json_both_ways(demo: Network) -> None:
    strongest = max(demo.standings(), key=lambda s: s.strength)
    ledger = _same(demo.ledger(strongest.id))
    assert ledger["interactions"] and {"id", "name"} == set(ledger["knows"][0])
    assert {"id", "name"} == set(ledger["interactions"][0]["people"][0])
    _same(demo.get(strongest.id))
    why = _same(demo.why(strongest.id))
    assert why["parts"] and why["standing"]["id"] == strongest.id
    folio = _same(demo.portfolio())
    assert folio["series"][-1] == {"date": folio["series"][-1]["date"],
                                   "value": demo.portfolio().series[-1].value}
    assert set(folio["by_strength"]) >= {"blau", "hhi_band"} and folio["dormant"]
    plan = demo.plan()
    demo.plan_skip(plan.items[0].person.id)
    demo.plan_snooze(plan.items[1].person.id, "in 3 weeks")
    again = _same(demo.plan())
    assert again["snoozed"][0]["person"]["id"] == plan.items[1].person.id
    assert again["snoozed"][0]["until"] > again["week"] and "done" in again
    assert all(round(i["score"], 2) == i["score"] for i in again["items"])
    ask = _same(demo.ask("advice on hiring a data team", field="data_ai", limit=5))
    assert ask["warm_paths"] and ask["as_of"]
    _same(demo.ask("data", limit=20))
    check = _same(demo.check("Can you introduce me to your boss?", strongest.id))
    assert {"score", "send_it", "findings"} == set(check) and check["findings"][0]["kind"]
    _same(demo.compose(strongest.id))
    _same(demo.fields())
    _same(demo.me())
    _same(demo.standings()[:50])
    _same(demo.dormant(limit=5))
    _total, lines = demo.goodwill()
    _same(lines[:20])
    points = _same(demo.value())
    assert set(points[0]) == {"date", "value"}
    _same(demo.targets())
    _same(demo.import_history())


def test_team_shapes_write_the_same_json_both_ways() -> None:
    when = dt.datetime(2026, 11, 3, 9, 30, tzinfo=dt.UTC)
    request = _same(RequestInfo(7, "incoming", "Bob Li", "Ana Núñez", "Jane Roe", "Stripe",
                                "Keen on payments", "accepted", when, None, None))
    assert request["target"] == "Jane Roe" and "target_name" not in request
    assert request["created_at"] == when.isoformat() and request["decided_at"] is None
    answer = _same(TeamAnswer(
        TeamQuery(organisation="Stripe"), [Lead(2, "Ana Núñez", (1, 0, 2))],
        [TeamPath("Jane Roe", "Stripe", None, None, [Introducer(4, 2, "Ana Núñez", "strong")])],
        truncated=False))
    assert answer["leads"] == [{"teammate_id": 2, "teammate": "Ana Núñez", "best": "strong",
                                "strong": 1, "familiar": 0, "weak": 2}]
    rules = _same(ShareRules(["software"], [SharedPerson(3, "Jane Roe", True)]))
    assert rules["people"] == [{"id": 3, "name": "Jane Roe", "share": True}]
    entry = _same(Entry(1, 2, "Ana", "Jane Roe", "Stripe", None, "software", "strong"))
    assert entry["name"] == "Jane Roe" and entry["strength"] == "strong"
    assert "display_name" not in entry and "bucket" not in entry


@dataclass
class _Sample(Plain):
    """A report with every kind of declaration the writer reads."""

    when: Annotated[dt.datetime, Iso()]
    score: Annotated[float, Rounded(1)]
    who: list[Ref]
    by: dict[str, Any]
    day: dt.date | None = None
    json_hidden = ("by",)
    json_extra = ("first",)

    @property
    def first(self) -> Ref | None:
        return self.who[0] if self.who else None


def test_the_writer_reads_every_declaration() -> None:
    sample = _Sample(dt.datetime(2026, 1, 2, 3, 4, tzinfo=dt.UTC), 2.345, [Ref(1, "Ana")],
                     {"x": 1}, dt.date(2026, 1, 2))
    assert _same(sample) == {"when": "2026-01-02T03:04:00+00:00", "score": 2.3,
                             "who": [{"id": 1, "name": "Ana"}], "day": "2026-01-02",
                             "first": {"id": 1, "name": "Ana"}}
    assert sample.score == 2.345 and sample.who[0] == (1, "Ana")  # Python keeps its values
    schema = TypeAdapter(_Sample).json_schema(mode="serialization")
    assert set(schema["properties"]) == {"when", "score", "who", "day", "first"}
    assert set(schema["required"]) == set(schema["properties"])


def test_to_dict_does_not_import_pydantic() -> None:
    """The CLI's --json stays as quick to start as its other output."""
    code = ("import sys; from netfolio.core.shapes import Ref, plain; plain([Ref(1, 'a')]); "
            "from netfolio.practice.coach import CheckResult, Finding; "
            "CheckResult(60, [Finding('x', 1, 'y')]).to_dict(); "
            "print('pydantic' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"
