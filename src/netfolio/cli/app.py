"""The ``netfolio`` command: Typer commands as thin shells over :class:`netfolio.Network`.

Heavy modules (SQLAlchemy, numpy, Rich) are imported inside the commands that need them,
so ``netfolio --help`` starts instantly.
"""

from __future__ import annotations

import sys
from typing import Any

import typer
from typer.core import TyperGroup

from netfolio.errors import NetfolioError


def _plain_metavars(command: Any) -> None:
    """Name option values after the option (``--email EMAIL``), not their Python type."""
    for param in getattr(command, "params", []):
        if (getattr(param, "param_type_name", "") == "option" and param.metavar is None
                and not getattr(param, "is_flag", False)):
            param.metavar = param.name.upper()
    for sub in getattr(command, "commands", {}).values():
        _plain_metavars(sub)


class NetfolioGroup(TyperGroup):
    """Turns netfolio's own errors into one clear line on stderr and exit code 1."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _plain_metavars(self)

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except NetfolioError as exc:
            typer.echo(f"Error: {exc}", err=True)
            raise typer.Exit(1) from None
        finally:
            from netfolio.cli.state import State

            if isinstance(ctx.obj, State):
                ctx.obj.close()


app = typer.Typer(
    cls=NetfolioGroup,
    name="netfolio",
    help=(
        "Build your network like an index fund: small, regular, generous contact with a "
        "broad spread of people, kept up for years.\n\n"
        "Start with `netfolio tour` (a demo, nothing to set up), then `netfolio init`."
    ),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    rich_markup_mode=None,  # plain help: rendering it with Rich costs 0.1 s of start-up
    context_settings={"help_option_names": ["-h", "--help"]},
)


@app.callback()
def _root(
    ctx: typer.Context,
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
) -> None:
    from netfolio.cli.state import State

    ctx.obj = State(db=db, user=user)


def _register() -> None:
    from netfolio.cli import (
        io_cmds,
        ledger_cmds,
        measures_cmds,
        people_cmds,
        practice_cmds,
        setup_cmds,
        sync_cmds,
        team_cmds,
        web_cmds,
    )

    for module in (setup_cmds, people_cmds, ledger_cmds, measures_cmds, practice_cmds, io_cmds,
                   sync_cmds, web_cmds, team_cmds):
        module.register(app)


_register()


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except KeyboardInterrupt:  # pragma: no cover - interactive only
        typer.echo("Interrupted: nothing more was written.", err=True)
        sys.exit(130)
