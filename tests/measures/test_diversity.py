"""Allocation by field, diversity indexes, target allocation, rebalancing and reach."""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from netfolio.core.snapshot import Snapshot
from netfolio.errors import ValidationError
from netfolio.measures import (
    Params,
    allocation,
    diversity_indexes,
    reach,
    rebalance,
    target_allocation,
    tie_strength,
)
from netfolio.measures.diversity import field_weights

from .strategies import DAY0, SPAN, build, network

D = 20_000


def test_known_values() -> None:
    two = diversity_indexes([1, 1])
    assert (two.blau, two.blau_normalised, two.evenness) == (0.5, 1.0, 1.0)
    assert two.shannon == pytest.approx(math.log(2)) and two.effective_number == pytest.approx(2)
    assert (two.hhi, two.hhi_band) == (5000.0, "high")
    four = diversity_indexes([5, 5, 5, 5, 0])  # an empty field does not count in K
    assert four.fields_present == 4 and four.blau == 0.75
    assert (four.hhi, four.hhi_band) == (2500.0, "moderate")
    skew = diversity_indexes([0.6, 0.2, 0.2])
    assert skew.blau == pytest.approx(0.56) and skew.blau_normalised == pytest.approx(0.84)
    assert skew.hhi == pytest.approx(4400)
    h = -(0.6 * math.log(0.6) + 2 * 0.2 * math.log(0.2))
    assert skew.shannon == pytest.approx(h) and skew.evenness == pytest.approx(h / math.log(3))
    assert diversity_indexes([1] * 10).hhi_band == "unconcentrated"


def test_one_field_and_no_field() -> None:
    one = diversity_indexes([0, 7, 0])
    assert (one.blau, one.blau_normalised, one.evenness, one.hhi) == (0.0, 0.0, 0.0, 10_000.0)
    assert one.effective_number == 1.0 and one.hhi_band == "high"
    none = diversity_indexes([0, 0])
    assert none.fields_present == 0 and none.hhi_band == "none"


@settings(max_examples=100, deadline=None)
@given(st.lists(st.floats(0, 1e6, allow_nan=False), min_size=1, max_size=30))
def test_indexes_stay_in_range(weights: list[float]) -> None:
    d = diversity_indexes(weights)
    assert 0 <= d.blau < 1 and 0 <= d.blau_normalised <= 1
    assert 0 <= d.evenness <= 1 and 0 <= d.hhi <= 10_000
    if d.fields_present == 1:
        assert d.blau == 0 and d.hhi == pytest.approx(10_000)


@settings(max_examples=40, deadline=None)
@given(network())
def test_allocation_of_random_networks(records: dict[str, Any]) -> None:
    snap = build(records)
    alloc = allocation(snap, tie_strength(snap, DAY0 + SPAN))
    for d in (alloc.by_strength, alloc.by_people):
        assert 0 <= d.blau < 1 and 0 <= d.evenness <= 1 and 0 <= d.hhi <= 10_000
    shares = [f.share_people for f in alloc.fields]
    assert sum(shares) == pytest.approx(1.0) or sum(shares) == 0
    targets = [f.target for f in alloc.fields]
    assert sum(targets) == pytest.approx(1.0) or sum(targets) == 0
    assert np.all((alloc.field_gap >= 0) & (alloc.field_gap <= 1))


def _people(fields: list[list[str]], **extra: Any) -> list[dict[str, Any]]:
    return [{"id": i + 1, "fields": f, **extra} for i, f in enumerate(fields)]


def test_a_person_in_two_fields_splits_half_to_each() -> None:
    snap = Snapshot.from_records(
        people=[
            {"id": 1, "fields": ["software", "finance"], "closeness": 5},
            {"id": 2, "fields": ["software"], "closeness": 3},
            {"id": 3},
        ],
        own_fields=["software"],
    )
    s = tie_strength(snap, D)  # closeness only: 30 and 15 points
    assert list(s.score) == [30.0, 15.0, 0.0]
    np.testing.assert_allclose(field_weights(snap, s.score), [30.0, 15.0])
    alloc = allocation(snap, s)
    rows = {f.field: f for f in alloc.fields}
    assert rows["software"].people == 1.5 and rows["finance"].people == 0.5
    assert rows["software"].share_strength == pytest.approx(2 / 3)
    assert alloc.own_share_strength == pytest.approx(2 / 3)
    assert alloc.own_share_people == pytest.approx(0.75)
    assert alloc.unassigned_people == 1 and alloc.unassigned_strength == 0
    assert alloc.fields[0].field == "software"  # largest strength share first


def test_capped_headcount_target() -> None:
    fields = [["a"]] * 14 + [[f] for f in "bcdefgh" for _ in range(2)]
    snap = Snapshot.from_records(people=_people(fields), own_fields=["a"])
    people = field_weights(snap, np.ones(snap.n_people))
    target = dict(zip(snap.field_slugs, target_allocation(snap, people), strict=True))
    # a holds half the head-count; capped at 35%, the other 65% spread over the seven others
    assert target["a"] == pytest.approx(0.35)
    for f in "bcdefgh":
        assert target[f] == pytest.approx(0.65 / 7)


def test_caps_that_cannot_add_up_fall_back_to_proportional_caps() -> None:
    snap = Snapshot.from_records(people=_people([["a"], ["a"], ["b"]]), own_fields=["a"])
    people = field_weights(snap, np.ones(3))
    target = target_allocation(snap, people)
    np.testing.assert_allclose(target, [0.35 / 0.5, 0.15 / 0.5])  # a: own cap, b: field cap


def test_equal_and_explicit_targets() -> None:
    snap = Snapshot.from_records(people=_people([["a"]] * 8 + [["b"]] * 2), field_slugs=["z"])
    people = field_weights(snap, np.ones(10))
    equal = replace(Params(), target_method="equal", field_cap=0.5)
    np.testing.assert_allclose(target_allocation(snap, people, equal), [0, 0.5, 0.5])
    explicit = replace(Params(), target_allocation={"b": 3, "z": 1, "unknown": 5})
    np.testing.assert_allclose(target_allocation(snap, people, explicit), [0.25, 0, 0.75])


def test_rebalance_names_under_weight_fields_and_who_to_touch() -> None:
    fields = [["a"]] * 6 + [["b"]] * 6
    ix = [{"person": i, "day": D - 1, "at": 0, "channel": "in_person"} for i in range(1, 7)]
    ix += [{"person": 7, "day": D - 3, "at": 0}, {"person": 8, "day": D - 200, "at": 0}]
    people = _people(fields, tier=None)
    people[7]["tier"] = 50  # you keep person 8 in your 50 layer: contact twice a year
    snap = Snapshot.from_records(people=people, interactions=ix)
    s = tie_strength(snap, D)
    alloc = allocation(snap, s, replace(Params(), field_cap=0.5))
    plan = rebalance(snap, alloc, s, params=replace(Params(), field_cap=0.5))
    assert [r.field for r in plan] == ["b"]
    b = plan[0]
    assert b.target == pytest.approx(0.5) and b.actual < 0.5 and b.gap == b.target - b.actual
    # person 8 (contacted 200 days ago) is overdue for its tier; 7 is fresh; 9-12 never met
    assert b.person_ids == (8, 7, 9, 10, 11)


def test_connections_and_relationships() -> None:
    snap = Snapshot.from_records(
        people=[{"id": i} for i in range(1, 6)],
        interactions=[
            {"person": 1, "day": D, "at": 0, "initiator": "me", "channel": "email"},
            {"person": 1, "day": D, "at": 0, "initiator": "them", "channel": "email"},
            {"person": 2, "day": D, "at": 0, "initiator": "me", "channel": "email"},
            {"person": 3, "day": D, "at": 0, "initiator": "me", "channel": "video"},
            {"person": 4, "day": D + 5, "at": 0, "initiator": "them", "channel": "call"},
        ],
    )
    r = reach(snap, tie_strength(snap, D))
    assert list(r.relationship) == [True, False, True, False, False]
    assert (r.people, r.relationships, r.connections, r.never_contacted) == (5, 2, 3, 2)
    assert r.never_contacted_share == pytest.approx(0.4)


def test_your_own_field_gets_at_least_the_floor() -> None:
    # a software engineer whose ledger holds few software people (a phone's address book)
    fields = [["software"]] + [[f] for f in "abcdefgh" for _ in range(4)]
    snap = Snapshot.from_records(people=_people(fields), own_fields=["software"])
    people = field_weights(snap, np.ones(snap.n_people))
    target = dict(zip(snap.field_slugs, target_allocation(snap, people), strict=True))
    assert target["software"] == pytest.approx(Params().own_field_floor)  # not 3%
    assert sum(target.values()) == pytest.approx(1.0)
    assert all(target[f] == pytest.approx(0.8 / 8) for f in "abcdefgh")


def test_targets_you_set_are_kept_and_the_rest_share_what_is_left() -> None:
    fields = [["a"]] * 6 + [["b"]] * 3 + [["c"]]
    snap = Snapshot.from_records(people=_people(fields))
    people = field_weights(snap, np.ones(snap.n_people))
    params = replace(Params(), field_cap=1.0, target_shares={"a": 0.2, "nope": 0.3})
    target = dict(zip(snap.field_slugs, target_allocation(snap, people, params), strict=True))
    assert target["a"] == pytest.approx(0.2)
    assert target["b"] == pytest.approx(0.8 * 3 / 4) and target["c"] == pytest.approx(0.8 / 4)
    with pytest.raises(ValidationError):
        replace(Params(), target_shares={"a": 0.7, "b": 0.6})


@given(share=st.floats(0, 1), target=st.floats(0, 1))
def test_a_share_that_rounds_to_its_target_is_never_under(share: float, target: float) -> None:
    from netfolio.measures.diversity import is_under_target

    if round(share * 100) >= round(target * 100):
        assert not is_under_target(share, target)
    if target - share > 0.02 and target - share > 0.1 * target:
        assert is_under_target(share, target)
    assert not is_under_target(0.12, 0.12) and not is_under_target(0.117, 0.12)
