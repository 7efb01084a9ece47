"""The network map: which people to show, where to put them, and the SVG that draws them.

The layout is computed on the server with networkx's spring layout. Besides the knows edges,
every person is pulled gently toward you (at the centre; stronger ties closer) and toward an
invisible hub of their field, so fields form neighbourhoods and the picture stays stable
between visits (a fixed seed). The browser only pans, zooms and highlights (``map.js``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from markupsafe import Markup, escape

if TYPE_CHECKING:
    from netfolio.web.cache import Measured

WIDTH, HEIGHT = 1000, 720
MAX_NODES = 500
#: Distinct colours for the fields most present on the map (by how many people), then grey.
PALETTE = ("#4e79a7", "#f28e2b", "#e15759", "#59a14f", "#b07aa1", "#edc948", "#17becf",
           "#ff9da7", "#9c755f", "#76b7b2", "#bcbd22", "#1f3d7a")
OTHER = "#a9b1bd"


@dataclass
class MapNode:
    id: int
    name: str
    organisation: str
    field: str | None
    strength: float
    colour: str
    x: float
    y: float
    r: float


@dataclass
class NetworkMap:
    nodes: list[MapNode]
    edges: list[tuple[int, int]]
    legend: list[tuple[str, str, int, str]]
    matched: int


def _select(measured: Measured, field: str | None, organisation: str | None) -> np.ndarray:
    """Rows of the people in ``field`` and at an organisation containing ``organisation``."""
    snap = measured.snapshot
    rows = np.arange(snap.n_people)
    if field:
        slugs = snap.field_slugs
        if field in slugs:
            index = slugs.index(field)
            rows = np.unique(snap.pf_person[snap.pf_field == index])
        else:
            rows = rows[:0]
    if organisation:
        needle = organisation.casefold()
        rows = np.asarray([r for r in rows.tolist() if needle in snap.organisation[r].casefold()],
                          dtype=np.int64)
    return rows


def build_map(measured: Measured, *, top: int = 150, field: str | None = None,
              organisation: str | None = None) -> NetworkMap:
    """The ``top`` strongest people matching the filters, laid out (cached per ledger version)."""
    top = max(1, min(top, MAX_NODES))
    key = ("map", top, field or "", (organisation or "").casefold())
    cached = measured.extras.get(key)
    if cached is not None:
        return cached
    import networkx as nx

    rows = _select(measured, field, organisation)
    matched = len(rows)
    strength = measured.strength
    rows = rows[np.lexsort((rows, -strength[rows]))][:top]
    snap = measured.snapshot
    chosen = {int(r) for r in rows}
    graph = nx.Graph()
    graph.add_node("me")
    primary: dict[int, str | None] = {}
    for r in rows.tolist():
        fields = measured.standings[r].fields
        primary[r] = fields[0] if fields else None
        graph.add_edge("me", r, weight=0.04 + 0.5 * strength[r] / 100.0)
        if primary[r]:
            graph.add_edge(("hub", primary[r]), r, weight=0.35)
    edges = []
    for a, b in zip(snap.edge_a.tolist(), snap.edge_b.tolist(), strict=True):
        if a in chosen and b in chosen and a != b:
            edges.append((a, b))
            graph.add_edge(a, b, weight=1.0)
    k = 1.6 / math.sqrt(max(len(rows), 1))
    pos = nx.spring_layout(graph, k=k, pos={"me": (0.0, 0.0)}, fixed=["me"], seed=7,
                           iterations=80, weight="weight")
    xs = [pos[r][0] for r in rows.tolist()] + [0.0]
    ys = [pos[r][1] for r in rows.tolist()] + [0.0]
    span = max(max(map(abs, xs)), max(map(abs, ys)), 1e-9)
    scale = (min(WIDTH, HEIGHT) / 2 - 40) / span
    counts: dict[str, int] = {}
    for r in rows.tolist():
        slug = primary[r]
        if slug:
            counts[slug] = counts.get(slug, 0) + 1
    ranked = sorted(counts, key=lambda slug: (-counts[slug], slug))
    colour = {slug: PALETTE[i] if i < len(PALETTE) else OTHER for i, slug in enumerate(ranked)}
    nodes = [
        MapNode(
            id=int(snap.person_id[r]), name=snap.name[r], organisation=snap.organisation[r],
            field=primary[r], strength=float(strength[r]),
            colour=colour.get(primary[r] or "", OTHER),
            x=WIDTH / 2 + pos[r][0] * scale * WIDTH / HEIGHT,
            y=HEIGHT / 2 + pos[r][1] * scale,
            r=3.0 + 10.0 * math.sqrt(max(float(strength[r]), 0.0) / 100.0),
        )
        for r in rows.tolist()
    ]
    legend = [(slug, measured.field_names.get(slug, slug), counts[slug], colour[slug])
              for slug in ranked]
    id_of = {int(r): int(snap.person_id[r]) for r in rows.tolist()}
    result = NetworkMap(nodes=nodes, edges=[(id_of[a], id_of[b]) for a, b in edges],
                        legend=legend, matched=matched)
    maps = [k for k in measured.extras if isinstance(k, tuple) and k[0] == "map"]
    for old in maps[: max(0, len(maps) - 15)]:
        del measured.extras[old]
    measured.extras[key] = result
    return result


def map_svg(m: NetworkMap, *, labels: int = 30, phone_labels: int = 10) -> Markup:
    """The map as SVG: edges, then nodes (links to each person), the strongest labelled.

    On a phone only the ``phone_labels`` strongest keep their label, drawn larger, until
    the map is zoomed in (``netfolio.css``, ``map.js``)."""
    where = {n.id: n for n in m.nodes}
    neighbours: dict[int, list[int]] = {n.id: [] for n in m.nodes}
    out = [f'<svg class="map" id="map" viewBox="0 0 {WIDTH} {HEIGHT}" role="group" '
           f'aria-label="Map of your network: {len(m.nodes)} people, {len(m.edges)} '
           f'who-knows-whom links">']
    out.append('<g class="edges">')
    for a, b in m.edges:
        na, nb = where[a], where[b]
        neighbours[a].append(b)
        neighbours[b].append(a)
        out.append(f'<line class="edge" data-a="{a}" data-b="{b}" x1="{na.x:.1f}" '
                   f'y1="{na.y:.1f}" x2="{nb.x:.1f}" y2="{nb.y:.1f}"/>')
    out.append("</g>")
    out.append(f'<g class="me"><circle cx="{WIDTH / 2}" cy="{HEIGHT / 2}" r="6"/>'
               f'<title>You</title></g><g class="nodes">')
    ranked = sorted(m.nodes, key=lambda n: -n.strength)
    labelled = {n.id for n in ranked[:labels]}
    first = {n.id for n in ranked[:phone_labels]}
    for n in m.nodes:
        org = f" · {n.organisation}" if n.organisation else ""
        near = " ".join(str(x) for x in neighbours[n.id])
        out.append(
            f'<a class="node" href="/people/{n.id}" data-id="{n.id}" data-near="{near}">'
            f'<circle cx="{n.x:.1f}" cy="{n.y:.1f}" r="{n.r:.1f}" '
            f'fill="{n.colour}"/>'
            f'<title>{escape(n.name)}{escape(org)} · strength {n.strength:.0f}</title>'
        )
        if n.id in labelled:
            top = ' class="top"' if n.id in first else ""
            out.append(f'<text{top} x="{n.x + n.r + 3:.1f}" y="{n.y + 3.5:.1f}">'
                       f'{escape(n.name)}</text>')
        out.append("</a>")
    out.append("</g></svg>")
    return Markup("".join(out))
