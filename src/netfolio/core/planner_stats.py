"""Planner statistics: ``ANALYZE`` after a bulk write, so the query planner picks the right
indexes (issue 14: without statistics SQLite scanned a whole table for the person page at
100,000 people: 0.66 s; with them 10-15 ms).

SQLite gathers no statistics by itself: after the demo, an import, a restore or a migration
``ANALYZE`` runs with ``analysis_limit`` (a sample of each index: milliseconds even at
millions of rows, and the planner needs only the shape). PostgreSQL's autovacuum analyzes
by itself; a bulk load analyzes the tables it filled, where the role may.
"""

from __future__ import annotations

from typing import Any

#: Rows sampled per index by SQLite's ANALYZE (its documented range is 100-1000).
ANALYSIS_LIMIT = 1000


def analyze(conn: Any) -> None:
    """Refresh the planner statistics (``conn``: a DB-API connection). On SQLite this may run
    inside the caller's transaction; on PostgreSQL it analyzes what the role owns."""
    cur = conn.cursor()
    try:
        if type(conn).__module__.startswith("sqlite3"):
            cur.execute(f"PRAGMA analysis_limit={ANALYSIS_LIMIT}")
            cur.execute("ANALYZE")
        else:
            cur.execute("ANALYZE person_stats")
    finally:
        cur.close()


__all__ = ["ANALYSIS_LIMIT", "analyze"]
