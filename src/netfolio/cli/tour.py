"""``netfolio tour``: a realistic demo network in a temporary ledger, walked through.

Everything shown comes from the same Network calls the other commands use.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from netfolio.cli import render


def _heading(text: str) -> None:
    render.console().print()
    render.console().rule(f"[bold]{text}")


def run_tour(*, people: int = 400, seed: int = 7, keep: str | None = None) -> None:
    from netfolio import demo
    from netfolio.network import Network

    tmp = Path(tempfile.mkdtemp(prefix="netfolio-tour-"))
    path = tmp / "tour.db"
    out = render.console()
    try:
        with out.status("Building a demo network of "
                        f"{people} people over 6 years (nothing of yours is touched)..."):
            data = demo.build(f"sqlite:///{path}", people=people, years=6, seed=seed)
        with Network(str(path)) as net:
            _who(net, data)
            _ledger(net, data)
            _measures(net, data)
            _practice(net)
            _next_steps(keep)
        if keep:
            shutil.copyfile(path, keep)
            out.print(f"\nThe demo ledger is kept in {keep}: try "
                      f"[bold]netfolio --db {keep} show \"{data.me['name']}\"[/] or list it.")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _who(net: object, data: object) -> None:
    from netfolio.network import Network

    assert isinstance(net, Network)
    out = render.console()
    me = net.me()
    _heading("1. Your network, as a portfolio")
    out.print(
        f"You are [bold]{render.escape(me.name)}[/], working in "
        f"[bold]{', '.join(me.own_fields)}[/], giving {me.weekly_budget} touches a week. "
        "netfolio treats your network like an index fund: many people across many fields, "
        "small regular contact, value drawn rarely. Fields are its asset classes."
    )
    fields = sorted((f for f in net.fields() if f.people), key=lambda f: -f.people)
    total = net.count()
    from rich.table import Table

    table = Table(title=f"{total} people by field (top 8 of {len(fields)})", header_style="bold")
    table.add_column("Field")
    table.add_column("People", justify="right")
    table.add_column("")
    for f in fields[:8]:
        bar = "█" * max(1, round(40 * f.people / max(1, fields[0].people)))
        table.add_row(render.escape(f.name) + (" (yours)" if f.own else ""), str(f.people), bar)
    out.print(table)


def _ledger(net: object, data: object) -> None:
    from netfolio.network import Network

    assert isinstance(net, Network)
    out = render.console()
    highlights = getattr(data, "highlights", {})
    _heading("2. A person's ledger: every contact, with its intent")
    out.print(
        "Each interaction says who started it (→ you, ← them) and what it was for: "
        "catch_up, share and give are deposits; ask is a withdrawal; asked_of_me and "
        "received are their side."
    )
    if "close_friend" in highlights:
        render.person_panel(net.ledger(highlights["close_friend"], limit=6))
    if "never_contacted" in highlights:
        p = net.get(highlights["never_contacted"])
        out.print(
            f"\n[bold]{render.escape(p.label)}[/] came in with a LinkedIn connection and has "
            "never been contacted: a connection, not a relationship."
        )


def _measures(net: object, data: object) -> None:
    """Portfolio measures (tie strength, diversity, goodwill): shown when available."""
    portfolio = getattr(net, "portfolio", None)
    if portfolio is None:
        return
    from netfolio.cli.measures_view import tour_section

    tour_section(net, data)


def _practice(net: object) -> None:
    """This week's plan, and one ask that finds a warm path."""
    from collections import Counter

    from netfolio.cli.practice_cmds import ask_view, plan_view
    from netfolio.network import Network
    from netfolio.practice.ask import GENERIC_ORGANISATIONS, fold

    assert isinstance(net, Network)
    out = render.console()
    _heading("5. This week's plan: contribute, for no reason")
    out.print("Within your weekly budget, spread across fields: overdue ties, dormant ones, "
              "under-weighted fields, debts of gratitude, birthdays, and a connection never "
              "contacted. Each says why, and how to give rather than take.")
    plan_view(net.plan())
    _heading("6. When you do need help: ask mode and warm paths")
    organisations = Counter(o for o in net.snapshot().organisation
                            if fold(o) not in GENERIC_ORGANISATIONS)
    for organisation, _ in organisations.most_common(12):
        report = net.ask(company=organisation)
        if report.warm_paths:
            out.print(f"[bold]netfolio ask --company \"{render.escape(organisation)}\"[/]: "
                      "who you know there (free to ask first; build first where goodwill is "
                      "negative), and who could introduce you to the rest.")
            ask_view(report)
            break


def _next_steps(keep: str | None) -> None:
    out = render.console()
    _heading("Your own network")
    out.print(
        "  netfolio init --name \"Your Name\" --email you@example.org --field software\n"
        "  netfolio add \"Ana Núñez\" --email ana@example.org --title Cardiologist\n"
        "  netfolio log \"Ana Núñez\" --intent catch_up --channel call --when yesterday\n"
        "  netfolio show \"Ana\"          netfolio --help for everything else"
    )
