"""What every benchmark shares: timing helpers and the result record."""

from __future__ import annotations

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
    full_env = {**os.environ, **(env or {})}

    def once() -> None:
        subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, env=full_env)

    once()  # warm the file cache
    return median_time(once, repeat)


def python() -> str:
    """The real interpreter (not a pyenv shim, whose own start-up would blur the figures)."""
    return os.path.realpath(sys.executable)


def netfolio_command() -> list[str]:
    """The installed console script, run the way a user runs it."""
    script = Path(python()).parent / "netfolio"
    if script.exists():
        return [str(script)]
    found = shutil.which("netfolio")
    return [found] if found else [python(), "-m", "netfolio"]
