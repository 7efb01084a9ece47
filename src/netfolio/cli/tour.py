"""``netfolio tour``: a realistic demo network in a temporary ledger, walked through in plain
words; each step names the command that shows its details.

Everything shown comes from the same Network calls the other commands use.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from netfolio.cli import render

if TYPE_CHECKING:
    from netfolio.network import Network


def _heading(text: str) -> None:
    render.console().print()
    render.console().rule(f"[bold]{text}")


def _more(command: str) -> None:
    """The command that shows a step's details."""
    render.console().print(f"[dim]More:[/] [bold]{render.escape(command)}[/]")


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
        db = keep or "tour.db"
        with Network(str(path)) as net:
            _portfolio(net, db)
            friend = data.highlights.get("close_friend")
            if friend is not None:
                _friend(net, friend, db)
            _plan(net, db)
            _ask(net, db)
            _next_steps(keep)
        if keep:
            shutil.copyfile(path, keep)
            out.print(f"\nThe demo ledger is kept in {keep}: every command above works on it "
                      f"with [bold]--db {keep}[/].")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _portfolio(net: Network, db: str) -> None:
    from netfolio.cli.measures_view import summary

    out = render.console()
    me = net.me()
    names = {f.slug: f.name for f in net.fields()}
    fields = ", ".join(names.get(f, f) for f in me.own_fields) or "no field yet"
    _heading("1. Your network, in plain words")
    out.print(
        f"Meet [bold]{render.escape(me.name or 'the demo user')}[/], who works in "
        f"{render.escape(fields)}. netfolio treats a network like an index fund: many people "
        "across many fields, small regular contact, and value drawn rarely."
    )
    summary(net.portfolio(dormant_limit=10))
    _more(f"netfolio --db {db} portfolio --details   (the allocation and every index)")


def _friend(net: Network, friend: int, db: str) -> None:
    from netfolio.reports import plural

    out = render.console()
    ledger = net.ledger(friend, limit=3)
    why = net.why(friend)
    p = ledger.person
    _heading("2. One friend, as the ledger sees them")
    ref = _reference(net, p.display_name, p.id)
    work = ", ".join(x for x in (p.title, p.organisation) if x)
    top = sorted(why.parts, key=lambda part: -part.points)[:2]
    work = f" ({render.escape(work)})" if work else ""
    out.print(
        f"[bold]{render.escape(p.display_name)}[/]{work}: "
        f"tie strength [bold]{why.standing.strength:.0f}[/] of 100, mostly from "
        f"{' and '.join(part.part for part in top)}. Every contact is logged with who started "
        "it and why: a catch-up, a share or a give is a deposit; an ask is a withdrawal."
    )
    for i in ledger.interactions:
        arrow = "you →" if i.initiator == "me" else "← them"
        out.print(f"  {i.when[:10]}  {arrow:6}  {i.intent.replace('_', '-')} "
                  f"({i.channel.replace('_', ' ')})")
    mine = sum(1 for a in ledger.asks if a.direction == "mine")
    theirs = len(ledger.asks) - mine
    out.print(f"You have asked them for something {plural(mine, 'time')}, they asked you "
              f"{plural(theirs, 'time')}; goodwill between you: {why.standing.goodwill:+.0f}.")
    _more(f"netfolio --db {db} why {ref}   ·   netfolio --db {db} show {ref}")


def _reference(net: Network, name: str, person_id: int) -> str:
    """How to name a person on the command line: the name when it is unique, else #id."""
    from netfolio.errors import NetfolioError

    try:
        if net.get(name).id == person_id:
            return f'"{name}"'
    except NetfolioError:
        pass
    return f'"#{person_id}"'


def _plan(net: Network, db: str) -> None:
    from netfolio.reports import plural

    out = render.console()
    plan = net.plan()
    _heading(f"3. The plan for the week of {plan.week:%-d %B}: contribute, for no reason")
    out.print(f"{plural(len(plan.items), 'touch', 'touches')} within the weekly budget of "
              f"{plan.budget}, spread across fields, each with a reason and a way to give:")
    for item in plan.items:
        reason = item.reasons[0].text if item.reasons else item.suggestion.text
        out.print(f"  {item.day:%a %-d}  [bold]{render.escape(item.person.name)}[/]: "
                  f"{render.escape(reason)}")
    _more(f"netfolio --db {db} plan   (with an opener for each)")


def _ask(net: Network, db: str) -> None:
    from collections import Counter

    from netfolio.practice.ask import GENERIC_ORGANISATIONS, fold
    from netfolio.reports import plural

    out = render.console()
    organisations = Counter(o for o in net.snapshot().organisation
                            if fold(o) not in GENERIC_ORGANISATIONS)
    for organisation, _ in organisations.most_common(12):
        report = net.ask(company=organisation)
        if not report.warm_paths:
            continue
        _heading("4. When you do need help: who to ask, and who could introduce you")
        path: Any = report.warm_paths[0]
        steps = " → ".join(["you", *(v.name for v in path.via), path.target.name])
        out.print(
            f"Looking for someone at [bold]{render.escape(organisation)}[/]? You know "
            f"{plural(report.matched - report.targets, 'person', 'people')} there directly; "
            f"to the {plural(report.targets, 'other', 'others')}, whom you do not know, "
            f"warm paths lead through people you do, such as {render.escape(steps)}. "
            "Ask those you have given to first; build before you ask the rest."
        )
        _more(f'netfolio --db {db} ask --company "{organisation}"')
        return


def _next_steps(keep: str | None) -> None:
    out = render.console()
    _heading("Your own network")
    out.print(
        "  netfolio init --name \"Your Name\" --email you@example.org --field software\n"
        "  netfolio import ~/Downloads/Basic_LinkedInDataExport.zip\n"
        "  netfolio add \"Ana Núñez\" --email ana@example.org --title Cardiologist\n"
        "  netfolio log \"Ana Núñez\" --intent catch_up --channel call --when yesterday\n"
        "  netfolio plan                 netfolio --help for everything else"
    )
    if not keep:
        out.print("This demo ledger was temporary and is gone: for the [dim]More:[/] commands "
                  "above, keep one with [bold]netfolio tour --keep tour.db[/]")
