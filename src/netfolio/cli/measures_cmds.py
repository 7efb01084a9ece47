"""Measure commands: portfolio, why, dormant, value, goodwill (each with --as-of and --json)."""

from __future__ import annotations

import typer

from netfolio.cli.state import net, pick

AsOf = typer.Option(
    None, "--as-of", metavar="DATE",
    help="Measure the network as it was on this date (only what happened by then counts).",
)
Json = typer.Option(False, "--json", help="Print JSON for scripts.")


def register(app: typer.Typer) -> None:
    app.command("portfolio")(portfolio)
    app.command("why")(why)
    app.command("dormant")(dormant)
    app.command("value")(value)
    app.command("goodwill")(goodwill)


def portfolio(ctx: typer.Context, as_of: str | None = AsOf, as_json: bool = Json,
              details: bool = typer.Option(
                  False, "--details", "-d",
                  help="Also the allocation by field and every index (Blau, HHI, Shannon, "
                  "constraint...), each with a line on what it means.")) -> None:
    """Your network as a portfolio, in plain sentences: who you know, where your strongest
    ties are, which fields are thin, this week's touches, how you give and ask."""
    from netfolio.cli import measures_view, render

    report = net(ctx).portfolio(as_of)
    if as_json:
        data = report.to_dict()
        # The CLI has always printed the series as [date, value] pairs (the API: objects).
        data["series"] = [list(point) for point in report.series]
        render.print_json(data)
    else:
        measures_view.portfolio(report, details=details)


def why(ctx: typer.Context, person: str = typer.Argument(..., help="Name, email or #id."),
        as_of: str | None = AsOf, as_json: bool = Json) -> None:
    """Why a tie is as strong as it is: the parts of its strength, tier, cadence, goodwill."""
    from netfolio.cli import measures_view, render

    result = net(ctx).why(pick(ctx, person), as_of)
    if as_json:
        render.print_json(result.to_dict())
    else:
        measures_view.why(result)


def dormant(ctx: typer.Context, as_of: str | None = AsOf,
            limit: int = typer.Option(20, "--limit", "-n", help="How many (0: all)."),
            as_json: bool = Json) -> None:
    """Once-strong ties gone silent, ranked by the value of reconnecting."""
    from netfolio.cli import measures_view, render
    from netfolio.core.shapes import plain

    lines = net(ctx).dormant(as_of, limit or None)
    if as_json:
        render.print_json(plain(lines))
    else:
        measures_view.dormant(lines)


def value(ctx: typer.Context, as_of: str | None = AsOf, as_json: bool = Json) -> None:
    """The network's value (the sum of tie strengths) month by month, as a chart."""
    from netfolio.cli import measures_view, render
    from netfolio.core.shapes import plain

    points = net(ctx).value(as_of)
    if as_json:
        render.print_json(plain(points))
    else:
        measures_view.value_chart(points)


def goodwill(
    ctx: typer.Context, as_of: str | None = AsOf,
    ask_only: bool = typer.Option(False, "--ask-only", help="Only people you contacted "
                                  "only to ask."),
    takers: bool = typer.Option(False, "--takers", help="Only people whose contact with you is "
                                "mostly asking of you."),
    limit: int = typer.Option(30, "--limit", "-n", help="How many people (0: all)."),
    as_json: bool = Json,
) -> None:
    """Goodwill: deposits (catch up, share, give) minus withdrawals (asks), per person."""
    from rich.table import Table

    from netfolio.cli import render
    from netfolio.core.shapes import plain

    total, lines = net(ctx).goodwill(as_of, ask_only=ask_only, takers=takers)
    if limit:
        lines = lines[:limit]
    if as_json:
        render.print_json({"total": total, "people": plain(lines)})
        return
    render.console().print(f"Total goodwill [bold]{total:,.1f}[/] (lowest balances first)")
    table = Table(header_style="bold")
    for col in ("#", "Person", "Balance", "Deposits", "Asks", "They asked", "They built", ""):
        table.add_column(col)
    for g in lines:
        flags = ", ".join(f for f, on in (("ask-only", g.ask_only), ("taker", g.taker),
                                          ("build first", g.balance < 0)) if on)
        table.add_row(str(g.id), render.escape(g.name), f"{g.balance:+.1f}", f"{g.deposits:.1f}",
                      str(g.asks_mine), str(g.inbound_asks), str(g.inbound_builds), flags)
    render.console().print(table)
