"""Daily use: each read command as a whole process, start-up included, at 10,000 and 100,000
people, against ``python -c pass`` and a bare ``sqlite3`` read of the people table's columns
(start-up included), all interleaved in the same run.

Targets (issue 14): each command at most 0.3 s at 10,000 people and 0.6 s at 100,000, and at
most 2x the bare read. ``--quick`` runs 10,000 people only. Two commands are also timed on
the ORM read path (``NETFOLIO_READ_PATH=orm``), what every command did before the lean one.
Each child runs through :func:`benchmarks.common.run_child`: wall and CPU time, and its own
peak memory; CPU time is the steadier figure on a machine shared with other work.
"""

from __future__ import annotations

import sqlite3
import statistics
from collections.abc import Sequence

from benchmarks.common import Child, Result, netfolio_command, python, run_child
from benchmarks.ledgers import demo_ledger

#: The people table's columns the listing commands show, read with nothing else.
BARE = (
    "import sqlite3, sys\n"
    "con = sqlite3.connect(sys.argv[1])\n"
    "con.execute('SELECT id, display_name, given_name, organisation, title, location, '\n"
    "            'tier_override, closeness, connected_on FROM person').fetchall()\n"
)

TARGET = {10_000: 0.3, 100_000: 0.6}


def _busiest(path: str) -> int:
    """The person with the most interactions (``show`` and ``why`` on a full ledger)."""
    con = sqlite3.connect(path)
    row = con.execute("SELECT person_id FROM interaction_person GROUP BY person_id "
                      "ORDER BY count(*) DESC, person_id LIMIT 1").fetchone()
    con.close()
    return int(row[0])


def commands(path: str, person: int) -> dict[str, list[str]]:
    cli = [*netfolio_command(), "--db", path]
    return {
        "list --json": [*cli, "list", "--json"],
        "show PERSON": [*cli, "show", f"#{person}"],
        "why PERSON": [*cli, "why", f"#{person}"],
        "plan": [*cli, "plan"],
        "portfolio": [*cli, "portfolio"],
        "dormant": [*cli, "dormant"],
        "goodwill": [*cli, "goodwill"],
        "targets": [*cli, "targets"],
        "ask": [*cli, "ask", "hiring a data team"],
        "search ana": [*cli, "search", "ana"],
    }


def _median(runs: Sequence[Child]) -> tuple[float, float, float]:
    """Median wall time, median CPU time (user + system) and the largest peak memory."""
    return (statistics.median(r.wall for r in runs), statistics.median(r.cpu for r in runs),
            max(r.peak_mb for r in runs))


def run(quick: bool = False) -> list[Result]:
    sizes = [10_000] if quick else [10_000, 100_000]
    results: list[Result] = []
    for size in sizes:
        repeat = 3 if quick or size > 10_000 else 5
        path = str(demo_ledger(size))
        jobs: dict[str, tuple[list[str], dict[str, str] | None]] = {
            "python -c pass": ([python(), "-c", "pass"], None),
            "bare": ([python(), "-c", BARE, path], None),
            **{name: (argv, None) for name, argv in commands(path, _busiest(path)).items()},
        }
        if size == 10_000:
            for name in ("list --json", "goodwill"):
                jobs[f"{name}, ORM read path"] = (jobs[name][0], {"NETFOLIO_READ_PATH": "orm"})
        for argv, env in jobs.values():  # warm the file cache (and upgrade an older ledger)
            run_child(argv, env=env)
        runs: dict[str, list[Child]] = {name: [] for name in jobs}
        for _ in range(repeat):  # interleaved, so load on the machine falls on every command
            for name, (argv, env) in jobs.items():
                runs[name].append(run_child(argv, env=env))
        start, start_cpu, _ = _median(runs.pop("python -c pass"))
        bare, bare_cpu, bare_peak = _median(runs.pop("bare"))
        limit = TARGET[size]
        for name, done in runs.items():
            wall, cpu, peak = _median(done)
            verdict = "meets" if wall <= limit and wall <= 2 * bare else "misses"
            results.append(Result(
                f"netfolio {name} ({size:,} people)", wall,
                "bare sqlite3 read of people + start-up", bare,
                target=f"<= {limit} s and <= 2x",
                note=f"{verdict}; CPU {cpu:.3f} s (bare read {bare_cpu:.3f} s); python -c pass "
                     f"{start:.3f} s (CPU {start_cpu:.3f} s); peak {peak:,.0f} MB (bare read "
                     f"{bare_peak:,.0f} MB)",
            ))
    return results


if __name__ == "__main__":
    for r in run(quick=True):
        print(r.row(), r.note)
