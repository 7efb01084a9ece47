"""Brokerage: Burt's constraint and effective size of your ego network, and the people who
bridge otherwise separate fields.

The ego network is you (the ego) tied to every *alter* (a person whose tie strength is above
``Params.brokerage_min_strength``, 0 by default: anyone you have a tie with), plus the knows
edges among alters. People you have no tie with are left out even if they have knows edges:
they are not in your network yet. Ties are unweighted, as in networkx's defaults.

For that graph the structural-holes measures have closed forms, computed here with numpy so
they stay fast at 100,000 alters (networkx's ``constraint`` is quadratic in the ego's degree
and beyond reach there; the tests check these against networkx on small graphs). With n alters,
d_q the number of alters alter q knows, and t the ties among alters:

* constraint c = (1/n^2) * sum_j (1 + sum_{q knows j} 1/(1 + d_q))^2 (Burt 1992);
* effective size = n - 2t/n (Borgatti 1997's form of Burt's redundancy), efficiency = that / n.

A person *bridges* two fields when their ties reach both (through their own fields or the
people they know) and, among your alters, no knows edge joins the two fields directly except
the person's own, and no one else belongs to both: they span a structural hole between fields.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from netfolio.core.snapshot import Snapshot
from netfolio.measures.params import DEFAULT_PARAMS, Params
from netfolio.measures.strength import StrengthResult

if TYPE_CHECKING:  # networkx takes a while to import: only ego_graph needs it
    import networkx as nx

#: The ego's node in :func:`ego_graph` (people are their row numbers).
EGO = -1


@dataclass(frozen=True)
class Bridge:
    """A person who spans pairs of otherwise unlinked fields in your network (slugs, sorted)."""

    row: int
    person_id: int
    field_pairs: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Brokerage:
    """Structural holes of your ego network (constraint and effective size are NaN without
    alters, as networkx reports for an isolated node)."""

    alters: int
    alter_ties: int
    constraint: float
    effective_size: float
    efficiency: float
    bridges: tuple[Bridge, ...]


def alter_edges(
    snapshot: Snapshot, strength: StrengthResult, params: Params = DEFAULT_PARAMS
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]]:
    """The alters (rows) and the distinct knows edges among them (row pairs, a < b)."""
    alter = strength.score > params.brokerage_min_strength
    a = snapshot.edge_a.astype(np.int64)
    b = snapshot.edge_b.astype(np.int64)
    keep = alter[a] & alter[b] & (a != b)
    lo, hi = np.minimum(a[keep], b[keep]), np.maximum(a[keep], b[keep])
    key = _distinct(lo * snapshot.n_people + hi)
    return np.flatnonzero(alter), key // max(snapshot.n_people, 1), key % max(snapshot.n_people, 1)


def ego_graph(
    snapshot: Snapshot, strength: StrengthResult, params: Params = DEFAULT_PARAMS
) -> nx.Graph:
    """Your ego network as a networkx graph: node ``EGO`` and alters by row number."""
    import networkx as nx

    alters, ea, eb = alter_edges(snapshot, strength, params)
    g = nx.Graph()
    g.add_node(EGO)
    g.add_edges_from((EGO, int(r)) for r in alters)
    g.add_edges_from(zip(ea.tolist(), eb.tolist(), strict=True))
    return g


def ego_brokerage(
    snapshot: Snapshot, strength: StrengthResult, params: Params = DEFAULT_PARAMS
) -> Brokerage:
    """Constraint, effective size and bridges of your ego network."""
    alters, ea, eb = alter_edges(snapshot, strength, params)
    n, t = len(alters), len(ea)
    if n == 0:
        nan = float("nan")
        return Brokerage(0, 0, nan, nan, nan, ())
    degree = np.bincount(np.concatenate((ea, eb)), minlength=snapshot.n_people)
    inv = 1.0 / (1.0 + degree)  # p_qj for alter q: its ego tie plus d_q alter ties
    s = np.bincount(ea, weights=inv[eb], minlength=snapshot.n_people)
    s += np.bincount(eb, weights=inv[ea], minlength=snapshot.n_people)
    constraint = float(np.sum((1.0 + s[alters]) ** 2) / n**2)
    effective = n - 2.0 * t / n
    return Brokerage(
        alters=n,
        alter_ties=t,
        constraint=constraint,
        effective_size=effective,
        efficiency=effective / n,
        bridges=_bridges(snapshot, ea, eb),
    )


def _bridges(
    snapshot: Snapshot, ea: NDArray[np.int64], eb: NDArray[np.int64]
) -> tuple[Bridge, ...]:
    """People who span pairs of otherwise unlinked fields, found with array operations.

    A *link* between fields F and G is a knows edge between a person in F and one in G, or a
    person in both. Person x bridges (F, G) when x reaches both (own fields or a neighbour's)
    and every F-G link involves x (vacuously so when there is none).
    """
    if len(ea) == 0 or len(snapshot.field_slugs) < 2:
        return ()
    p, k = snapshot.n_people, len(snapshot.field_slugs)
    csr = _FieldsCSR(snapshot)

    # links from edges (every field of a with every field of b) and from people in 2+ fields
    e_idx, fa, fb = csr.combinations(ea, eb)
    multi = np.flatnonzero(csr.n > 1)
    s_idx, sa, sb = csr.combinations(multi, multi)
    edge_key = _unique_links(e_idx, fa, fb, k)
    self_key = _unique_links(s_idx, sa, sb, k)
    edge_i, edge_pair = edge_key // (k * k), edge_key % (k * k)
    self_i, self_pair = self_key // (k * k), self_key % (k * k)
    links = np.bincount(edge_pair, minlength=k * k) + np.bincount(self_pair, minlength=k * k)

    # (pair, person) for every link a person is part of; part of all of a pair's links: bridge
    who = np.concatenate((ea[edge_i], eb[edge_i], multi[self_i]))
    pairs = np.concatenate((edge_pair, edge_pair, self_pair))
    key, count = _distinct(pairs * p + who, counts=True)
    every = count == links[key // p]
    found_pair, found_who = [key[every] // p], [key[every] % p]

    # pairs with no link at all: everyone whose reach covers both fields bridges them
    reach = np.zeros((p, k), dtype=bool)
    reach[snapshot.pf_person, snapshot.pf_field] = True
    for x, y in ((ea, eb), (eb, ea)):
        i, field = csr.fields_of(y)
        reach[x[i], field] = True
    involved = _distinct(np.concatenate((ea, eb)))
    sub = reach[involved]
    bits = np.packbits(sub.T, axis=1)  # per field, who reaches it, as bits
    present = sub.any(axis=0)
    holes = np.triu(links.reshape(k, k) == 0, 1) & present[:, None] & present[None, :]
    for f, g in zip(*np.nonzero(holes), strict=True):  # a loop over field pairs only
        if np.any(bits[f] & bits[g]):
            rows = involved[sub[:, f] & sub[:, g]]
            found_pair.append(np.full(len(rows), f * k + g, dtype=np.int64))
            found_who.append(rows)

    out: dict[int, set[tuple[str, str]]] = {}
    for pr, person in zip(
        np.concatenate(found_pair).tolist(), np.concatenate(found_who).tolist(), strict=True
    ):
        f, g = divmod(pr, k)
        a, b = sorted((snapshot.field_slugs[f], snapshot.field_slugs[g]))
        out.setdefault(person, set()).add((a, b))
    bridges = [
        Bridge(row=r, person_id=int(snapshot.person_id[r]), field_pairs=tuple(sorted(v)))
        for r, v in out.items()
    ]
    bridges.sort(key=lambda b: (-len(b.field_pairs), b.person_id))
    return tuple(bridges)


class _FieldsCSR:
    """Each person's field indices as one sorted array and offsets (compressed rows)."""

    def __init__(self, snapshot: Snapshot) -> None:
        order = np.argsort(snapshot.pf_person, kind="stable")
        self.fld = snapshot.pf_field[order].astype(np.int64)
        self.n = snapshot.fields_per_person.astype(np.int64)
        self.off = np.cumsum(self.n) - self.n

    def fields_of(self, rows: NDArray[np.int64]) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
        """Every (i, field) with field one of ``rows[i]``'s fields."""
        size = self.n[rows]
        i = np.repeat(np.arange(len(rows), dtype=np.int64), size)
        within = np.arange(int(size.sum()), dtype=np.int64) - np.repeat(
            np.cumsum(size) - size, size
        )
        return i, self.fld[self.off[rows[i]] + within]

    def combinations(
        self, a: NDArray[np.int64], b: NDArray[np.int64]
    ) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]]:
        """Every (i, field of a[i], field of b[i])."""
        ka, kb = self.n[a], self.n[b]
        size = ka * kb
        i = np.repeat(np.arange(len(a), dtype=np.int64), size)
        within = np.arange(int(size.sum()), dtype=np.int64) - np.repeat(
            np.cumsum(size) - size, size
        )
        kbi = kb[i]
        return i, self.fld[self.off[a[i]] + within // kbi], self.fld[self.off[b[i]] + within % kbi]


def _unique_links(
    i: NDArray[np.int64], f: NDArray[np.int64], g: NDArray[np.int64], k: int
) -> NDArray[np.int64]:
    """Distinct (i, unordered field pair) as codes i * k^2 + min * k + max, f == g dropped."""
    distinct = f != g
    pair = np.minimum(f, g)[distinct] * k + np.maximum(f, g)[distinct]
    return _distinct(i[distinct] * (k * k) + pair)


def _distinct(values: NDArray[np.int64], *, counts: bool = False) -> Any:
    """Sorted distinct values (and how often each occurs): a sort, cheaper than np.unique here."""
    v = np.sort(values)
    first = np.ones(len(v), dtype=bool)
    first[1:] = v[1:] != v[:-1]
    if not counts:
        return v[first]
    starts = np.flatnonzero(first)
    return v[first], np.diff(np.append(starts, len(v)))


__all__ = ["EGO", "Bridge", "Brokerage", "alter_edges", "ego_brokerage", "ego_graph"]
