"""Load a :class:`~netfolio.core.snapshot.Snapshot` from the ledger: one query per table.

Rows come straight from the driver's cursor into numpy (no ORM objects), so loading two
million interaction rows costs little more than fetching them. This is the full load, the
reference for every date; today's measures can instead read the statistics kept per person
(:func:`netfolio.core.person_stats.load_today`), without a pass over the interactions.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from netfolio.core.settings import get_me
from netfolio.core.snapshot import Snapshot
from netfolio.core.snapshot_columns import load_full


def load_snapshot(*, db_session: Session) -> Snapshot:
    """The whole ledger as columns (see :class:`Snapshot` for the contract)."""
    me = get_me(db_session=db_session)
    raw = db_session.connection().connection.dbapi_connection
    assert raw is not None
    return load_full(raw, list(me.own_fields))
