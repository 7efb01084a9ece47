"""Ledger commands: log, unlog, intro, knows."""

from __future__ import annotations

import typer

from netfolio.cli.state import net, pick

INTENT_HELP = (
    "What it was for. Deposits: catch_up (no agenda), share (they shared their expertise), "
    "give (you helped). Withdrawal: ask. Their side: received (they helped you), "
    "asked_of_me (they asked you)."
)
CHANNEL_HELP = "in_person, call, video, message, email, event or social."


def register(app: typer.Typer) -> None:
    app.command("log")(log)
    app.command("unlog")(unlog)
    app.command("intro")(intro)
    app.command("knows")(knows)


def log(
    ctx: typer.Context,
    people: list[str] = typer.Argument(..., help="Who (name, email or #id); several for a group."),
    intent: str = typer.Option("catch_up", "--intent", "-i", help=INTENT_HELP),
    channel: str = typer.Option("message", "--channel", "-c", help=CHANNEL_HELP),
    when: str = typer.Option(
        "today", "--when", "-w",
        help="When: 2026-11-03, yesterday, 'last friday', '3 days ago', '2026-11-03 14:30'.",
    ),
    by: str | None = typer.Option(
        None, "--by", help="Who started it: me or them (default: me; them for asked_of_me)."
    ),
    note: str | None = typer.Option(None, "--note", "-m", help="What happened, in a line."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON for scripts."),
) -> None:
    """Record what happened, in one line.

    Example: netfolio log "Ana Núñez" --intent catch_up --channel call --when yesterday
    --note "talked about her new lab"
    """
    from netfolio.cli import render

    refs = [pick(ctx, p) for p in people]
    row = net(ctx).log(refs, when=when, channel=channel, intent=intent, initiator=by, note=note)
    if as_json:
        render.print_json(row.to_dict())
    else:
        render.success(f"Logged #{row.id}: " + render.interaction_line(row)
                       + "  [dim](undo: netfolio unlog)[/]")


def unlog(
    ctx: typer.Context,
    interaction: int | None = typer.Argument(
        None, help="The interaction's number; default: the last one logged here."
    ),
) -> None:
    """Remove an interaction logged by mistake (the last one by default)."""
    from netfolio.cli import render
    from netfolio.errors import NotFoundError

    network = net(ctx)
    if interaction is None:
        last = network.last_logged()
        if last is None:
            raise NotFoundError("nothing was logged from the command line yet")
        interaction = last.id
    row = network.unlog(interaction)
    render.success(f"Removed #{row.id}: " + render.interaction_line(row))


def intro(
    ctx: typer.Context,
    a: str = typer.Argument(..., help="One person (name, email or #id)."),
    b: str = typer.Argument(..., help="The other person."),
    when: str = typer.Option("today", "--when", "-w", help="When you introduced them."),
    channel: str = typer.Option("email", "--channel", "-c", help=CHANNEL_HELP),
    note: str | None = typer.Option(None, "--note", "-m", help="Why they should meet."),
) -> None:
    """Record that you introduced A and B: a give to both, and a who-knows-whom edge."""
    from netfolio.cli import render

    row = net(ctx).introduce(pick(ctx, a), pick(ctx, b), when=when, note=note, channel=channel)
    render.success(f"Introduced {' and '.join(render.escape(n) for _, n in row.people)}")


def knows(
    ctx: typer.Context,
    a: str = typer.Argument(..., help="One person."),
    b: str = typer.Argument(..., help="Someone they know."),
) -> None:
    """Record that two people in your network know each other."""
    from netfolio.cli import render

    network = net(ctx)
    pa, pb = network.get(pick(ctx, a)), network.get(pick(ctx, b))
    network.knows(pa.id, pb.id)
    render.success(f"{render.escape(pa.display_name)} knows {render.escape(pb.display_name)}")
