"""Dunbar tiers by rank of tie strength, their contact cadence, and who is overdue.

The layers are cumulative (5, 15, 50, 150, 500, 1,500): the 5 strongest ties (equal scores
ordered by the contact rate behind them) form the first tier, the next 10 the second, and so
on; past 1,500 (or with no strength at all) a person has no tier ("outer", code 0). A tier
the user set wins, and takes a place in its layer, so the inferred people fill what room is
left. Each tier has a cadence (Params.cadence_days): a person
is *overdue* once the days since last contact exceed it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from netfolio.core.enums import TIERS
from netfolio.core.snapshot import Snapshot
from netfolio.measures.params import DEFAULT_PARAMS, Params
from netfolio.measures.strength import StrengthResult


@dataclass(frozen=True, eq=False)
class TierResult:
    """Each person's tier (a TIERS value, 0 beyond), and contact cadence at ``as_of``.

    ``inferred`` is True where the tier came from rank rather than the user; ``rank`` is the
    1-based rank by strength (0 for no strength); ``cadence_days`` 0 means no cadence;
    ``days_since`` is -1 for never contacted; ``overdue`` is True when ``days_since`` exceeds
    the cadence, or when a person with a cadence was never contacted (``overdue_days`` then
    0); ``overdue_days`` is how far past the cadence.
    """

    as_of: int
    tier: NDArray[np.int16]
    inferred: NDArray[np.bool_]
    rank: NDArray[np.int32]
    cadence_days: NDArray[np.int32]
    days_since: NDArray[np.int32]
    overdue: NDArray[np.bool_]
    overdue_days: NDArray[np.int32]

    def counts(self) -> dict[int, int]:
        """How many people sit in each tier (0: beyond the last layer)."""
        return {t: int(np.count_nonzero(self.tier == t)) for t in (*TIERS, 0)}


def rank_by_strength(
    score: NDArray[np.float64], person_id: NDArray[np.int64],
    rate: NDArray[np.float64] | None = None,
) -> NDArray[np.int32]:
    """1-based rank by strength, strongest first, ties broken by ``rate`` (the contact rate
    behind the score: weekly and twice-weekly both score 100) if given, then by person id; 0
    for no strength."""
    keys = (person_id, -score) if rate is None else (person_id, -rate, -score)
    order = np.lexsort(keys)
    rank = np.zeros(len(score), dtype=np.int32)
    rank[order] = np.arange(1, len(score) + 1, dtype=np.int32)
    rank[score <= 0] = 0
    return rank


def assign_tiers(
    score: NDArray[np.float64],
    override: NDArray[np.integer],
    person_id: NDArray[np.int64] | None = None,
    thresholds: tuple[float, ...] | None = None,
    rate: NDArray[np.float64] | None = None,
) -> NDArray[np.int16]:
    """Dunbar tier per person: the override where set, else by rank of ``score``.

    People with no strength get no tier (0) unless the user set one. Overridden people take
    room in their layer: if the user put 7 people in the 5 layer, the inferred 5 layer is
    empty and the 15 layer has room for 8. With ``thresholds`` (the minimum strength of each
    layer, innermost first), an inferred tier is never closer than the strength itself
    reaches: in a small or new ledger the few people in it are not all "the closest 5".
    """
    n = len(score)
    ids = np.arange(n, dtype=np.int64) if person_id is None else person_id
    override = np.asarray(override, dtype=np.int64)
    sizes = np.asarray(TIERS, dtype=np.int64)
    taken = np.array([np.count_nonzero((override > 0) & (override <= t)) for t in TIERS])
    room = np.maximum.accumulate(np.maximum(sizes - taken, 0))
    eligible = (override == 0) & (score > 0)
    rank = rank_by_strength(np.where(eligible, score, 0.0), ids, rate)
    idx = np.searchsorted(room, rank, side="left")  # first layer with room for this rank
    codes = np.asarray((*TIERS, 0), dtype=np.int16)
    if thresholds is not None:
        # the innermost layer the score reaches on its own; len(TIERS) = none
        reach = np.searchsorted(-np.asarray(thresholds, dtype=np.float64), -score, side="left")
        idx = np.maximum(idx, reach)
    tier = np.where(eligible, codes[idx], 0).astype(np.int16)
    return np.where(override > 0, override, tier).astype(np.int16)


def tier_status(
    snapshot: Snapshot, strength: StrengthResult, params: Params = DEFAULT_PARAMS
) -> TierResult:
    """Tiers, cadence and overdue status at the strength result's as-of date."""
    tier = assign_tiers(strength.score, snapshot.tier_override, snapshot.person_id,
                        params.layer_thresholds, strength.rate)
    cadence_table = np.asarray((*params.cadence_days, 0), dtype=np.int32)
    idx = np.searchsorted(np.asarray(TIERS), tier)  # 6 for 0 -> no cadence
    idx = np.where(tier == 0, len(TIERS), idx)
    cadence = cadence_table[idx]
    last = strength.stats.last_day
    contacted = strength.stats.count > 0
    days_since = np.where(contacted, strength.as_of - last, -1).astype(np.int32)
    has_cadence = cadence > 0
    late = contacted & has_cadence & (days_since > cadence)
    never = ~contacted & has_cadence
    return TierResult(
        as_of=strength.as_of,
        tier=tier,
        inferred=(snapshot.tier_override == 0) & (tier > 0),
        rank=rank_by_strength(strength.score, snapshot.person_id, strength.rate),
        cadence_days=cadence,
        days_since=days_since,
        overdue=late | never,
        overdue_days=np.where(late, days_since - cadence, 0).astype(np.int32),
    )


__all__ = ["TierResult", "assign_tiers", "rank_by_strength", "tier_status"]
