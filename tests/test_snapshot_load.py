"""The loader fills the snapshot contract from a real ledger."""

from __future__ import annotations

import datetime as dt

import numpy as np

from netfolio.core.enums import Channel, Initiator, Intent
from netfolio.core.snapshot import day_number
from netfolio.core.snapshot_load import load_snapshot
from netfolio.network import Network


def test_load_snapshot_matches_the_ledger(net: Network) -> None:
    net.init(fields=["software"])
    ana = net.add("Ana Núñez", organisation="Hospital Clínic", title="Cardiologist", tier=15,
                  closeness=4, connected_on=dt.date(2020, 5, 1))
    ben = net.add("Ben Okafor", fields=["software", "design"])
    cy = net.add("Cy Tan")
    madrid = dt.timezone(dt.timedelta(hours=1))
    # 23:30 in Madrid on Nov 2 is Nov 2 locally but 22:30 UTC: the local day counts.
    net.log(["Ana", "Ben"], when=dt.datetime(2026, 11, 2, 23, 30, tzinfo=madrid),
            channel="video", intent="share")
    net.log(["Ben"], when="2026-10-01", intent="asked_of_me")
    net.introduce("Ana", "Cy", when="2026-11-03")
    with net.session() as s:
        snap = load_snapshot(db_session=s)
    assert list(snap.person_id) == [ana.id, ben.id, cy.id]
    assert list(snap.tier_override) == [15, 0, 0] and list(snap.closeness) == [4, 0, 0]
    assert snap.connected_day[0] == day_number(dt.date(2020, 5, 1))
    assert snap.connected_day[1] == -1
    assert snap.own_fields == ("software",)
    assert set(snap.fields_of(1)) == {"software", "design"}
    assert snap.fields_of(0) == ("medicine",)
    # one row per participant, sorted by time
    assert snap.n_rows == 5
    assert list(np.diff(snap.ix_at) >= 0) == [True] * 4
    first = snap.ix_person == 1
    assert snap.ix_intent[first][0] == Intent.ASKED_OF_ME.code
    assert snap.ix_initiator[first][0] == Initiator.THEM.code
    share = snap.ix_intent == Intent.SHARE.code
    assert set(snap.ix_person[share]) == {0, 1}
    assert set(snap.ix_channel[share]) == {Channel.VIDEO.code}
    assert set(snap.ix_day[share]) == {day_number(dt.date(2026, 11, 2))}
    assert [(int(a), int(b)) for a, b in zip(snap.edge_a, snap.edge_b, strict=True)] == [(0, 2)]
