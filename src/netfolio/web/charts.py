"""Charts drawn on the server as SVG: no chart library, nothing fetched, text always escaped.

Each function returns :class:`markupsafe.Markup` ready for a template. Shapes carry CSS
classes (styled by ``static/netfolio.css``) rather than inline styles, so the page's
Content-Security-Policy can forbid inline styles. Every chart has a text alternative.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from typing import Any

from markupsafe import Markup, escape

#: A field's share of tie strength within this much of its target (two points) counts as on
#: target: the bar is drawn as even and the field is not listed as under target.
ON_TARGET = 0.02


def under_target(fields: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rebalancing suggestions (the report's ``rebalance``) whose field is clearly under
    its target, by more than :data:`ON_TARGET`: "12% of a 12% target" is not under."""
    return [f for f in fields if f["target"] - f["actual"] > ON_TARGET]


def dot(colour: str, size: int = 9) -> Markup:
    """A small circle of a colour (SVG, so no inline style is needed)."""
    r = size / 2
    return Markup(f'<svg class="dot" width="{size}" height="{size}" aria-hidden="true">'
                  f'<circle cx="{r}" cy="{r}" r="{r}" fill="{escape(colour)}"/></svg>')


def meter(value: float, total: float = 100.0) -> Markup:
    """A small bar for a score out of ``total`` (decorative: the number is beside it)."""
    share = max(0.0, min(1.0, value / total)) * 100
    return Markup(f'<svg class="meter" viewBox="0 0 100 6" preserveAspectRatio="none" '
                  f'aria-hidden="true"><rect class="track" width="100" height="6" rx="3"/>'
                  f'<rect class="fill" width="{share:.1f}" height="6" rx="3"/></svg>')


def _nice_step(span: float, ticks: int = 4) -> float:
    if span <= 0:
        return 1.0
    raw = span / ticks
    power = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 2.5, 5, 10):
        if raw <= m * power:
            return m * power
    return 10 * power


def _fmt(value: float) -> str:
    if abs(value) >= 10_000:
        return f"{value / 1000:,.0f}k"
    if abs(value) >= 1000:
        return f"{value / 1000:,.1f}k"
    return f"{value:,.0f}"


def line_chart(points: Sequence[tuple[str, float]], *, label: str, width: int = 960,
               height: int = 280) -> Markup:
    """A value-over-time chart: the area under the line, y gridlines, years along x."""
    if not points or not any(v > 0 for _, v in points):
        return Markup('<p class="muted">No value yet: the chart begins with the first '
                      'interaction you log.</p>')
    left, right, top, bottom = 8, 12, 16, 40
    w, h = width - left - right, height - top - bottom
    days = [dt.date.fromisoformat(d).toordinal() for d, _ in points]
    values = [v for _, v in points]
    d0, d1 = days[0], max(days[-1], days[0] + 1)
    vmax = max(max(values), 1.0)
    step = max(_nice_step(vmax), 1.0)  # whole numbers on the axis
    top_value = math.ceil(vmax / step) * step

    def x(day: int) -> float:
        return left + (day - d0) / (d1 - d0) * w

    def y(v: float) -> float:
        return top + h - v / top_value * h

    out = [
        f'<svg class="chart line-chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(label)}"><title>{escape(label)}</title>'
    ]
    tick = 0.0
    while tick <= top_value + 1e-9:
        yy = y(tick)
        out.append(f'<line class="grid" x1="{left}" x2="{width - right}" y1="{yy:.1f}" '
                   f'y2="{yy:.1f}"/>')
        if tick > 0:
            out.append(f'<text class="axis" x="{left + 2}" y="{yy - 5:.1f}">{_fmt(tick)}</text>')
        tick += step
    first_year = dt.date.fromordinal(d0).year + 1
    last_year = dt.date.fromordinal(d1).year
    years = list(range(first_year, last_year + 1))
    every = max(1, math.ceil(len(years) / 8))
    for year in years[::every]:
        xx = x(dt.date(year, 1, 1).toordinal())
        out.append(f'<line class="grid grid-x" x1="{xx:.1f}" x2="{xx:.1f}" y1="{top}" '
                   f'y2="{top + h}"/><text class="axis" x="{xx:.1f}" y="{height - 10}" '
                   f'text-anchor="middle">{year}</text>')
    coords = [(x(d), y(v)) for d, v in zip(days, values, strict=True)]
    line = " ".join(f"{a:.1f},{b:.1f}" for a, b in coords)
    area = f"{coords[0][0]:.1f},{top + h} {line} {coords[-1][0]:.1f},{top + h}"
    out.append(f'<polygon class="area" points="{area}"/>')
    out.append(f'<polyline class="line" points="{line}"/>')
    for (a, b), (d, v) in zip(coords, points, strict=True):
        out.append(f'<circle class="hit" cx="{a:.1f}" cy="{b:.1f}" r="5">'
                   f'<title>{escape(d)}: {v:,.0f}</title></circle>')
    a, b = coords[-1]
    out.append(f'<circle class="dot" cx="{a:.1f}" cy="{b:.1f}" r="4"/>')
    out.append("</svg>")
    return Markup("".join(out))


def allocation_chart(lines: Sequence[Any], *, limit: int = 12) -> Markup:
    """Each field's share of tie strength as a bar, its target as a tick; the largest first.

    Rows are HTML (text stays readable on a phone); each bar is a small fluid SVG.
    """
    shown = [f for f in lines if f.share_strength > 0 or f.target > 0][:limit]
    if not shown:
        return Markup('<p class="muted">No fields yet: people get fields from their titles '
                      'and organisations, or set them on their page.</p>')
    top = max(max(f.share_strength for f in shown), max(f.target for f in shown), 0.01)
    out = ['<ul class="allocation" aria-label="Allocation by field: share of tie strength '
           'against the target">']
    for f in shown:
        state = "over" if f.gap < -ON_TARGET else ("under" if f.gap > ON_TARGET else "even")
        share = f.share_strength / top * 100
        target = f.target / top * 100
        own = Markup(' <span class="own" aria-hidden="true">★</span>'
                     '<span class="visually-hidden"> (your field)</span>') if f.own else ""
        out.append(
            f'<li class="{state}"><span class="label">{escape(f.name)}{own}</span>'
            f'<svg class="bar" viewBox="0 0 100 10" preserveAspectRatio="none" '
            f'aria-hidden="true"><rect class="track" width="100" height="10" rx="1.5"/>'
            f'<rect class="fill" width="{share:.2f}" height="10" rx="1.5"/>'
            f'<rect class="target" x="{max(target - 0.6, 0):.2f}" y="-1" width="1.2" '
            f'height="12"/></svg>'
            f'<span class="value">{f.share_strength:.0%}<span class="muted"> / '
            f'{f.target:.0%}</span></span></li>'
        )
    out.append(
        '</ul><ul class="legend small" aria-label="What the bars mean">'
        '<li><span class="swatch fill"></span>share of tie strength, on target '
        f'(within {ON_TARGET:.0%})</li>'
        '<li><span class="swatch under"></span>under target</li>'
        '<li><span class="swatch over"></span>over target</li>'
        '<li><span class="swatch target"></span>the target</li>'
        '<li><span class="own" aria-hidden="true">★</span> your own field</li></ul>')
    return Markup("".join(out))


def split_bar(parts: Sequence[tuple[str, float, str]], *, label: str, width: int = 640,
              height: int = 18) -> Markup:
    """One bar split into parts (label, amount, css class), e.g. relationships vs connections."""
    total = sum(v for _, v, _ in parts)
    out = [f'<svg class="chart split" viewBox="0 0 {width} {height}" role="img" '
           f'aria-label="{escape(label)}" preserveAspectRatio="none">'
           f'<title>{escape(label)}</title>']
    if total <= 0:
        out.append(f'<rect class="track" x="0" y="0" width="{width}" height="{height}" rx="4"/>')
    x = 0.0
    for name, value, css in parts:
        if value <= 0 or total <= 0:
            continue
        w = value / total * width
        out.append(f'<rect class="{escape(css)}" x="{x:.1f}" y="0" width="{w:.1f}" '
                   f'height="{height}"><title>{escape(name)}: {value:,.0f} '
                   f'({value / total:.0%})</title></rect>')
        x += w
    out.append("</svg>")
    return Markup("".join(out))


def strength_bar(parts: Sequence[tuple[str, float]], *, total: float = 100.0,
                 width: int = 320, height: int = 14) -> Markup:
    """A person's tie strength as stacked parts (rhythm, recent, closeness) out of 100.

    A negative part (``recent`` when a tie cooled) shortens the part before it, so the bar is
    as long as the score."""
    net: list[tuple[str, float]] = []
    for name, points in parts:
        if points < 0 and net:
            before, kept = net[-1]
            net[-1] = (f"{before} {kept:.1f}, {name} {points:+.1f}", max(kept + points, 0.0))
        else:
            net.append((name, points))
    parts = net
    out = [f'<svg class="chart strength" viewBox="0 0 {width} {height}" role="img" '
           f'aria-label="Tie strength by part" preserveAspectRatio="none">'
           f'<rect class="track" x="0" y="0" width="{width}" height="{height}" rx="3"/>']
    x = 0.0
    for i, (name, points) in enumerate(parts):
        if points <= 0:
            continue
        w = points / total * width
        out.append(f'<rect class="part part-{i % 6}" x="{x:.1f}" y="0" width="{w:.1f}" '
                   f'height="{height}"><title>{escape(name)}: {points:.1f}</title></rect>')
        x += w
    out.append("</svg>")
    return Markup("".join(out))
