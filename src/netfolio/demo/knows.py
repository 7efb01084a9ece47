"""Who knows whom: colleagues (sparse), what the user stated, and the introductions."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from netfolio.core.enums import EdgeSource
from netfolio.core.taxonomy import taxonomy
from netfolio.demo.people import People
from netfolio.demo.rows import (
    REGULAR,
)
from netfolio.demo.ties import Ties


def draw_knows(
    rng: np.random.Generator,
    ties: Ties,
    people: People,
    intro_rows: list[tuple[int, int, int, int]],
) -> NDArray[np.int64]:
    """Who knows whom: colleagues (sparse), what the user stated, and the introductions."""
    n = len(ties.layer)
    edges: list[NDArray[np.int64]] = []

    def pairs(a: NDArray[np.int64], b: NDArray[np.int64], source: EdgeSource) -> None:
        keep = a != b
        a, b = a[keep], b[keep]
        edges.append(
            np.stack([np.minimum(a, b) + 1, np.maximum(a, b) + 1, np.full(len(a), source.code)], 1)
        )

    def within(groups: NDArray[np.int64], mask: NDArray[np.bool_], picks: NDArray[np.int64],
               source: EdgeSource) -> None:
        """Each person picks ``picks`` others at random within their group."""
        members = np.flatnonzero(mask & (groups >= 0))
        if not len(members):
            return
        members = members[np.argsort(groups[members], kind="stable")]
        _, starts, sizes = np.unique(groups[members], return_index=True, return_counts=True)
        block = np.repeat(np.arange(len(starts)), sizes)
        who = np.repeat(np.arange(len(members)), picks[members])
        size = sizes[block[who]]
        other = starts[block[who]] + (rng.random(len(who)) * size).astype(np.int64)
        pairs(members[who], members[other], source)

    everyone = np.ones(n, bool)
    within(people.org_id, everyone, rng.binomial(2, 0.5, n), EdgeSource.SAME_ORGANISATION)
    slugs = {s: i for i, s in enumerate(f.slug for f in taxonomy())}
    field_id = np.array([slugs[f[0]] for f in people.fields], np.int64)
    within(field_id, everyone, (rng.random(n) < 0.05).astype(np.int64), EdgeSource.STATED)
    circle = np.where((ties.kind == REGULAR) & (ties.layer <= 1), 0, -1)
    within(circle, everyone, rng.binomial(3, 0.5, n), EdgeSource.STATED)
    if intro_rows:
        a = np.array([r[1] for r in intro_rows], np.int64) - 1
        b = np.array([r[2] for r in intro_rows], np.int64) - 1
        pairs(a, b, EdgeSource.INTRODUCTION)
    if not edges:
        return np.zeros((0, 4), np.int64)
    found = np.unique(np.concatenate(edges), axis=0)
    return np.column_stack([np.arange(1, len(found) + 1), found]).astype(np.int64)


