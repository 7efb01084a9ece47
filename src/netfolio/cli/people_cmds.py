"""People commands: add, edit, show, list, search, tag, merge, delete, fields."""

from __future__ import annotations

import typer

from netfolio.cli.state import net, pick

TierOpt = typer.Option(None, "--tier", help="Dunbar tier: 5, 15, 50, 150, 500 or 1500.")


def register(app: typer.Typer) -> None:
    app.command("add")(add)
    app.command("edit")(edit)
    app.command("show")(show)
    app.command("list")(list_cmd)
    app.command("search")(search)
    app.command("tag")(tag)
    app.command("merge")(merge)
    app.command("split")(split)
    app.command("delete")(delete)
    app.add_typer(fields_app, name="fields")


def add(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="The person's name as you say it."),
    email: list[str] = typer.Option([], "--email", "-e", help="An email (repeat; work=a@b.c)."),
    phone: list[str] = typer.Option([], "--phone", "-p", help="A phone, +country first (repeat)."),
    org: str | None = typer.Option(None, "--org", "-o", help="Organisation."),
    title: str | None = typer.Option(None, "--title", "-t", help="Job title."),
    field: list[str] = typer.Option(
        [], "--field", "-f", help="A field (repeat). Default: inferred from title and org."
    ),
    tag: list[str] = typer.Option([], "--tag", help="A tag (repeat)."),
    location: str | None = typer.Option(None, "--location", help="City or region."),
    linkedin: str | None = typer.Option(None, "--linkedin", help="LinkedIn profile URL."),
    birthday: str | None = typer.Option(None, "--birthday", help="YYYY-MM-DD or --MM-DD."),
    how_met: str | None = typer.Option(None, "--how-met", help="How you met."),
    notes: str | None = typer.Option(None, "--notes", help="Notes."),
    tier: int | None = TierOpt,
    closeness: int | None = typer.Option(
        None, "--closeness", min=1, max=5, help="How close you are, 1 to 5."
    ),
    new: bool = typer.Option(
        False, "--new", help="Add them even though someone of that name is in the ledger "
        "(a namesake)."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the person as JSON."),
) -> None:
    """Add a person.

    Someone already in the ledger under that name stops it (use their #id, or --new for a
    namesake); so does an email or LinkedIn profile that is someone's.

    Example: netfolio add "Ana Núñez" --email ana@example.org --org "Hospital Clínic"
    --title Cardiologist
    """
    from netfolio.cli import render

    person = net(ctx).add(
        name, emails=email, phones=phone, organisation=org, title=title,
        fields=field or None, tags=tag, location=location, linkedin_url=linkedin,
        birthday=birthday, how_met=how_met, notes=notes, tier=tier, closeness=closeness,
        new=new,
    )
    if as_json:
        render.print_json(person.to_dict())
        return
    inferred = f" (fields: {', '.join(person.fields)})" if person.fields else ""
    render.success(f"Added #{person.id} {render.escape(person.label)}{inferred}")


def edit(
    ctx: typer.Context,
    person: str = typer.Argument(..., help="Name, email or #id."),
    name: str | None = typer.Option(None, "--name", help="New display name."),
    add_email: list[str] = typer.Option([], "--email", "-e", help="Add an email (repeat)."),
    remove_email: list[str] = typer.Option([], "--remove-email", help="Remove an email."),
    add_phone: list[str] = typer.Option([], "--phone", "-p", help="Add a phone (repeat)."),
    remove_phone: list[str] = typer.Option([], "--remove-phone", help="Remove a phone."),
    org: str | None = typer.Option(None, "--org", "-o", help="Organisation ('' clears)."),
    title: str | None = typer.Option(None, "--title", "-t", help="Job title ('' clears)."),
    field: list[str] = typer.Option([], "--field", "-f", help="Set the fields (repeat)."),
    location: str | None = typer.Option(None, "--location", help="City or region ('' clears)."),
    linkedin: str | None = typer.Option(None, "--linkedin", help="LinkedIn URL ('' clears)."),
    birthday: str | None = typer.Option(None, "--birthday", help="YYYY-MM-DD, --MM-DD; ''."),
    how_met: str | None = typer.Option(None, "--how-met", help="How you met ('' clears)."),
    notes: str | None = typer.Option(None, "--notes", help="Replace the notes."),
    tier: int | None = typer.Option(None, "--tier", help="Dunbar tier; 0 clears it."),
    closeness: int | None = typer.Option(None, "--closeness", help="1 to 5; 0 clears it."),
    as_json: bool = typer.Option(False, "--json", help="Print the person as JSON."),
) -> None:
    """Change what you know about a person."""
    from netfolio.cli import render

    changes: dict[str, object] = {}
    for key, value in (("display_name", name), ("organisation", org), ("title", title),
                       ("location", location), ("how_met", how_met), ("notes", notes)):
        if value is not None:
            changes[key] = value
    if tier is not None:
        changes["tier"] = tier or None
    if closeness is not None:
        changes["closeness"] = closeness or None
    info = net(ctx).edit(
        pick(ctx, person), add_emails=add_email, remove_emails=remove_email,
        add_phones=add_phone, remove_phones=remove_phone, fields=field or None,
        birthday=birthday, linkedin_url=linkedin, **changes,
    )
    if as_json:
        render.print_json(info.to_dict())
    else:
        render.success(f"Updated #{info.id} {render.escape(info.label)}")


def show(
    ctx: typer.Context,
    person: str = typer.Argument(..., help="Name, email, LinkedIn URL or #id."),
    limit: int = typer.Option(20, "--limit", "-n", help="How many interactions to show."),
    as_json: bool = typer.Option(False, "--json", help="Print the person and ledger as JSON."),
) -> None:
    """Show a person: their facts and their ledger (interactions, asks, who they know)."""
    from netfolio.cli import render

    ledger = net(ctx).ledger(pick(ctx, person), limit=limit)
    if as_json:
        render.print_json(ledger.to_dict())
    else:
        render.person_panel(ledger)


def _listing(ctx: typer.Context, text: str | None, org: str | None, field: str | None,
             tag: str | None, limit: int, offset: int, as_json: bool, sort: str = "name",
             as_of: str | None = None) -> None:
    from netfolio.cli import measures_view, render

    rows = net(ctx).ranked(text, organisation=org, field=field, tag=tag, sort=sort,
                           limit=limit or None, offset=offset, as_of=as_of)
    if as_json:
        render.print_json([{**p.to_dict(), "standing": st.to_dict()} for p, st in rows])
    elif not rows:
        render.console().print("No one matches.")
    else:
        measures_view.standings_table(rows)


def list_cmd(
    ctx: typer.Context,
    org: str | None = typer.Option(None, "--org", "-o", help="Organisation contains."),
    field: str | None = typer.Option(None, "--field", "-f", help="In this field."),
    tag: str | None = typer.Option(None, "--tag", help="Has this tag."),
    sort: str = typer.Option("name", "--sort", "-s",
                             help="name, strength, tier or last-contact."),
    as_of: str | None = typer.Option(None, "--as-of", metavar="DATE",
                                        help="Strength and tiers as of this date."),
    limit: int = typer.Option(100, "--limit", "-n", help="At most this many (0: all)."),
    offset: int = typer.Option(0, "--offset", help="Skip this many first."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON for scripts."),
) -> None:
    """List people with their tie strength, tier and last contact."""
    _listing(ctx, None, org, field, tag, limit, offset, as_json, sort, as_of)


def search(
    ctx: typer.Context,
    text: str = typer.Argument(..., help="Words to find in names, organisations, titles, "
                               "fields, tags, notes, what people told you and places (each "
                               "word must start a word somewhere; case and accents ignored); "
                               "with an @, emails."),
    org: str | None = typer.Option(None, "--org", "-o", help="Organisation contains."),
    field: str | None = typer.Option(None, "--field", "-f", help="In this field."),
    tag: str | None = typer.Option(None, "--tag", help="With this tag."),
    sort: str = typer.Option("relevance", "--sort", "-s",
                             help="relevance (names first, then organisation, title, the "
                             "rest), name, strength, tier or last-contact."),
    limit: int = typer.Option(100, "--limit", "-n", help="At most this many (0: all)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON for scripts."),
) -> None:
    """Search people by any words you remember about them, best match first."""
    _listing(ctx, text, org, field, tag, limit, 0, as_json, sort)


def tag(
    ctx: typer.Context,
    person: str = typer.Argument(..., help="Name, email or #id."),
    tags: list[str] = typer.Argument(None, help="Tags to add."),
    remove: list[str] = typer.Option([], "--remove", "-r", help="A tag to remove (repeat)."),
) -> None:
    """Add or remove tags: netfolio tag "Ana" mentor climate --remove old-tag"""
    from netfolio.cli import render

    info = net(ctx).tag(pick(ctx, person), add=tags or [], remove=remove)
    render.success(f"{render.escape(info.display_name)}: {', '.join(info.tags) or 'no tags'}")


def merge(
    ctx: typer.Context,
    keep: str = typer.Argument(..., help="The person to keep."),
    other: str = typer.Argument(..., help="The duplicate to merge into them."),
    yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask for confirmation."),
) -> None:
    """Merge a duplicate into a person: every fact and interaction is kept.

    The merge is in `netfolio import history`; `netfolio import undo` reverts it.
    """
    from netfolio.cli import render
    from netfolio.errors import ValidationError

    a, b = net(ctx).get(pick(ctx, keep)), net(ctx).get(pick(ctx, other))
    if a.id == b.id:  # refused before any question is asked
        raise ValidationError(f"#{a.id} {a.label} is the same person twice: name two people "
                              "to merge")
    if not yes:
        typer.confirm(f"Merge #{b.id} {b.label} into #{a.id} {a.label}?", abort=True)
    info = net(ctx).merge(a.id, b.id)
    render.success(f"Merged into #{info.id} {render.escape(info.label)}")


def split(
    ctx: typer.Context,
    person: str = typer.Argument(..., help="Name, email or #id of the person to split."),
    name: str | None = typer.Option(None, "--name", help="The new person's name (default: "
                                    "the same)."),
    email: list[str] = typer.Option([], "--email", "-e", help="An email to move (repeat)."),
    phone: list[str] = typer.Option([], "--phone", "-p", help="A phone to move (repeat)."),
    linkedin: bool = typer.Option(False, "--linkedin", help="Move the LinkedIn profile."),
    interaction: list[int] = typer.Option(
        [], "--interaction", "-i", help="An interaction to move, by id (repeat; see "
        "`netfolio ledger PERSON --json`)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON for scripts."),
) -> None:
    """Split one person into two, the reverse of a merge: the chosen emails, phones,
    LinkedIn profile and interactions go to a new person.

    The two are never proposed as duplicates again; the split is in `netfolio import
    history` and `netfolio import undo` reverts it.

    Example: netfolio split "Ana Núñez" --email ana@globex.example --name "Ana Núñez Ruiz"
    """
    from netfolio.cli import render

    info = net(ctx).split(pick(ctx, person), name=name, emails=email, phones=phone,
                          linkedin=linkedin, interactions=interaction)
    if as_json:
        render.print_json(info.to_dict())
        return
    render.success(f"Split off #{info.id} {render.escape(info.label)}")


def delete(
    ctx: typer.Context,
    person: str = typer.Argument(..., help="Name, email or #id."),
    yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask for confirmation."),
) -> None:
    """Delete a person and their ledger (interactions with only them, asks, edges)."""
    from netfolio.cli import render

    info = net(ctx).get(pick(ctx, person))
    if not yes:
        typer.confirm(f"Delete #{info.id} {info.label} and their ledger?", abort=True)
    net(ctx).delete(info.id)
    render.success(f"Deleted #{info.id} {render.escape(info.label)}")


fields_app = typer.Typer(
    help="Fields of work and life: list them, set a person's, add your own.",
    rich_markup_mode=None, no_args_is_help=False, invoke_without_command=True,
)


@fields_app.callback()
def fields_list(
    ctx: typer.Context,
    as_json: bool = typer.Option(False, "--json", help="Print JSON for scripts."),
) -> None:
    """List the fields, how many people are in each, and which are your own."""
    if ctx.invoked_subcommand is not None:
        return
    from rich.table import Table

    from netfolio.cli import render

    fields = net(ctx).fields()
    if as_json:
        render.print_json([f.to_dict() for f in fields])
        return
    table = Table(header_style="bold")
    table.add_column("Field")
    table.add_column("Name")
    table.add_column("People", justify="right")
    table.add_column("")
    for f in fields:
        mark = "your field" if f.own else ("custom" if f.custom else "")
        table.add_row(f.slug, render.escape(f.name), str(f.people), mark)
    render.console().print(table)


@fields_app.command("set")
def fields_set(
    ctx: typer.Context,
    person: str = typer.Argument(..., help="Name, email or #id."),
    fields: list[str] = typer.Argument(..., help="The person's fields (slugs or names)."),
) -> None:
    """Set a person's fields by hand (overrides what was inferred)."""
    from netfolio.cli import render

    info = net(ctx).set_fields(pick(ctx, person), fields)
    render.success(f"{render.escape(info.display_name)}: {', '.join(info.fields)}")


@fields_app.command("add")
def fields_add(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="The new field's name."),
    description: str = typer.Option("", "--description", "-d",
                                    help="What the field covers, in a line."),
) -> None:
    """Add a field of your own to the taxonomy."""
    from netfolio.cli import render

    info = net(ctx).add_field(name, description)
    render.success(f"Added field {info.slug}")
