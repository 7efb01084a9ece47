"""Burt's constraint and effective size of the ego network, and field bridges."""

from __future__ import annotations

from itertools import combinations
from typing import Any

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from netfolio.core.snapshot import Snapshot
from netfolio.measures import ego_brokerage, ego_graph, tie_strength
from netfolio.measures.brokerage import EGO

D = 20_000


def ego(
    n: int,
    edges: list[tuple[int, int]],
    fields: dict[int, list[str]] | None = None,
    strangers: int = 0,
) -> Snapshot:
    """n alters (ids 1..n, each contacted once) and some strangers (ids n+1..), with edges."""
    fields = fields or {}
    people = [{"id": i, "fields": fields.get(i, [])} for i in range(1, n + strangers + 1)]
    ix = [{"person": i, "day": D, "at": 0} for i in range(1, n + 1)]
    return Snapshot.from_records(people=people, interactions=ix, edges=edges)


def measure(snap: Snapshot) -> Any:
    return ego_brokerage(snap, tie_strength(snap, D))


def test_four_unconnected_alters() -> None:
    b = measure(ego(4, []))
    assert b.constraint == pytest.approx(0.25)
    assert b.effective_size == pytest.approx(4.0) and b.efficiency == pytest.approx(1.0)
    assert (b.alters, b.alter_ties) == (4, 0)


def test_four_fully_connected_alters() -> None:
    b = measure(ego(4, list(combinations(range(1, 5), 2))))
    assert b.constraint == pytest.approx(0.765625)  # (1/4 + 3/16)^2 * 4, about 0.766
    assert round(b.constraint, 3) == 0.766
    assert b.effective_size == pytest.approx(1.0)


def test_edges_outside_the_ego_network_and_duplicates_are_ignored() -> None:
    snap = ego(4, [(1, 2), (2, 1), (1, 2), (3, 5), (5, 6), (4, 4)], strangers=2)
    b = measure(snap)
    assert (b.alters, b.alter_ties) == (4, 1)
    assert b.effective_size == pytest.approx(4 - 2 * 1 / 4)


def test_no_alters() -> None:
    b = measure(Snapshot.from_records(people=[{"id": 1}, {"id": 2}], edges=[(1, 2)]))
    assert b.alters == 0 and b.constraint != b.constraint  # NaN, as networkx reports


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 9), st.data())
def test_matches_networkx(n: int, data: Any) -> None:
    pairs = list(combinations(range(1, n + 3), 2))  # two strangers too
    edges = data.draw(st.lists(st.sampled_from(pairs), max_size=20)) if pairs else []
    snap = ego(n, edges, strangers=2)
    s = tie_strength(snap, D)
    g = ego_graph(snap, s)
    b = ego_brokerage(snap, s)
    assert b.constraint == pytest.approx(nx.constraint(g, [EGO])[EGO])
    assert b.effective_size == pytest.approx(nx.effective_size(g, [EGO])[EGO])


def test_bridges_between_fields() -> None:
    fields = {
        1: ["software"],
        2: ["software"],
        3: ["finance"],
        4: ["finance"],
        5: ["arts"],
        6: ["arts", "medicine"],
        7: ["medicine"],
    }
    # 2-3 is the only software-finance link; 5 knows software and finance people; 8 has no
    # field but is the only one who reaches both medicine (7) and software (1)
    edges = [(1, 2), (2, 3), (3, 4), (5, 1), (5, 4), (6, 7), (8, 7), (8, 1)]
    b = measure(ego(8, edges, fields))
    found = {br.person_id: br.field_pairs for br in b.bridges}
    assert ("finance", "software") in found[2] and ("finance", "software") in found[3]
    assert ("arts", "software") in found[5] and ("arts", "finance") in found[5]
    assert ("finance", "software") not in found[5]  # 2-3 links them without 5
    # arts-medicine is linked by 6 being in both, and by the 6-7 edge: 6 is part of both links
    assert ("arts", "medicine") in found[6]
    assert ("arts", "medicine") not in found.get(7, ())
    assert ("arts", "finance") in found[4]  # 4's own edge to 5 alone links them
    assert found[8] == (("medicine", "software"),)  # a broker across a structural hole


def test_no_fields_no_bridges() -> None:
    assert measure(ego(3, [(1, 2)])).bridges == ()
