"""Shared fixtures: a real ledger per test, on SQLite (default) or PostgreSQL.

Each test gets its own SQLite file, copied from one migrated template for speed. With
``--db-url postgresql+psycopg://USER@HOST/DB`` (or ``NETFOLIO_TEST_PG_URL``) the same tests
run against PostgreSQL: a template database is migrated once and each test gets a fresh
``CREATE DATABASE ... TEMPLATE`` copy of it.
"""

from __future__ import annotations

import itertools
import os
import shutil
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

PG_ENV = "NETFOLIO_TEST_PG_URL"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--db-url", default=os.environ.get(PG_ENV),
        help="Run the ledger tests against this PostgreSQL URL instead of SQLite files.",
    )


@pytest.fixture(autouse=True)
def _isolate_user_dirs(tmp_path_factory: pytest.TempPathFactory,
                       monkeypatch: pytest.MonkeyPatch) -> None:
    """No test touches the real user's data directory or NETFOLIO_DB."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("NETFOLIO_DB", raising=False)
    monkeypatch.delenv("NETFOLIO_USER", raising=False)


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from netfolio.core.db import open_database, reading

    path = tmp_path_factory.mktemp("template") / "template.db"
    db = open_database(f"sqlite:///{path}")
    with reading(), db.engine.connect() as conn:  # a checkpoint cannot run in a write txn
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return path


class _PgDatabases:
    """Creates a migrated template database once, then one copy per test."""

    def __init__(self, url: str) -> None:
        from sqlalchemy import create_engine
        from sqlalchemy.engine import make_url

        self.base = make_url(url)
        self.admin = create_engine(self.base, isolation_level="AUTOCOMMIT")
        self.template = f"nf_tpl_{uuid.uuid4().hex[:8]}"
        self.counter = itertools.count()
        self.created: list[str] = []
        with self.admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{self.template}"')
        from netfolio.core.db import open_database

        db = open_database(self.url_for(self.template))
        db.close()

    def url_for(self, name: str) -> str:
        return self.base.set(database=name).render_as_string(hide_password=False)

    def fresh(self) -> str:
        name = f"{self.template}_{next(self.counter)}"
        with self.admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}" TEMPLATE "{self.template}"')
        self.created.append(name)
        return self.url_for(name)

    def drop(self, name_url: str) -> None:
        from sqlalchemy.engine import make_url
        from sqlalchemy.exc import ProgrammingError

        name = make_url(name_url).database
        for attempt in range(20):
            try:
                with self.admin.connect() as conn:
                    conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                    self.drop_member_roles(conn, str(name))
                return
            except ProgrammingError:
                # An autovacuum worker (the server's own role, which an ordinary role may
                # not terminate) is analysing the test's tables: it is done in a moment.
                time.sleep(0.25 * (attempt + 1))

    @staticmethod
    def drop_member_roles(conn: Any, database: str) -> None:
        """Members' own roles (``<database>_<username>``, netfolio.core.roles) outlive
        their database: drop them with it."""
        roles = conn.exec_driver_sql(
            "SELECT rolname FROM pg_roles WHERE starts_with(rolname, %s)", (database + "_",)
        ).scalars().all()
        for role in roles:
            conn.exec_driver_sql(f'DROP ROLE IF EXISTS "{role}"')

    def close(self) -> None:
        with self.admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{self.template}" WITH (FORCE)')
        self.admin.dispose()


@pytest.fixture(scope="session")
def _pg(request: pytest.FixtureRequest) -> Iterator[_PgDatabases | None]:
    url = request.config.getoption("--db-url")
    if not url:
        yield None
        return
    dbs = _PgDatabases(url)
    yield dbs
    dbs.close()


@pytest.fixture
def db_url(request: pytest.FixtureRequest, tmp_path: Path,
           _sqlite_template: Path, _pg: _PgDatabases | None) -> Iterator[str]:
    """A URL of a fresh, migrated ledger for this test."""
    if _pg is not None:
        url = _pg.fresh()
        yield url
        _pg.drop(url)
        return
    path = tmp_path / "ledger.db"
    shutil.copyfile(_sqlite_template, path)
    yield f"sqlite:///{path}"


@pytest.fixture
def sqlite_url(tmp_path: Path, _sqlite_template: Path) -> str:
    """A fresh SQLite ledger, for tests about the file itself (WAL, backups, the CLI)."""
    path = tmp_path / "ledger.db"
    shutil.copyfile(_sqlite_template, path)
    return f"sqlite:///{path}"


@pytest.fixture
def net(db_url: str) -> Iterator[object]:
    from netfolio.network import Network

    network = Network(db_url)
    yield network
    network.close()


@pytest.fixture
def pg_url(_pg: _PgDatabases | None) -> Iterator[str]:
    """A fresh PostgreSQL ledger (team mode needs one); skips on SQLite-only runs."""
    if _pg is None:
        pytest.skip("team mode runs on PostgreSQL: pass --db-url or set NETFOLIO_TEST_PG_URL")
    url = _pg.fresh()
    yield url
    _pg.drop(url)


@dataclass
class TeamLedger:
    """A team database with two members, ``ana`` and ``bob``, each with a network."""

    url: str
    ana: Any
    bob: Any
    passwords: dict[str, str]


@pytest.fixture
def team(pg_url: str) -> Iterator[TeamLedger]:
    """Two members on one PostgreSQL database: Ana shares Jane Roe (Stripe) and keeps a
    private note about her; Bob keeps Sam Poe (Stripe) private."""
    from netfolio.network import Network

    admin = Network(pg_url)
    passwords = {"ana": "ana-password-1", "bob": "bob-password-1"}
    admin.team.add_user("ana", passwords["ana"], "Ana Núñez")
    admin.team.add_user("bob", passwords["bob"], "Bob Li")
    admin.close()
    ana, bob = Network(pg_url, user="ana"), Network(pg_url, user="bob")
    ana.add("Jane Roe", organisation="Stripe, Inc.", title="Staff Engineer",
            emails=["jane@stripe.example"], notes="Ana's private note")
    ana.log(["Jane Roe"], when="300 days ago", intent="catch_up", channel="call",
            note="Ana's private interaction")
    ana.team.share(person="Jane Roe")
    bob.add("Sam Poe", organisation="Stripe", title="Product Manager",
            emails=["sam@stripe.example"], notes="Bob's private note")
    yield TeamLedger(pg_url, ana, bob, passwords)
    ana.close()
    bob.close()
