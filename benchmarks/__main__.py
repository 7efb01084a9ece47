"""Run netfolio's benchmarks: ``python -m benchmarks [--quick] [startup demo ...]``.

``team`` (50 members' networks, 5,000,000 interactions, in one PostgreSQL database) takes
about 20 minutes and needs a PostgreSQL server, so it runs only when named:
``python -m benchmarks team``. ``identity_full`` (the identity benchmark up to 100,000
people) takes several minutes and also runs only when named.

Prints a Markdown table of figures with their same-run baselines and ratios, and writes
them to benchmarks/results/latest.json.
"""

from __future__ import annotations

import argparse
import importlib
import json
import platform
from pathlib import Path

BENCHMARKS = ("startup", "demo", "measures", "import", "identity", "practice", "web")
#: Run only when named (long, and needs PostgreSQL).
ON_REQUEST = ("team", "identity_full")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("names", nargs="*", choices=[*BENCHMARKS, *ON_REQUEST, []], default=[],
                        help=f"which to run (default: all of {', '.join(BENCHMARKS)}; "
                        f"{', '.join(ON_REQUEST)} only when named: team takes about 20 minutes "
                        "and needs PostgreSQL, identity_full several minutes)")
    parser.add_argument("--quick", action="store_true", help="smaller sizes, fewer repeats")
    args = parser.parse_args()
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
