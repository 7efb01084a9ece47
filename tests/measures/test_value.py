"""Network value over time and weekly contributions."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from netfolio.core.snapshot import Snapshot, day_number, day_to_date, month_ends, week_start
from netfolio.measures import Params, contributions, network_value, tie_strength, value_series
from netfolio.measures.value import value_days

from .strategies import DAY0, SPAN, build, network

D = day_number(date(2024, 3, 15))  # a Friday


def test_month_ends_end_on_the_as_of_day() -> None:
    days = month_ends(day_number(date(2023, 11, 20)), D)
    assert [day_to_date(int(d)) for d in days] == [
        date(2023, 11, 30),
        date(2023, 12, 31),
        date(2024, 1, 31),
        date(2024, 2, 29),
        date(2024, 3, 15),
    ]
    assert list(month_ends(D, D)) == [D]


def test_series_starts_at_the_first_interaction_and_can_be_limited() -> None:
    snap = Snapshot.from_records(
        people=[{"id": 1}], interactions=[{"person": 1, "day": D - 1000, "at": 0}]
    )
    days = value_days(snap, D)
    assert day_to_date(int(days[0])) == date(2021, 6, 30)  # the month of D - 1000
    assert days[-1] == D
    short = value_days(snap, D, replace(Params(), value_series_months=3))
    assert len(short) == 4 and short[-1] == D


@settings(max_examples=20, deadline=None)
@given(network(max_people=7, max_interactions=30), st.integers(0, 200))
def test_series_equals_a_slow_recomputation(records: dict[str, Any], after: int) -> None:
    snap = build(records)
    as_of = DAY0 + SPAN + after
    series = value_series(snap, as_of)
    slow = [tie_strength(snap, int(d)) for d in series.days]
    np.testing.assert_allclose(series.value, [r.total for r in slow], rtol=1e-12, atol=1e-9)
    assert series.value[-1] == pytest.approx(network_value(tie_strength(snap, as_of)))
    peaks = np.max([r.score for r in slow], axis=0)
    np.testing.assert_allclose(series.peak, peaks, atol=1e-9)
    for row in np.flatnonzero(peaks > 0):
        j = list(series.days).index(series.peak_day[row])
        assert slow[j].score[row] == pytest.approx(peaks[row])


def test_series_of_an_empty_network() -> None:
    series = value_series(Snapshot.empty(), D)
    assert list(series.days) == [D] and list(series.value) == [0.0]


def _touches(per_week: list[int], intent: str = "catch_up") -> Snapshot:
    """A network with the given number of deposits I started in each of the last weeks."""
    monday = int(week_start(D))
    ix = []
    for back, n in enumerate(reversed(per_week)):
        for k in range(n):
            day = monday - 7 * back + k % 5
            ix.append({"person": 1 + k, "day": day, "at": day * 86_400, "intent": intent})
    return Snapshot.from_records(people=[{"id": i} for i in range(1, 11)], interactions=ix)


def test_contributions_and_streak() -> None:
    budget3 = replace(Params(), weekly_budget=3)
    c = contributions(_touches([3, 0, 4, 3, 5, 2]), D, budget3)  # this week: 2 so far (budget 3)
    assert list(c.touches[-6:]) == [3, 0, 4, 3, 5, 2]
    assert c.this_week == 2 and not c.met_this_week
    assert c.streak_weeks == 3  # the three full weeks before this one
    met = contributions(_touches([3, 0, 4, 3, 5, 3]), D, budget3)
    assert met.streak_weeks == 4 and met.met_this_week
    assert day_to_date(int(met.week_starts[-1])).weekday() == 0  # Monday


def test_asks_and_their_contact_are_not_contributions() -> None:
    assert contributions(_touches([5, 5], intent="ask"), D).streak_weeks == 0
    snap = Snapshot.from_records(
        people=[{"id": 1}],
        interactions=[{"person": 1, "day": D, "at": D * 86_400, "initiator": "them"}],
    )
    c = contributions(snap, D)
    assert c.this_week == 0 and c.streak_weeks == 0
