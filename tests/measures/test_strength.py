"""Tie strength: hand-computed values, explanations, and its properties."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date
from typing import Any

import numpy as np
import pytest
from hypothesis import assume, given, settings
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


def reference(contacts: list[tuple[int, float]], as_of: int, connected: int | None = None) -> float:
    """The documented formula for one person, in plain Python: ``contacts`` are (day, weight)."""
    p = Params()
    a, b = p.rate_prior_events, p.rate_prior_events * 365.2425 / p.rate_prior_per_year
    seen = [(d, w) for d, w in contacts if d <= as_of]
    if not seen:
        return 0.0
    start = min(d for d, _ in seen)
    first = start
    if connected is not None and connected < start:
        start = connected
    age = as_of - start + 1
    opened = 0.0 if start < first else 1.0
    rate = (max(sum(w for _, w in seen) - opened, 0) + a) / (age + b)
    for h in p.rate_half_lives_days:
        s = sum(w * 2 ** (-(as_of - d) / h) for d, w in seen)
        exposure = h / math.log(2) * (1 - 2 ** (-age / h)) + b
        lo = max(math.sqrt(s + a) - p.rate_confidence_z / 2, 0) ** 2 / exposure
        hi = (math.sqrt(s + a) + p.rate_confidence_z / 2) ** 2 / exposure
        rate = min(max(rate, lo), hi)
    rate = min(rate, p.silence_evidence / (as_of - max(d for d, _ in seen) + 1))
    per_year = rate * 365.2425
    xs = [math.log(r) for r, _ in p.rate_anchors]
    ys = [q for _, q in p.rate_anchors]
    return float(np.interp(math.log(per_year), xs, ys))


def test_single_meeting_ten_days_ago() -> None:
    snap = Snapshot.from_records(people=[{"id": 1}], interactions=[one(channel="in_person")])
    r = tie_strength(snap, D + 10)
    # a meeting in person weighs 2; history 11 days plus the prior (0.5 contacts at 4 a year)
    # one unit of it opened the tie; history 11 days plus the prior (0.5 contacts at 4 a year)
    assert r.long_rate[0] == pytest.approx(1.5 / (11 + 0.5 * 365.2425 / 4) * 365.2425)
    assert r.score[0] == pytest.approx(reference([(D, 2.0)], D + 10))
    assert 50 < r.score[0] < 75  # one meeting: somewhere between quarterly and monthly
    assert r.parts["closeness"][0] == 0


def test_the_scale_has_human_anchors() -> None:
    from netfolio.measures.strength import rate_points

    np.testing.assert_allclose(rate_points(np.array([0.1, 1, 4, 12, 52, 500])),
                               [0, 25, 50, 75, 100, 100])


def test_steady_ties_rank_by_their_rhythm() -> None:
    weekly = [one(person=1, day=D - 7 * k, channel="message") for k in range(150)]
    monthly = [one(person=2, day=D - 30 * k, channel="message") for k in range(40)]
    quarterly = [one(person=3, day=D - 91 * k, channel="message") for k in range(12)]
    yearly = [one(person=4, day=D - 365 * k, channel="message") for k in range(5)]
    snap = Snapshot.from_records(people=[{"id": i} for i in range(1, 5)],
                                 interactions=[*weekly, *monthly, *quarterly, *yearly])
    r = tie_strength(snap, D + 1)
    assert r.score[0] > r.score[1] > r.score[2] > r.score[3]
    np.testing.assert_allclose(r.score, [100, 75, 50, 25], atol=6)  # near the anchors
    for i, contacts in enumerate((weekly, monthly, quarterly, yearly)):
        assert r.score[i] == pytest.approx(reference([(c["day"], 1.0) for c in contacts], D + 1))


def test_a_tie_that_cooled_follows_its_recent_rate() -> None:
    # weekly for three years, then monthly for the last year
    old = [one(day=D - 365 - 7 * k, channel="message") for k in range(150)]
    new = [one(day=D - 30 * k, channel="message") for k in range(12)]
    r = tie_strength(Snapshot.from_records(people=[{"id": 1}], interactions=[*old, *new]), D)
    assert r.long_rate[0] > 35  # the whole history says about weekly
    assert r.rate[0] < 25  # the last months say about monthly, and win
    assert r.parts["recent"][0] < 0
    assert r.score[0] == pytest.approx(reference([(c["day"], 1.0) for c in [*old, *new]], D))


def test_long_silence_leaves_no_one_close() -> None:
    weekly = [one(day=D - 906 - 7 * k, channel="in_person") for k in range(200)]
    r = tie_strength(Snapshot.from_records(people=[{"id": 1}], interactions=weekly), D)
    assert r.long_rate[0] > 50
    assert r.score[0] < 45  # 906 days of silence: about twice a year at most
    assert r.rate[0] == pytest.approx(6 / 907 * 365.2425)  # capped by the silence


def test_weights_channel_group_and_asks() -> None:
    snap = Snapshot.from_records(
        people=[{"id": i} for i in range(1, 5)],
        interactions=[one(people=[1, 2, 3, 4], channel="in_person"),
                      one(person=1, channel="email", intent="ask")],
    )
    r = tie_strength(snap, D)
    assert list(snap.group_size[:4]) == [4, 4, 4, 4]
    assert r.stats.weighted[0] == pytest.approx(2.0 / 4 + 0.25)  # a quarter meeting, an ask
    assert r.stats.weighted[1] == pytest.approx(0.5)


def test_connection_day_starts_the_history() -> None:
    contacts = [one(day=D, channel="message")]
    late = Snapshot.from_records(people=[{"id": 1}], interactions=contacts)
    early = Snapshot.from_records(people=[{"id": 1, "connected": D - 1000}], interactions=contacts)
    assert tie_strength(early, D).score[0] < tie_strength(late, D).score[0]
    assert tie_strength(early, D).score[0] == pytest.approx(reference([(D, 1.0)], D, D - 1000))


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
    assert rated.score[0] == pytest.approx(0.7 * plain.score[0] + 0.3 * 100 * 0.75)


def test_only_what_happened_on_or_before_as_of_counts() -> None:
    snap = Snapshot.from_records(
        people=[{"id": 1}], interactions=[one(day=D), one(day=D + 1), one(day=D + 365)]
    )
    assert tie_strength(snap, D - 1).score[0] == 0
    assert tie_strength(snap, D).stats.count[0] == 1
    assert tie_strength(snap, date(2024, 1, 2)).stats.count[0] == 2
    r = tie_strength(snap, D + 365)
    assert r.stats.count[0] == 3 and r.stats.last_day[0] == D + 365


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
    assert detail["rhythm"].startswith("2 contacts (2.5 weighted) over 0.3 years since 2023-09-23")
    assert "last contact 3 days ago" in detail["recent"] or "allow" in detail["recent"]
    assert detail["closeness"] == "closeness rating blended in"


def test_params_are_checked() -> None:
    with pytest.raises(ValidationError):
        Params(rate_half_lives_days=(61.0, 182.0))  # must be longest first
    with pytest.raises(ValidationError):
        Params(rate_anchors=((1.0, 50.0), (4.0, 25.0)))  # points fall as the rate rises
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
    assert np.all(r.parts["rhythm"] >= 0) and np.all(r.parts["closeness"] >= 0)
    assert np.all(r.parts["rhythm"] + r.parts["recent"] >= -1e-9)  # "recent" takes, never below 0


@settings(max_examples=40, deadline=None)
@given(network(), st.data())
def test_adding_an_interaction_never_lowers_strength(records: dict[str, Any], data: Any) -> None:
    """A new contact on or after the tie's start never lowers strength. (One dated before the
    tie's known start lengthens its history, and may: docs/measures.md.)"""
    n = len(records["people"])
    extra = data.draw(interaction(n, AS_OF))
    before_r = tie_strength(build(records), AS_OF)
    before = before_r.score
    ids = [int(i) for i in build(records).person_id]
    for pid in extra["people"]:
        start = int(before_r.start_day[ids.index(pid)])
        assume(start >= 0 and extra["day"] >= start)
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


def test_the_strength_bar_is_as_long_as_the_score() -> None:
    import re

    from netfolio.web.charts import strength_bar

    svg = str(strength_bar([("rhythm", 80.0), ("recent", -12.0), ("closeness", 10.0)],
                           width=100))
    found = re.findall(r'class="part[^"]*" x="[^"]*" y="0" width="([^"]+)"', svg)
    widths = [float(w) for w in found]
    assert widths == [68.0, 10.0]  # the cooling shortens the rhythm: 78 in all
    assert "recent -12.0" in svg
