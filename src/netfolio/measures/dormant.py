"""Dormant ties: once-strong ties gone silent, ranked by the value of reconnecting.

A person is dormant at the as-of date when

* their past peak strength (the highest over the value series' month-ends) reached
  ``dormant_min_peak``;
* the days since last contact exceed the cadence of the tier that peak earned (by rank among
  all peaks; the 1,500 layer's cadence beyond it); and
* the silence exceeds ``dormancy_multiple`` (8) times the tie's own median interval between
  contact days (Navarro et al. 2017). A tie with a single contact day has no rhythm of its own,
  and the cadence alone decides.

Reconnection value (0-100) mixes two terms: an inverted U on the past peak, highest at
``dormant_peak_center`` (weaker dormant ties brought the most novel help: Levin, Walter &
Murnighan 2011; Walter et al. 2015), and the person's field gap (how under-weight their field
is against the target). So the list is not simply closest-first.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from netfolio.core.enums import TIERS
from netfolio.core.snapshot import AsOf, Snapshot, day_number
from netfolio.measures.diversity import Allocation, allocation
from netfolio.measures.params import DEFAULT_PARAMS, Params
from netfolio.measures.strength import StrengthResult, tie_strength
from netfolio.measures.tiers import assign_tiers
from netfolio.measures.value import ValueSeries, value_series

#: Reason codes a dormant tie can carry (the CLI words them).
REASONS = (
    "high_past_peak",
    "silent_past_cadence",
    "silent_past_rhythm",
    "field_under_target",
)


@dataclass(frozen=True)
class DormantTie:
    """One dormant tie, with the numbers behind it and its reasons (codes from REASONS)."""

    row: int
    person_id: int
    value: float
    peak: float
    peak_day: int
    peak_tier: int
    strength: float
    last_day: int
    days_silent: int
    cadence_days: int
    typical_interval_days: float | None
    silence_ratio: float | None
    field_gap: float
    reasons: tuple[str, ...]


def dormant_ties(
    snapshot: Snapshot,
    as_of: AsOf,
    params: Params = DEFAULT_PARAMS,
    *,
    strength: StrengthResult | None = None,
    series: ValueSeries | None = None,
    alloc: Allocation | None = None,
) -> list[DormantTie]:
    """Dormant ties at ``as_of``, most valuable reconnection first.

    Pass the strength, value series and allocation if already computed (the portfolio does).
    """
    day = day_number(as_of)
    s = strength if strength is not None else tie_strength(snapshot, day, params)
    v = series if series is not None else value_series(snapshot, day, params)
    a = alloc if alloc is not None else allocation(snapshot, s, params)
    stats = s.stats
    peak_tier = assign_tiers(v.peak, snapshot.tier_override, snapshot.person_id)
    cadences = np.asarray((*params.cadence_days, params.cadence_days[-1]), dtype=np.int64)
    tier_idx = np.where(peak_tier > 0, np.searchsorted(np.asarray(TIERS), peak_tier), len(TIERS))
    cadence = cadences[tier_idx]
    contacted = stats.count > 0
    silent = np.where(contacted, day - stats.last_day, 0)
    candidate = contacted & (v.peak >= params.dormant_min_peak) & (silent > cadence)
    rows = np.flatnonzero(candidate)
    interval = _median_intervals(snapshot, rows, day)
    known = ~np.isnan(interval)
    past_rhythm = ~known | (silent[rows] > params.dormancy_multiple * interval)
    rows, interval, known = rows[past_rhythm], interval[past_rhythm], known[past_rhythm]

    peak = v.peak[rows]
    c = params.dormant_peak_center
    shape = np.clip(1.0 - ((peak - c) / max(c, 100.0 - c)) ** 2, 0.0, 1.0)
    gap = a.field_gap[rows]
    wp, wg = params.dormant_weight_peak, params.dormant_weight_gap
    value = 100.0 * (wp * shape + wg * gap) / (wp + wg) if wp + wg > 0 else np.zeros(len(rows))
    order = np.lexsort((snapshot.person_id[rows], -peak, -value))
    out = []
    for i in order:
        r = int(rows[i])
        typical = float(interval[i]) if known[i] else None
        reasons = ["high_past_peak", "silent_past_cadence"]
        if typical is not None:
            reasons.append("silent_past_rhythm")
        if gap[i] > 0:
            reasons.append("field_under_target")
        out.append(
            DormantTie(
                row=r,
                person_id=int(snapshot.person_id[r]),
                value=float(value[i]),
                peak=float(peak[i]),
                peak_day=int(v.peak_day[r]),
                peak_tier=int(peak_tier[r]),
                strength=float(s.score[r]),
                last_day=int(stats.last_day[r]),
                days_silent=int(silent[r]),
                cadence_days=int(cadence[r]),
                typical_interval_days=typical,
                silence_ratio=float(silent[r] / typical) if typical else None,
                field_gap=float(gap[i]),
                reasons=tuple(reasons),
            )
        )
    return out


def _median_intervals(snapshot: Snapshot, rows: NDArray[np.int64], day: int) -> NDArray[np.float64]:
    """Median days between distinct contact days, per person in ``rows`` (NaN below 2 days).

    Only the candidates' interaction rows are sorted, so the cost follows the candidates.
    """
    out = np.full(len(rows), np.nan)
    if len(rows) == 0:
        return out
    position = np.full(snapshot.n_people, -1, dtype=np.int64)
    position[rows] = np.arange(len(rows))
    mine = (position[snapshot.ix_person] >= 0) & (snapshot.ix_day <= day)
    who = position[snapshot.ix_person[mine]]
    when = snapshot.ix_day[mine].astype(np.int64)
    order = np.lexsort((when, who))
    who, when = who[order], when[order]
    distinct = np.ones(len(who), dtype=bool)
    distinct[1:] = (who[1:] != who[:-1]) | (when[1:] != when[:-1])
    who, when = who[distinct], when[distinct]
    same = who[1:] == who[:-1]
    gaps, owner = (when[1:] - when[:-1])[same], who[1:][same]
    order = np.lexsort((gaps, owner))
    gaps, owner = gaps[order], owner[order]
    n = np.bincount(owner, minlength=len(rows))
    start = np.concatenate(([0], np.cumsum(n)[:-1]))
    has = n > 0
    lo = gaps[(start + (n - 1) // 2)[has]]
    hi = gaps[(start + n // 2)[has]]
    out[has] = (lo + hi) / 2.0
    return out


__all__ = ["REASONS", "DormantTie", "dormant_ties"]
