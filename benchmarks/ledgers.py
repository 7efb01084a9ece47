"""Demo ledgers for benchmarks, built once and kept in benchmarks/results/ (not committed)."""

from __future__ import annotations

import shutil
from pathlib import Path

CACHE = Path(__file__).parent / "results" / "ledgers"


def demo_ledger(people: int, *, years: int = 6, seed: int = 5) -> Path:
    """A demo ledger of ``people`` people, built on first use and reused after."""
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"demo-{people}-{years}-{seed}.db"
    if not path.exists():
        from netfolio.demo import build

        tmp = path.with_suffix(".building")
        for leftover in CACHE.glob(tmp.name + "*"):
            leftover.unlink()
        build(f"sqlite:///{tmp}", people=people, years=years, seed=seed)
        import sqlite3

        con = sqlite3.connect(tmp)
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        con.close()
        shutil.move(tmp, path)
    return path


def fresh_copy(people: int, target: Path, **kwargs: int) -> Path:
    """A private copy of a cached demo ledger (for benchmarks that write)."""
    shutil.copyfile(demo_ledger(people, **kwargs), target)
    return target
