"""Network value over time, and the weekly contributions that build it.

Network value is the sum of every person's tie strength: what the portfolio is worth. The
monthly series evaluates it at every month-end from the first interaction to the as-of date
(the last point is the as-of date itself), in one vectorised pass over the interactions (see
:func:`netfolio.measures.strength.strength_at_days`), not one recomputation per month.

Contributions are the steady deposits of an index fund: interactions *you* started whose
intent is a deposit (catch_up, share, give), counted per person touched and per ISO week
(Monday to Sunday). The streak is the run of consecutive weeks that met the weekly budget,
ending this week if it already has, else last week (this week is not over yet).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from netfolio.core.enums import Initiator, Intent
from netfolio.core.snapshot import AsOf, Snapshot, day_number, month_ends, week_start
from netfolio.measures.params import DAYS_PER_MONTH, DEFAULT_PARAMS, Params
from netfolio.measures.strength import StrengthResult, strength_at_days

#: Intent codes that are deposits (catch_up, share, give: :attr:`Intent.is_deposit`).
DEPOSIT_CODES: tuple[int, ...] = tuple(i.code for i in Intent if i.is_deposit)
#: Indexed by intent code: is it a deposit? (a lookup is faster than ``np.isin``)
DEPOSIT: NDArray[np.bool_] = np.array([i.is_deposit for i in Intent])


@dataclass(frozen=True, eq=False)
class ValueSeries:
    """Network value at each of ``days`` (month-ends, the last one the as-of date).

    ``peak`` is each person's highest strength over those days and ``peak_day`` when it was
    reached (-1 if never above 0): the history the dormant-ties measure reads.
    """

    days: NDArray[np.int32]
    value: NDArray[np.float64]
    peak: NDArray[np.float64]
    peak_day: NDArray[np.int32]


@dataclass(frozen=True, eq=False)
class Contributions:
    """Deposits you started, per week (``week_starts`` are Mondays, as day numbers).

    ``streak_weeks`` counts consecutive weeks meeting ``budget`` (ending this week if met,
    else last week); ``this_week`` is the count so far in the as-of week.
    """

    week_starts: NDArray[np.int32]
    touches: NDArray[np.int32]
    budget: int
    streak_weeks: int
    this_week: int

    @property
    def met_this_week(self) -> bool:
        return self.this_week >= self.budget


def network_value(strength: StrengthResult) -> float:
    """The network's value: the sum of all tie strengths."""
    return strength.total


def value_days(
    snapshot: Snapshot, as_of: AsOf, params: Params = DEFAULT_PARAMS
) -> NDArray[np.int32]:
    """The days the value series is evaluated on: month-ends from the first interaction (or
    ``params.value_series_months`` back) up to ``as_of``, which is the last point."""
    end = day_number(as_of)
    snapshot.require_rows("the value series")
    days = snapshot.ix_day
    start = int(days.min()) if len(days) else end
    if params.value_series_months is not None:
        start = max(start, end - int(params.value_series_months * DAYS_PER_MONTH))
    return month_ends(min(start, end), end)


def value_series(snapshot: Snapshot, as_of: AsOf, params: Params = DEFAULT_PARAMS) -> ValueSeries:
    """Network value at every month-end up to ``as_of``, and each person's peak strength."""
    days = value_days(snapshot, as_of, params)
    value = np.zeros(len(days), dtype=np.float64)
    peak = np.zeros(snapshot.n_people, dtype=np.float64)
    peak_day = np.full(snapshot.n_people, -1, dtype=np.int32)
    for cols, rows, scores in strength_at_days(snapshot, days, params):
        value[cols] = scores.sum(axis=1)
        best = scores.argmax(axis=0)
        top = scores[best, np.arange(len(rows))]
        better = top > peak[rows]
        peak[rows[better]] = top[better]
        peak_day[rows[better]] = days[cols][best[better]]
    return ValueSeries(days=days, value=value, peak=peak, peak_day=peak_day)


def contributions(
    snapshot: Snapshot, as_of: AsOf, params: Params = DEFAULT_PARAMS
) -> Contributions:
    """Touches you started with a deposit intent, per week, and the current streak."""
    end = day_number(as_of)
    snapshot.require_rows("weekly contributions")
    mine = (
        (snapshot.ix_initiator == Initiator.ME.code)
        & DEPOSIT[snapshot.ix_intent]
        & (snapshot.ix_day <= end)
    )
    weeks = week_start(snapshot.ix_day[mine])
    last_week = int(week_start(end))
    first_week = int(weeks.min()) if len(weeks) else last_week
    touches = np.bincount((weeks - first_week) // 7, minlength=(last_week - first_week) // 7 + 1)
    week_starts = np.arange(first_week, last_week + 1, 7, dtype=np.int32)
    budget = params.weekly_budget
    met = touches >= budget
    stop = len(met) if met[-1] else len(met) - 1  # this week counts once it is met
    misses = np.flatnonzero(~met[:stop])
    streak = stop - (int(misses[-1]) + 1 if len(misses) else 0)
    return Contributions(
        week_starts=week_starts,
        touches=touches.astype(np.int32),
        budget=budget,
        streak_weeks=int(streak),
        this_week=int(touches[-1]),
    )


__all__ = [
    "DEPOSIT",
    "DEPOSIT_CODES",
    "Contributions",
    "ValueSeries",
    "contributions",
    "network_value",
    "value_days",
    "value_series",
]
