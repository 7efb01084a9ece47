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


if __name__ == "__main__":  # pragma: no cover - a timing script
    import time

    from netfolio.measures.strength import tie_strength

    snap = synthetic(100_000, 2_000_000)
    for _ in range(3):
        t = time.perf_counter()
        r = tie_strength(snap, 20_000)
        print(f"tie_strength: {time.perf_counter() - t:.3f} s, value {r.total:.0f}")
