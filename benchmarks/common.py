"""What every benchmark shares: timing helpers and the result record."""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any


@dataclass
class Result:
    """One figure: netfolio's time against a baseline's, measured in the same run."""

    name: str
    value: float
    baseline_name: str
    baseline: float
    unit: str = "s"
    target: str = ""
    note: str = ""

    @property
    def ratio(self) -> float:
        return self.value / self.baseline if self.baseline else float("inf")

    def row(self) -> str:
        return (f"| {self.name} | {self.value:.3f} {self.unit} | {self.baseline_name}: "
                f"{self.baseline:.3f} {self.unit} | {self.ratio:.2f}x | {self.target} |")

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "ratio": self.ratio}


def median_time(fn: Callable[[], object], repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def command_time(argv: Sequence[str], repeat: int = 7, env: dict[str, str] | None = None) -> float:
    """Median wall time of a whole command (start-up included)."""
    run_child(argv, env=env)  # warm the file cache
    return statistics.median(run_child(argv, env=env).wall for _ in range(repeat))


def python() -> str:
    """This interpreter, as it was started: ``sys.executable`` is the interpreter itself
    (under pyenv, the version's binary, not the shim), and inside a virtualenv it is the
    venv's own, whose ``site-packages`` the children need. (Resolving its symlink, as this
    once did, ran the children on the base interpreter outside the venv: "No module named
    netfolio".)"""
    return sys.executable


#: Compiled bytecode of the code under test, kept between children (not committed).
PYCACHE = Path(__file__).parent / "results" / "pycache"


def child_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of a child process: this one's, with ``PYTHONPATH`` naming the
    directories this process imported ``netfolio`` and ``benchmarks`` from, first, so the
    child runs the same code (a worktree's, not an installed copy).

    Children keep their compiled bytecode (in :data:`PYCACHE`), as an installed netfolio has
    it (pip compiles at install): with ``PYTHONDONTWRITEBYTECODE`` set, as on the shared
    machine, every command compiled netfolio's sources anew, 0.2-0.4 s that no user pays."""
    import netfolio

    mine = [str(Path(netfolio.__file__).resolve().parents[1]), str(Path(__file__).parents[1])]
    rest = [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p and p not in mine]
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return {**env, "PYTHONPATH": os.pathsep.join([*mine, *rest]),
            "PYTHONPYCACHEPREFIX": str(PYCACHE), **(extra or {})}


#: Runs one command and reports its wall time and its own peak memory. The peak must be read
#: here, in a small process of its own: Linux carries a process's high-water mark of resident
#: memory over ``fork`` and ``exec`` (``ru_maxrss`` of a child is at least what its parent
#: held when it forked), so a child started straight from a benchmark runner that holds a
#: 1.5 GB ledger reported 1.5 GB whatever it used, and ``RUSAGE_CHILDREN`` in the runner is a
#: maximum over every child so far, not this one's. This spawner holds about 10 MB when it
#: forks its one child, and ``RUSAGE_CHILDREN`` here covers that child alone.
SPAWNER = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
done = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE)
wall = time.perf_counter() - start
use = resource.getrusage(resource.RUSAGE_CHILDREN)
sys.stdout.write(json.dumps({"wall": wall, "peak_kb": use.ru_maxrss, "rc": done.returncode,
                             "cpu": use.ru_utime + use.ru_stime,
                             "out": done.stdout.decode("utf-8", "replace")}))
"""


@dataclass
class Child:
    """One child process: its wall time (start-up included), CPU time, peak resident memory
    (its own) and what it printed."""

    wall: float
    cpu: float
    peak_mb: float
    stdout: str


def run_child(argv: Sequence[str], env: dict[str, str] | None = None) -> Child:
    """Run ``argv`` through :data:`SPAWNER`: its own time and peak memory (see there)."""
    done = subprocess.run([python(), "-c", SPAWNER, *argv], capture_output=True, text=True,
                          env=child_env(env), check=True)
    got = json.loads(done.stdout)
    if got["rc"] != 0:
        raise RuntimeError(f"{' '.join(argv)} failed ({got['rc']}): {done.stderr[-2000:]}")
    return Child(got["wall"], got["cpu"], got["peak_kb"] / 1024, got["out"])


def netfolio_command() -> list[str]:
    """The installed console script, run the way a user runs it."""
    script = Path(python()).parent / "netfolio"
    if script.exists():
        return [str(script)]
    found = shutil.which("netfolio")
    return [found] if found else [python(), "-m", "netfolio"]
