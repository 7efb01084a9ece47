"""``netfolio sync``: keep the ledger current from your own mail and calendar servers."""

from __future__ import annotations

import re
import time
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import typer

from netfolio.cli.state import interactive, net

if TYPE_CHECKING:
    from netfolio.io.sync.run import SyncReport

SYNC_HELP = """Sync your own mail, calendar and contacts servers into the ledger (see docs/sync.md).

\b
netfolio sync add imap imaps://imap.example.org --username you@example.org
netfolio sync add caldav https://dav.example.org/ --username you
netfolio sync add carddav https://dav.example.org/ --username you
netfolio sync add ics https://example.org/calendar.ics
netfolio sync                     every source: what is new on each server
netfolio sync --source work-mail  one source
netfolio sync --every 15m         again and again (or a cron line / systemd timer)
netfolio sync list | test NAME | remove NAME

Mail is read as headers only (who, when, which thread; never a subject or a body),
incrementally; each sync is an import run (netfolio import history, netfolio import undo).
Passwords go to your OS keyring, or come from an environment variable: never the ledger.
"""

sync_app = typer.Typer(help=SYNC_HELP, invoke_without_command=True, no_args_is_help=False,
                       rich_markup_mode=None)


def register(app: typer.Typer) -> None:
    app.add_typer(sync_app, name="sync")


_INTERVAL = re.compile(r"^(\d+)\s*([smhd]?)$")


def parse_interval(text: str) -> int:
    """``15m``, ``1h``, ``90s``, ``1d`` (a bare number: minutes) in seconds, at least 60."""
    from netfolio.errors import ValidationError

    m = _INTERVAL.match(text.strip().lower())
    if not m:
        raise ValidationError(f"--every {text!r}: say 15m, 1h, 1d (at least 1m)")
    seconds = int(m.group(1)) * {"s": 1, "": 60, "m": 60, "h": 3600, "d": 86400}[m.group(2)]
    if seconds < 60:
        raise ValidationError(f"--every {text!r}: at least one minute between syncs")
    return seconds


@sync_app.callback()
def sync_cmd(
    ctx: typer.Context,
    source: str = typer.Option(None, "--source", "-s", help="Sync only this source."),
    every: str = typer.Option(None, "--every",
                              help="Sync again at this interval (15m, 1h) until stopped."),
    yes: bool = typer.Option(False, "--yes", "-y",
                             help="Merge people who are confidently someone already there."),
    as_json: bool = typer.Option(False, "--json", help="Print the reports as JSON."),
) -> None:
    if ctx.invoked_subcommand is not None:
        return
    interval = parse_interval(every) if every else None
    while True:
        if interval is None:
            reports = _sync_once(ctx, source, yes, as_json)
        else:  # on a schedule, a failing server is reported and tried again next time
            from netfolio.errors import NetfolioError

            try:
                reports = _sync_once(ctx, source, yes, as_json)
            except NetfolioError as exc:
                typer.echo(f"Error: {exc}", err=True)
        if interval is None:
            if any(r.error for r in reports):
                raise typer.Exit(1)
            return
        if not as_json:
            from netfolio.cli.render import err_console

            err_console().print(f"[dim]next sync in {every} (Ctrl-C stops)[/]")
        time.sleep(interval)


def _sync_once(ctx: typer.Context, source: str | None, yes: bool,
               as_json: bool) -> list[SyncReport]:
    from netfolio.cli import render

    network = net(ctx)
    if not source and not network.sync_sources():
        render.console().print("No sync sources yet: add one with "
                               "[bold]netfolio sync add imap URL --username YOU[/].")
        return []
    if as_json:
        reports = network.sync(source, yes=yes)
        render.print_json([r.to_dict() for r in reports])
        return reports
    with _Bars() as bars:
        reports = network.sync(source, yes=yes, progress=bars)
    for report in reports:
        _print_report(report)
    return reports


class _Bars:
    """One Rich progress bar per folder or calendar, on stderr."""

    def __init__(self) -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        from netfolio.cli.render import err_console

        self.progress = Progress(TextColumn("{task.description}"), BarColumn(),
                                 MofNCompleteColumn(), console=err_console(), transient=True)
        self.tasks: dict[str, Any] = {}

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage not in self.tasks:
            self.tasks[stage] = self.progress.add_task(stage, total=total or None)
        self.progress.update(self.tasks[stage], completed=done, total=total or None)

    def __enter__(self) -> _Bars:
        self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.stop()


def _print_report(report: SyncReport) -> None:
    from netfolio.cli.render import console, escape, success

    c = console()
    if report.error:
        c.print(f"[red]✗[/] {escape(report.error)}")
        return
    where = ", ".join(report.collections) or "-"
    success(f"{escape(report.source)} ({escape(where)}): {escape(report.summary)}")
    for reason, count in sorted(report.skipped.items(), key=lambda kv: -kv[1]):
        c.print(f"  [dim]skipped: {escape(reason)}: {count}[/]")
    for warning in report.warnings[:3]:
        c.print(f"  [dim]warning: {escape(warning)}[/]")
    if report.possible_duplicates:
        c.print("  Review possible duplicates with [bold]netfolio duplicates[/].")


def _default_name(kind: str, url: str) -> str:
    host = (urlsplit(url).hostname or kind).lower()
    return re.sub(r"[^a-z0-9._-]+", "-", f"{kind}-{host}")[:100]


@sync_app.command("add")
def add(
    ctx: typer.Context,
    kind: str = typer.Argument(..., metavar="KIND", help="imap, caldav, carddav or ics."),
    url: str = typer.Argument(..., metavar="URL",
                              help="imaps://host[:port] (or imap:// with STARTTLS); "
                              "caldav/carddav: https:// of a calendar or address book, or of "
                              "the server (every calendar of yours is found); ics: an "
                              "https:// or webcal:// calendar feed."),
    name: str = typer.Option(None, "--name", help="What to call it (default: from the host)."),
    username: str = typer.Option(None, "--username", "-u", help="The login (IMAP: usually "
                                 "your address)."),
    password_env: str = typer.Option(None, "--password-env", metavar="VAR",
                                     help="Read the password from this environment variable "
                                     "instead of storing it in the OS keyring."),
    folder: list[str] = typer.Option(None, "--folder", help="IMAP: a folder to read "
                                     "(repeat; default: All Mail where the server has it, "
                                     "else INBOX and Sent)."),
    me: list[str] = typer.Option(None, "--me", help="Your own address(es) in this "
                                 "mailbox, besides those of netfolio init."),
    include_large: bool = typer.Option(False, "--include-large",
                                       help="Count mail to many people as contact too."),
    cafile: str = typer.Option(None, "--cafile", help="Trust this CA certificate (PEM) for "
                               "this source (your own server's)."),
    insecure: bool = typer.Option(False, "--insecure", help="Accept any certificate for this "
                                  "source (not recommended)."),
    plain: bool = typer.Option(False, "--plain", help="No TLS: only for a server on this "
                               "machine (127.0.0.1)."),
    no_test: bool = typer.Option(False, "--no-test", help="Do not connect to check it now."),
) -> None:
    """Add a source: asks for its password and keeps it in the OS keyring."""
    from pathlib import Path

    from netfolio.cli.render import console, escape, success
    from netfolio.errors import NetfolioError, ValidationError
    from netfolio.io.sync.sources import SUPPORTED

    kind = kind.lower()
    if kind not in SUPPORTED:
        raise ValidationError(f"{kind!r}: a source is one of {', '.join(SUPPORTED)}")
    options: dict[str, Any] = {}
    if folder:
        options["folders"] = list(folder)
    if me:
        options["me"] = list(me)
    if include_large:
        options["include_large"] = True
    if cafile:
        if not Path(cafile).is_file():
            raise ValidationError(f"--cafile {cafile}: no such file")
        options["cafile"] = str(Path(cafile).resolve())
    if insecure:
        options["insecure"] = True
    if plain:
        options["plain"] = True
    password = None
    needs_password = kind == "imap" or bool(username)
    if needs_password and not password_env:
        if not interactive() and not _stdin_has_data():
            raise ValidationError("no terminal to ask the password at: pass --password-env VAR")
        password = typer.prompt(f"Password for {username or url}", hide_input=True)
    info = net(ctx).sync_add(kind, name or _default_name(kind, url), url, username=username,
                             password=password, password_env=password_env, options=options)
    where = "the environment variable " + password_env if password_env else "your OS keyring"
    success(f"Added {escape(info.name)} ({info.kind}, {escape(info.url)}); its password is in "
            f"{escape(where)}" if needs_password else f"Added {escape(info.name)}")
    if not no_test:
        try:
            _print_test(net(ctx).sync_test(info.name))
        except NetfolioError as exc:
            console().print(f"[yellow]![/] {escape(str(exc))}")
    console().print(f"Sync it with [bold]netfolio sync --source {escape(info.name)}[/].")


def _stdin_has_data() -> bool:
    import sys

    return not sys.stdin.isatty()


def _print_test(found: dict[str, Any]) -> None:
    from netfolio.cli.render import console, escape

    c = console()
    c.print(f"[green]✓[/] {escape(found['source'])}: connected and logged in")
    for col in found["collections"]:
        if "messages" in col:
            new = "" if col.get("new") is None else f", {col['new']} new to read"
            c.print(f"  {escape(col['name'])}: {col['messages']} messages{new}")
        elif "items" in col:
            c.print(f"  {escape(col['name'])}: {col['items']} items (by {col['by']})")
        else:
            c.print(f"  {escape(col['name'])}: {col.get('bytes', 0)} bytes")


@sync_app.command("list")
def list_cmd(
    ctx: typer.Context,
    as_json: bool = typer.Option(False, "--json", help="Print the sources as JSON."),
) -> None:
    """The sources, with their last sync and its result."""
    from rich.table import Table

    from netfolio.cli.render import console, escape, print_json

    sources = net(ctx).sync_sources()
    if as_json:
        print_json([s.to_dict() for s in sources])
        return
    if not sources:
        console().print("No sync sources yet: [bold]netfolio sync add imap URL[/].")
        return
    table = Table(box=None, padding=(0, 2))
    for column in ("name", "kind", "url", "last sync", "result"):
        table.add_column(column)
    for s in sources:
        if s.last_status == "error":
            result = f"[red]{escape(s.last_error)}[/]"
        elif s.last_status == "ok":
            c = s.last_counts
            result = (f"{c.get('read', 0)} read, {c.get('new_people', 0)} new people, "
                      f"{c.get('interactions_added', 0)} interactions")
        else:
            result = "[dim]never synced[/]"
        table.add_row(escape(s.name), s.kind, escape(s.url),
                      (s.last_sync_at or "")[:16].replace("T", " "), result)
    console().print(table)


@sync_app.command("test")
def test_cmd(
    ctx: typer.Context,
    name: str = typer.Argument(..., metavar="NAME", help="The source's name (netfolio sync list)."),
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON."),
) -> None:
    """Connect and log in, and say what a sync would read (imports nothing)."""
    from netfolio.cli.render import print_json

    found = net(ctx).sync_test(name)
    if as_json:
        print_json(found)
    else:
        _print_test(found)


@sync_app.command("remove")
def remove(
    ctx: typer.Context,
    name: str = typer.Argument(..., metavar="NAME", help="The source's name (netfolio sync list)."),
) -> None:
    """Remove a source and its password (what it imported stays: netfolio import undo)."""
    from netfolio.cli.render import escape, success

    info = net(ctx).sync_remove(name)
    success(f"Removed {escape(info.name)}; what it imported stays in the ledger.")
