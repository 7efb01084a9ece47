"""Load a :class:`~netfolio.core.snapshot.Snapshot` from the ledger: one query per table.

Rows come straight from the driver's cursor into numpy (no ORM objects), so loading two
million interaction rows costs little more than fetching them. This is the full load, the
reference for every date; today's measures can instead read the statistics kept per person
(:func:`netfolio.core.person_stats.load_today`), without a pass over the interactions.
"""

from __future__ import annotations

import numpy as np
from sqlalchemy.orm import Session

from netfolio.core.settings import get_me
from netfolio.core.snapshot import Snapshot
from netfolio.core.snapshot_columns import int_matrix, load_other_columns

_INTERACTIONS = """
SELECT ip.person_id, i.at, i.utc_offset, i.channel, i.initiator, i.intent, i.id
FROM interaction_person ip JOIN interaction i ON i.id = ip.interaction_id
"""


def load_snapshot(*, db_session: Session) -> Snapshot:
    """The whole ledger as columns (see :class:`Snapshot` for the contract)."""
    me = get_me(db_session=db_session)
    raw = db_session.connection().connection.dbapi_connection
    assert raw is not None
    other = load_other_columns(raw, list(me.own_fields))
    ix = int_matrix(raw, _INTERACTIONS, 7)
    order = np.lexsort((ix[:, 6], ix[:, 1]))  # by time, then interaction id
    ix = ix[order]
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
