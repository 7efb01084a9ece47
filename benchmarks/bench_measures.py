"""The measures: snapshot + every person's strength + portfolio + dormant ties, against one
plain ``sqlite3`` fetchall of the interaction columns they need, in the same run.

Today's measures from the statistics kept per person (``person_stats``: one pass over people)
against the full snapshot load (every interaction row), interleaved in one child process:
the load alone, and the load plus every person's standing (strength, tier, goodwill,
relationship: what ``list``, ``goodwill`` and ``ask`` compute), at 10,000 and 100,000 people.
"""

from __future__ import annotations

import json
import sqlite3
import time

from benchmarks.common import (
    Result,
    command_time,
    median_time,
    netfolio_command,
    python,
    run_child,
)
from benchmarks.ledgers import demo_ledger

BASELINE_SQL = """
SELECT ip.person_id, i.at, i.utc_offset, i.channel, i.initiator, i.intent, i.id
FROM interaction_person ip JOIN interaction i ON i.id = ip.interaction_id
"""

# Run in a child process (through common.SPAWNER) so that its peak memory is its own.
CHILD = """
import json, resource, sys, time, datetime
from netfolio.network import Network
from netfolio.measures import portfolio
net = Network(sys.argv[1])
params = net.params()
day = net.day(None)
times = []
for _ in range(int(sys.argv[2])):
    t = time.perf_counter()
    snap = net.snapshot()
    folio = portfolio(snap, day, params)
    times.append(time.perf_counter() - t)
    rows, dormant = int(snap.n_rows), len(folio.dormant)
    del snap, folio  # one computation's peak, not two overlapping ones
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"times": times, "rss_mb": rss, "rows": rows, "dormant": dormant}))
"""


# Interleaved, so both paths see the same machine load; the results must agree.
TODAY = """
import json, statistics, sys, time
from netfolio.network import Network
from netfolio.reports import standings
net = Network(sys.argv[1])
params, day = net.params(), net.day(None)
net.snapshot(kept=True)  # open (and, for an older cached ledger, upgrade) before timing
load = {"full": [], "kept": []}
total = {"full": [], "kept": []}
for _ in range(int(sys.argv[2])):
    for kind in ("full", "kept"):
        t = time.perf_counter()
        snap = net.snapshot(kept=kind == "kept")
        t1 = time.perf_counter()
        rows = standings(snap, day, params)
        t2 = time.perf_counter()
        load[kind].append(t1 - t)
        total[kind].append(t2 - t)
        if kind == "full":
            reference = rows
        else:
            assert rows == reference, "the kept statistics disagree with the full recompute"
        del snap, rows
print(json.dumps({k: {"load": statistics.median(load[k]), "total": statistics.median(total[k])}
                  for k in load}))
"""


def _today(people: int, repeat: int) -> list[Result]:
    path = str(demo_ledger(people))
    out = run_child([python(), "-c", TODAY, path, str(repeat)]).stdout
    t = json.loads(out)
    return [
        Result(f"load for today's measures from person_stats ({people:,} people)",
               t["kept"]["load"], "full snapshot load (every interaction row)",
               t["full"]["load"], target="< 0.5x"),
        Result(f"every person's standing today from person_stats ({people:,} people)",
               t["kept"]["total"], "the same from the full snapshot", t["full"]["total"],
               target="< 0.5x, equal results"),
    ]


def _fetchall(path: str) -> None:
    con = sqlite3.connect(path)
    con.execute(BASELINE_SQL).fetchall()
    con.close()


def run(quick: bool = False) -> list[Result]:
    import statistics

    people = 10_000 if quick else 100_000
    repeat = 3 if quick else 5
    path = str(demo_ledger(people))
    base = median_time(lambda: _fetchall(path), repeat)
    ran = run_child([python(), "-c", CHILD, path, str(repeat)])
    child = json.loads(ran.stdout)
    value = statistics.median(child["times"])
    results = [Result(
        f"snapshot + strength + portfolio + dormant ({people:,} people, "
        f"{child['rows']:,} interaction rows)", value, "sqlite3 fetchall of those columns",
        base, target="<= 2x and < 4 s; peak < 1.5 GB",
        note=f"peak memory {ran.peak_mb:,.0f} MB",
    )]
    for size in (10_000,) if quick else (10_000, 100_000):
        results += _today(size, repeat)
    small = str(demo_ledger(10_000))
    start = command_time([python(), "-c", "pass"], 3)
    results.append(Result(
        "netfolio portfolio, start-up included (10,000 people)",
        command_time([*netfolio_command(), "--db", small, "portfolio"], repeat),
        "python -c pass", start, target="< 1 s",
    ))
    return results


if __name__ == "__main__":
    for r in run(quick=True):
        print(r.row(), r.note)
    _ = time
