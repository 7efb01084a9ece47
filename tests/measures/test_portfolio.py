"""The portfolio: every measure in one pass, consistent with the measures one by one."""

from __future__ import annotations

import numpy as np
import pytest

from netfolio.core.snapshot import Snapshot
from netfolio.measures import (
    dormant_ties,
    goodwill_balances,
    portfolio,
    tie_strength,
    transactional_index,
    value_series,
)

from .synthetic import synthetic


def test_portfolio_agrees_with_the_measures() -> None:
    snap = synthetic(2_000, 40_000, years=4)
    f = portfolio(snap, 20_000)
    s = tie_strength(snap, 20_000)
    np.testing.assert_array_equal(f.strength.score, s.score)
    assert f.value == pytest.approx(s.total) == pytest.approx(f.series.value[-1])
    np.testing.assert_array_equal(f.series.value, value_series(snap, 20_000).value)
    assert f.goodwill.total == goodwill_balances(snap, 20_000).total
    assert f.transactional.value == transactional_index(snap, 20_000).value
    assert [d.person_id for d in f.dormant] == [d.person_id for d in dormant_ties(snap, 20_000)]
    assert f.brokerage is not None and f.brokerage.alters == int(np.sum(s.score > 0))
    assert f.tiers.counts()[5] == 5
    assert f.reach.people == 2_000
    assert len(f.rebalance) <= 5


def test_portfolio_of_an_empty_network() -> None:
    f = portfolio(Snapshot.empty(), 20_000)
    assert f.value == 0 and f.dormant == [] and f.brokerage is None
    assert f.allocation.fields == () and f.allocation.by_strength.hhi_band == "none"
    assert f.contributions.streak_weeks == 0 and f.transactional.value == 0
