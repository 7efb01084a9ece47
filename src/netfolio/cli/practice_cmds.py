"""The practice commands: plan (done, skip, snooze), ask (record, resolve), compose, check,
calendar. Thin shells over :class:`netfolio.Network`; the views are at the bottom."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

import typer
from typer.core import TyperGroup

from netfolio.cli.state import net, pick

if TYPE_CHECKING:
    from netfolio.practice.ask import AskReport
    from netfolio.practice.coach import CheckResult
    from netfolio.practice.plan import PlanReport

INTENT_HELP = "The intent to log (default: the one the plan suggested: give or catch_up)."
CHANNEL_HELP = "in_person, call, video, message, email, event or social."


def register(app: typer.Typer) -> None:
    app.add_typer(plan_app, name="plan")
    app.add_typer(ask_app, name="ask")
    app.command("compose")(compose)
    app.command("check")(check)
    app.command("calendar")(calendar)


# -- plan ---------------------------------------------------------------------------------------

plan_app = typer.Typer(
    help="This week's plan: whom to contact for no reason, and how to give.",
    rich_markup_mode=None, no_args_is_help=False, invoke_without_command=True,
)


@plan_app.callback()
def plan_show(
    ctx: typer.Context,
    week: str | None = typer.Option(
        None, "--week", "-w", help="Any day of the week to plan, e.g. 2026-12-07 (default: "
        "this week)."),
    as_json: bool = typer.Option(False, "--json", help="Print the plan as JSON."),
) -> None:
    """Show this week's plan: touches within your weekly budget, spread across fields, each
    with its reasons and a suggestion of how to give.

    Example: netfolio plan --week 2026-12-07
    """
    if ctx.invoked_subcommand is not None:
        return
    from netfolio.cli import render

    report = net(ctx).plan(week)
    if as_json:
        render.print_json(report.to_dict())
    else:
        plan_view(report)


@plan_app.command("done")
def plan_done(
    ctx: typer.Context,
    person: str = typer.Argument(..., help="Name, email or #id."),
    intent: str | None = typer.Option(None, "--intent", "-i", help=INTENT_HELP),
    channel: str = typer.Option("message", "--channel", "-c", help=CHANNEL_HELP),
    note: str | None = typer.Option(None, "--note", "-m", help="What happened, in a line."),
    when: str | None = typer.Option(None, "--when", help="When (default: now)."),
) -> None:
    """Log the touch with a person of the plan, and mark it done for the week."""
    from netfolio.cli import render

    info = net(ctx).plan_done(pick(ctx, person), intent=intent, channel=channel, note=note,
                              when=when)
    done = render.contact_words(info.intent or "", info.channel or "")
    render.success(f"Done: {done} with {render.escape(info.person_name)}"
                   f" (week of {info.week.isoformat()}; logged as #{info.interaction_id})")


@plan_app.command("skip")
def plan_skip(
    ctx: typer.Context,
    person: str = typer.Argument(..., help="Name, email or #id."),
    week: str | None = typer.Option(None, "--week", "-w", help="Any day of the week (default: "
                                    "this week)."),
) -> None:
    """Leave a person out of a week's plan; the next one proposes someone else."""
    from netfolio.cli import render

    info = net(ctx).plan_skip(pick(ctx, person), week)
    render.success(f"Skipped {render.escape(info.person_name)} in the week of "
                   f"{info.week.isoformat()}")


@plan_app.command("snooze")
def plan_snooze(
    ctx: typer.Context,
    person: str = typer.Argument(..., help="Name, email or #id."),
    until: str = typer.Option(..., "--until", "-u", help="The day they may come back, e.g. "
                              "2027-01-10 or 'in 3 weeks'."),
) -> None:
    """Leave a person out of every plan until a date."""
    from netfolio.cli import render

    info = net(ctx).plan_snooze(pick(ctx, person), until)
    until_day = info.until.isoformat() if info.until else until
    render.success(f"Snoozed {render.escape(info.person_name)} until {until_day}")


# -- ask ----------------------------------------------------------------------------------------


class AskGroup(TyperGroup):
    """``netfolio ask "what you need"`` runs ``ask find``; ``record`` and ``resolve`` stay
    subcommands (quote a need that starts with one of their names)."""

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        if args and args[0] not in self.commands:
            return "find", self.commands["find"], args
        return super().resolve_command(ctx, args)


ask_app = typer.Typer(
    cls=AskGroup,
    help='Ask mode: who can help with what you need, and warm paths to people you do not know.'
    '\n\nnetfolio ask "what you need" [--company X] [--field F] [--title T] [--city C] [--json]'
    '\n\nThen record the ask you make (a withdrawal) and close it when it is answered.',
    rich_markup_mode=None, no_args_is_help=True,
    context_settings={"ignore_unknown_options": True, "allow_extra_args": True},
)


@ask_app.command("find")
def ask_find(
    ctx: typer.Context,
    need: str = typer.Argument("", help="What you need, in words: 'payments at stripe'."),
    company: str | None = typer.Option(None, "--company", help="Works at this organisation."),
    field: str | None = typer.Option(None, "--field", "-f", help="In this field."),
    title: str | None = typer.Option(None, "--title", "-t", help="Title contains this."),
    city: str | None = typer.Option(None, "--city", help="Based in this city."),
    tier: int | None = typer.Option(None, "--tier", help="Only people you know in this Dunbar "
                                    "layer or closer (5, 15, 50, 150, 500, 1500)."),
    limit: int = typer.Option(10, "--limit", "-n", min=1,
                              help="How many direct contacts and warm paths to show."),
    offset: int = typer.Option(0, "--offset", min=0, help="Skip this many of each first "
                               "(the next page: --offset 10)."),
    as_json: bool = typer.Option(False, "--json", help="Print the answer as JSON."),
) -> None:
    """Who is best placed to help: direct contacts ranked by how well they match (your words,
    the fields and roles the need points at), then by reachability (free to ask, tie
    strength, goodwill); then warm paths through people you know (up to two people between
    you and the target), ranked by the weakest tie, each with an introduction request.

    Example: netfolio ask "who knows stripe" --city London
    """
    from netfolio.cli import render

    report = net(ctx).ask(need, company=company, field=field, title=title, city=city,
                          tier=tier, limit=limit, offset=offset)
    if as_json:
        render.print_json(report.to_dict())
    else:
        ask_view(report)


@ask_app.command("record")
def ask_record(
    ctx: typer.Context,
    person: str = typer.Argument(..., help="Whom you asked (name, email or #id)."),
    what: str = typer.Argument(..., help="What you asked for."),
    channel: str = typer.Option("message", "--channel", "-c", help=CHANNEL_HELP),
    when: str | None = typer.Option(None, "--when", help="When (default: today)."),
) -> None:
    """Record an ask you made: a withdrawal from your goodwill with them."""
    from netfolio.cli import render

    info = net(ctx).ask_record(pick(ctx, person), what, channel=channel, when=when)
    render.success(f"Ask #{info.id} of {render.escape(info.person[1])}: "
                   f"{render.escape(info.what)}  [dim](close it: netfolio ask resolve "
                   f"{info.id} fulfilled)[/]")


@ask_app.command("resolve")
def ask_resolve(
    ctx: typer.Context,
    ask_id: int = typer.Argument(..., metavar="ID", help="The ask's number."),
    status: str = typer.Argument(..., metavar="fulfilled|declined|withdrawn",
                                 help="How it ended."),
) -> None:
    """Close an ask. A fulfilled ask puts a thank-you (a give) in the next plan."""
    from netfolio.cli import render

    info = net(ctx).ask_resolve(ask_id, status)
    extra = "; a thank-you joins your plan" if info.status == "fulfilled" else ""
    render.success(f"Ask #{info.id} of {render.escape(info.person[1])}: {info.status}{extra}")


# -- the coach ----------------------------------------------------------------------------------


def compose(
    ctx: typer.Context,
    person: str = typer.Argument(..., help="Whom you are writing to (name, email or #id)."),
    purpose: str | None = typer.Option(
        None, "--purpose", "-p",
        help="learn, reconnect, congratulate, thank or intro (default: chosen from the ledger)."),
    introduce: str | None = typer.Option(
        None, "--introduce", help="With --purpose intro: whom to introduce them to."),
    variant: int | None = typer.Option(None, "--variant", help="Another wording (a number)."),
    as_json: bool = typer.Option(False, "--json", help="Print the draft and its check as JSON."),
) -> None:
    """Write an opener that invites them to share their expertise (never a favour to a weak tie).

    Example: netfolio compose "Ana Núñez" --purpose reconnect
    """
    from netfolio.cli import render

    network = net(ctx)
    ref = pick(ctx, person)
    intro = pick(ctx, introduce) if introduce else None
    draft = network.compose(ref, purpose, seed=variant, introduce=intro)
    result = network.check(draft.text, ref)
    if as_json:
        render.print_json({**draft.to_dict(), "check": result.to_dict()})
        return
    from rich.panel import Panel

    render.console().print(Panel(render.escape(draft.text), title=f"[bold]{draft.purpose}[/] "
                                 f"to {render.escape(draft.person)}", expand=False))
    render.console().print(f"[dim]A starting point: make it yours. Score {result.score}/100; "
                           "check your version with netfolio check FILE.[/]")


def check(
    ctx: typer.Context,
    file: str = typer.Argument(..., metavar="FILE|-", help="The draft: a file, or - for stdin."),
    person: str | None = typer.Option(
        None, "--person", help="The recipient, so the check knows a first contact or weak tie."),
    as_json: bool = typer.Option(False, "--json", help='Print {"score": N, "findings": [...]}.'),
) -> None:
    """Score a draft 0-100 (50 and above: send it) with specific findings to act on."""
    from pathlib import Path

    from netfolio.cli import render
    from netfolio.errors import ValidationError

    if file == "-":
        text = sys.stdin.read()
    else:
        path = Path(file)
        try:
            is_file = path.is_file()
        except OSError:  # a draft pasted as the argument: too long to be a file's name
            is_file = False
        if not is_file:
            raise ValidationError(f"{file}: no such file (use - to read the draft from stdin)")
        text = path.read_text(encoding="utf-8", errors="replace")
    if person:
        result = net(ctx).check(text, pick(ctx, person))
    else:
        from netfolio.practice.coach import check as check_draft

        result = check_draft(text)
    if as_json:
        data = result.to_dict()
        render.print_json({"score": data["score"], "findings": data["findings"]})
    else:
        check_view(result)


def calendar(
    ctx: typer.Context,
    file: str = typer.Argument(..., help="The .ics file to write."),
    weeks: int = typer.Option(4, "--weeks", "-n", help="Weeks of plans, from this week."),
    week: str | None = typer.Option(None, "--week", "-w", help="Start from this week instead."),
) -> None:
    """Write your plan and birthdays as an iCalendar file for any calendar app (re-export to
    update: events keep their UIDs)."""
    from netfolio.cli import render

    info = net(ctx).calendar(file, weeks=weeks, week=week)
    from netfolio.reports import plural

    render.success(f"Wrote {info.path}: {plural(info.touches, 'touch', 'touches')} over "
                   f"{plural(info.weeks, 'week')} from {info.first_week.isoformat()}, "
                   f"{plural(info.birthdays, 'birthday')}"
                   + (f", {info.cancelled} cancelled" if info.cancelled else ""))


# -- views --------------------------------------------------------------------------------------

_HELD = {
    "skipped": "skipped", "snoozed": "snoozed", "touched_this_week": "already touched this week",
    "asked_recently": "asked in the last weeks", "new_per_week": "new connections (weekly cap)",
    "reason_cap": "same reason as others", "field_cap": "field cap",
}


def plan_view(report: PlanReport) -> None:
    """The plan as a table: who, why, how to give (with an opener)."""
    from rich.table import Table

    from netfolio.cli.render import console, escape

    out = console()
    touches = "touch" if report.budget == 1 else "touches"
    out.print(f"[bold]Week of {report.week:%A %-d %B %Y}[/]: {len(report.items)} of the "
              f"{report.budget} {touches} of your weekly budget planned, {report.done} done.")
    if not report.items:
        out.print("Nothing to suggest this week: add people, or log what you have done.")
        return
    table = Table(show_lines=True, header_style="bold", expand=False)
    table.add_column("Day", style="dim", no_wrap=True)
    table.add_column("Who")
    table.add_column("Why")
    table.add_column("How to give")
    for item in report.items:
        p = item.person
        who = f"[bold]{escape(p.name)}[/] #{p.id}"
        if p.title or p.organisation:
            who += "\n" + escape(", ".join(x for x in (p.title, p.organisation) if x))
        if p.fields:
            who += f"\n[cyan]{escape(', '.join(p.fields))}[/]"
        who += f"\n[dim]strength {item.strength:.0f}" + (f", tier {item.tier:,}" if item.tier
                                                           else "") + "[/]"
        why = "\n".join(f"• {escape(r.text)}" for r in item.reasons) or "• logged this week"
        s = item.suggestion
        give = f"{escape(s.text)}\n[italic dim]“{escape(s.opener)}”[/]"
        day = f"{item.day:%a %-d}" + ("\n[green]✓ done[/]" if item.status == "done" else "")
        table.add_row(day, who, why, give)
    out.print(table)
    if report.held_back:
        held = ", ".join(f"{n} {_HELD.get(k, k)}" for k, n in sorted(report.held_back.items()))
        out.print(f"[dim]Held back: {held}.[/]")
    out.print("[dim]Mark a touch: netfolio plan done PERSON · plan skip PERSON · "
              "plan snooze PERSON --until DATE[/]")


def ask_view(report: AskReport) -> None:
    """Direct contacts, then warm paths, each with its reasons."""
    from rich.table import Table

    from netfolio.cli.render import console, escape
    from netfolio.core.taxonomy import taxonomy
    from netfolio.reports import plural

    out = console()
    first = report.offset + 1
    shown = bool(report.direct or report.warm_paths)
    out.print(f"[bold]{plural(report.matched, 'person matches', 'people match')}[/]; "
              f"{report.targets} you do not know yet."
              + (f" Showing from #{first}" if shown else "")
              + (f" (more: --offset {report.offset + report.limit})"
                 if len(report.direct) >= report.limit
                 or len(report.warm_paths) >= report.limit else "." if shown else ""))
    if report.parsed.fields or report.parsed.roles:
        names = {f.slug: f.name for f in taxonomy()}
        out.print("[dim]Read as: " + escape("; ".join(
            [*(names.get(f, f) for f in report.parsed.fields),
             *report.parsed.roles[:4]])) + "[/]")
    if report.direct:
        table = Table(title="Ask directly", header_style="bold", show_lines=True)
        table.add_column("#", justify="right", style="dim")
        table.add_column("Who")
        table.add_column("Matches")
        table.add_column("Strength", justify="right")
        table.add_column("Goodwill", justify="right")
        table.add_column("Bandwidth")
        for n, c in enumerate(report.direct, report.offset + 1):
            notes = [r.text for r in c.reasons if r.code in ("asked_recently", "open_ask")]
            band = "[green]free to ask[/]" if c.group == 0 else escape("\n".join(notes))
            if c.warning:
                never = next((r.text for r in c.reasons if r.code == "never_built"), None)
                band = f"[red bold]{c.warning}[/]\n" + (escape(never) if never else band)
            table.add_row(str(n), f"{escape(c.person.label)} #{c.person.id}\n"
                          f"[dim]{escape(c.person.title)}[/]",
                          escape("\n".join(m.text for m in c.matches[:3])),
                          f"{c.strength:.0f}", f"{c.balance:+g}", band)
        out.print(table)
    if report.warm_paths:
        table = Table(title="Warm paths (ranked by the weakest tie)", header_style="bold",
                      show_lines=True)
        table.add_column("To")
        table.add_column("Through")
        table.add_column("Weakest", justify="right")
        table.add_column("Matches")
        table.add_column("Introducer")
        for w in report.warm_paths:
            steps = ["You", *(f"{v.name} #{v.id}" for v in w.via), w.target.name]
            path = " → ".join(escape(x) for x in steps)
            how = "; ".join(escape(link) for link in w.links[1:])
            if w.reasons:
                how += "\n" + escape(w.reasons[0].text)
            band = "\n".join(escape(r.text) for r in w.introducer_reasons
                              if r.code != "build_first") or "[green]free to ask[/]"
            if w.warning:
                band = f"[red bold]{w.warning}[/]\n{band}"
            table.add_row(f"{escape(w.target.label)}\n[dim]{escape(w.target.title)}[/]",
                          f"{path}\n[dim]{how}[/]", f"{w.weakest:.0f}",
                          escape("\n".join(m.text for m in w.matches[:2])), band)
        out.print(table)
    if not report.direct and not report.warm_paths:
        out.print(f"No more past #{report.offset}: try a smaller --offset." if report.matched
                  else "No one in your network matches yet: try other words, or build first.")
        return
    if report.warm_paths and report.warm_paths[0].request:
        out.print("[bold]Asking for the first introduction[/] (a draft: make it yours):\n"
                  + escape(report.warm_paths[0].request))
    out.print('[dim]Asked? Record it: netfolio ask record PERSON "what you asked"[/]')


def check_view(result: CheckResult) -> None:
    from netfolio.cli.render import console, escape

    out = console()
    verdict = "[green bold]send it[/]" if result.send_it else "[yellow bold]rework it[/]"
    out.print(f"Score [bold]{result.score}[/]/100: {verdict}")
    marks = {"good": "[green]✓[/]", "fix": "[red]✗[/]", "note": "[dim]·[/]"}
    for f in result.findings:
        points = f" [dim]({f.points:+d})[/]" if f.points else ""
        out.print(f"  {marks[f.kind]} {escape(f.message)}{points}")
