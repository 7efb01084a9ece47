"""The practice: ``netfolio plan`` and ``netfolio ask`` wall time (start-up included, as
subprocesses), against the measures' snapshot + tie strength time in the same run."""

from __future__ import annotations

import json
import sqlite3
import statistics

from benchmarks.common import Result, command_time, netfolio_command, python, run_child
from benchmarks.ledgers import demo_ledger

NEED = ["ask", "machine learning engineer"]
#: What every command that reads the ledger imports before doing anything.
FLOOR = "import sqlalchemy.orm, numpy, netfolio.core.models"
#: As an installed package runs: with compiled bytecode (this harness may set
#: PYTHONDONTWRITEBYTECODE, which would compile every module from source on every run).
ENV = {"PYTHONDONTWRITEBYTECODE": ""}

# In a child process: load the snapshot and compute every person's tie strength.
CHILD = """
import json, sys, time
from netfolio.measures import tie_strength
from netfolio.network import Network
net = Network(sys.argv[1])
params, day = net.params(), net.day(None)
times = []
for _ in range(int(sys.argv[2])):
    t = time.perf_counter()
    tie_strength(net.snapshot(), day, params)
    times.append(time.perf_counter() - t)
print(json.dumps(times))
"""


def _timed(argv: list[str], repeat: int) -> tuple[float, float]:
    """Median wall time and median CPU time (user + system) of a command, start-up included."""
    run_child(argv, env=ENV)  # warm the caches
    runs = [run_child(argv, env=ENV) for _ in range(repeat)]
    return statistics.median(r.wall for r in runs), statistics.median(r.cpu for r in runs)


def _counts(path: str) -> tuple[int, int]:
    con = sqlite3.connect(path)
    people = con.execute("SELECT count(*) FROM person").fetchone()[0]
    interactions = con.execute("SELECT count(*) FROM interaction").fetchone()[0]
    con.close()
    return int(people), int(interactions)


def _snapshot_and_strength(path: str, repeat: int) -> float:
    out = run_child([python(), "-c", CHILD, path, str(repeat)]).stdout
    return statistics.median(json.loads(out))


def run(quick: bool = False) -> list[Result]:
    sizes = [10_000] if quick else [10_000, 100_000]
    cli = netfolio_command()
    start = command_time([python(), "-c", "pass"], 3, env=ENV)
    floor, floor_cpu = _timed([python(), "-c", FLOOR], 3 if quick else 5)
    results = [Result("start-up floor: import SQLAlchemy's ORM, numpy and the ledger's models",
                      floor, "python -c pass", start, note=f"CPU {floor_cpu:.3f} s")]
    for size in sizes:
        path = str(demo_ledger(size))
        repeat = 3 if quick or size > 10_000 else 5
        command_time([*cli, "--db", path, "plan"], 1, env=ENV)  # upgrades an older ledger
        base = _snapshot_and_strength(path, repeat)
        people, interactions = _counts(path)
        target = "< 1 s" if size <= 10_000 else "<= 2x"
        for name, args in (("plan", ["plan"]), ("ask", NEED)):
            wall, cpu = _timed([*cli, "--db", path, *args], repeat)
            results.append(Result(
                f"netfolio {name}, start-up included ({people:,} people, {interactions:,} "
                "interactions)", wall, "snapshot + tie strength, in process", base,
                target=target, note=f"CPU {cpu:.3f} s; python -c pass: {start:.3f} s",
            ))
    return results


if __name__ == "__main__":
    for r in run(quick=True):
        print(r.row(), r.note)
