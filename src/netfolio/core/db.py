"""Opening the ledger: engines, sessions and migrations.

A new database is created at the head revision by running every migration; an older one
is upgraded on first use, after a copy of its file is kept as a backup (SQLite). SQLite runs
with WAL, foreign keys on and a busy timeout, so the CLI and a running web server can
share one file.

Writers wait, they do not fail: on SQLite a session that may write begins with
``BEGIN IMMEDIATE``, which takes the write lock up front and so waits (up to the busy
timeout) for another writer to finish. A deferred ``BEGIN`` that reads and then writes
cannot wait: SQLite refuses its upgrade to a write lock at once (``SQLITE_BUSY``, whatever
the timeout) when another connection wrote meanwhile. Sessions known to only read
(:func:`reading`, ``Database.session(write=False)``) begin deferred and never wait for a
writer under WAL. A write still locked out after the timeout (a long import holds the lock
for its whole transaction) is a :class:`~netfolio.errors.BusyError`: one clear line on the
CLI, 503 with ``Retry-After`` on the web.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from netfolio.config import is_sqlite, sqlite_path
from netfolio.errors import BusyError, DatabaseError
from netfolio.migrations import HEAD

BUSY_TIMEOUT_MS = 10_000

#: True while the current thread's sessions only read (they begin deferred on SQLite).
_read_only: ContextVar[bool] = ContextVar("netfolio_read_only", default=False)


@contextmanager
def reading() -> Iterator[None]:
    """Sessions opened inside this block only read: on SQLite they begin deferred, so a
    long write elsewhere (an import) never makes them wait."""
    token = _read_only.set(True)
    try:
        yield
    finally:
        _read_only.reset(token)


def _begin_sqlite(conn: Any) -> None:
    conn.exec_driver_sql("BEGIN" if _read_only.get() else "BEGIN IMMEDIATE")


def is_locked(exc: BaseException) -> bool:
    """True for SQLite's "database is locked" / "busy" (another connection holds the lock)."""
    orig = getattr(exc, "orig", exc)
    if not isinstance(orig, sqlite3.OperationalError):
        return False
    message = str(orig).lower()
    return "locked" in message or "busy" in message


def busy_error(exc: BaseException) -> BusyError:
    return BusyError(
        f"the ledger is busy: another netfolio program (an import?) held its write lock for "
        f"over {BUSY_TIMEOUT_MS // 1000} s; nothing was written, try again in a moment"
    )


def _unicode_lower(value: Any) -> Any:
    return value.lower() if isinstance(value, str) else value


def _sqlite_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
    # Let SQLAlchemy's BEGIN start each transaction (pysqlite would otherwise defer it),
    # so DDL in migrations is transactional too.
    dbapi_conn.isolation_level = None
    # SQLite's own lower() folds ASCII only: "ÜNÏCODE" must match "ünïcode" as on PostgreSQL.
    dbapi_conn.create_function("lower", 1, _unicode_lower, deterministic=True)
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def make_engine(url: str) -> Engine:
    """An engine for ``url`` with netfolio's connection settings."""
    from netfolio.core.generation import watch_writes

    try:
        if is_sqlite(url):
            engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
            event.listen(engine, "connect", _sqlite_connect)
            event.listen(engine, "begin", _begin_sqlite)
        else:
            engine = create_engine(url, pool_pre_ping=True)
        watch_writes(engine)  # every transaction that writes moves the ledger's generation
        return engine
    except (SQLAlchemyError, ImportError) as exc:
        raise DatabaseError(f"cannot use database {url!r}: {exc}") from exc


def advance_sequence_sql(table: str) -> str:
    """SQL moving ``table``'s id sequence past the ids written with explicit values, never
    back (under row-level security ``max(id)`` sees only the acting user's rows)."""
    seq = f"pg_get_serial_sequence('\"{table}\"', 'id')"
    return (
        f"SELECT setval({seq}, GREATEST((SELECT COALESCE(MAX(id), 0) FROM \"{table}\"),"
        f" COALESCE(pg_sequence_last_value({seq}::regclass), 0)) + 1, false)"
    )


def _alembic_config(connection: Any) -> Any:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", "netfolio:migrations")
    cfg.attributes["connection"] = connection
    return cfg


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at, or None for a new (empty) database."""
    with reading(), engine.connect() as conn:
        try:
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        except (OperationalError, SQLAlchemyError):
            conn.rollback()
            if inspect(conn).get_table_names():
                raise DatabaseError(
                    "this database has tables but no netfolio revision: is it a netfolio ledger?"
                ) from None
            return None


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Run the migrations up to ``revision`` (the newest by default).

    On SQLite, foreign keys are off while the migrations run (a revision that rebuilds a
    table would otherwise cascade the old table's deletion into its children) and checked
    before the transaction commits.
    """
    from alembic import command

    with engine.connect() as conn:
        sqlite = conn.dialect.name == "sqlite"
        raw = conn.connection.dbapi_connection
        if sqlite:
            assert raw is not None
            raw.execute("PRAGMA foreign_keys=OFF")  # outside any transaction: it applies
        try:
            with conn.begin():
                command.upgrade(_alembic_config(conn), revision)
                if sqlite:
                    broken = conn.exec_driver_sql("PRAGMA foreign_key_check").first()
                    if broken is not None:
                        raise DatabaseError(f"the upgrade broke a foreign key: {tuple(broken)}")
        finally:
            if sqlite:
                assert raw is not None
                raw.execute("PRAGMA foreign_keys=ON")


def backup_file(path: Path, tag: str) -> Path:
    """Copy a SQLite file (with SQLite's online backup, so a WAL is included) beside itself."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.{tag}-{stamp}.bak")
    src = sqlite3.connect(path)
    try:
        dst = sqlite3.connect(target)
        with dst:
            src.backup(dst)
        dst.close()
    finally:
        src.close()
    return target


def ensure_current(engine: Engine, url: str) -> Path | None:
    """Bring the database to the head revision; returns the backup made, if any.

    A new database is created by running all migrations; an existing SQLite file at an
    older revision is first copied to ``<file>.pre-<rev>-<time>.bak``.
    """
    try:
        rev = current_revision(engine)
    except SQLAlchemyError as exc:
        reason = getattr(exc, "orig", None) or exc
        raise DatabaseError(f"cannot open the database {url}: {reason}") from exc
    if rev == HEAD:
        return None
    backup = None
    path = sqlite_path(url)
    if rev is not None and path is not None and path.exists():
        backup = backup_file(path, f"pre-{HEAD}")
    try:
        upgrade(engine)
    except SQLAlchemyError as exc:
        raise DatabaseError(f"cannot upgrade the database: {exc}") from exc
    from netfolio.core import fields as field_service
    from netfolio.core.planner_stats import analyze

    with session_scope(_session_factory(engine, ME)) as session:
        field_service.sync_taxonomy(db_session=session)
        # the commit fills the statistics a new revision marked stale; fresh planner
        # statistics for the upgraded tables (a new ledger's empty tables would mislead)
        if engine.dialect.name == "sqlite" and rev is not None:
            analyze(session.connection().connection.dbapi_connection)
    return backup


#: The personal ledger's own user (created by migration 0004); owner of every row on SQLite.
ME = 1


def _scope_to_acting_user(session: Session, _transaction: Any, connection: Any) -> None:
    """Name the session's acting user to PostgreSQL for this transaction, so that column
    defaults fill ``owner_id`` and the row-level security policies apply to it."""
    user_id = session.info.get("user_id")
    if user_id is not None and connection.dialect.name == "postgresql":
        connection.exec_driver_sql(
            "SELECT set_config('netfolio.user_id', %(u)s, true)", {"u": str(user_id)}
        )


def _owner_criteria(state: Any) -> None:
    """Scope every ORM query, update and delete of a session to its acting user's rows.

    This is the service layer's own isolation; on PostgreSQL the row-level security
    policies enforce the same below it, for the plain SQL paths as well.
    """
    user_id = state.session.info.get("user_id")
    if user_id is None or not (state.is_select or state.is_update or state.is_delete):
        return
    from sqlalchemy.orm import with_loader_criteria

    from netfolio.core.models import Owned

    state.statement = state.statement.options(
        with_loader_criteria(Owned, lambda cls: cls.owner_id == user_id, include_aliases=True)
    )


def _refresh_person_stats(session: Session) -> None:
    """Before a writing session commits, recompute the per-person statistics its writes
    marked stale (:mod:`netfolio.core.person_stats`), in the same transaction."""
    if _read_only.get():
        return
    session.flush()
    conn = session.connection()
    info = conn.connection.info
    if not info.get("person_stats"):
        from sqlalchemy import inspect

        if not inspect(conn).has_table("person_stats"):
            return  # a ledger not yet at revision 0009
        info["person_stats"] = True
    from netfolio.core.person_stats import refresh_stale

    refresh_stale(conn.connection.dbapi_connection)


event.listen(Session, "after_begin", _scope_to_acting_user)
event.listen(Session, "do_orm_execute", _owner_criteria)
event.listen(Session, "before_commit", _refresh_person_stats)


@dataclass
class Database:
    """An open ledger as one user sees it: its URL, engine and session factory.

    Every session acts for ``user_id`` (see :meth:`for_user`); a personal ledger has the one
    user :data:`ME`.
    """

    url: str
    engine: Engine
    sessions: sessionmaker[Session]
    user_id: int = ME

    @contextmanager
    def session(self, *, write: bool = True) -> Iterator[Session]:
        """A session in one transaction: committed on success, rolled back on any error.

        ``write=False`` for a session that only reads (it then never waits for a writer on
        SQLite); a read-only session that writes still works, but may be refused as busy.
        """
        if write:
            with session_scope(self.sessions) as s:
                yield s
        else:
            with reading(), session_scope(self.sessions) as s:
                yield s

    def for_user(self, user_id: int) -> Database:
        """The same ledger (and engine) acting for another user."""
        return Database(self.url, self.engine, _session_factory(self.engine, user_id), user_id)

    @property
    def postgres(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    def close(self) -> None:
        self.engine.dispose()


def _session_factory(engine: Engine, user_id: int) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False, info={"user_id": user_id})


@contextmanager
def session_scope(factory: sessionmaker[Session]) -> Iterator[Session]:
    session = factory()
    try:
        yield session
        session.commit()
    except OperationalError as exc:
        session.rollback()
        if is_locked(exc):
            raise busy_error(exc) from exc
        raise
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def open_database(url: str, *, migrate: bool = True) -> Database:
    """Open (and, unless ``migrate`` is False, create or upgrade) the ledger at ``url``."""
    path = sqlite_path(url)
    if path is not None and not path.parent.exists():
        raise DatabaseError(f"the folder {path.parent} does not exist")
    engine = make_engine(url)
    if migrate:
        ensure_current(engine, url)
    return Database(url=url, engine=engine, sessions=_session_factory(engine, ME))
