"""Allocation by field, diversity, the target allocation and a rebalancing list; and
connections versus relationships.

Fields are the portfolio's asset classes. A person with k fields puts 1/k of their head-count
and of their tie strength in each; people with no known field are left out of the shares and
counted apart (``unassigned``). Diversity is measured on the shares p of the fields present
(K of them): Blau's index 1 - sum(p^2) and its normalised form x K/(K-1); Shannon's entropy H,
evenness H / ln K and effective number e^H; and the Herfindahl-Hirschman index sum((100p)^2)
on the 0-10,000 scale with the usual bands. With one field Blau is 0 and HHI 10,000; evenness,
undefined for one field, is reported as 0 (no spread at all).

The target allocation is a capped index: by default each field's share of your head-count
(the "market" you could invest in), with no field above ``field_cap`` and none of your own
fields above ``own_field_cap``, the excess spread over the uncapped fields in proportion
(as capped index funds do), and none of your own fields below ``own_field_floor``. Targets you
set for some fields (``params.target_shares``) are kept exactly; the other fields share the rest.
Rebalancing names the fields whose strength-weighted share is most under target (by more than
:data:`UNDER_TARGET_TOLERANCE`), and the people in them worth a touch.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from netfolio.core.snapshot import Snapshot
from netfolio.measures.params import DEFAULT_PARAMS, Params
from netfolio.measures.strength import StrengthResult, kept_state
from netfolio.measures.tiers import TierResult, tier_status

FloatArray = NDArray[np.float64]

#: A field is under target when its share falls short by more than this fraction of the target
#: and by more than one percentage point: "12% of a 12% target" is on target, and a share that
#: rounds to the same whole percent as its target is never listed as under it.
UNDER_TARGET_TOLERANCE = 0.10
UNDER_TARGET_MIN_GAP = 0.01


def is_under_target(share: float, target: float) -> bool:
    """Whether a share is under its target by more than rounding and noise."""
    gap = target - share
    return gap > max(UNDER_TARGET_MIN_GAP, UNDER_TARGET_TOLERANCE * target)


@dataclass(frozen=True)
class DiversityIndexes:
    """Diversity of one allocation (shares over the K fields present)."""

    fields_present: int
    blau: float
    blau_normalised: float
    shannon: float
    evenness: float
    effective_number: float
    hhi: float
    hhi_band: str


@dataclass(frozen=True)
class FieldShare:
    """One field's row of the allocation table (shares are fractions of 1)."""

    field: str
    own: bool
    people: float
    strength: float
    share_people: float
    share_strength: float
    target: float

    @property
    def gap(self) -> float:
        """Target minus actual strength share: positive means under-weight."""
        return self.target - self.share_strength

    @property
    def under(self) -> bool:
        """Under target by more than rounding and noise (:func:`is_under_target`)."""
        return is_under_target(self.share_strength, self.target)


@dataclass(frozen=True, eq=False)
class Allocation:
    """The portfolio by field: rows (largest strength share first), diversity both ways.

    ``field_gap`` gives, per person, how under-weight their most under-weight field is, as a
    fraction of its target (0..1; 0 for people with no under-weight field): how much
    reconnecting with them would add to the portfolio's range.
    """

    fields: tuple[FieldShare, ...]
    by_strength: DiversityIndexes
    by_people: DiversityIndexes
    own_share_strength: float
    own_share_people: float
    unassigned_people: int
    unassigned_strength: float
    field_gap: FloatArray


@dataclass(frozen=True)
class RebalanceField:
    """A field under target and the people in it worth a touch (rows, best first)."""

    field: str
    target: float
    actual: float
    gap: float
    rows: tuple[int, ...]
    person_ids: tuple[int, ...]


@dataclass(frozen=True, eq=False)
class Reach:
    """Connections versus relationships at ``as_of``.

    A *relationship* is a person with two-way contact: at least one interaction started by
    you and one started by them, or any contact on a channel that is two-way by nature (in
    person, call, video; ``Params.two_way_channels``). Everyone else is a *connection*;
    ``never_contacted`` have no interaction at all. Shares are of all people.
    """

    people: int
    relationships: int
    connections: int
    never_contacted: int
    never_contacted_share: float
    relationship: NDArray[np.bool_]


def diversity_indexes(weights: ArrayLike, params: Params = DEFAULT_PARAMS) -> DiversityIndexes:
    """Blau, Shannon and HHI figures for non-negative weights over categories (any scale)."""
    w = np.asarray(weights, dtype=np.float64)
    total = float(w.sum())
    p = w / total if total > 0 else np.zeros(0)
    p = p[p > 0]
    k = len(p)
    if k == 0:
        return DiversityIndexes(0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, "none")
    sum_sq = float(np.sum(p * p))
    blau = max(0.0, 1.0 - sum_sq)
    shannon = max(0.0, float(-np.sum(p * np.log(p))))
    hhi = min(10_000.0, 10_000.0 * sum_sq)
    low, high = params.hhi_bands
    band = "unconcentrated" if hhi < low else "moderate" if hhi <= high else "high"
    return DiversityIndexes(
        fields_present=k,
        blau=blau,
        blau_normalised=min(1.0, blau * k / (k - 1)) if k > 1 else 0.0,
        shannon=shannon,
        evenness=min(1.0, shannon / float(np.log(k))) if k > 1 else 0.0,
        effective_number=float(np.exp(shannon)),
        hhi=hhi,
        hhi_band=band,
    )


def field_weights(snapshot: Snapshot, per_person: FloatArray) -> FloatArray:
    """Sum a per-person quantity into fields, a person with k fields giving 1/k to each."""
    k = snapshot.fields_per_person
    share = per_person[snapshot.pf_person] / k[snapshot.pf_person]
    n = len(snapshot.field_slugs)
    return np.bincount(snapshot.pf_field, weights=share, minlength=n).astype(np.float64)


def target_allocation(
    snapshot: Snapshot, people: FloatArray, params: Params = DEFAULT_PARAMS
) -> FloatArray:
    """The target share of every field (aligned with ``snapshot.field_slugs``; sums to 1).

    ``people`` is the head-count per field. The universe is the fields with people plus your
    own fields. An explicit ``params.target_allocation`` wins (normalised over the known slugs
    it names); otherwise the base is head-count (``capped_headcount``) or equal weights
    (``equal``), capped per field and the excess spread in proportion over the rest. When the
    caps cannot add up to 1 (too few fields), the target is proportional to the caps.
    """
    n = len(snapshot.field_slugs)
    if params.target_allocation is not None:
        index = {s: i for i, s in enumerate(snapshot.field_slugs)}
        explicit = np.zeros(n)
        for slug, weight in params.target_allocation.items():
            if slug in index:
                explicit[index[slug]] = max(0.0, float(weight))
        total = explicit.sum()
        return explicit / total if total > 0 else explicit
    default = _default_target(snapshot, people, params)
    if not params.target_shares:
        return default
    index = {s: i for i, s in enumerate(snapshot.field_slugs)}
    fixed = np.zeros(n, dtype=bool)
    out = np.zeros(n)
    for slug, share in params.target_shares.items():
        if slug in index:
            fixed[index[slug]] = True
            out[index[slug]] = max(0.0, float(share))
    rest = max(0.0, 1.0 - float(out.sum()))
    free = ~fixed & (default > 0)
    if free.any():
        out[free] = default[free] / default[free].sum() * rest
    total = out.sum()
    return out / total if total > 0 else out


def _default_target(snapshot: Snapshot, people: FloatArray, params: Params) -> FloatArray:
    """The capped index with your own fields between ``own_field_floor`` and their cap."""
    n = len(snapshot.field_slugs)
    own = snapshot.own_field_mask
    universe = (people > 0) | own
    if params.target_method == "equal":
        base = universe.astype(np.float64)
    else:
        base = np.where(universe, people, 0.0)
    if base.sum() <= 0:
        return np.zeros(n)
    cap = np.where(own, params.own_field_cap, params.field_cap)
    target = _capped(base / base.sum(), cap)
    low = own & (target < params.own_field_floor)
    others = ~own & (target > 0)
    if low.any() and others.any():
        # lift your own fields to the floor; the other fields give up the difference pro rata
        target = target.copy()
        target[low] = params.own_field_floor
        room = 1.0 - float(target[own].sum())
        if room > 0:
            target[others] = target[others] / target[others].sum() * room
        else:
            target[others] = 0.0
        target = target / target.sum()
    return target


def _capped(base: FloatArray, cap: FloatArray) -> FloatArray:
    """Cap weights and spread the excess over the uncapped ones in proportion to ``base``.

    Loops at most once per field (never per person).
    """
    w = base.copy()
    fixed = np.zeros(len(w), dtype=bool)
    for _ in range(len(w)):
        over = (w > cap + 1e-12) & ~fixed
        if not over.any():
            break
        fixed |= over
        w[fixed] = cap[fixed]
        free = ~fixed & (base > 0)
        room = 1.0 - w[fixed].sum()
        if not free.any() or room <= 0:
            break
        w[free] = base[free] / base[free].sum() * room
    total = w.sum()
    return w / total if total > 0 else w


def allocation(
    snapshot: Snapshot, strength: StrengthResult, params: Params = DEFAULT_PARAMS
) -> Allocation:
    """Allocation by field weighted by tie strength and by head-count, with diversity."""
    n_fields = len(snapshot.field_slugs)
    ones = np.ones(snapshot.n_people, dtype=np.float64)
    people = field_weights(snapshot, ones)
    weight = field_weights(snapshot, strength.score)
    target = target_allocation(snapshot, people, params)
    share_people = people / people.sum() if people.sum() > 0 else np.zeros(n_fields)
    share_strength = weight / weight.sum() if weight.sum() > 0 else np.zeros(n_fields)
    own = snapshot.own_field_mask
    shown = np.flatnonzero((people > 0) | own | (target > 0))
    shown = shown[np.lexsort((shown, -people[shown], -share_strength[shown]))]
    rows = tuple(
        FieldShare(
            field=snapshot.field_slugs[i],
            own=bool(own[i]),
            people=float(people[i]),
            strength=float(weight[i]),
            share_people=float(share_people[i]),
            share_strength=float(share_strength[i]),
            target=float(target[i]),
        )
        for i in shown
    )
    # per person: how under-weight (relative to target) their most under-weight field is
    with np.errstate(divide="ignore", invalid="ignore"):
        relative = np.where(target > 0, (target - share_strength) / target, 0.0)
    relative = np.clip(relative, 0.0, 1.0)
    field_gap = np.zeros(snapshot.n_people, dtype=np.float64)
    np.maximum.at(field_gap, snapshot.pf_person.astype(np.intp), relative[snapshot.pf_field])
    no_field = snapshot.fields_per_person == 0
    return Allocation(
        fields=rows,
        by_strength=diversity_indexes(weight, params),
        by_people=diversity_indexes(people, params),
        own_share_strength=float(share_strength[own].sum()),
        own_share_people=float(share_people[own].sum()),
        unassigned_people=int(np.count_nonzero(no_field)),
        unassigned_strength=float(strength.score[no_field].sum()),
        field_gap=field_gap,
    )


def rebalance(
    snapshot: Snapshot,
    alloc: Allocation,
    strength: StrengthResult,
    tier_result: TierResult | None = None,
    params: Params = DEFAULT_PARAMS,
) -> list[RebalanceField]:
    """The fields most under target, each with the people in it worth a touch.

    People are ranked: existing ties that are overdue first, then other existing ties, then
    connections never built (strength 0); stronger first within each group.
    """
    t = tier_result if tier_result is not None else tier_status(snapshot, strength, params)
    under = sorted((f for f in alloc.fields if f.under), key=lambda f: -f.gap)
    index = {s: i for i, s in enumerate(snapshot.field_slugs)}
    score = strength.score
    group = np.where(score > 0, np.where(t.overdue, 0, 1), 2)
    out = []
    for f in under[: params.rebalance_fields]:
        members = snapshot.pf_person[snapshot.pf_field == index[f.field]]
        order = np.lexsort((snapshot.person_id[members], -score[members], group[members]))
        best = members[order][: params.rebalance_people]
        out.append(
            RebalanceField(
                field=f.field,
                target=f.target,
                actual=f.share_strength,
                gap=f.gap,
                rows=tuple(int(r) for r in best),
                person_ids=tuple(int(snapshot.person_id[r]) for r in best),
            )
        )
    return out


def reach(snapshot: Snapshot, strength: StrengthResult, params: Params = DEFAULT_PARAMS) -> Reach:
    """Connections versus relationships at the strength result's as-of date."""
    s = strength.stats
    state = kept_state(snapshot, strength.as_of, params)
    if state is not None:
        deep = state.deep > 0
    else:
        on_time = snapshot.ix_day <= strength.as_of
        two_way_channel = np.isin(snapshot.ix_channel, params.two_way_channels) & on_time
        deep = np.bincount(snapshot.ix_person[two_way_channel], minlength=snapshot.n_people) > 0
    relationship = ((s.started_by_me > 0) & (s.started_by_them > 0)) | deep
    n = snapshot.n_people
    never = int(np.count_nonzero(s.count == 0))
    rel = int(np.count_nonzero(relationship))
    return Reach(
        people=n,
        relationships=rel,
        connections=n - rel,
        never_contacted=never,
        never_contacted_share=never / n if n else 0.0,
        relationship=relationship,
    )


__all__ = [
    "Allocation",
    "DiversityIndexes",
    "FieldShare",
    "Reach",
    "RebalanceField",
    "allocation",
    "diversity_indexes",
    "field_weights",
    "is_under_target",
    "reach",
    "rebalance",
    "target_allocation",
]
