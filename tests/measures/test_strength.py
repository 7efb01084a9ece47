"""Tie strength: hand-computed values, explanations, and its properties."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from netfolio.core.snapshot import Snapshot, day_number
from netfolio.errors import ValidationError
from netfolio.measures import PARTS, Params, explain, tie_strength
from netfolio.measures.strength import strength_at_days

from .strategies import DAY0, SPAN, build, interaction, network

D = day_number(date(2024, 1, 1))


def one(**ix: Any) -> dict[str, Any]:
    """An interaction record with person 1 on day D unless told otherwise."""
    rec = {"person": 1, "day": D, "at": D * 86_400}
    rec.update(ix)
    if "day" in ix and "at" not in ix:
        rec["at"] = ix["day"] * 86_400
    return rec


def sat(n: float, k: float) -> float:
    return 1 - math.exp(-n / k)


def test_single_meeting_ten_days_ago() -> None:
    snap = Snapshot.from_records(people=[{"id": 1}], interactions=[one(channel="in_person")])
    r = tie_strength(snap, D + 10)
    # first pass (half-life 60) gives ~31.2 >= 30: the 150 layer, whose half-life is also 60
    recency = 30 * 2 ** (-10 / 60)
    frequency = 20 * sat(1, 10)
    depth = 2 ** (-10 / 120) * 15 * sat(1.0, 5)
    assert r.score[0] == pytest.approx(recency + frequency + depth)
    assert r.score[0] == pytest.approx(31.1966, abs=1e-4)
    assert r.parts["reciprocity"][0] == 0 and r.parts["duration"][0] == 0
    assert r.basis_tier[0] == 150 and r.half_life[0] == 60


def test_tier_override_sets_the_half_life() -> None:
    snap = Snapshot.from_records(
        people=[{"id": 1, "tier": 5}], interactions=[one(channel="in_person")]
    )
    r = tie_strength(snap, D + 10)
    expected = 30 * 2 ** (-10 / 180) + 20 * sat(1, 10) + 2 ** (-10 / 360) * 15 * sat(1.0, 5)
    assert r.score[0] == pytest.approx(expected)
    assert r.basis_tier[0] == 5 and r.half_life[0] == 180


def test_two_way_contact_and_duration() -> None:
    snap = Snapshot.from_records(
        people=[{"id": 1}],
        interactions=[
            one(day=D - 730, channel="email", initiator="me"),
            one(day=D, channel="call", initiator="them", intent="give"),
            one(day=D, channel="call", initiator="me", intent="received"),
        ],
    )
    r = tie_strength(snap, D)
    # two-way units: min(2 by me, 1 by them) + min(1 give, 1 received) = 2
    assert r.stats.started_by_me[0] == 2 and r.stats.started_by_them[0] == 1
    assert r.stats.span_days[0] == 730
    depth_units = round(0.4 * 1024) / 1024 + 2 * round(0.8 * 1024) / 1024
    assert r.stats.depth_units[0] == pytest.approx(depth_units)
    history = 20 * sat(2, 3) + 15 * sat(depth_units, 5) + 15 * sat(730 / 365.2425, 2)
    first_pass = 30 + 20 * sat(2, 10) + history
    assert r.first_pass[0] == pytest.approx(first_pass)  # ~54.5: the 50 layer, half-life 90
    assert r.basis_tier[0] == 50
    assert r.score[0] == pytest.approx(first_pass)  # last contact today: recency is full


def test_no_interactions_means_zero_and_closeness_counts_alone() -> None:
    snap = Snapshot.from_records(
        people=[
            {"id": 1},
            {"id": 2, "closeness": 5},
            {"id": 3, "closeness": 3, "connected": D + 5},
            {"id": 4, "closeness": 1},
        ]
    )
    r = tie_strength(snap, D)
    assert list(r.score) == [0.0, 30.0, 0.0, 0.0]  # 3: connected after as_of; 4: rated 1 = 0
    assert r.parts["closeness"][1] == 30.0
    assert tie_strength(snap, D + 5).score[2] == pytest.approx(0.3 * 100 * 0.5)


def test_closeness_blends_with_behaviour() -> None:
    records: dict[str, Any] = {"interactions": [one(channel="in_person")]}
    plain = tie_strength(Snapshot.from_records(people=[{"id": 1}], **records), D + 10)
    rated = tie_strength(
        Snapshot.from_records(people=[{"id": 1, "closeness": 4}], **records), D + 10
    )
    # same first-pass tier (150), so the behavioural parts are scaled by 0.7
    assert rated.score[0] == pytest.approx(0.7 * plain.score[0] + 0.3 * 100 * 0.75)


def test_group_contact_counts_less_depth() -> None:
    solo = Snapshot.from_records(people=[{"id": 1}], interactions=[one(channel="in_person")])
    group = Snapshot.from_records(
        people=[{"id": i} for i in range(1, 5)],
        interactions=[one(people=[1, 2, 3, 4], channel="in_person")],
    )
    assert list(group.group_size) == [4, 4, 4, 4]
    assert tie_strength(solo, D).stats.depth_units[0] == 1.0
    assert tie_strength(group, D).stats.depth_units[0] == 0.5


def test_only_what_happened_on_or_before_as_of_counts() -> None:
    snap = Snapshot.from_records(
        people=[{"id": 1}], interactions=[one(day=D), one(day=D + 1), one(day=D + 365)]
    )
    assert tie_strength(snap, D - 1).score[0] == 0
    assert tie_strength(snap, D).stats.count[0] == 1
    assert tie_strength(snap, date(2024, 1, 2)).stats.count[0] == 2
    r = tie_strength(snap, D + 365)
    assert r.stats.count[0] == 3 and r.stats.count_window[0] == 2  # D fell out of the year


def test_explain_adds_up_and_says_why() -> None:
    snap = Snapshot.from_records(
        people=[{"id": 1, "closeness": 4}],
        interactions=[one(day=D - 100, initiator="them"), one(channel="video")],
    )
    r = tie_strength(snap, D + 3)
    rows = explain(r, 0)
    assert [p for p, _, _ in rows] == list(PARTS)
    assert sum(points for _, points, _ in rows) == pytest.approx(r.score[0])
    detail = dict((p, d) for p, _, d in rows)
    assert "3 days ago" in detail["recency"]
    assert detail["frequency"] == "2 interactions in the last year"
    assert "1 started by you, 1 by them" in detail["reciprocity"]


def test_params_are_checked() -> None:
    with pytest.raises(ValidationError):
        Params(weight_recency=50.0)  # weights no longer sum to 100
    with pytest.raises(ValidationError):
        Params(half_life_days=(30.0, 60.0, 90.0, 120.0, 150.0, 180.0))  # grows outward
    assert replace(Params(), weekly_budget=7).weekly_budget == 7


def test_vectorised_on_a_large_network_is_fast() -> None:
    from .synthetic import synthetic

    snap = synthetic(20_000, 400_000)
    r = tie_strength(snap, 20_000)
    assert r.score.shape == (20_000,)
    total = sum(r.parts[p] for p in PARTS)
    np.testing.assert_allclose(total, r.score, rtol=0, atol=1e-9)


# -- properties -------------------------------------------------------------------------------

AS_OF = DAY0 + SPAN


@settings(max_examples=40, deadline=None)
@given(network(), st.integers(AS_OF - 400, AS_OF + 400))
def test_strength_is_in_range_and_parts_add_up(records: dict[str, Any], as_of: int) -> None:
    r = tie_strength(build(records), as_of)
    assert np.all(r.score >= 0) and np.all(r.score <= 100 + 1e-9)
    np.testing.assert_allclose(sum(r.parts[p] for p in PARTS), r.score, rtol=0, atol=1e-9)
    for part in r.parts.values():
        assert np.all(part >= 0)


@settings(max_examples=40, deadline=None)
@given(network(), st.data())
def test_adding_an_interaction_never_lowers_strength(records: dict[str, Any], data: Any) -> None:
    n = len(records["people"])
    extra = data.draw(interaction(n, AS_OF))
    before = tie_strength(build(records), AS_OF).score
    more = {**records, "interactions": [*records["interactions"], extra]}
    after = tie_strength(build(more), AS_OF).score
    assert np.all(after >= before - 1e-9)


@settings(max_examples=40, deadline=None)
@given(network(), st.integers(1, 2000))
def test_more_silence_never_raises_strength(records: dict[str, Any], k: int) -> None:
    snap = build(records)  # every interaction is on or before AS_OF
    now = tie_strength(snap, AS_OF).score
    later = tie_strength(snap, AS_OF + k).score
    assert np.all(later <= now + 1e-9)


@settings(max_examples=20, deadline=None)
@given(network(max_people=8, max_interactions=40))
def test_strength_at_many_days_matches_one_day_at_a_time(records: dict[str, Any]) -> None:
    snap = build(records)
    days = np.arange(DAY0 - 10, AS_OF + 60, 97)
    full = np.zeros((len(days), snap.n_people))
    for cols, rows, scores in strength_at_days(snap, days):
        full[cols.start : cols.stop, rows] = scores
    for j, day in enumerate(days):
        np.testing.assert_allclose(full[j], tie_strength(snap, int(day)).score, atol=1e-9)
