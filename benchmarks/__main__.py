"""Run netfolio's benchmarks: ``python -m benchmarks [--quick] [startup demo ...]``.

``soundness`` (tie strength against a known closeness and the baselines, a few minutes;
``--seeds N`` for more seeds) prints its own table, only when named.

``team`` (50 members' networks, 5,000,000 interactions, in one PostgreSQL database) takes
about 20 minutes and needs a PostgreSQL server, so it runs only when named:
``python -m benchmarks team``. So does ``sync`` (a local Dovecot with 100,000 messages and
a Radicale calendar: ``python -m benchmarks sync``). ``identity_full`` (the identity benchmark
up to 100,000 people) takes several minutes and also runs only when named.

Prints a Markdown table of figures with their same-run baselines and ratios, and writes
them to benchmarks/results/latest.json.
"""

from __future__ import annotations

import argparse
import importlib
import json
import platform
from pathlib import Path

BENCHMARKS = ("startup", "daily", "demo", "measures", "import", "identity", "practice", "web",
              "ask")
#: Run only when named (long, and needs PostgreSQL).
ON_REQUEST = ("team", "soundness", "sync", "identity_full")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("names", nargs="*", choices=[*BENCHMARKS, *ON_REQUEST, []], default=[],
                        help=f"which to run (default: all of {', '.join(BENCHMARKS)}; "
                        f"{', '.join(ON_REQUEST)} only when named: team takes about 20 minutes "
                        "and needs PostgreSQL, sync needs Dovecot, identity_full several "
                        "minutes)")
    parser.add_argument("--quick", action="store_true", help="smaller sizes, fewer repeats")
    parser.add_argument("--seeds", type=int, default=3,
                        help="soundness: how many reported seeds (101, 102, ...; default 3)")
    parser.add_argument("--keep", metavar="DIR",
                        help="soundness: keep (and reuse) the generated files and ledgers here")
    args = parser.parse_args()
    if "soundness" in args.names:
        from benchmarks.bench_soundness import main as soundness

        soundness(seeds=args.seeds, quick=args.quick, keep=args.keep)
        args.names = [n for n in args.names if n != "soundness"]
        if not args.names:
            return
    results = []
    print(f"netfolio benchmarks on {platform.python_implementation()} "
          f"{platform.python_version()}, {platform.machine()}")
    print("| benchmark | netfolio | baseline (same run) | ratio | target |")
    print("|---|---|---|---|---|")
    for name in args.names or BENCHMARKS:
        module = importlib.import_module(f"benchmarks.bench_{name}")
        for result in module.run(quick=args.quick):
            print(result.row() + (f" {result.note}" if result.note else ""), flush=True)
            results.append(result.to_dict())
    out = Path(__file__).parent / "results"
    out.mkdir(exist_ok=True)
    (out / "latest.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
