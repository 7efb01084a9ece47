"""CLI start-up: ``netfolio --help`` and ``netfolio show PERSON`` against ``python -c pass``."""

from __future__ import annotations

import tempfile
from pathlib import Path

from benchmarks.common import Result, command_time, netfolio_command, python


def run(quick: bool = False) -> list[Result]:
    repeat = 3 if quick else 9
    base = command_time([python(), "-c", "pass"], repeat)
    cli = netfolio_command()
    results = [Result("netfolio --help", command_time([*cli, "--help"], repeat),
                      "python -c pass", base, target="< 0.15 s")]
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "demo.db")
        from netfolio.demo import build

        demo = build(f"sqlite:///{db}", people=2000, years=6, seed=1)
        who = f"#{next(iter(demo.highlights.values()))}"
        results.append(Result("netfolio show PERSON (2,000 people)",
                              command_time([*cli, "--db", db, "show", who], repeat),
                              "python -c pass", base, target="< 0.4 s"))
    return results
