"""The ledger's generation: a number that moves with every committed write, per owner.

A server keeps the measures in memory and must know, in a fraction of a millisecond per
request, whether the ledger changed since it computed them, whoever wrote: its own pages,
the CLI in another process, an import, a sync, another member's server on the same
PostgreSQL database. The size and time of a SQLite file miss writes within the same
second and tell nothing on PostgreSQL; SQLite's ``PRAGMA data_version`` sees only the
commits of other connections, and PostgreSQL has no per-user equivalent.

So ``ledger_generation`` (migration 0010) holds a counter per owner, and every transaction
that wrote moves its owner's counter by one, just before it commits (in the same
transaction, so a reader never sees the write without the new number, nor the reverse):

- :func:`watch_writes` listens on an engine: any ``INSERT``, ``UPDATE`` or ``DELETE`` (ORM
  flush, Core statement or ``exec_driver_sql``: every write path of netfolio goes through one)
  marks its connection, and the connection's commit adds the bump;
- writes to the server's own tables (web sessions, API tokens, server settings, accounts)
  do not count: they change no figure;
- on PostgreSQL the counter moved is the acting user's (``netfolio_acting_user()``), so a
  member's write never invalidates another member's measures; on SQLite (a personal
  ledger) there is one counter.

:func:`generation` reads it (one indexed row; on PostgreSQL row-level security shows each
member their own).
"""

from __future__ import annotations

import re
import sqlite3
from typing import Any

from sqlalchemy import Engine, event

TABLE = "ledger_generation"
#: Tables whose writes change nothing the measures or the pages read.
QUIET = frozenset({TABLE, "web_session", "api_token", "server_setting", "app_user",
                   "member_role", "alembic_version"})
_MARK = "netfolio_wrote"
_WRITE = re.compile(
    r"\s*(?:insert\s+(?:or\s+\w+\s+)?into|replace\s+into|update(?:\s+or\s+\w+)?|"
    r"delete\s+from)\s+(?:\w+\.)?\"?(\w+)\"?", re.IGNORECASE)

#: SQLite: the one counter of a personal ledger (owner 1, the ledger's user).
SQLITE_BUMP = (f"INSERT INTO {TABLE} (owner_id, generation) VALUES (1, 1) "
               f"ON CONFLICT (owner_id) DO UPDATE SET generation = generation + 1")
#: PostgreSQL: the acting user's counter, when the table exists (not during the migrations
#: before 0010) and someone acts (a server-wide write moves no member's figures).
POSTGRES_BUMP = f"""DO $$ BEGIN
  IF to_regclass('{TABLE}') IS NOT NULL THEN
    IF netfolio_acting_user() IS NOT NULL THEN
      INSERT INTO {TABLE} (owner_id, generation) VALUES (netfolio_acting_user(), 1)
      ON CONFLICT (owner_id) DO UPDATE SET generation = {TABLE}.generation + 1;
    END IF;
  END IF;
END $$"""
READ = f"SELECT coalesce(sum(generation), 0) FROM {TABLE}"


def written_table(statement: str) -> str | None:
    """The table an ``INSERT``/``UPDATE``/``DELETE`` statement writes to, else None.

    >>> written_table('INSERT INTO "person" (id) VALUES (?)')
    'person'
    >>> written_table("SELECT 1") is None
    True
    """
    found = _WRITE.match(statement)
    return found.group(1).lower() if found else None


def _noticed(conn: Any, _cursor: Any, statement: str, _parameters: Any, _context: Any,
             _executemany: bool) -> None:
    if _MARK in conn.info:
        return
    table = written_table(statement)
    if table is not None and table not in QUIET:
        conn.info[_MARK] = True


def wrote(conn: Any, statement: str | None = None) -> None:
    """Note that ``conn`` (a SQLAlchemy connection) wrote, for a path that writes through its
    DB-API cursor, past the engine's events (``statement``: only if it writes)."""
    if statement is None:
        conn.info[_MARK] = True
    else:
        _noticed(conn, None, statement, None, None, False)


def _committing(conn: Any) -> None:
    if not conn.info.pop(_MARK, False):
        return
    bump_raw(conn.connection.dbapi_connection, postgres=conn.dialect.name == "postgresql")


def _rolled_back(conn: Any) -> None:
    conn.info.pop(_MARK, None)


def bump_raw(dbapi_connection: Any, *, postgres: bool) -> None:
    """Move the generation inside the open transaction of a DB-API connection (for a path
    that writes without SQLAlchemy: call it just before its commit)."""
    cursor = dbapi_connection.cursor()
    try:
        if postgres:
            cursor.execute(POSTGRES_BUMP)
        else:
            try:
                cursor.execute(SQLITE_BUMP)
            except sqlite3.OperationalError as exc:  # before migration 0010: nothing to move
                if "no such table" not in str(exc):
                    raise
    finally:
        cursor.close()


def watch_writes(engine: Engine) -> None:
    """Move the ledger's generation with every transaction on ``engine`` that wrote."""
    if event.contains(engine, "before_cursor_execute", _noticed):
        return
    event.listen(engine, "before_cursor_execute", _noticed)
    event.listen(engine, "commit", _committing)
    event.listen(engine, "rollback", _rolled_back)


def generation(connection: Any) -> int:
    """The generation the acting user sees (a SQLAlchemy connection or session)."""
    value = connection.execute(_read_statement()).scalar()
    return int(value or 0)


def _read_statement() -> Any:
    from sqlalchemy import text

    return text(READ)


__all__ = ["QUIET", "TABLE", "bump_raw", "generation", "watch_writes", "written_table", "wrote"]
