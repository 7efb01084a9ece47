"""What every command shares: the chosen database and the one open Network."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from netfolio.errors import AmbiguousError
    from netfolio.network import Network


#: Commands that only read: run on a SQLite path with no file, they say so instead of
#: creating an empty ledger there.
READ_ONLY = frozenset({
    "db", "show", "list", "search", "portfolio", "why", "dormant", "value", "goodwill",
    "targets", "plan", "ask", "compose", "check", "calendar", "export", "backup", "duplicates",
    "fields",
})


@dataclass
class State:
    db: str | None = None
    #: who you are in a team database (--user or NETFOLIO_USER); None: the ledger's only user
    user: str | None = None
    #: the subcommand being run (``netfolio COMMAND ...``)
    command: str | None = None
    #: --debug: print the traceback of an error too
    debug: bool = False
    _net: Network | None = field(default=None, repr=False)

    @property
    def net(self) -> Network:
        if self._net is None:
            from netfolio.network import Network

            network = Network(self.db, user=self.user or None)
            if self.command in READ_ONLY:
                _must_exist(network.url)
            self._net = network
        return self._net

    @property
    def accounts(self) -> Network:
        """The network account commands (``team users``, ``add-user``, ``set-password``) run
        through: yours with --user; else the ledger's first user, since adding a member or
        setting a password reads nobody's network and needs only the database."""
        if self.user:
            return self.net
        if self._net is None:
            from netfolio.core.db import ME
            from netfolio.network import Network

            self._net = Network(self.db, user=ME)
        return self._net

    def close(self) -> None:
        if self._net is not None:
            self._net.close()


def _must_exist(url: str) -> None:
    """A SQLite ledger that is not there is an error for a command that only reads."""
    from pathlib import Path

    from netfolio.errors import ConfigError

    if not url.startswith("sqlite:///") or ":memory:" in url:
        return
    path = Path(url.removeprefix("sqlite:///").split("?", 1)[0])
    if not path.exists():
        raise ConfigError(f"no ledger at {path}: start one with `netfolio init` (or try "
                          "`netfolio tour`), or name another with --db")


def state(ctx: typer.Context) -> State:
    root = ctx.find_root()
    if not isinstance(root.obj, State):
        root.obj = State()
    return root.obj


def net(ctx: typer.Context) -> Network:
    return state(ctx).net


def interactive() -> bool:
    """True when a person is at the terminal (so we may ask them to choose)."""
    return sys.stdin.isatty() and sys.stdout.isatty()


def choose_person(exc: AmbiguousError) -> int | None:
    """At a terminal, a numbered list of the people a name matches, and the one chosen; None
    without a terminal, or when nothing is chosen (the error then lists them)."""
    if not interactive() or not exc.candidates:
        return None
    typer.echo(f"{exc.query!r} matches {len(exc.candidates)} people:")
    for n, (pid, label) in enumerate(exc.candidates, 1):
        typer.echo(f"  {n}. {label} (#{pid})")
    answer = typer.prompt("Which one (number, or Enter for none)", default="",
                          show_default=False).strip()
    if answer.isdigit() and 1 <= int(answer) <= len(exc.candidates):
        return exc.candidates[int(answer) - 1][0]
    return None


def pick(ctx: typer.Context, ref: str) -> str | int:
    """Resolve a person reference, asking at the terminal when a name is ambiguous.

    With no terminal an ambiguous name stays an error (nothing is written); so does choosing
    none.
    """
    from netfolio.errors import AmbiguousError

    network = net(ctx)
    try:
        return network.get(ref).id
    except AmbiguousError as exc:
        chosen = choose_person(exc)
        if chosen is None:
            raise
        return chosen
