"""Setting up: init, me, db (upgrade, info, backups), demo, tour."""

from __future__ import annotations

import typer

from netfolio.cli.state import interactive, net, state
from netfolio.core.defaults import DEFAULT_WEEKLY_BUDGET


def register(app: typer.Typer) -> None:
    app.command("init")(init)
    app.command("me")(me_cmd)
    app.add_typer(db_app, name="db")
    app.command("demo")(demo)
    app.command("tour")(tour)


def init(
    ctx: typer.Context,
    name: str | None = typer.Option(None, "--name", help="Your name."),
    email: list[str] = typer.Option([], "--email", "-e", help="Your own address (repeat)."),
    field: list[str] = typer.Option([], "--field", "-f", help="Your own field (repeat)."),
    budget: int | None = typer.Option(
        None, "--budget", help=f"Touches a week you mean to give (default {DEFAULT_WEEKLY_BUDGET})."
    ),
    region: str | None = typer.Option(
        None, "--region", help="Your country code (US, ES, ...) for phones written without +."
    ),
) -> None:
    """Say who you are: your name, addresses, own fields and weekly budget.

    With no options at a terminal it asks; scripts pass the options.
    """
    from netfolio.cli import render

    network = net(ctx)
    if not any((name, email, field, budget, region)) and interactive():
        current = network.me()
        name = typer.prompt("Your name", default=current.name or "")
        emails = typer.prompt("Your email addresses (comma-separated)",
                              default=", ".join(current.emails), show_default=bool(current.emails))
        email = [e.strip() for e in emails.split(",") if e.strip()]
        render.console().print("Fields: " + ", ".join(f.slug for f in network.fields()))
        fields = typer.prompt("Your own fields (comma-separated)",
                              default=", ".join(current.own_fields) or "")
        field = [f.strip() for f in fields.split(",") if f.strip()]
        budget = typer.prompt("Touches a week", default=current.weekly_budget, type=int)
    me = network.init(name=name, emails=email, fields=field, weekly_budget=budget, region=region)
    render.success(
        f"You are {me.name or '(no name)'}; fields: {', '.join(me.own_fields) or '(none)'}; "
        f"{me.weekly_budget} touches a week. Ledger: {network.url}"
    )


def me_cmd(
    ctx: typer.Context,
    add: list[str] = typer.Option(
        [], "--add", "-a", help="Add one of your identities: an email, a LinkedIn profile URL, "
        "or another name you appear under (a nickname, a married name). Repeat.",
    ),
    remove: list[str] = typer.Option([], "--remove", help="Remove one of them. Repeat."),
    fold: str | None = typer.Option(
        None, "--fold", metavar="PERSON",
        help="This person was you, imported as a contact: make their addresses and profile "
        "yours, remove them, and remove the interactions imported with them (import those "
        "files again to read them with you as 'me').",
    ),
    yes: bool = typer.Option(False, "--yes", "-y", help="Fold without asking."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON for scripts."),
) -> None:
    """Who you are: your name, addresses, LinkedIn profiles and other names.

    Imports never make a person of these. `netfolio me --add URL` records the profile an
    export says is yours; `netfolio me --fold PERSON` fixes a ledger where you were
    imported as a contact.
    """
    from netfolio.cli import render

    network = net(ctx)
    if fold is not None:
        person = network.get(fold)
        if not yes:
            if not interactive():
                raise typer.BadParameter(
                    f"folding {person.display_name} (#{person.id}) into you removes them and "
                    "the interactions imported with them: add --yes", param_hint="--fold")
            typer.confirm(f"Fold {person.display_name} (#{person.id}) into you? They are "
                          "removed, with the interactions imported with them", abort=True)
        report = network.me_fold(person.id)
        render.success(
            f"{report.person} is you now: {', '.join(report.added) or 'nothing'} added to your "
            f"identities; {report.imported_removed} imported interactions removed"
            + (f" (import again: {', '.join(report.sources)})" if report.sources else "")
        )
    if add or remove:
        network.me_edit(add=add, remove=remove)
    me = network.me()
    if as_json:
        render.print_json({"name": me.name, "emails": me.emails, "profiles": me.profiles,
                           "other_names": me.other_names})
        return
    c = render.console()
    c.print(f"[bold]{render.escape(me.name or '(no name: netfolio init --name)')}[/]")
    for label, values in (("emails", me.emails), ("LinkedIn", me.profiles),
                          ("other names", me.other_names)):
        c.print(f"  [dim]{label}:[/] {render.escape(', '.join(values)) or '-'}")


db_app = typer.Typer(
    help="The ledger's database: where it is, upgrades, backups.",
    rich_markup_mode=None, no_args_is_help=True,
)


@db_app.command("upgrade")
def db_upgrade(ctx: typer.Context) -> None:
    """Create the database, or bring it to the newest revision (a backup is kept first)."""
    from netfolio.cli import render
    from netfolio.core.db import ensure_current, make_engine
    from netfolio.network import Network

    url = Network(state(ctx).db, migrate=False).url
    engine = make_engine(url)
    try:
        backup = ensure_current(engine, url)
    finally:
        engine.dispose()
    note = f" (backup: {backup})" if backup else ""
    render.success(f"{url} is at the newest revision{note}")


@db_app.command("info")
def db_info(ctx: typer.Context, as_json: bool = typer.Option(
        False, "--json", help="Print JSON for scripts.")) -> None:
    """Where the ledger is, its revision, its users and how much it holds (in a team
    database: the network of the member named with --user)."""
    from sqlalchemy import func, select

    from netfolio.cli import render
    from netfolio.core import models
    from netfolio.core.db import ME, current_revision
    from netfolio.core.users import is_team
    from netfolio.errors import ConfigError

    network = net(ctx)
    ledger = network.for_user(ME)  # ledger-wide facts: any user may read them
    info: dict[str, object] = {"url": network.url,
                               "revision": current_revision(ledger.database.engine)}
    with ledger.session() as s:
        info["users"] = s.execute(select(func.count()).select_from(models.AppUser)).scalar_one()
        info["team"] = is_team(s)
    try:
        with network.session() as s:
            member = s.get(models.AppUser, network.user_id)
            if info["team"] and member is not None:
                info["member"] = member.username
            for name, model in (("people", models.Person), ("interactions", models.Interaction),
                                ("asks", models.Ask), ("knows_edges", models.Knows)):
                info[name] = s.execute(select(func.count()).select_from(model)).scalar_one()
    except ConfigError:  # a team database, and no --user: the ledger's facts only
        info["member"] = "(name one with --user to count their network)"
    if as_json:
        render.print_json(info)
    else:
        for key, value in info.items():
            render.console().print(f"[dim]{key:>13}[/] {value}")


def demo(
    ctx: typer.Context,
    people: int = typer.Option(300, "--people", "-n", min=10, help="How many people."),
    years: int = typer.Option(6, "--years", min=1, max=40, help="Years of history."),
    seed: int = typer.Option(7, "--seed", help="Same seed, same network."),
) -> None:
    """Fill an empty ledger with a realistic synthetic network (for trying things out).

    Use a separate file: netfolio --db demo.db demo --people 2000
    """
    from rich.progress import Progress

    from netfolio import demo as demo_module
    from netfolio.cli import render

    network = net(ctx)
    data = demo_module.generate(people=people, years=years, seed=seed)
    with Progress(console=render.err_console(), transient=True) as bar:
        tasks: dict[str, object] = {}

        def progress(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total)
            bar.update(tasks[stage], completed=done)  # type: ignore[arg-type]

        demo_module.write(network.database, data, progress=progress)
    render.success(f"Wrote a demo network of {people} people into {network.url}")


def tour(
    ctx: typer.Context,
    people: int = typer.Option(400, "--people", "-n", min=50, help="Size of the demo network."),
    seed: int = typer.Option(7, "--seed", help="Same seed, same demo network."),
    keep: str | None = typer.Option(
        None, "--keep", metavar="PATH", help="Keep the demo ledger in this file to explore it."
    ),
) -> None:
    """A guided tour on a realistic demo network, in a temporary ledger: nothing to set up."""
    from netfolio.cli.tour import run_tour

    run_tour(people=people, seed=seed, keep=keep)
