"""Load a :class:`~netfolio.core.snapshot.Snapshot` from the ledger: one query per table.

Rows come straight from the driver's cursor into numpy (no ORM objects), so loading two
million interaction rows costs little more than fetching them.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
from sqlalchemy.orm import Session

from netfolio.core.settings import get_me
from netfolio.core.snapshot import Snapshot

_PEOPLE = """
SELECT id, COALESCE(tier_override, 0), COALESCE(closeness, 0), connected_on,
       display_name, COALESCE(organisation, ''), COALESCE(title, '')
FROM person ORDER BY id
"""
_PERSON_FIELDS = "SELECT person_id, field FROM person_field"
_FIELDS = "SELECT slug FROM field ORDER BY slug"
_INTERACTIONS = """
SELECT ip.person_id, i.at, i.utc_offset, i.channel, i.initiator, i.intent, i.id
FROM interaction_person ip JOIN interaction i ON i.id = ip.interaction_id
"""
_ASKS = "SELECT person_id, direction, status, opened_on FROM ask"
_EDGES = "SELECT a_id, b_id FROM knows"


def _cursor(session: Session, sql: str) -> Any:
    raw = session.connection().connection.dbapi_connection
    assert raw is not None
    cur = raw.cursor()
    cur.execute(sql)
    return cur


def _int_matrix(session: Session, sql: str, width: int) -> np.ndarray:
    cur = _cursor(session, sql)
    flat = np.fromiter(itertools.chain.from_iterable(cur), dtype=np.int64)
    cur.close()
    return flat.reshape(-1, width)


def _days(values: list[Any]) -> np.ndarray:
    """Day numbers of DATE values as the driver returns them (SQLite: ISO text; PostgreSQL:
    ``datetime.date``); -1 where unknown."""
    if not values:
        return np.zeros(0, dtype=np.int32)
    dates = np.array(["NaT" if v is None else str(v)[:10] for v in values], dtype="datetime64[D]")
    days = dates.astype(np.int64)
    days[np.isnat(dates)] = -1
    return days.astype(np.int32)


def load_snapshot(*, db_session: Session) -> Snapshot:
    """The whole ledger as columns (see :class:`Snapshot` for the contract)."""
    cur = _cursor(db_session, _PEOPLE)
    people = cur.fetchall()
    cur.close()
    person_id = np.array([r[0] for r in people], dtype=np.int64)

    def rows(ids: np.ndarray) -> np.ndarray:
        return np.searchsorted(person_id, ids).astype(np.int32)

    slugs = [r[0] for r in db_session.connection().exec_driver_sql(_FIELDS)]
    slug_index = {s: i for i, s in enumerate(slugs)}
    pf = db_session.connection().exec_driver_sql(_PERSON_FIELDS).all()
    pf_person = rows(np.array([r[0] for r in pf], dtype=np.int64))
    pf_field = np.array([slug_index[r[1]] for r in pf], dtype=np.int32)

    ix = _int_matrix(db_session, _INTERACTIONS, 7)
    order = np.lexsort((ix[:, 6], ix[:, 1]))  # by time, then interaction id
    ix = ix[order]
    ix_day = (ix[:, 1] + ix[:, 2] * 60) // 86_400

    asks = db_session.connection().exec_driver_sql(_ASKS).all()
    edges = _int_matrix(db_session, _EDGES, 2)
    me = get_me(db_session=db_session)
    return Snapshot(
        person_id=person_id,
        tier_override=np.array([r[1] for r in people], dtype=np.int16),
        closeness=np.array([r[2] for r in people], dtype=np.int8),
        connected_day=_days([r[3] for r in people]),
        name=tuple(r[4] for r in people),
        organisation=tuple(r[5] for r in people),
        title=tuple(r[6] for r in people),
        field_slugs=tuple(slugs),
        pf_person=pf_person,
        pf_field=pf_field,
        own_fields=tuple(s for s in me.own_fields if s in slug_index),
        ix_person=rows(ix[:, 0]),
        ix_at=ix[:, 1],
        ix_day=ix_day.astype(np.int32),
        ix_channel=ix[:, 3].astype(np.int8),
        ix_initiator=ix[:, 4].astype(np.int8),
        ix_intent=ix[:, 5].astype(np.int8),
        ix_id=ix[:, 6],
        ask_person=rows(np.array([r[0] for r in asks], dtype=np.int64)),
        ask_direction=np.array([r[1] for r in asks], dtype=np.int8),
        ask_status=np.array([r[2] for r in asks], dtype=np.int8),
        ask_day=_days([r[3] for r in asks]),
        edge_a=rows(edges[:, 0]),
        edge_b=rows(edges[:, 1]),
    )
