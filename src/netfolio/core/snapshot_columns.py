"""The snapshot's columns besides the interactions, read through a DB-API connection.

People, fields, asks and knows edges: the small tables, one query each, shared by the full
load (:mod:`netfolio.core.snapshot_load`) and the load from kept statistics
(:func:`netfolio.core.person_stats.load_today`). No SQLAlchemy here, so a read path without
the ORM can use it.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

if TYPE_CHECKING:
    from netfolio.core.snapshot import Snapshot

_PEOPLE = """
SELECT id, COALESCE(tier_override, 0), COALESCE(closeness, 0), connected_on,
       display_name, COALESCE(organisation, ''), COALESCE(title, '')
FROM person ORDER BY id
"""
_PERSON_FIELDS = "SELECT person_id, field FROM person_field"
_FIELDS = "SELECT slug FROM field ORDER BY slug"
_ASKS = "SELECT person_id, direction, status, opened_on FROM ask"
_EDGES = "SELECT a_id, b_id FROM knows"


def fetch_all(conn: Any, sql: str) -> list[Any]:
    cur = conn.cursor()
    try:
        cur.execute(sql)
        return list(cur.fetchall())
    finally:
        cur.close()


def int_matrix(conn: Any, sql: str, width: int) -> NDArray[np.int64]:
    """An all-integer query's rows as an (N, width) array, straight from the cursor."""
    cur = conn.cursor()
    try:
        cur.execute(sql)
        flat = np.fromiter(itertools.chain.from_iterable(cur), dtype=np.int64)
    finally:
        cur.close()
    return flat.reshape(-1, width)


def days(values: list[Any]) -> NDArray[np.int32]:
    """Day numbers of DATE values as the driver returns them (SQLite: ISO text; PostgreSQL:
    ``datetime.date``); -1 where unknown."""
    if not values:
        return np.zeros(0, dtype=np.int32)
    dates = np.array(["NaT" if v is None else str(v)[:10] for v in values], dtype="datetime64[D]")
    out = dates.astype(np.int64)
    out[np.isnat(dates)] = -1
    return out.astype(np.int32)


@dataclass(frozen=True)
class OtherColumns:
    """Every Snapshot column except the interactions, as keyword arguments (``columns``),
    and the people's ids for mapping other tables' person ids to rows (``rows``)."""

    columns: dict[str, Any]

    @property
    def person_id(self) -> NDArray[np.int64]:
        out: NDArray[np.int64] = self.columns["person_id"]
        return out

    def rows(self, ids: NDArray[np.int64]) -> NDArray[np.int32]:
        return np.searchsorted(self.person_id, ids).astype(np.int32)


def load_other_columns(conn: Any, own_fields: list[str]) -> OtherColumns:
    """People, fields, asks and edges (``own_fields``: the user's own slugs)."""
    people = fetch_all(conn, _PEOPLE)
    person_id = np.array([r[0] for r in people], dtype=np.int64)

    def rows(ids: NDArray[np.int64]) -> NDArray[np.int32]:
        return np.searchsorted(person_id, ids).astype(np.int32)

    slugs = [r[0] for r in fetch_all(conn, _FIELDS)]
    slug_index = {s: i for i, s in enumerate(slugs)}
    pf = fetch_all(conn, _PERSON_FIELDS)
    asks = fetch_all(conn, _ASKS)
    edges = int_matrix(conn, _EDGES, 2)
    return OtherColumns({
        "person_id": person_id,
        "tier_override": np.array([r[1] for r in people], dtype=np.int16),
        "closeness": np.array([r[2] for r in people], dtype=np.int8),
        "connected_day": days([r[3] for r in people]),
        "name": tuple(r[4] for r in people),
        "organisation": tuple(r[5] for r in people),
        "title": tuple(r[6] for r in people),
        "field_slugs": tuple(slugs),
        "pf_person": rows(np.array([r[0] for r in pf], dtype=np.int64)),
        "pf_field": np.array([slug_index[r[1]] for r in pf], dtype=np.int32),
        "own_fields": tuple(s for s in own_fields if s in slug_index),
        "ask_person": rows(np.array([r[0] for r in asks], dtype=np.int64)),
        "ask_direction": np.array([r[1] for r in asks], dtype=np.int8),
        "ask_status": np.array([r[2] for r in asks], dtype=np.int8),
        "ask_day": days([r[3] for r in asks]),
        "edge_a": rows(edges[:, 0]),
        "edge_b": rows(edges[:, 1]),
    })


_INTERACTIONS = """
SELECT ip.person_id, i.at, i.utc_offset, i.channel, i.initiator, i.intent, i.id
FROM interaction_person ip JOIN interaction i ON i.id = ip.interaction_id
"""


def load_full(conn: Any, own_fields: list[str]) -> Snapshot:
    """The whole ledger as columns, every interaction row included (``conn``: a DB-API
    connection in a transaction that sees one ledger version). The reference for every
    date, used by the ORM path and the lean read path alike."""
    from netfolio.core.snapshot import Snapshot

    other = load_other_columns(conn, own_fields)
    ix = int_matrix(conn, _INTERACTIONS, 7)
    ix = ix[np.lexsort((ix[:, 6], ix[:, 1]))]  # by time, then interaction id
    ix_day = (ix[:, 1] + ix[:, 2] * 60) // 86_400
    return Snapshot(
        **other.columns,
        ix_person=other.rows(ix[:, 0]),
        ix_at=ix[:, 1],
        ix_day=ix_day.astype(np.int32),
        ix_channel=ix[:, 3].astype(np.int8),
        ix_initiator=ix[:, 4].astype(np.int8),
        ix_intent=ix[:, 5].astype(np.int8),
        ix_id=ix[:, 6],
    )


__all__ = ["OtherColumns", "days", "fetch_all", "int_matrix", "load_full", "load_other_columns"]
