"""Dormant ties: once strong, silent past cadence and 8x their rhythm, ranked for value."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from netfolio.core.snapshot import Snapshot
from netfolio.measures import dormant_ties
from netfolio.measures.dormant import _median_intervals

D = 20_000


def every(person: int, start: int, end: int, step: int, **kw: Any) -> list[dict[str, Any]]:
    return [
        {"person": person, "day": d, "at": d * 86_400, **kw} for d in range(start, end + 1, step)
    ]


def network(fields: dict[int, list[str]] | None = None) -> Snapshot:
    fields = fields or {}
    ix = every(1, D - 1000, D - 400, 14, channel="in_person")  # very close, silent 412 days
    ix += every(1, D - 1000, D - 400, 28, initiator="them")
    ix += every(2, D - 1500, D - 500, 60, channel="call")  # close, silent 540 days
    ix += every(2, D - 1470, D - 530, 120, initiator="them")
    ix += every(3, D - 700, D - 3, 14, channel="video")  # current
    ix += every(4, D - 2100, D - 300, 200, channel="in_person")  # slow rhythm: not decayed
    ix += [{"person": 5, "day": D - 900, "at": 0, "channel": "email"}]  # never strong
    people = [{"id": i, "fields": fields.get(i, [])} for i in range(1, 6)]
    return Snapshot.from_records(people=people, interactions=ix)


def test_dormant_ties_and_their_reasons() -> None:
    ties = dormant_ties(network(), D)
    assert [t.person_id for t in ties] == [2, 1]  # not closest-first: 1 peaked higher
    one = next(t for t in ties if t.person_id == 1)
    assert one.peak > 85 and one.strength < 1
    assert one.days_silent == 412 and one.last_day == D - 412
    assert one.typical_interval_days == 14.0 and one.silence_ratio == pytest.approx(412 / 14)
    assert one.cadence_days == 7 and one.peak_tier == 5
    assert one.reasons == ("high_past_peak", "silent_past_cadence", "silent_past_rhythm")
    two = ties[0]
    assert two.typical_interval_days == 30.0 and two.days_silent == 540
    c = 50.0
    # no field gap: only the peak term, weight 0.6 of the two
    assert two.value == pytest.approx(100 * 0.6 * (1 - ((two.peak - c) / 50) ** 2))


def test_a_field_gap_raises_the_value() -> None:
    fields = {1: ["arts"], 2: ["software"], 3: ["software"], 4: ["software"], 5: ["arts"]}
    ties = dormant_ties(network(fields), D)
    one = next(t for t in ties if t.person_id == 1)
    assert one.field_gap > 0.9 and "field_under_target" in one.reasons
    assert ties[0].person_id == 1  # the only tie into an under-weight field comes first


def test_median_intervals() -> None:
    snap = Snapshot.from_records(
        people=[{"id": 1}, {"id": 2}, {"id": 3}],
        interactions=[
            *({"person": 1, "day": d, "at": d} for d in (0, 10, 10, 20, 50)),
            *({"person": 2, "day": d, "at": d} for d in (5, 9, 30, 100)),
            {"person": 3, "day": 3, "at": 3},
        ],
    )
    out = _median_intervals(snap, np.array([0, 1, 2]), 60)
    assert out[0] == 10.0  # gaps 10, 10, 30 (the repeated day counts once)
    assert out[1] == 12.5  # gaps 4 and 21 (day 100 is after as_of): the mean of the middle two
    assert np.isnan(out[2])  # one contact day: no rhythm
