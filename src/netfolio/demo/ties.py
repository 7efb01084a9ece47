"""The ties: each person's hidden layer and kind, when the tie began and ended, and how many
interactions it has."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from netfolio.demo.rows import (
    ASK_ONLY,
    DORMANT,
    NEVER,
    REGULAR,
    TAKER,
)

# People per layer in a network of 300, then ask-only ties and takers; the rest are never
# contacted (about 54%). Counts scale with the size of the network.
_LAYER_PER_300 = (5, 10, 33, 60, 18)
_ASK_ONLY_PER_300 = 6
_TAKERS_PER_300 = 5
# Interactions per year by layer (a person's own pace varies around it), so that 100,000
# people over 6 years make about 2,000,000 interactions.
_RATE = (80.0, 28.0, 9.5, 3.2, 0.9)
# Chance that a tie of each layer predates the period, and that a strong tie went dormant.
_PREDATES = (0.85, 0.7, 0.5, 0.35, 0.25)
_DORMANT_SHARE = 0.12


@dataclass
class Ties:
    layer: NDArray[np.int8]
    kind: NDArray[np.int8]
    start: NDArray[np.int64]  # first day of the tie (may predate the period)
    end: NDArray[np.int64]  # day after the last possible contact
    count: NDArray[np.int64]  # interactions drawn for the tie itself


def _layer_counts(n: int) -> tuple[list[int], int, int]:
    scale = n / 300
    layers = [round(c * scale) for c in _LAYER_PER_300]
    ask_only = round(_ASK_ONLY_PER_300 * scale)
    takers = round(_TAKERS_PER_300 * scale)
    if n >= 10:
        layers[0] = max(layers[0], 1)
        layers[1] = max(layers[1], 1)
        ask_only, takers = max(ask_only, 1), max(takers, 1)
    counts = [*layers, ask_only, takers]
    while sum(counts) > n:  # tiny networks: drop from the widest layers first
        counts[int(np.argmax(counts))] -= 1
    return counts[:5], counts[5], counts[6]


def draw_ties(rng: np.random.Generator, n: int, first: int, today: int) -> Ties:
    layers, ask_only, takers = _layer_counts(n)
    order = rng.permutation(n)
    layer = np.full(n, 5, np.int8)
    kind = np.full(n, NEVER, np.int8)
    at = 0
    for i, size in enumerate(layers):
        layer[order[at : at + size]] = i
        kind[order[at : at + size]] = REGULAR
        at += size
    kind[order[at : at + ask_only]] = ASK_ONLY
    kind[order[at + ask_only : at + ask_only + takers]] = TAKER

    window = today - first
    regular = kind == REGULAR
    li = np.minimum(layer, 4)
    predates = rng.random(n) < np.asarray(_PREDATES)[li]
    start = np.where(
        predates,
        first - (rng.random(n) * 8 * 365).astype(np.int64),
        first + 1 + (rng.random(n) * max(window - 30, 1)).astype(np.int64),
    )
    end = np.full(n, today, np.int64)

    strong = np.flatnonzero(regular & (layer <= 2))
    if len(strong) and window >= 240:
        dormant = strong[rng.random(len(strong)) < _DORMANT_SHARE]
        if not len(dormant):
            dormant = strong[[int(rng.integers(len(strong)))]]
        silence = rng.uniform(365, 3 * 365, len(dormant))
        silence = np.minimum(silence, 0.6 * window).astype(np.int64)
        end[dormant] = today - silence
        start[dormant] = np.minimum(start[dormant], end[dormant] - min(365, window // 3))
        kind[dormant] = DORMANT

    # each tie's own pace: interactions over the days it was active within the period
    active = np.maximum(end - np.maximum(start, first + 1), 1)
    pace = rng.lognormal(0.0, 0.35, n)
    rate = np.asarray(_RATE)[li] * pace
    count = rng.poisson(rate * active / 365.25).astype(np.int64)
    contacted = (kind == REGULAR) | (kind == DORMANT)
    count = np.where(contacted, np.maximum(count, 1), 0)
    count[kind == ASK_ONLY] = 1 + rng.binomial(2, 0.35, int((kind == ASK_ONLY).sum()))
    count[kind == TAKER] = 2 + rng.binomial(4, 0.35, int((kind == TAKER).sum()))
    late = (kind == ASK_ONLY) | (kind == TAKER)
    start[late] = np.maximum(start[late], first + 1)
    return Ties(layer=layer, kind=kind, start=start, end=end, count=count)


