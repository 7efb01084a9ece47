"""A synthetic network built directly as arrays, for property tests and timing.

``python tests/measures/synthetic.py`` times the measures on 100,000 people and 2,000,000
interaction rows.
"""

from __future__ import annotations

import numpy as np

from netfolio.core.enums import TIERS
from netfolio.core.snapshot import Snapshot

FIELDS = tuple(f"field{i}" for i in range(20))


def synthetic(
    n_people: int = 1000,
    n_rows: int = 20_000,
    *,
    years: int = 5,
    end_day: int = 20_000,
    n_edges: int | None = None,
    seed: int = 0,
) -> Snapshot:
    """A random network: skewed contact (a few people get most of it), 1-2 fields each."""
    rng = np.random.default_rng(seed)
    p = n_people
    weights = rng.pareto(1.2, p) + 0.01
    person = rng.choice(p, size=n_rows, p=weights / weights.sum()).astype(np.int32)
    day = np.sort(rng.integers(end_day - 365 * years, end_day + 1, n_rows)).astype(np.int32)
    order = np.argsort(day, kind="stable")
    day = day[order]
    at = day.astype(np.int64) * 86_400 + 43_200
    n_fields = rng.integers(0, 3, p)
    pf_person = np.repeat(np.arange(p, dtype=np.int32), n_fields)
    pf_field = rng.integers(0, len(FIELDS), len(pf_person)).astype(np.int32)
    keep = np.ones(len(pf_person), dtype=bool)
    keep[1:] = (pf_person[1:] != pf_person[:-1]) | (pf_field[1:] != pf_field[:-1])
    n_edges = p * 2 if n_edges is None else n_edges
    ea = rng.integers(0, p, n_edges).astype(np.int32)
    eb = rng.integers(0, p, n_edges).astype(np.int32)
    distinct = ea != eb
    tiers = np.zeros(p, dtype=np.int16)
    chosen = rng.random(p) < 0.001
    tiers[chosen] = rng.choice(TIERS, int(chosen.sum()))
    closeness = np.where(rng.random(p) < 0.05, rng.integers(1, 6, p), 0).astype(np.int8)
    n_asks = max(1, n_rows // 100)
    return Snapshot(
        person_id=np.arange(1, p + 1, dtype=np.int64),
        tier_override=tiers,
        closeness=closeness,
        connected_day=np.where(rng.random(p) < 0.5, end_day - 2000, -1).astype(np.int32),
        name=tuple(f"Person {i}" for i in range(p)),
        organisation=("",) * p,
        title=("",) * p,
        field_slugs=FIELDS,
        pf_person=pf_person[keep],
        pf_field=pf_field[keep],
        own_fields=(FIELDS[0],),
        ix_person=person,
        ix_at=at,
        ix_day=day,
        ix_channel=rng.integers(0, 7, n_rows).astype(np.int8),
        ix_initiator=rng.integers(0, 2, n_rows).astype(np.int8),
        ix_intent=rng.choice(6, n_rows, p=[0.5, 0.15, 0.1, 0.1, 0.05, 0.1]).astype(np.int8),
        ix_id=np.arange(1, n_rows + 1, dtype=np.int64),
        ask_person=rng.integers(0, p, n_asks).astype(np.int32),
        ask_direction=rng.integers(0, 2, n_asks).astype(np.int8),
        ask_status=rng.integers(0, 4, n_asks).astype(np.int8),
        ask_day=rng.integers(end_day - 365 * years, end_day, n_asks).astype(np.int32),
        edge_a=ea[distinct],
        edge_b=eb[distinct],
    )


def _time(label: str, fn: object, repeat: int = 3) -> object:
    """Run ``fn`` ``repeat`` times; print the best wall and CPU seconds; return its result."""
    import time

    best_wall = best_cpu = float("inf")
    result = None
    for _ in range(repeat):
        w, c = time.perf_counter(), time.process_time()
        result = fn()  # type: ignore[operator]
        best_wall = min(best_wall, time.perf_counter() - w)
        best_cpu = min(best_cpu, time.process_time() - c)
    print(f"{label:<28} wall {best_wall:6.3f} s   cpu {best_cpu:6.3f} s")
    return result


if __name__ == "__main__":  # pragma: no cover - a timing script
    import sys

    from netfolio import measures as m

    people, rows = (int(a) for a in sys.argv[1:3]) if len(sys.argv) > 2 else (100_000, 2_000_000)
    snap = synthetic(people, rows)
    snap.group_size  # noqa: B018 - computed once per snapshot, like the loader's arrays
    print(f"{people:,} people, {rows:,} interaction rows, {len(snap.edge_a):,} knows edges")
    day = 20_000
    s = _time("tie_strength", lambda: m.tie_strength(snap, day))
    _time("tiers", lambda: m.tier_status(snap, s))  # type: ignore[arg-type]
    v = _time("value_series (61 months)", lambda: m.value_series(snap, day))
    a = _time("allocation", lambda: m.allocation(snap, s))  # type: ignore[arg-type]
    _time("goodwill", lambda: m.goodwill_balances(snap, day))
    _time("transactional_index", lambda: m.transactional_index(snap, day))
    _time("contributions", lambda: m.contributions(snap, day))
    _time(
        "dormant_ties (given series)",
        lambda: m.dormant_ties(snap, day, strength=s, series=v, alloc=a),  # type: ignore[arg-type]
    )
    _time("brokerage", lambda: m.ego_brokerage(snap, s))  # type: ignore[arg-type]
    _time("portfolio (everything)", lambda: m.portfolio(snap, day))
