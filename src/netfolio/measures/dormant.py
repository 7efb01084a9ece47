"""Dormant ties: once-strong ties gone silent, ranked by the value of reconnecting.

A person is dormant at the as-of date when

* the tie was strong once: its rate from its start to its last contact (weighted contacts a
  year, the strength model's units, the contact that opened the tie aside; over at least
  ``dormant_rate_window_days``, a year, so that one burst is not a strong tie) reached
  ``dormant_min_rate`` (quarterly);
* the silence since exceeds ``dormancy_multiple`` (8) times the tie's own interval at that
  rate (Navarro et al. 2017: decay sets in around 8x the usual interval), and at least
  ``dormant_min_silence_days`` (a year).

``peak`` (the highest strength over the value series' month-ends) and the tier it earned are
reported with each tie, and drive the reconnection value.

Reconnection value (0-100) mixes two terms: an inverted U on the past peak, highest at
``dormant_peak_center`` (weaker dormant ties brought the most novel help: Levin, Walter &
Murnighan 2011; Walter et al. 2015), and the person's field gap (how under-weight their field
is against the target). So the list is not simply closest-first.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

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
    # over at least dormant_rate_window_days: a burst of contact is not a strong tie
    until = np.where(contacted, stats.last_day - s.start_day + 1, 1)
    until = np.maximum(until, params.dormant_rate_window_days)
    past_rate = np.maximum(stats.weighted - 1.0, 0.0) / until * 365.2425
    typical_all = 365.2425 / np.maximum(past_rate, 1e-9)
    candidate = (
        contacted
        & (past_rate >= params.dormant_min_rate)
        & (silent > params.dormancy_multiple * typical_all)
        & (silent > params.dormant_min_silence_days)
    )
    rows = np.flatnonzero(candidate)
    interval = typical_all[rows]
    known = np.ones(len(rows), dtype=bool)

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
        reasons = ["high_past_peak", "silent_past_rhythm"]
        if silent[r] > cadence[r]:
            reasons.append("silent_past_cadence")
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


__all__ = ["REASONS", "DormantTie", "dormant_ties"]
