"""The CLI's one error path: every failure is one line on stderr naming what was wrong.

netfolio's own errors already say it (the file, the line, the value); an error nobody
planned for (a bug, a refusal from the operating system or the database) is described in
one line too, and ``netfolio --debug`` (or ``NETFOLIO_DEBUG=1``) adds the traceback for a
bug report. Nothing from the data reaches the terminal raw (see :mod:`netfolio.cli.terminal`).
"""

from __future__ import annotations

import os
import sqlite3
import sys
import traceback

import typer

from netfolio.cli.terminal import neutralise
from netfolio.errors import NetfolioError

#: The largest integer SQLite and PostgreSQL's bigint hold.
MAX_INT = 2**63 - 1
_LONGEST = 500


def is_click_control(exc: BaseException) -> bool:
    """A usage error, an abort or an exit: click reports these itself (Typer vendors its
    own copy of click, so they are told by name)."""
    return any(c.__name__ in ("ClickException", "Exit", "Abort")
               for c in type(exc).__mro__)


def _shorten(word: str) -> str:
    if len(word) <= 200:
        return word
    return f"{word[:60]}…({len(word):,} characters)…{word[-30:]}"


def one_line(text: str) -> str:
    """``text`` as one visible line: long words (a pasted file, a 60,000-character name)
    shortened to their start and length, the whole cut at a readable length."""
    flat = " ".join(_shorten(w) for w in neutralise(text).split())
    return flat if len(flat) <= _LONGEST else flat[:_LONGEST - 1] + "…"


def describe(exc: BaseException) -> str:
    """One line saying what went wrong, for an exception netfolio did not raise on purpose."""
    if isinstance(exc, NetfolioError):
        return str(exc)
    if isinstance(exc, OSError):
        where = exc.filename if exc.filename not in (None, "") else None
        reason = exc.strerror or str(exc)
        return f"cannot use {where}: {reason}" if where else f"the system refused: {reason}"
    if isinstance(exc, OverflowError) or "too large to convert" in str(exc) \
            or "int too big" in str(exc):
        return f"a number is out of range: ids and counts go up to {MAX_INT:,}"
    if isinstance(exc, RecursionError | MemoryError):
        return f"the input is too large or too deeply nested to handle ({type(exc).__name__})"
    orig = getattr(exc, "orig", None)  # SQLAlchemy wraps the driver's error
    if isinstance(exc, sqlite3.Error):
        orig = exc
    if orig is not None:
        return f"the database refused the request: {orig}"
    detail = f": {exc}" if str(exc) else ""
    return (f"unexpected {type(exc).__name__}{detail} (run again with --debug for the "
            "traceback, to report it)")


def debugging(obj: object) -> bool:
    return bool(getattr(obj, "debug", False)) or os.environ.get("NETFOLIO_DEBUG", "") not in (
        "", "0")


def fail(exc: BaseException, *, debug: bool) -> typer.Exit:
    """Print ``exc`` as one line (and its traceback with ``debug``); the exit to raise."""
    if debug:
        traceback.print_exception(exc, file=sys.stderr)
    typer.echo(f"Error: {one_line(describe(exc))}", err=True)
    return typer.Exit(1)
