"""The plan's seams: each signal scores only the people it picks, and the selection's main
reason is the first reason a plan item shows."""

from __future__ import annotations

import pytest
from practice_helpers import WEEK, random_ledger

from netfolio.measures import Params
from netfolio.practice.plan import DEFAULT_RULES, REASONS, PlanMeasures, weekly_plan
from netfolio.practice.plan_signals import PlanWeek, signals

PARAMS = Params()
#: The fixed points of a signal (the module docstring of netfolio.practice.plan).
FIXED = {"thank_you": 100.0, "birthday": 90.0, "job_change": 85.0, "reciprocity_owed": 60.0}


@pytest.mark.parametrize("seed", range(6))
def test_each_signal_scores_exactly_the_people_it_picks(seed: int) -> None:
    snapshot, facts = random_ledger(seed, people=120)
    week = PlanWeek.of(WEEK, None)
    m = PlanMeasures.compute(snapshot, week.since - 1, PARAMS)
    row_of = {int(pid): i for i, pid in enumerate(snapshot.person_id.tolist())}
    sig = signals(snapshot, m, facts, DEFAULT_RULES, week, row_of)
    assert tuple(sig.by_code) == REASONS
    picked = 0
    for code, signal in sig.by_code.items():
        assert ((signal.points > 0) == signal.mask).all(), code
        if signal.detail:
            assert set(signal.detail) == set(signal.mask.nonzero()[0].tolist()), code
        if code in FIXED:
            assert set(signal.points[signal.mask].tolist()) <= {FIXED[code]}, code
        picked += int(signal.mask.sum())
    assert picked > 0
    assert (sig.score == sum(s.points for s in sig.by_code.values())).all()
    plan = weekly_plan(snapshot, WEEK, PARAMS, facts)
    for item in plan.items:
        row = row_of[item.person.id]
        assert item.reasons[0].code == sig.main_reason(row)
        assert item.score == pytest.approx(float(sig.score[row]))


