"""The identity benchmark at 1,000, 10,000 and 100,000 people (several minutes):
``python -m benchmarks identity_full``. See :mod:`benchmarks.bench_identity`."""

from __future__ import annotations

from benchmarks.bench_identity import run as _run
from benchmarks.common import Result


def run(quick: bool = False) -> list[Result]:
    return _run(sizes=(1_000, 10_000) if quick else (1_000, 10_000, 100_000))
