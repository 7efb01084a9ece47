"""Import, export, backup and restore commands; possible duplicates under review."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any, ClassVar

import typer

from netfolio.cli.state import interactive, net

if TYPE_CHECKING:
    from rich.progress import Progress

    from netfolio.io.matching import Candidate, Decision
    from netfolio.io.pipeline import ImportReport

IMPORT_HELP = """Import your contacts, messages, meetings and mail; undo the last import.

\b
netfolio import [FORMAT] FILE...   FORMAT is detected from the content when left out:
    linkedin  the LinkedIn data export (.zip, Connections.csv, messages.csv, Invitations.csv)
    vcard     .vcf from phones, Google, iCloud, Outlook (vCard 2.1, 3.0, 4.0)
    google    Google Contacts CSV;  outlook  Outlook contacts CSV
    ical      calendar .ics (meetings become interactions);  mbox  mail (headers only)
netfolio import undo               revert the last import (--force: even if used since)
netfolio import history            list the imports

Re-importing a file changes nothing ("0 new, 0 updated, N unchanged"); a newer export
updates what changed and records job changes. People who may be someone already in the
ledger are asked about at a terminal, merged with --yes when confident, and otherwise
listed for `netfolio duplicates`. All of an import is written, or none of it.

Example: netfolio import ~/Downloads/Basic_LinkedInDataExport.zip
"""


def register(app: typer.Typer) -> None:
    app.command("import", help=IMPORT_HELP)(import_cmd)
    app.command("duplicates")(duplicates)
    app.command("export")(export)
    app.command("backup")(backup)
    app.command("restore")(restore)


# --- import -----------------------------------------------------------------------------------


class _Bar:
    """A Rich progress bar on stderr for the import's stages (shown only at a terminal)."""

    LABELS: ClassVar[dict[str, str]] = {
        "read": "Reading", "match": "Matching people", "duplicates": "Looking for duplicates",
        "interactions": "Matching interactions", "write": "Writing",
    }

    def __init__(self) -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        from netfolio.cli.render import err_console

        self.progress: Progress = Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
            console=err_console(), transient=True,
        )
        self.task = self.progress.add_task("Reading", total=None)
        self.started, self.shown = time.monotonic(), False

    #: Imports quicker than this show no bar at all.
    DELAY = 0.4

    def __call__(self, stage: str, done: int, total: int) -> None:
        self.progress.update(self.task, description=self.LABELS.get(stage, stage),
                             completed=done, total=total or None)
        if not self.shown and time.monotonic() - self.started > self.DELAY:
            self.shown = True
            self.progress.start()

    def pause(self) -> None:
        if self.shown:
            self.progress.stop()

    def resume(self) -> None:
        if self.shown:
            self.progress.start()

    def __enter__(self) -> _Bar:
        self.started, self.shown = time.monotonic(), False
        return self

    def __exit__(self, *exc: object) -> None:
        self.pause()


class TerminalResolver:
    """Asks at the terminal whether an imported person is someone already in the ledger."""

    def __init__(self, bar: _Bar | None = None) -> None:
        self.bar = bar
        self.rest: Decision | None = None

    def decide(self, candidate: Candidate) -> Decision:
        from netfolio.cli.render import console, escape
        from netfolio.io.matching import Decision

        if self.rest is not None:
            return self.rest
        if self.bar is not None:
            self.bar.pause()
        try:
            new, old = candidate.new, candidate.existing
            console().print(
                f"\n[bold]Same person?[/] ({escape(candidate.reason)}, score "
                f"{candidate.score:.0f})\n  imported: {escape(new.label)} "
                f"{escape(', '.join(new.emails))}\n  ledger:   #{old.id} {escape(old.label)} "
                f"{escape(', '.join(old.emails))}"
            )
            answer = typer.prompt(
                "[m]erge, [s]eparate people, decide [l]ater, [a]ll later", default="l"
            ).strip().lower()[:1]
        finally:
            if self.bar is not None:
                self.bar.resume()
        if answer == "a":
            self.rest = Decision.LATER
        return {"m": Decision.MERGE, "s": Decision.SEPARATE}.get(answer, Decision.LATER)


def import_cmd(
    ctx: typer.Context,
    args: list[str] = typer.Argument(
        None, metavar="[FORMAT] FILE... | undo | history",
        help="The files (and their format, if you want to name it); or undo, or history.",
    ),
    dry_run: bool = typer.Option(False, "--dry-run", "-n",
                                 help="Show what would change; write nothing."),
    strict: bool = typer.Option(False, "--strict",
                                help="Stop at the first broken card, row or value."),
    yes: bool = typer.Option(False, "--yes", "-y",
                             help="Merge confident possible duplicates without asking."),
    me: list[str] = typer.Option(
        [], "--me", help="Your own address (email, LinkedIn URL or name); repeat. "
        "Added to those set with `netfolio init --email`."),
    keep_content: bool = typer.Option(False, "--keep-content",
                                      help="Keep message text (not kept by default)."),
    max_attendees: int | None = typer.Option(
        None, "--max-attendees", min=1,
        help="Skip meetings and mails with more other people than this (default 8)."),
    include_large: bool = typer.Option(False, "--include-large",
                                       help="Keep large meetings and mails too."),
    force: bool = typer.Option(False, "--force", help="undo: even if the people it added "
                               "have been used since (their new ledger entries go too)."),
    limit: int = typer.Option(20, "--limit", help="history: how many runs to list."),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
) -> None:
    from netfolio.cli import render
    from netfolio.errors import ImportError_
    from netfolio.io.formats import FORMATS
    from netfolio.io.matching import ListForLater, MergeConfident, Resolver

    words = list(args or [])
    if words and words[0] == "undo" and len(words) == 1:
        _undo(ctx, force, as_json)
        return
    if words and words[0] == "history" and len(words) == 1:
        _history(ctx, limit, as_json)
        return
    fmt = None
    if words and words[0] in FORMATS and len(words) > 1:
        fmt = words.pop(0)
    elif words and words[0] == "json":
        raise ImportError_("a JSON ledger is restored, not imported: `netfolio restore FILE`")
    if not words:
        raise ImportError_(
            "name the file to import: a LinkedIn export (.zip or Connections.csv), a vCard "
            "(.vcf), a Google or Outlook contacts CSV, a calendar (.ics) or a mailbox (.mbox); "
            "see `netfolio import --help`")
    show_bar = not as_json
    with _Bar() if show_bar else _NoBar() as bar:
        resolver: Resolver
        if yes:
            resolver = MergeConfident()
        elif interactive() and not dry_run and not as_json:
            resolver = TerminalResolver(bar if isinstance(bar, _Bar) else None)
        else:
            resolver = ListForLater()
        report = net(ctx).import_file(
            words, fmt, dry_run=dry_run, strict=strict, me=me, keep_content=keep_content,
            max_attendees=max_attendees, include_large=include_large, resolver=resolver,
            progress=bar,
        )
    if as_json:
        render.print_json(report.to_dict())
    else:
        _print_report(report)
        _ask_who_is_me(ctx, report)


def _ask_who_is_me(ctx: typer.Context, report: ImportReport) -> None:
    """The files said who you are (what init knew was not in them): record it?"""
    from netfolio.cli.render import console, escape

    if report.dry_run or not report.me_taken:
        return
    for taken in report.me_taken:
        if interactive():
            if typer.confirm(f"The files say you are {taken}. Record it as yours?",
                             default=True):
                net(ctx).me_edit(add=[taken])
        else:
            console().print(f"The files say you are {escape(taken)}: `netfolio me --add "
                            f"{escape(taken)}` records it.")


class _NoBar:
    def __call__(self, stage: str, done: int, total: int) -> None:
        return None

    def __enter__(self) -> _NoBar:
        return self

    def __exit__(self, *exc: object) -> None:
        return None


def _print_report(report: ImportReport) -> None:
    from rich.table import Table

    from netfolio.cli.render import console, escape, success

    c = console()
    if report.dry_run:
        c.print("[bold]Dry run: nothing was written.[/]")
    table = Table(show_header=False, box=None, padding=(0, 2))
    table.add_column(style="dim")
    table.add_column(justify="right")
    rows: list[tuple[str, Any]] = [
        ("new people", report.new), ("updated", report.updated),
        ("unchanged", report.unchanged), ("merged", report.merged),
        ("interactions added", report.interactions_added),
        ("interactions already there", report.interactions_unchanged),
        ("knows edges added", report.knows_added),
        ("job changes", len(report.job_changes)),
        ("possible duplicates", len(report.possible_duplicates)),
    ]
    for label, value in rows:
        if value or label in ("new people", "updated", "unchanged"):
            table.add_row(label, str(value))
    for reason, count in sorted(report.skipped.items(), key=lambda kv: -kv[1]):
        table.add_row(f"skipped: {escape(reason)}", str(count))
    c.print(table)
    for job in report.job_changes[:10]:
        was = " at ".join(x for x in (job.old_title, job.old_organisation) if x)
        now = " at ".join(x for x in (job.new_title, job.new_organisation) if x)
        c.print(f"  [cyan]job change[/] #{job.person[0]} {escape(job.person[1])}: "
                f"{escape(was)} → {escape(now)}")
    for dup in report.possible_duplicates[:10]:
        c.print(f"  [yellow]possible duplicate[/] #{dup.a[0]} {escape(dup.a[1])} ~ "
                f"#{dup.b[0]} {escape(dup.b[1])}: {escape(dup.reason)}")
    if len(report.possible_duplicates) > 10:
        c.print(f"  ... and {len(report.possible_duplicates) - 10} more")
    if report.possible_duplicates and not report.dry_run:
        c.print("  Review them with [bold]netfolio duplicates[/].")
    for warning in report.warnings[:5]:
        c.print(f"  [dim]warning: {escape(warning)}[/]")
    if len(report.warnings) > 5:
        c.print(f"  [dim]... and {len(report.warnings) - 5} more warnings (--json lists them)[/]")
    files = ", ".join(report.files)
    if report.dry_run:
        c.print(f"Would import {escape(files)} ({report.format}): {report.summary}.")
    else:
        success(f"Imported {escape(files)} ({report.format}): {report.summary}. "
                "[dim](undo: netfolio import undo)[/]")


def _undo(ctx: typer.Context, force: bool, as_json: bool) -> None:
    from netfolio.cli import render

    done = net(ctx).import_undo(force=force)
    if as_json:
        render.print_json(done.to_dict())
        return
    from netfolio.reports import plural

    run = done.run
    render.success(
        f"Undid import #{run.id} of {render.escape(run.file_name)} ({run.format}): "
        f"{plural(done.people_removed, 'person', 'people')}, "
        f"{plural(done.interactions_removed, 'interaction')} and "
        f"{plural(done.knows_removed, 'knows edge')} removed; "
        f"{plural(done.people_restored, 'person', 'people')} put back as they were."
    )
    for conflict in done.conflicts[:10]:
        render.console().print(f"  [yellow]kept[/] {render.escape(conflict)}")


def _history(ctx: typer.Context, limit: int, as_json: bool) -> None:
    from rich.table import Table

    from netfolio.cli import render

    runs = net(ctx).import_history(limit=limit)
    if as_json:
        render.print_json([r.to_dict() for r in runs])
        return
    if not runs:
        render.console().print("No imports yet: try `netfolio import FILE`.")
        return
    table = Table(header_style="bold")
    for col in ("#", "when", "format", "file", "new", "updated", "unchanged",
                "interactions", "status"):
        table.add_column(col, justify="right" if col in ("#", "new", "updated", "unchanged",
                                                         "interactions") else "left")
    for r in runs:
        c = r.counts
        table.add_row(
            str(r.id), r.started_at[:16].replace("T", " "), r.format,
            render.escape(r.file_name), str(c.get("new", 0)), str(c.get("updated", 0)),
            str(c.get("unchanged", 0)), str(c.get("interactions_added", 0)),
            "undone" if r.undone else "",
        )
    render.console().print(table)


# --- duplicates -------------------------------------------------------------------------------


def duplicates(
    ctx: typer.Context,
    action: str | None = typer.Argument(
        None, metavar="[merge ID | dismiss ID]",
        help="merge a pair into one person, or dismiss it (two different people)."),
    duplicate_id: int | None = typer.Argument(
        None, metavar="ID", show_default=False,
        help="The pair's number in the list (with merge or dismiss)."),
    keep: int | None = typer.Option(None, "--keep",
                                    help="merge: the person to keep (#id; default the first)."),
    show_all: bool = typer.Option(False, "--all", help="List merged and dismissed pairs too."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON for scripts."),
) -> None:
    """Review possible duplicates found by imports: list them, merge or dismiss.

    At a terminal, with no action, goes through the open pairs one by one.
    Example: netfolio duplicates merge 3 --keep 12
    """
    from netfolio.cli import render
    from netfolio.errors import ValidationError

    network = net(ctx)
    if action is not None:
        if action not in ("merge", "dismiss") or duplicate_id is None:
            raise ValidationError("say `netfolio duplicates merge ID` or `... dismiss ID`")
        kept = network.resolve_duplicate(duplicate_id, action, keep=keep)
        if kept is not None:
            render.success(f"Merged into #{kept.id} {render.escape(kept.label)}")
        else:
            render.success(f"Dismissed #{duplicate_id}: they will not be proposed again")
        return
    pairs = network.duplicates(None if show_all else "open")
    if as_json:
        render.print_json([p.to_dict() for p in pairs])
        return
    if not pairs:
        render.console().print("No possible duplicates to review.")
        return
    if interactive() and not show_all:
        _review(ctx, pairs)
        return
    for p in pairs:
        status = "" if p.status == "open" else f" [{p.status}]"
        render.console().print(
            f"#{p.id} [bold]{render.escape(p.a[1])}[/] (#{p.a[0]}) ~ "
            f"[bold]{render.escape(p.b[1])}[/] (#{p.b[0]}): {render.escape(p.reason)}, "
            f"score {p.score:.0f}{status}"
        )
    render.console().print("Merge with `netfolio duplicates merge ID`, or dismiss with "
                           "`netfolio duplicates dismiss ID`.")


def _review(ctx: typer.Context, pairs: list[Any]) -> None:
    from netfolio.cli import render

    network = net(ctx)
    for p in pairs:
        render.console().print(
            f"\n#{p.id} [bold]{render.escape(p.a[1])}[/] (#{p.a[0]}) ~ "
            f"[bold]{render.escape(p.b[1])}[/] (#{p.b[0]}): {render.escape(p.reason)}"
        )
        answer = typer.prompt("[m]erge, [d]ismiss, [s]kip, [q]uit", default="s")
        answer = answer.strip().lower()[:1]
        if answer == "q":
            return
        if answer in ("m", "d"):
            network.resolve_duplicate(p.id, "merge" if answer == "m" else "dismiss")
            render.success("merged" if answer == "m" else "dismissed")


# --- export, backup, restore ------------------------------------------------------------------


def export(
    ctx: typer.Context,
    format: str = typer.Argument(..., metavar="FORMAT", help="vcard (4.0), csv or json."),
    file: str = typer.Argument(..., metavar="FILE", help="Where to write it."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON for scripts."),
) -> None:
    """Export the ledger: vcard (4.0) and csv for other tools, json for everything.

    The JSON ledger holds all of it (people, interactions, asks, introductions, knows edges,
    fields, settings) and restores with `netfolio restore FILE`.
    Example: netfolio export vcard contacts.vcf
    """
    from netfolio.cli import render

    info = net(ctx).export(format, file)
    if as_json:
        render.print_json(info.to_dict())
        return
    what = (_people(info.people) if info.people is not None else "the ledger")
    render.success(f"Wrote {what} to {render.escape(info.path)} ({info.format}, "
                   f"{info.bytes:,} bytes)")


def backup(
    ctx: typer.Context,
    file: str = typer.Argument(..., metavar="FILE",
                               help="The backup to write (ending in .json: the JSON ledger)."),
) -> None:
    """Back the ledger up: a copy of the SQLite file (made safely while in use), or with
    FILE.json the JSON ledger (any database). Restore with `netfolio restore FILE`."""
    from netfolio.cli import render

    info = net(ctx).backup(file)
    render.success(f"Backed up {_people(info.people)} to {render.escape(info.path)} "
                   f"({info.format}, {info.bytes:,} bytes)")


def restore(
    ctx: typer.Context,
    file: str = typer.Argument(..., metavar="FILE", help="A backup: SQLite file or JSON ledger."),
    replace: bool = typer.Option(False, "--replace",
                                 help="Replace what the ledger holds (a copy is kept first)."),
    yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask for confirmation."),
) -> None:
    """Restore a backup into an empty ledger, or with --replace instead of its contents.

    A SQLite backup is checked first (it must be a netfolio ledger); with --replace a copy
    of the current file is kept beside it.
    """
    from netfolio.cli import render
    from netfolio.errors import ValidationError

    network = net(ctx)
    if replace and not yes:
        if not interactive():
            raise ValidationError("--replace replaces the whole ledger: confirm with --yes")
        typer.confirm(f"Replace everything in the ledger with {file}?", abort=True)
    info = network.restore(file, replace=replace)
    kept = f" (the previous ledger is kept as {info.kept})" if info.kept else ""
    render.success(f"Restored {_people(info.people)} from {render.escape(info.path)} "
                   f"({info.format}){render.escape(kept)}")


__all__ = ["TerminalResolver", "register"]


def _people(n: int | None) -> str:
    from netfolio.reports import plural

    return plural(n or 0, "person", "people")
