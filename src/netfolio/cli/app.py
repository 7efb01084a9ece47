"""The ``netfolio`` command: Typer commands as thin shells over :class:`netfolio.Network`.

Heavy modules (SQLAlchemy, numpy, Rich) are imported inside the commands that need them,
so ``netfolio --help`` starts instantly. ``netfolio COMMAND`` (:func:`main`) imports and
builds only COMMAND's module (:data:`COMMAND_MODULES`), and plain option values skip Typer's
Pydantic adapters (:mod:`netfolio.cli.quick_params`): start-up is part of every daily read.
``app`` is the whole command, built on first use (tests, completion, the reference).
"""

from __future__ import annotations

import sys
from typing import Any

import typer
from typer.core import TyperGroup


def _plain_metavars(command: Any) -> None:
    """Name values in words, not Python types: ``--email EMAIL``, ``PERSON``, ``[TAGS]...``
    (Typer would write ``{person}`` and ``tags... <list[str]>``)."""
    for param in getattr(command, "params", []):
        kind = getattr(param, "param_type_name", "")
        if kind == "option" and param.metavar is None and not getattr(param, "is_flag", False):
            param.metavar = param.name.upper()
        elif kind == "argument":
            param.get_usage_pieces = lambda ctx, p=param: [_argument_usage(p)]
            param.display_type_rich = lambda ctx, p=param: _argument_choices(p)
            if param.metavar is None:
                param.metavar = param.name.upper() + ("..." if param.nargs != 1 else "")
    for sub in getattr(command, "commands", {}).values():
        _plain_metavars(sub)


def _argument_usage(param: Any) -> str:
    """An argument in the usage line: ``PERSON``, ``[TAGS]...``, or its own metavar."""
    name = param.metavar or param.name.upper()
    if any(c in name for c in "[|"):
        return str(name)  # already written out, e.g. "[FORMAT] FILE... | undo | history"
    many = name.endswith("...")
    name = name.removesuffix("...")
    return (name if param.required else f"[{name}]") + ("..." if many else "")


def _argument_choices(param: Any) -> str | None:
    """The values an argument takes when they are a fixed few (``vcard|csv|json``)."""
    choices = getattr(getattr(param, "type_descriptor", None), "choices", None)
    return "|".join(str(getattr(c, "value", c)) for c in choices) if choices else None


#: The help's sections, in order, and the commands in each.
PANELS: dict[str, tuple[str, ...]] = {
    "Start": ("tour", "init", "me", "demo"),
    "People": ("add", "edit", "show", "list", "search", "tag", "merge", "split", "delete",
               "fields"),
    "Log": ("log", "unlog", "intro", "knows"),
    "Measures": ("portfolio", "why", "dormant", "value", "goodwill", "targets"),
    "Practice": ("plan", "ask", "compose", "check", "calendar"),
    "Import and export": ("import", "sync", "duplicates", "export"),
    "Web": ("serve",),
    "Team": ("team", "migrate-to"),
    "Ledger": ("db", "backup", "restore"),
}
PANEL_OF = {name: panel for panel, names in PANELS.items() for name in names}

#: Options of the root command that may also be written after the subcommand.
GLOBAL_OPTIONS = ("--db", "--user")


def hoist_global_options(group: Any, args: list[str]) -> list[str]:
    """Move ``--db X`` / ``--user X`` written after a subcommand to the front, where the root
    command reads them, unless that subcommand has an option of the same name (``migrate-to
    --user``). ``netfolio plan --db x.db`` then works like ``netfolio --db x.db plan``."""
    command, i, own = group, 0, set()
    front: list[str] = []
    rest: list[str] = []
    while i < len(args):
        arg = args[i]
        if arg == "--":
            rest += args[i:]
            break
        name = arg.split("=", 1)[0]
        if command is not group and name in GLOBAL_OPTIONS and name not in own:
            if "=" in arg:
                front.append(arg)
                i += 1
            else:
                front += args[i:i + 2]
                i += 2
            continue
        if command is group and name in GLOBAL_OPTIONS and "=" not in arg:
            rest += args[i:i + 2]
            i += 2
            continue
        if hasattr(command, "commands") and not arg.startswith("-"):
            sub = command.commands.get(arg)
            if sub is not None:
                command = sub
                own |= {o for p in sub.params for o in getattr(p, "opts", [])}
        rest.append(arg)
        i += 1
    return front + rest


class NetfolioGroup(TyperGroup):
    """Turns every failure into one clear line on stderr and exit code 1 (the traceback
    too with ``--debug``); nothing printed carries raw control characters."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _plain_metavars(self)

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        return super().parse_args(ctx, hoist_global_options(self, list(args)))

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        """The commands in sections (people, log, measures, practice...), not one list."""
        names = [n for n in self.list_commands(ctx)
                 if (c := self.get_command(ctx, n)) is not None and not c.hidden]
        if not names:
            return
        limit = formatter.width - 6 - max(len(n) for n in names)
        for panel in [*PANELS, None]:
            order = PANELS.get(panel or "", ())
            rows = [(n, self.commands[n].get_short_help_str(limit))
                    for n in sorted(names, key=lambda n: order.index(n) if n in order else 0)
                    if PANEL_OF.get(n) == panel]
            if rows:
                with formatter.section(panel or "Commands"):
                    formatter.write_dl(rows)

    def invoke(self, ctx: Any) -> Any:
        from netfolio.cli.failures import debugging, fail, is_click_control
        from netfolio.cli.terminal import SafeStream

        out, err = sys.stdout, sys.stderr
        sys.stdout, sys.stderr = SafeStream(out), SafeStream(err)
        try:
            return super().invoke(ctx)
        except Exception as exc:
            if is_click_control(exc):  # usage errors and exits: click shows them itself
                raise
            raise fail(exc, debug=debugging(ctx.obj)) from None
        finally:
            from netfolio.cli.state import State

            try:
                if isinstance(ctx.obj, State):
                    ctx.obj.close()
            finally:
                sys.stdout, sys.stderr = out, err


def _new_app() -> typer.Typer:
    from netfolio.cli.quick_params import install

    install()
    new = typer.Typer(
        cls=NetfolioGroup,
        name="netfolio",
        help=(
            "Build your network like an index fund: small, regular, generous contact with a "
            "broad spread of people, kept up for years.\n\n"
            "Start with `netfolio tour` (a demo, nothing to set up), then `netfolio init`."
        ),
        no_args_is_help=True,
        pretty_exceptions_enable=False,
        add_completion=True,
        rich_markup_mode=None,  # plain help: rendering it with Rich costs 0.1 s of start-up
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    new.callback()(_root)
    return new


def _version(value: bool) -> None:
    if value:
        from netfolio import __version__

        typer.echo(f"netfolio {__version__}")
        raise typer.Exit()


def _root(
    ctx: typer.Context,
    version: bool = typer.Option(
        False, "--version", "-V", callback=_version, is_eager=True,
        help="Print netfolio's version and exit.",
    ),
    db: str = typer.Option(
        None, "--db", envvar="NETFOLIO_DB", metavar="PATH_OR_URL",
        help="The ledger: a SQLite file path or a URL (postgresql+psycopg://...). "
        "Default: netfolio.db in your data directory.",
    ),
    user: str = typer.Option(
        None, "--user", envvar="NETFOLIO_USER", metavar="NAME",
        help="Who you are in a team database (a username of `netfolio team users`). "
        "A personal ledger has one user and needs none.",
    ),
    debug: bool = typer.Option(
        False, "--debug", envvar="NETFOLIO_DEBUG",
        help="On an error, print the traceback too (for a bug report).",
    ),
) -> None:
    from netfolio.cli.state import State

    ctx.obj = State(db=db, user=user, command=ctx.invoked_subcommand, debug=debug)


#: The modules that register commands, in order, and the commands each registers (a test
#: checks this against what they register).
MODULES: dict[str, tuple[str, ...]] = {
    "setup_cmds": ("init", "me", "db", "demo", "tour"),
    "people_cmds": ("add", "edit", "show", "list", "search", "tag", "merge", "split", "delete",
                    "fields"),
    "ledger_cmds": ("log", "unlog", "intro", "knows"),
    "measures_cmds": ("portfolio", "why", "dormant", "value", "goodwill"),
    "targets_cmds": ("targets",),
    "practice_cmds": ("plan", "ask", "compose", "check", "calendar"),
    "io_cmds": ("import", "duplicates", "export", "backup", "restore"),
    "sync_cmds": ("sync",),
    "web_cmds": ("serve",),
    "team_cmds": ("team", "migrate-to"),
}
COMMAND_MODULES = {name: module for module, names in MODULES.items() for name in names}


def build_app(command: str | None = None) -> typer.Typer:
    """The ``netfolio`` command with every command, or with ``command`` alone (what
    :func:`main` runs: only that command's module is imported and built)."""
    import importlib

    new = _new_app()
    modules = list(MODULES) if command is None else [COMMAND_MODULES[command]]
    for name in modules:
        importlib.import_module(f"netfolio.cli.{name}").register(new)
    if command is not None:
        new.registered_commands = [c for c in new.registered_commands if c.name == command]
        new.registered_groups = [g for g in new.registered_groups if g.name == command]
    return new


def __getattr__(name: str) -> typer.Typer:
    if name == "app":  # the whole command, built once, on first use
        built: typer.Typer = build_app()
        globals()["app"] = built
        return built
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def command_in(args: list[str]) -> str | None:
    """The command ``netfolio ARGS`` runs, when the arguments name one (None: help, the
    version, completion, or no known command; the whole ``app`` answers those)."""
    i = 0
    while i < len(args):
        arg = args[i]
        if arg in GLOBAL_OPTIONS:
            i += 2
            continue
        if arg.startswith("-"):
            if arg.split("=", 1)[0] not in ("--debug", *(f"{o}" for o in GLOBAL_OPTIONS)):
                return None
            i += 1
            continue
        return arg if arg in COMMAND_MODULES else None
    return None


def _terminated(signum: int, _frame: Any) -> None:
    """SIGTERM unwinds like Ctrl-C: transactions roll back, half-written files are removed."""
    raise KeyboardInterrupt


def main() -> None:
    """Console-script entry point."""
    import os
    import signal

    signal.signal(signal.SIGTERM, _terminated)
    completing = any(k.endswith("_COMPLETE") and k.startswith("_") for k in os.environ)
    command = None if completing else command_in(sys.argv[1:])
    try:
        build_app(command)()
    except KeyboardInterrupt:  # pragma: no cover - interactive only
        typer.echo("Interrupted: nothing more was written.", err=True)
        sys.exit(130)
