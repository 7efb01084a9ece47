"""Dunbar tiers by rank, overrides, cadence and overdue."""

from __future__ import annotations

import numpy as np

from netfolio.core.snapshot import Snapshot
from netfolio.measures import assign_tiers, tie_strength, tier_status


def test_tiers_fill_the_layers_by_rank() -> None:
    score = np.linspace(100, 1, 2000)
    tier = assign_tiers(score, np.zeros(2000, dtype=np.int16))
    counts = {t: int(np.count_nonzero(tier == t)) for t in (5, 15, 50, 150, 500, 1500, 0)}
    assert counts == {5: 5, 15: 10, 50: 35, 150: 100, 500: 350, 1500: 1000, 0: 500}
    assert list(tier[:6]) == [5, 5, 5, 5, 5, 15]


def test_no_strength_no_tier_and_ties_break_by_id() -> None:
    score = np.array([0.0, 10.0, 10.0, 0.0])
    tier = assign_tiers(score, np.zeros(4, dtype=np.int16), np.array([1, 3, 2, 4]))
    assert list(tier) == [0, 5, 5, 0]
    tier = assign_tiers(np.full(7, 10.0), np.zeros(7, dtype=np.int16), np.arange(7)[::-1].copy())
    assert list(tier) == [15, 15, 5, 5, 5, 5, 5]  # the five lowest ids first


def test_overrides_take_room_in_their_layer() -> None:
    override = np.zeros(20, dtype=np.int16)
    override[[10, 11, 12]] = 5  # the user put three (weak) people in the inner layer
    override[19] = 150
    score = np.linspace(100, 5, 20)
    tier = assign_tiers(score, override)
    assert list(tier[[10, 11, 12, 19]]) == [5, 5, 5, 150]
    assert list(tier[:3]) == [5, 5, 15]  # only two inferred places left in the 5 layer
    assert np.count_nonzero(tier == 15) == 10


def test_cadence_and_overdue() -> None:
    d = 20_000
    snap = Snapshot.from_records(
        people=[{"id": 1, "tier": 5}, {"id": 2, "tier": 150}, {"id": 3, "tier": 15}, {"id": 4}],
        interactions=[
            {"person": 1, "day": d - 10, "at": 0},
            {"person": 2, "day": d - 10, "at": 0},
        ],
    )
    t = tier_status(snap, tie_strength(snap, d))
    assert list(t.tier) == [5, 150, 15, 0]
    assert list(t.cadence_days) == [7, 365, 30, 0]
    assert list(t.days_since) == [10, 10, -1, -1]
    assert list(t.overdue) == [True, False, True, False]  # 3: a tier and never contacted
    assert list(t.overdue_days) == [3, 0, 0, 0]
    assert list(t.inferred) == [False, False, False, False]
    assert list(t.rank) == [1, 2, 0, 0]
    assert t.counts()[5] == 1 and t.counts()[0] == 1


def test_inferred_tier_is_never_closer_than_the_strength_reaches() -> None:
    # Eight people, all weak: by rank alone the first five would be "the closest 5".
    score = np.array([90.0, 70.0, 50.0, 20.0, 6.0, 3.0, 0.5, 0.0])
    thresholds = (75.0, 60.0, 45.0, 30.0, 15.0, 5.0)
    by_rank = assign_tiers(score, np.zeros(8, dtype=np.int16))
    assert list(by_rank) == [5, 5, 5, 5, 5, 15, 15, 0]
    floored = assign_tiers(score, np.zeros(8, dtype=np.int16), thresholds=thresholds)
    assert list(floored) == [5, 15, 50, 500, 1500, 0, 0, 0]
    # exactly on a threshold reaches that layer; a user's tier always wins
    assert list(assign_tiers(np.array([75.0]), np.array([0]), thresholds=thresholds)) == [5]
    assert list(assign_tiers(np.array([1.0]), np.array([5]), thresholds=thresholds)) == [5]
