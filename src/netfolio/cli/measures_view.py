"""Rendering the measures in the terminal: tables with bars, a value chart, plain words."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from netfolio.cli.render import console, escape
from netfolio.reports import plural

if TYPE_CHECKING:
    from netfolio.reports import DormantLine, PortfolioReport, Why

BLOCKS = " ▁▂▃▄▅▆▇█"


def bar(share: float, width: int = 24) -> str:
    cells = share * width
    full = int(cells)
    rest = cells - full
    partial = "▏▎▍▌▋▊▉"[int(rest * 7)] if rest > 0.07 and full < width else ""
    return "█" * full + partial


def sparkline(values: list[float]) -> str:
    if not values:
        return ""
    lo, hi = min(values), max(values)
    span = hi - lo or 1.0
    return "".join(BLOCKS[1 + round((v - lo) / span * 7)] for v in values)


def summary(r: PortfolioReport) -> None:
    """The portfolio in plain sentences (reports.plain_summary), one per line."""
    from rich.table import Table

    from netfolio.reports import plain_summary

    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column()
    for line in plain_summary(r):
        grid.add_row(" •", escape(line))
    console().print(grid)


def portfolio(r: PortfolioReport, *, details: bool = False) -> None:
    """Plain sentences first; with ``details`` the allocation table and every index, each with
    a line on what it means."""
    from rich.table import Table

    from netfolio.reports import measure_details

    out = console()
    trend = ""
    if r.value_a_year_ago:
        change = (r.value - r.value_a_year_ago) / r.value_a_year_ago
        trend = f", {change:+.0%} on a year ago"
    out.print(f"[bold]Your network on {r.as_of}[/] (value {r.value:,.0f}{trend})")
    summary(r)
    if not details:
        out.print("[dim]The allocation by field and the indices behind these sentences: "
                  "netfolio portfolio --details[/]")
        return
    values = [v for _, v in r.series[-24:]]
    if values:
        out.print(f"\nValue, last {len(values)} months: {sparkline(values)}")
    table = Table(title="Allocation by field (weighted by tie strength)", header_style="bold")
    table.add_column("Field")
    table.add_column("People", justify="right")
    table.add_column("Share", justify="right")
    table.add_column("Target", justify="right")
    table.add_column("")
    for f in [f for f in r.allocation if f.share_strength > 0 or f.target > 0][:15]:
        name = escape(f.name) + (" [dim](yours)[/]" if f.own else "")
        table.add_row(name, f"{f.people:,}", f"{f.share_strength:.1%}", f"{f.target:.1%}",
                      f"[{'yellow' if f.under else 'green'}]{bar(f.share_strength)}[/]")
    out.print(table)
    out.print("[dim]People: everyone in the field (someone in two fields counts in both). "
              "Share: the field's part of your tie strength. Target: yours (netfolio targets) "
              "or the default. Yellow: under target.[/]")
    if r.rebalance:
        out.print("[bold]Under target[/], and people in those fields worth a touch:")
        for item in r.rebalance[:3]:
            names = ", ".join(escape(p["name"]) for p in item["people"][:3])
            out.print(f"  {escape(item['name'])}: {item['actual']:.1%} of a "
                      f"{item['target']:.1%} target" + (f" → {names}" if names else ""))
    table = Table(title="The indices, and what they mean", header_style="bold")
    table.add_column("Index")
    table.add_column("Value", justify="right")
    table.add_column("Meaning")
    for detail in measure_details(r):
        table.add_row(detail.name, detail.value, escape(detail.meaning))
    out.print(table)
    if r.dormant:
        out.print("[bold]Dormant ties[/] worth reconnecting (netfolio dormant for all):")
        for d in r.dormant[:5]:
            out.print(f"  {escape(d.name)}: " + escape("; ".join(d.reasons[:2])))


def why(w: Why) -> None:
    from rich.table import Table

    s = w.standing
    out = console()
    tier = f"tier {s.tier}" if s.tier else "beyond the 1,500 layer"
    tier += " (set by you)" if s.tier_set_by_you else " (from tie strength)"
    out.print(f"[bold]{escape(s.name)}[/] #{s.id}: tie strength [bold]{s.strength:.0f}[/]/100, "
              f"{tier}")
    table = Table(header_style="bold")
    table.add_column("Part")
    table.add_column("Points", justify="right")
    table.add_column("Because")
    for p in w.parts:
        table.add_row(p.part, f"{p.points:.1f}", escape(p.detail))
    out.print(table)
    if s.last_contact:
        cadence = f"every {s.cadence_days} days" if s.cadence_days else "no set cadence"
        late = " [yellow]overdue[/]" if s.overdue else ""
        ago = "today" if s.days_since == 0 else f"{plural(s.days_since or 0, 'day')} ago"
        out.print(f"Last contact {s.last_contact} ({ago}); cadence {cadence}"
                  f"{late}.")
    else:
        out.print("No contact yet: a connection, not a relationship.")
    ask = "you may ask" if w.can_ask else (
        f"next ask from {w.next_ask}" if w.next_ask else "build first: balance below zero")
    out.print(f"Goodwill {s.goodwill:+.1f} (deposits {w.deposits:.1f}, withdrawals "
              f"{w.withdrawals:.1f}); {ask}. They asked of you {plural(w.inbound_asks, 'time')} "
              f"and built {plural(w.inbound_builds, 'time')}."
              + (" [yellow]You only contact them to ask.[/]" if w.ask_only else "")
              + (" [yellow]They mostly ask of you.[/]" if w.taker else ""))


def dormant(lines: list[DormantLine]) -> None:
    from rich.table import Table

    if not lines:
        console().print("No dormant ties: every once-strong tie is in touch.")
        return
    table = Table(title="Dormant ties, best to reconnect first", header_style="bold")
    for col in ("#", "Person", "Peak", "Now", "Why reconnect"):
        table.add_column(col)
    for d in lines:
        who = escape(d.name) + (f" [dim]({escape(d.organisation)})[/]" if d.organisation else "")
        table.add_row(str(d.id), who, f"{d.peak:.0f}", f"{d.strength:.0f}",
                      escape("; ".join(d.reasons)))
    console().print(table)


def value_chart(points: Sequence[tuple[str, float]], width: int = 50) -> None:
    if not points:
        console().print("No history yet.")
        return
    top = max(v for _, v in points) or 1.0
    for day, v in points:
        console().print(f"{day[:7]} {v:>9,.0f} [cyan]{bar(v / top, width)}[/]")


def standings_table(rows: list[tuple[Any, Any]]) -> None:
    from rich.table import Table

    table = Table(header_style="bold")
    for col, just in (("#", "right"), ("Name", "left"), ("Organisation", "left"),
                      ("Fields", "left"), ("Strength", "right"), ("Tier", "right"),
                      ("Last contact", "left")):
        table.add_column(col, justify=just)  # type: ignore[arg-type]
    for info, st in rows:
        last = st.last_contact or "[dim]never[/]"
        if st.overdue:
            last += " [yellow]overdue[/]"
        table.add_row(str(info.id), escape(info.display_name), escape(info.organisation),
                      escape(", ".join(info.fields)), f"{st.strength:.0f}",
                      str(st.tier or "-"), last)
    console().print(table)


