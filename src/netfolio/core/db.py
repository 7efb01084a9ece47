"""Opening the ledger: engines, sessions and migrations.

A new database is created at the head revision by running every migration; an older one
is upgraded on first use, after a copy of its file is kept as a backup (SQLite). SQLite runs
with WAL, foreign keys on and a busy timeout, so the CLI and a running web server can
share one file.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from netfolio.config import is_sqlite, sqlite_path
from netfolio.errors import DatabaseError
from netfolio.migrations import HEAD

BUSY_TIMEOUT_MS = 10_000


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
    try:
        if is_sqlite(url):
            engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
            event.listen(engine, "connect", _sqlite_connect)
            event.listen(engine, "begin", lambda conn: conn.exec_driver_sql("BEGIN"))
            return engine
        return create_engine(url, pool_pre_ping=True)
    except (SQLAlchemyError, ImportError) as exc:
        raise DatabaseError(f"cannot use database {url!r}: {exc}") from exc


def _alembic_config(connection: Any) -> Any:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", "netfolio:migrations")
    cfg.attributes["connection"] = connection
    return cfg


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at, or None for a new (empty) database."""
    with engine.connect() as conn:
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
    """Run the migrations up to ``revision`` (the newest by default)."""
    from alembic import command

    with engine.begin() as conn:
        command.upgrade(_alembic_config(conn), revision)


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

    with session_scope(sessionmaker(engine)) as session:
        field_service.sync_taxonomy(db_session=session)
    return backup


@dataclass
class Database:
    """An open ledger: its URL, engine and session factory."""

    url: str
    engine: Engine
    sessions: sessionmaker[Session]

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session in one transaction: committed on success, rolled back on any error."""
        with session_scope(self.sessions) as s:
            yield s

    def close(self) -> None:
        self.engine.dispose()


@contextmanager
def session_scope(factory: sessionmaker[Session]) -> Iterator[Session]:
    session = factory()
    try:
        yield session
        session.commit()
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
    return Database(url=url, engine=engine, sessions=sessionmaker(engine, expire_on_commit=False))
