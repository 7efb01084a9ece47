"""Terminal output: Rich is imported here (and in the CLI) and nowhere else."""

from __future__ import annotations

import json
import sys
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console

    from netfolio.network import InteractionInfo, Ledger


@cache
def console() -> Console:
    from rich.console import Console

    return Console(highlight=False)


@cache
def err_console() -> Console:
    from rich.console import Console

    return Console(stderr=True, highlight=False)


def print_json(data: Any) -> None:
    """Machine output: plain JSON on stdout, no colours, UTF-8."""
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def success(message: str) -> None:
    console().print(f"[green]✓[/] {message}", markup=True)


def escape(text: str | None) -> str:
    """Data made safe to print: Rich markup escaped, control characters shown as ``\\xNN``."""
    from rich.markup import escape as _escape

    from netfolio.cli.terminal import neutralise

    return _escape(neutralise(text or ""))


def channel_words(channel: str) -> str:
    """How a contact was made, as words: ``by call``, ``in person``."""
    return "in person" if channel == "in_person" else f"by {channel.replace('_', ' ')}"


def contact_words(intent: str, channel: str) -> str:
    """An intent and channel as words: ``catch up by call``, ``give in person``."""
    return f"{intent.replace('_', ' ')} {channel_words(channel)}"


def interaction_line(i: InteractionInfo) -> str:
    names = ", ".join(name for _, name in i.people)
    who = "→" if i.initiator == "me" else "←"
    note = f" — {i.note}" if i.note else ""
    guessed = "?" if i.intent_inferred else ""
    return (
        f"[dim]{i.when.replace('T', ' ')}[/] {who} [bold]{i.intent.replace('_', ' ')}{guessed}[/] "
        f"{channel_words(i.channel)} "
        f"with {escape(names)}{escape(note)}"
    )


def person_panel(ledger: Ledger, *, asks_shown: int = 5) -> None:
    from rich.panel import Panel
    from rich.table import Table

    p = ledger.person
    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="dim")
    facts.add_column()

    def row(label: str, value: Any) -> None:
        if value not in (None, "", []):
            facts.add_row(label, escape(str(value)))

    row("organisation", p.organisation)
    row("title", p.title)
    row("fields", ", ".join(
        f + (" (inferred)" if f in p.inferred_fields else "") for f in p.fields
    ))
    row("emails", ", ".join(p.emails))
    row("phones", ", ".join(p.phones))
    row("linkedin", p.linkedin_url)
    row("links", ", ".join(p.links))
    row("location", p.location)
    row("birthday", p.birthday)
    row("tags", ", ".join(p.tags))
    row("tier", p.tier_override)
    row("closeness", p.closeness)
    row("connected on", p.connected_on)
    row("how we met", p.how_met)
    row("notes", p.notes)
    row("knows", ", ".join(name for _, name in ledger.knows))
    row("source", p.source)
    console().print(Panel(facts, title=f"[bold]{escape(p.display_name)}[/] #{p.id}", expand=False))
    if ledger.interactions:
        console().print("[bold]Ledger[/] (newest first)")
        for i in ledger.interactions:
            console().print("  " + interaction_line(i))
    else:
        console().print("[dim]No interactions yet: this is a connection, not a relationship.[/]")
    if ledger.asks:
        shown = ledger.asks[:asks_shown]
        more = f", {len(ledger.asks) - len(shown)} earlier not shown" if len(
            ledger.asks) > len(shown) else ""
        console().print(f"[bold]Asks[/] ({len(ledger.asks)}{more})")
        for a in shown:
            arrow = "you asked" if a.direction == "mine" else "they asked"
            console().print(f"  #{a.id} {a.opened_on} {arrow}: {escape(a.what)} \\[{a.status}]")
