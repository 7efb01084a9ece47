"""Team mode: accounts, API tokens, sharing, the team ask and introduction requests
(``netfolio team ...``), and ``netfolio migrate-to``. Thin shells over
:attr:`netfolio.Network.team` and :meth:`netfolio.Network.migrate_to`; views at the bottom."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import typer

from netfolio.cli.state import net, pick, state

if TYPE_CHECKING:
    from netfolio.core.team import Entry, RequestInfo, ShareRules, TeamAnswer
    from netfolio.network import Network

JSON_HELP = "Print it as JSON."
STDIN_HELP = "Read the password from the first line of stdin (for scripts), not a prompt."


def register(app: typer.Typer) -> None:
    app.add_typer(team_app, name="team")
    app.command("migrate-to")(migrate_to)


team_app = typer.Typer(
    help="Team mode on PostgreSQL: accounts, sharing who you know, the team ask, "
    "introductions.\n\n"
    "Each member's people, interactions, asks and notes stay private. A member shares "
    "\"I know this person\" (name, organisation, title, field, strength) per person or per "
    "field; teammates ask who knows someone at X and request an introduction.\n\n"
    "Example: netfolio --db postgresql+psycopg://netfolio@host/team --user ana team ask "
    "--org Stripe",
    rich_markup_mode=None, no_args_is_help=True,
)
token_app = typer.Typer(
    help="API tokens for scripts: each acts as you on the API (Authorization: Bearer TOKEN).",
    rich_markup_mode=None, no_args_is_help=True,
)
team_app.add_typer(token_app, name="token")


def _accounts(ctx: typer.Context) -> Network:
    return state(ctx).accounts


def _password(from_stdin: bool) -> str:
    """A new password: one line of stdin, or typed twice (hidden) at a terminal."""
    from netfolio.errors import ValidationError

    if from_stdin:
        line = sys.stdin.readline().rstrip("\r\n")
        if not line:
            raise ValidationError("no password on stdin: pipe one line to --password-stdin")
        return line
    if not sys.stdin.isatty():
        raise ValidationError(
            "no terminal to ask for the password: pipe it with --password-stdin "
            "(a password is never given on the command line)"
        )
    value: str = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    return value


# -- accounts -----------------------------------------------------------------------------------


@team_app.command("users")
def users(ctx: typer.Context,
          as_json: bool = typer.Option(False, "--json", help=JSON_HELP)) -> None:
    """List the team's members: username, display name, whether they can log in.

    Example: netfolio team users
    """
    from netfolio.cli import render

    found = _accounts(ctx).team.users()
    if as_json:
        render.print_json([u.to_dict() for u in found])
        return
    for u in found:
        login = "" if u.can_log_in else "  [dim](cannot log in: no password)[/]"
        render.console().print(f"{render.escape(u.username)}  {render.escape(u.display_name)}"
                               f"{login}")


@team_app.command("add-user")
def add_user(
    ctx: typer.Context,
    username: str = typer.Argument(..., metavar="USERNAME",
                                   help="Their login: lower-case letters, digits, . - _"),
    name: str | None = typer.Option(None, "--name", help="Their name as teammates see it "
                                    "(default: the username)."),
    password_stdin: bool = typer.Option(False, "--password-stdin", help=STDIN_HELP),
) -> None:
    """Add a member to a team database (PostgreSQL), with a password for the web app.

    The password is asked twice at a terminal (hidden), or read from stdin with
    --password-stdin; never from the command line. On a new team database the first member
    takes the place of the empty default user. Then: `netfolio migrate-to URL --user NAME`
    copies their personal ledger in.

    Example: netfolio --db postgresql+psycopg://netfolio@host/team team add-user ana
    """
    from netfolio.cli import render

    network = _accounts(ctx)
    info = network.team.add_user(username, _password(password_stdin), name)
    render.success(
        f"Added {render.escape(info.username)} ({render.escape(info.display_name)}): they log "
        f"in to `netfolio serve` with this password, and act with --user {info.username}."
    )


@team_app.command("set-password")
def set_password(
    ctx: typer.Context,
    username: str = typer.Argument(..., metavar="USERNAME", help="Whose password."),
    password_stdin: bool = typer.Option(False, "--password-stdin", help=STDIN_HELP),
) -> None:
    """Set a member's password (asked twice at a terminal, or one line of stdin).

    Example: printf '%s\\n' "$PW" | netfolio team set-password ana --password-stdin
    """
    from netfolio.cli import render

    info = _accounts(ctx).team.set_password(username, _password(password_stdin))
    render.success(f"New password for {render.escape(info.username)}.")


# -- API tokens ---------------------------------------------------------------------------------


@token_app.command("create")
def token_create(
    ctx: typer.Context,
    name: str = typer.Argument(..., metavar="NAME",
                               help="What it is for, e.g. the script's name."),
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
) -> None:
    """Create an API token that acts as you; it is shown once, here, and never again.

    Example: netfolio --user ana team token create nightly-import
    """
    from netfolio.cli import render

    token, info = net(ctx).team.create_token(name)
    if as_json:
        render.print_json({"token": token, **info.to_dict()})
        return
    render.success(f"Token #{info.id} {render.escape(info.name)}:")
    render.console().print(f"\n  {token}\n", markup=False)
    render.console().print(
        "[yellow]It is shown only once: copy it now.[/] netfolio keeps only its hash. Send it "
        "as `Authorization: Bearer TOKEN`; revoke it with `netfolio team token revoke "
        f"{info.id}`."
    )


@token_app.command("list")
def token_list(ctx: typer.Context,
               as_json: bool = typer.Option(False, "--json", help=JSON_HELP)) -> None:
    """List your API tokens (never the tokens themselves): name, created, last used.

    Example: netfolio --user ana team token list
    """
    from netfolio.cli import render

    tokens = net(ctx).team.tokens()
    if as_json:
        render.print_json([t.to_dict() for t in tokens])
        return
    if not tokens:
        render.console().print("No tokens yet: `netfolio team token create NAME`.")
        return
    for t in tokens:
        used = f"last used {t.last_used_at[:16]}" if t.last_used_at else "never used"
        revoked = "  [red]revoked[/]" if t.revoked else ""
        render.console().print(f"#{t.id} [bold]{render.escape(t.name)}[/]  created "
                               f"{t.created_at[:10]}, {used}{revoked}")


@token_app.command("revoke")
def token_revoke(ctx: typer.Context,
                 token_id: int = typer.Argument(..., metavar="ID", help="The token's number.")
                 ) -> None:
    """Revoke one of your API tokens: scripts using it are refused from now on.

    Example: netfolio --user ana team token revoke 2
    """
    from netfolio.cli import render

    info = net(ctx).team.revoke_token(token_id)
    render.success(f"Revoked token #{info.id} {render.escape(info.name)}.")


# -- sharing ------------------------------------------------------------------------------------


@team_app.command("share")
def share(
    ctx: typer.Context,
    person: str | None = typer.Argument(None, metavar="PERSON",
                                        help="A person to share (name, email or #id)."),
    field: str | None = typer.Option(None, "--field", "-f",
                                     help="Share everyone in this field instead."),
    off: bool = typer.Option(False, "--off", help="Keep this person out, even when their "
                             "field is shared."),
    forget: bool = typer.Option(False, "--forget", help="Remove the rule for this person or "
                                "field (stop sharing a field this way)."),
    as_json: bool = typer.Option(False, "--json", help="Print the directory counts as JSON."),
) -> None:
    """Share a person, or everyone in a field, with the team; then update your directory.

    Teammates see only that you know them: name, organisation, title, field and a strength
    bucket (strong, familiar, weak), never notes, interactions or contact details.

    \b
    Examples:
      netfolio team share "Jane Roe"
      netfolio team share --field software
      netfolio team share "Sam Poe" --off
      netfolio team share --field software --forget
    """
    from netfolio.cli import render
    from netfolio.errors import ValidationError

    if (person is None) == (field is None):
        raise ValidationError("share a PERSON or a --field (one of them)")
    if off and forget:
        raise ValidationError("--off keeps a person out, --forget removes the rule: pick one")
    if off and field is not None:
        raise ValidationError("--off keeps one person out; to stop sharing a field use "
                              "--field FIELD --forget")
    setting: bool | None = None if forget else not off
    network = net(ctx)
    ref = pick(ctx, person) if person is not None else None
    label = network.get(ref).label if ref is not None else f"the field {field}"
    counts = network.team.share(person=ref, field=field, share=setting)
    if as_json:
        render.print_json(counts)
        return
    said = {True: "Sharing", False: "Keeping out", None: "No rule now for"}[setting]
    render.success(f"{said} {render.escape(label)}. " + _sync_line(counts))


def _sync_line(counts: dict[str, int]) -> str:
    return (f"Your directory: {counts['shared']} shared ({counts['added']} added, "
            f"{counts['updated']} updated, {counts['removed']} removed).")


@team_app.command("sharing")
def sharing(ctx: typer.Context,
            as_json: bool = typer.Option(False, "--json", help=JSON_HELP)) -> None:
    """Show your sharing rules: the fields you share, people shared or kept out one by one.

    Example: netfolio --user ana team sharing
    """
    from netfolio.cli import render

    rules = net(ctx).team.sharing()
    if as_json:
        render.print_json(rules.to_dict())
    else:
        sharing_view(rules)


@team_app.command("sync")
def sync(ctx: typer.Context,
         as_json: bool = typer.Option(False, "--json", help=JSON_HELP)) -> None:
    """Bring your directory up to date: who you share and how strong each tie is today.

    `netfolio team share` does this already; run it after logging or importing, or weekly,
    so teammates see today's strength buckets. Example: netfolio --user ana team sync
    """
    from netfolio.cli import render

    counts = net(ctx).team.sync()
    if as_json:
        render.print_json(counts)
    else:
        render.success(_sync_line(counts))


@team_app.command("directory")
def directory(ctx: typer.Context,
              as_json: bool = typer.Option(False, "--json", help=JSON_HELP)) -> None:
    """What you share, exactly as teammates see it (entry, name, organisation, title, field,
    strength bucket).

    Example: netfolio --user ana team directory
    """
    from netfolio.cli import render

    entries = net(ctx).team.directory()
    if as_json:
        render.print_json([e.to_dict() for e in entries])
    else:
        directory_view(entries)


# -- the team ask and introductions -------------------------------------------------------------


@team_app.command("ask")
def ask(
    ctx: typer.Context,
    org: str | None = typer.Option(None, "--org", help="At this organisation ('Stripe' "
                                   "matches 'Stripe, Inc.')."),
    field: str | None = typer.Option(None, "--field", "-f", help="In this field."),
    title: str | None = typer.Option(None, "--title", "-t", help="With these words in the "
                                     "title."),
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
) -> None:
    """Who on the team knows someone at an organisation, in a field or with a title.

    Leads: teammates ranked by their strongest matching tie. Paths: the people found, each
    with the teammates who could introduce you (you → teammate → person) and the entry to
    request an introduction with.

    Example: netfolio --user bob team ask --org Stripe --title engineer
    """
    from netfolio.cli import render

    answer = net(ctx).team.ask(organisation=org, field=field, title=title)
    if as_json:
        render.print_json(answer.to_dict())
    else:
        ask_view(answer)


@team_app.command("request")
def request(
    ctx: typer.Context,
    entry_id: int = typer.Argument(..., metavar="ENTRY_ID",
                                   help="The directory entry (from `netfolio team ask`)."),
    message: str = typer.Option("", "--message", "-m", help="Why you would like to meet."),
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
) -> None:
    """Ask the teammate who shared someone to introduce you. They accept or decline; you
    see the status.

    Example: netfolio --user bob team request 3 -m "I am hiring for payments"
    """
    from netfolio.cli import render

    info = net(ctx).team.request_intro(entry_id, message)
    if as_json:
        render.print_json(info.to_dict())
        return
    render.success(f"Request #{info.id}: asked {render.escape(info.introducer)} to introduce "
                   f"you to {render.escape(_target(info))} (pending).")


@team_app.command("requests")
def requests(
    ctx: typer.Context,
    status: str | None = typer.Option(None, "--status", "-s",
                                      help="pending, accepted, declined or withdrawn."),
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
) -> None:
    """Introduction requests you made or were asked, newest first.

    Example: netfolio --user ana team requests --status pending
    """
    from netfolio.cli import render
    from netfolio.core.team import STATUSES
    from netfolio.errors import ValidationError

    if status is not None and status not in STATUSES:
        raise ValidationError(f"{status!r} is not a status: say {', '.join(STATUSES)}")
    found = net(ctx).team.requests(status)
    if as_json:
        render.print_json([r.to_dict() for r in found])
    else:
        requests_view(found)


@team_app.command("accept")
def accept(ctx: typer.Context,
           request_id: int = typer.Argument(..., metavar="ID", help="The request's number."),
           ) -> None:
    """Accept a request to introduce a teammate: logged as a give to the person in your
    ledger. Then make the introduction.

    Example: netfolio --user ana team accept 1
    """
    from netfolio.cli import render

    info = net(ctx).team.accept(request_id)
    render.success(
        f"Accepted #{info.id}: introduce {render.escape(info.requester)} to "
        f"{render.escape(_target(info))} (logged as a give). Afterwards: "
        f"`netfolio team outcome {info.id} TEXT`."
    )


@team_app.command("decline")
def decline(ctx: typer.Context,
            request_id: int = typer.Argument(..., metavar="ID", help="The request's number."),
            ) -> None:
    """Decline a request to introduce a teammate (no reason asked; they see only the status).

    Example: netfolio --user ana team decline 1
    """
    from netfolio.cli import render

    info = net(ctx).team.decline(request_id)
    render.success(f"Declined #{info.id}.")


@team_app.command("withdraw")
def withdraw(ctx: typer.Context,
             request_id: int = typer.Argument(..., metavar="ID", help="The request's number."),
             ) -> None:
    """Withdraw a pending request you made.

    Example: netfolio --user bob team withdraw 1
    """
    from netfolio.cli import render

    info = net(ctx).team.withdraw(request_id)
    render.success(f"Withdrew #{info.id}.")


@team_app.command("outcome")
def outcome(
    ctx: typer.Context,
    request_id: int = typer.Argument(..., metavar="ID", help="The request's number."),
    text: str = typer.Argument(..., metavar="TEXT", help="What came of it."),
) -> None:
    """Note what came of an accepted introduction (either of you can).

    Example: netfolio --user bob team outcome 1 "met for coffee; interviewing in May"
    """
    from netfolio.cli import render

    info = net(ctx).team.outcome(request_id, text)
    render.success(f"Outcome of #{info.id}: {render.escape(info.outcome)}")


# -- migrate-to ---------------------------------------------------------------------------------


def migrate_to(
    ctx: typer.Context,
    url: str = typer.Argument(..., metavar="URL",
                              help="The team database: postgresql+psycopg://ROLE@HOST/DB"),
    user: str = typer.Option(
        ..., "--user", "-u", metavar="NAME", help="The member whose (empty) network receives "
        "the ledger; add them first with `netfolio team add-user`."),
    dry_run: bool = typer.Option(False, "--dry-run", "-n", help="Copy and check, then roll "
                                 "back: nothing is written."),
    as_json: bool = typer.Option(False, "--json", help="Print the counts as JSON."),
) -> None:
    """Copy your ledger (the --db one, usually a personal SQLite file) into a team database
    as a member: people, interactions, asks, introductions, knows edges, plan and settings.

    Every count is read back as the member and must equal the source's, or nothing is
    written. The member's network there must be empty. Your source ledger is not changed.

    Example: netfolio migrate-to postgresql+psycopg://netfolio@host/team --user ana
    """
    from netfolio.cli import render
    from netfolio.config import is_sqlite, resolve_db_url
    from netfolio.core.db import ME
    from netfolio.network import Network

    st = state(ctx)
    own = None
    if is_sqlite(resolve_db_url(st.db)):  # a SQLite ledger has its one user, whoever --user is
        own = source = Network(st.db, user=ME)
    else:
        source = st.net
    try:
        counts = source.migrate_to(
            url, user, dry_run=dry_run,
            progress=lambda line: render.err_console().print(f"[dim]{render.escape(line)}[/]"),
        )
    finally:
        if own is not None:
            own.close()
    if as_json:
        render.print_json({"user": user, "dry_run": dry_run, "counts": counts})
        return
    table = ", ".join(f"{n:,} {name.replace('_', ' ')}" for name, n in counts.items() if n)
    if dry_run:
        render.console().print(f"[bold]Dry run: nothing was written.[/] Would copy {table}.")
    else:
        render.success(f"Copied into {render.escape(user)}'s network, counts checked: "
                       f"{table or 'an empty ledger'}.")


# -- views --------------------------------------------------------------------------------------


def _target(info: RequestInfo) -> str:
    if info.target_organisation:
        return f"{info.target_name} ({info.target_organisation})"
    return info.target_name


def sharing_view(rules: ShareRules) -> None:
    from netfolio.cli.render import console, escape

    if not rules.fields and not rules.people:
        console().print("You share no one yet: `netfolio team share PERSON` or "
                        "`netfolio team share --field FIELD`.")
        return
    console().print("[bold]Fields shared:[/] " + (escape(", ".join(rules.fields)) or "none"))
    for pid, name, shared in rules.people:
        console().print(f"  #{pid} {escape(name)}: " + ("shared" if shared else "kept out"))


def directory_view(entries: list[Entry]) -> None:
    from rich.table import Table

    from netfolio.cli.render import console, escape

    if not entries:
        console().print("Your directory is empty: share someone with `netfolio team share`.")
        return
    table = Table(header_style="bold")
    for col in ("entry", "name", "organisation", "title", "field", "strength"):
        table.add_column(col, justify="right" if col == "entry" else "left")
    for e in entries:
        table.add_row(str(e.id), escape(e.display_name), escape(e.organisation),
                      escape(e.title), escape(e.field), e.bucket)
    console().print(table)


def ask_view(answer: TeamAnswer) -> None:
    from netfolio.cli.render import console, escape

    c = console()
    what = answer.query.describe()
    if not answer.paths:
        c.print(f"No one on the team shares someone {escape(what)} yet.")
        return
    c.print(f"[bold]Who on the team knows someone {escape(what)}[/]")
    c.print("[bold]Leads[/] (teammates, strongest tie first)")
    for lead in answer.leads:
        s, f, w = lead.counts
        c.print(f"  {escape(lead.teammate)}: best {lead.best}  ({s} strong, {f} familiar, "
                f"{w} weak)")
    c.print("[bold]Paths[/] (you → teammate → person)")
    for path in answer.paths:
        about = ", ".join(x for x in (path.title, path.organisation) if x)
        via = "; ".join(f"{escape(i.teammate)} ({i.strength}, entry #{i.entry_id})"
                        for i in path.introducers)
        c.print(f"  [bold]{escape(path.name)}[/]{' — ' + escape(about) if about else ''}  "
                f"via {via}")
    if answer.truncated:
        c.print("  [dim]... more matched: narrow the question (--field, --title)[/]")
    c.print("Ask for an introduction: `netfolio team request ENTRY_ID --message TEXT`.")


def requests_view(found: list[RequestInfo]) -> None:
    from netfolio.cli.render import console, escape

    if not found:
        console().print("No introduction requests.")
        return
    for r in found:
        if r.direction == "incoming":
            line = f"{escape(r.requester)} asks you to introduce {escape(_target(r))}"
        else:
            line = f"you asked {escape(r.introducer)} to introduce {escape(_target(r))}"
        extra = f" — {escape(r.message)}" if r.message and r.direction == "incoming" else ""
        done = f"; outcome: {escape(r.outcome)}" if r.outcome else ""
        console().print(f"#{r.id} {r.created_at:%Y-%m-%d} {line} \\[{r.status}]{done}{extra}")
