"""What a member shares with the team: each shared person's strength bucket.

The bucket is read from the person's Dunbar layer (see ``docs/measures.md``, tiers): the
5, 15 and 50 layers (support clique, sympathy group, close friends) are **strong**; the
150 layer (the meaningful relationships, Dunbar's number) is **familiar**; the 500 and 1500
layers and people beyond them are **weak**. Layers rest on Hill & Dunbar (2003) and Zhou
et al. (2005); the user's own tier override wins, as everywhere else. Only the bucket
leaves the member's ledger, never the score or what it was computed from.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from netfolio.core.snapshot import Snapshot
from netfolio.core.team import Shared
from netfolio.measures import Params, tie_strength, tier_status

#: The innermost tier of each bucket: strong up to 50, familiar 150, weak beyond.
STRONG_UP_TO = 50
FAMILIAR_UP_TO = 150


def buckets_of(tiers: np.ndarray) -> np.ndarray:
    """Bucket index (0 strong, 1 familiar, 2 weak) of each tier value (0 = no tier)."""
    tiers = np.asarray(tiers)
    out = np.full(tiers.shape, 2, dtype=np.int8)
    out[(tiers > 0) & (tiers <= FAMILIAR_UP_TO)] = 1
    out[(tiers > 0) & (tiers <= STRONG_UP_TO)] = 0
    return out


def shared_buckets(
    snapshot: Snapshot, day: int, params: Params, person_ids: Iterable[int]
) -> list[Shared]:
    """The directory rows of ``person_ids``: each with the bucket of their tier on ``day``."""
    wanted = np.fromiter(person_ids, dtype=np.int64)
    if not len(wanted):
        return []
    tiers = tier_status(snapshot, tie_strength(snapshot, day, params), params).tier
    rows = np.searchsorted(snapshot.person_id, wanted)
    rows = np.clip(rows, 0, max(len(snapshot.person_id) - 1, 0))
    known = snapshot.person_id[rows] == wanted
    buckets = buckets_of(tiers[rows])
    return [Shared(int(pid), int(b)) for pid, b, ok in zip(wanted, buckets, known, strict=True)
            if ok]


__all__ = ["FAMILIAR_UP_TO", "STRONG_UP_TO", "buckets_of", "shared_buckets"]
