"""The measures: pure functions over a :class:`~netfolio.core.snapshot.Snapshot` at a date.

No I/O and no printing: numbers in, plain dataclasses out. Formulas, defaults and sources are
in ``docs/measures.md``; every parameter is a field of :class:`Params`.

    snapshot = load_snapshot(session)          # elsewhere: one query per table
    folio = portfolio(snapshot, date.today())  # everything the portfolio view shows
    folio.value, folio.allocation.by_strength.blau, folio.dormant[:5]
"""

from __future__ import annotations

from dataclasses import dataclass

from netfolio.core.snapshot import AsOf, Snapshot, day_number
from netfolio.measures.brokerage import Bridge, Brokerage, ego_brokerage, ego_graph
from netfolio.measures.diversity import (
    Allocation,
    DiversityIndexes,
    FieldShare,
    Reach,
    RebalanceField,
    allocation,
    diversity_indexes,
    reach,
    rebalance,
    target_allocation,
)
from netfolio.measures.dormant import DormantTie, dormant_ties
from netfolio.measures.goodwill import (
    Goodwill,
    TransactionalIndex,
    goodwill_balances,
    transactional_index,
)
from netfolio.measures.params import DEFAULT_PARAMS, Params
from netfolio.measures.strength import PARTS, StrengthResult, explain, tie_strength
from netfolio.measures.tiers import TierResult, assign_tiers, tier_status
from netfolio.measures.value import (
    Contributions,
    ValueSeries,
    contributions,
    network_value,
    value_series,
)


@dataclass(frozen=True, eq=False)
class Portfolio:
    """Everything the portfolio view shows, computed once at ``as_of`` (a day number).

    ``brokerage`` is None when no knows edges are recorded.
    """

    as_of: int
    params: Params
    strength: StrengthResult
    tiers: TierResult
    value: float
    series: ValueSeries
    contributions: Contributions
    allocation: Allocation
    rebalance: list[RebalanceField]
    reach: Reach
    goodwill: Goodwill
    transactional: TransactionalIndex
    dormant: list[DormantTie]
    brokerage: Brokerage | None


def portfolio(snapshot: Snapshot, as_of: AsOf, params: Params = DEFAULT_PARAMS) -> Portfolio:
    """Compute every measure of the portfolio view in one pass, sharing the tie strengths."""
    day = day_number(as_of)
    strength = tie_strength(snapshot, day, params)
    tier_result = tier_status(snapshot, strength, params)
    series = value_series(snapshot, day, params)
    alloc = allocation(snapshot, strength, params)
    return Portfolio(
        as_of=day,
        params=params,
        strength=strength,
        tiers=tier_result,
        value=network_value(strength),
        series=series,
        contributions=contributions(snapshot, day, params),
        allocation=alloc,
        rebalance=rebalance(snapshot, alloc, strength, tier_result, params),
        reach=reach(snapshot, strength, params),
        goodwill=goodwill_balances(snapshot, day, params),
        transactional=transactional_index(snapshot, day, params),
        dormant=dormant_ties(snapshot, day, params, strength=strength, series=series, alloc=alloc),
        brokerage=ego_brokerage(snapshot, strength, params) if len(snapshot.edge_a) else None,
    )


__all__ = [
    "DEFAULT_PARAMS",
    "PARTS",
    "Allocation",
    "Bridge",
    "Brokerage",
    "Contributions",
    "DiversityIndexes",
    "DormantTie",
    "FieldShare",
    "Goodwill",
    "Params",
    "Portfolio",
    "Reach",
    "RebalanceField",
    "StrengthResult",
    "TierResult",
    "TransactionalIndex",
    "ValueSeries",
    "allocation",
    "assign_tiers",
    "contributions",
    "diversity_indexes",
    "dormant_ties",
    "ego_brokerage",
    "ego_graph",
    "explain",
    "goodwill_balances",
    "network_value",
    "portfolio",
    "reach",
    "rebalance",
    "target_allocation",
    "tie_strength",
    "tier_status",
    "transactional_index",
    "value_series",
]
