"""The soundness benchmark's networks survive the real import, and its metrics are right."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from benchmarks import bench_soundness as bench
from benchmarks.soundness_networks import network


def test_the_same_seed_gives_the_same_network_and_families_differ() -> None:
    a, b = network("drift", 60, 7), network("drift", 60, 7)
    assert [(t.kind, t.truth, len(t.events)) for t in a] == [
        (t.kind, t.truth, len(t.events)) for t in b
    ]
    assert any(t.kind == "drift" for t in a)
    dormant = network("dormant", 200, 7)
    assert {"dormant", "ask_only", "taker", "never"} <= {t.kind for t in dormant}
    for t in dormant:
        if t.kind == "dormant":
            assert min(e.day for e in t.events) >= int(1.5 * 365)  # silent 18+ months
        if t.kind == "never":
            assert not t.events


def test_metrics_on_a_known_case() -> None:
    truth = np.array([0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9])
    s = bench.Scored(
        truth=truth,
        active=np.ones(10, dtype=bool),
        dormant=np.array([True, True] + [False] * 8),
        scores={"netfolio": truth * 2},
        flagged={"netfolio": np.array([True, False, True] + [False] * 7)},
    )
    m = bench.metrics(s, "netfolio")
    assert m["spearman_all"] == pytest.approx(1.0) and m["strong_weak"] == 1.0
    assert m["dormant_recall"] == 0.5 and m["dormant_precision"] == 0.5


@pytest.mark.slow
def test_a_network_goes_through_the_real_import(tmp_path: Path) -> None:
    ties, url = bench.ledger("group", 1, 40, tmp_path)
    from netfolio import Network

    snap = Network(url).snapshot()
    assert snap.n_people == 40  # the three files met on one person per tie
    assert snap.group_size.max() >= 3  # team meetings are one calendar event each
    scored = bench.score(ties, url)
    assert set(scored.scores) == set(bench.ESTIMATORS)
    assert bench.spearman(scored.truth, scored.scores["netfolio"]) > 0.5


def test_spearman_uses_average_ranks_for_ties() -> None:
    assert list(bench.ranks(np.array([3.0, 1.0, 3.0, 2.0]))) == [3.5, 1.0, 3.5, 2.0]
    assert bench.spearman(np.array([1.0, 2, 3, 4]), np.array([10.0, 20, 30, 40])) == \
        pytest.approx(1.0)
    assert bench.spearman(np.array([1.0, 2, 3, 4]), np.array([4.0, 3, 2, 1])) == \
        pytest.approx(-1.0)
