"""The lean read path's connection: the ledger through the DB-API driver, without SQLAlchemy.

The daily read commands (list, show, why, plan, portfolio, dormant, goodwill, targets, ask,
search) only read; importing SQLAlchemy and mapping the ORM models costs more than the
reading itself. :func:`open_read` opens the ledger with the driver alone (``sqlite3`` for
SQLite, ``psycopg`` for PostgreSQL) after the same checks :mod:`netfolio.core.db` and
:mod:`netfolio.core.users` make:

- the schema is at :data:`~netfolio.migrations.HEAD` (``alembic_version`` read with plain
  SQL); an older or missing schema returns None, and the caller takes the ORM path, which
  migrates;
- the acting user is resolved as :func:`~netfolio.core.users.resolve_user` does (a member's
  own role, ``--user``, or the ledger's only user); on PostgreSQL ``netfolio.user_id`` is set
  for the connection, so the row-level security policies scope every query as they scope the
  ORM's sessions. Anything the ORM path would refuse with an error (an unknown user, a role
  that bypasses row-level security in a team, a SQLite ledger with several users, whose
  scoping lives in the ORM) returns None too, so that the ORM path gives the same error.

Writes never come here: a SQLite connection is opened with ``PRAGMA query_only``, a
PostgreSQL one reads in ``READ ONLY`` transactions.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from netfolio.config import is_sqlite, sqlite_path
from netfolio.migrations import HEAD

#: How long a read waits for a lock (the same as the ORM's busy timeout).
BUSY_TIMEOUT_MS = 10_000

Params = Sequence[Any] | Mapping[str, Any] | None

#: ``:name`` parameters (not ``::cast``) for psycopg's ``%(name)s``
_NAMED = re.compile(r"(?<![:\w]):([A-Za-z_]\w*)")


def _unicode_lower(value: Any) -> Any:
    return value.lower() if isinstance(value, str) else value


class ReadConnection:
    """One DB-API connection that only reads, acting for ``user_id``.

    SQL is written with ``?`` or ``:name`` parameters (SQLite's styles); on PostgreSQL they
    are rewritten for psycopg.
    """

    def __init__(self, raw: Any, dialect: str, user_id: int) -> None:
        self.raw = raw
        self.dialect = dialect
        self.user_id = user_id
        self._depth = 0

    @property
    def postgres(self) -> bool:
        return self.dialect == "postgresql"

    def _sql(self, sql: str, params: Params) -> str:
        if not self.postgres:
            return sql
        sql = sql.replace("%", "%%")
        if isinstance(params, Mapping):
            return _NAMED.sub(r"%(\1)s", sql)
        return sql.replace("?", "%s")

    def cursor(self, sql: str, params: Params = None) -> Any:
        """A cursor over the rows of ``sql`` (close it when done)."""
        cur = self.raw.cursor()
        if params is None:
            cur.execute(self._sql(sql, params))
        else:
            cur.execute(self._sql(sql, params), params)
        return cur

    def rows(self, sql: str, params: Params = None) -> list[tuple[Any, ...]]:
        cur = self.cursor(sql, params)
        try:
            return [tuple(r) for r in cur.fetchall()]
        finally:
            cur.close()

    def scalar(self, sql: str, params: Params = None) -> Any:
        found = self.rows(sql, params)
        return found[0][0] if found else None

    @contextmanager
    def transaction(self) -> Iterator[ReadConnection]:
        """One consistent view of the ledger for the reads inside (nested blocks share it)."""
        if self._depth:
            self._depth += 1
            try:
                yield self
            finally:
                self._depth -= 1
            return
        self.raw.cursor().execute("BEGIN READ ONLY" if self.postgres else "BEGIN")
        self._depth = 1
        try:
            yield self
        finally:
            self._depth = 0
            self.raw.cursor().execute("COMMIT")

    def close(self) -> None:
        self.raw.close()


def _libpq_url(url: str) -> str:
    """A SQLAlchemy URL (``postgresql+psycopg://...``) as libpq reads it."""
    scheme, rest = url.split("://", 1)
    return "postgresql://" + rest if scheme.startswith("postgres") else url


def _connect_sqlite(url: str) -> Any | None:
    path = sqlite_path(url)
    if path is None or "?" in url or not path.is_file():
        return None  # in memory, URL options, or nothing there: the ORM path decides
    raw = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                          check_same_thread=False)
    raw.create_function("lower", 1, _unicode_lower, deterministic=True)
    raw.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    raw.execute("PRAGMA query_only=ON")
    return raw


def _connect_postgres(url: str) -> Any | None:
    try:
        import psycopg
    except ImportError:  # pragma: no cover - the ORM path names the missing driver
        return None
    try:
        return psycopg.connect(_libpq_url(url), autocommit=True)
    except psycopg.Error:
        return None  # the ORM path reports a connection failure in its own words


def _at_head(conn: ReadConnection) -> bool:
    try:
        return bool(conn.scalar("SELECT version_num FROM alembic_version") == HEAD)
    except Exception:  # no such table: a new or foreign database, which the ORM path handles
        return False


def _acting_user(conn: ReadConnection, user: str | int | None) -> int | None:
    """The user the reads act for, as :func:`netfolio.core.users.resolve_user` finds it;
    None wherever that function would raise (the ORM path then raises it)."""
    member = None
    if conn.postgres:
        value = conn.scalar("SELECT user_id FROM member_role WHERE role_name = current_user::text")
        member = None if value is None else int(value)
    if isinstance(user, int):
        wanted: int | None = user
    elif user:
        wanted = conn.scalar("SELECT id FROM app_user WHERE username = ?", (user,))
        if wanted is None:
            return None
    else:
        wanted = None
    if member is not None:
        return member if wanted in (None, member) else None
    users = [r[0] for r in conn.rows("SELECT id FROM app_user ORDER BY id LIMIT 2")]
    if not conn.postgres and len(users) != 1:
        return None  # on SQLite the ORM's owner criteria scope several users: leave it that
    if wanted is not None:
        return int(wanted)
    return int(users[0]) if len(users) == 1 else None


def _escapes_isolation(conn: ReadConnection) -> bool:
    """A role past row-level security in a team (:func:`~netfolio.core.users.check_isolation`
    refuses it)."""
    bypass = conn.scalar("SELECT rolsuper OR rolbypassrls FROM pg_roles "
                         "WHERE rolname = current_user")
    if not bypass:
        return False
    team = conn.scalar("SELECT 1 FROM member_role WHERE role_name = current_user::text") or \
        conn.scalar("SELECT 1 FROM app_user WHERE password_hash IS NOT NULL LIMIT 1")
    return bool(team)


def open_read(url: str, user: str | int | None = None) -> ReadConnection | None:
    """The ledger at ``url`` for reading through the DB-API, acting for ``user``; None when
    the ORM path must open it instead (see the module's docstring)."""
    raw = _connect_sqlite(url) if is_sqlite(url) else _connect_postgres(url)
    if raw is None:
        return None
    conn = ReadConnection(raw, "sqlite" if is_sqlite(url) else "postgresql", 0)
    try:
        if not _at_head(conn):
            conn.close()
            return None
        user_id = _acting_user(conn, user)
        if user_id is None or (conn.postgres and _escapes_isolation(conn)):
            conn.close()
            return None
        conn.user_id = user_id
        if conn.postgres:
            conn.scalar("SELECT set_config('netfolio.user_id', ?, false)", (str(user_id),))
    except Exception:
        conn.close()
        return None
    return conn


__all__ = ["ReadConnection", "open_read"]
