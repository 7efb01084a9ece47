"""The measures: snapshot + every person's strength + portfolio + dormant ties, against one
plain ``sqlite3`` fetchall of the interaction columns they need, in the same run."""

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
