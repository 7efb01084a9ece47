"""``netfolio demo`` generation rate, against plain sqlite3 inserting the same rows."""

from __future__ import annotations

import sqlite3
import tempfile
import time
from pathlib import Path

from benchmarks.common import Result


def run(quick: bool = False) -> list[Result]:
    from netfolio.core.db import open_database
    from netfolio.demo import generate, write

    people = 10_000 if quick else 100_000
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        demo = generate(people=people, years=6, seed=3)
        db = open_database(f"sqlite:///{Path(tmp) / 'demo.db'}")
        write(db, demo)
        elapsed = time.perf_counter() - start
        with db.engine.connect() as conn:
            n_int = conn.exec_driver_sql("SELECT count(*) FROM interaction").scalar_one()
            n_part = conn.exec_driver_sql("SELECT count(*) FROM interaction_person").scalar_one()
        db.close()

        # Baseline: the least any writer must spend: executemany of as many rows of
        # 8 integer columns into one table of a fresh file, in one transaction.
        rows = [(i, i * 7, 60, 0, 1, 2, 0, i % people) for i in range(n_int + n_part + people)]
        con = sqlite3.connect(Path(tmp) / "base.db")
        con.execute("PRAGMA journal_mode=WAL")
        con.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, a, b, c, d, e, f, g)")
        start = time.perf_counter()
        with con:
            con.executemany("INSERT INTO t VALUES (?,?,?,?,?,?,?,?)", rows)
        base = time.perf_counter() - start
        con.close()
    return [Result(f"netfolio demo: {people:,} people, {n_int:,} interactions "
                   f"(generate + write)", elapsed, "sqlite3 executemany, same row count",
                   base, target="a few minutes at 100,000",
                   note=f"{n_int / elapsed:,.0f} interactions/s")]
