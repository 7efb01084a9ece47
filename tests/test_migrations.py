"""The models and the shipped migrations agree, and opening a ledger creates or upgrades it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from netfolio.core.db import current_revision, make_engine, open_database
from netfolio.core.models import Base
from netfolio.errors import DatabaseError, ValidationError
from netfolio.migrations import HEAD


def test_head_constant_matches_the_scripts() -> None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    cfg = Config()
    cfg.set_main_option("script_location", "netfolio:migrations")
    assert ScriptDirectory.from_config(cfg).get_heads() == [HEAD]


def test_models_and_migrations_agree(db_url: str) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from netfolio.core.search import is_search_table

    engine = make_engine(db_url)
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={
            "compare_type": True,
            "include_name": lambda name, kind, _: not (kind == "table" and is_search_table(name)),
        })
        diff = compare_metadata(ctx, Base.metadata)
    engine.dispose()
    assert diff == []


def test_new_file_is_created_at_head_with_wal_and_fields(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    db = open_database(f"sqlite:///{path}")
    assert current_revision(db.engine) == HEAD
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
        assert conn.execute(text("SELECT count(*) FROM field")).scalar() >= 30
    db.close()


def test_old_revision_is_upgraded_after_a_backup(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    db = open_database(f"sqlite:///{path}")
    db.close()
    # Pretend the file is at an older revision: opening it must back it up, then upgrade.
    con = sqlite3.connect(path)
    con.execute("UPDATE alembic_version SET version_num = 'base-test'")
    con.commit()
    con.close()
    from netfolio.core import db as db_module

    calls: list[str] = []
    original = db_module.upgrade
    db_module.upgrade = lambda engine, revision="head": calls.append(revision) or _stamp(engine)
    try:
        reopened = open_database(f"sqlite:///{path}")
    finally:
        db_module.upgrade = original
    reopened.close()
    backups = list(tmp_path.glob("old.db.pre-*.bak"))
    assert calls == ["head"] and len(backups) == 1
    con = sqlite3.connect(backups[0])
    assert con.execute("SELECT version_num FROM alembic_version").fetchone() == ("base-test",)
    con.close()


def _stamp(engine: object) -> None:
    with engine.begin() as conn:  # type: ignore[attr-defined]
        conn.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": HEAD})


def test_foreign_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE stuff (x)")
    con.close()
    with pytest.raises(DatabaseError, match="no netfolio revision"):
        open_database(f"sqlite:///{path}")


def test_garbage_file_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "garbage.db"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(DatabaseError):
        open_database(f"sqlite:///{path}")


def _ledger_at_0003(url: str) -> None:
    """A ledger at revision 0003 (before users) with a person, their email, an interaction
    and settings, written as that revision's tables hold them."""
    from netfolio.core.db import upgrade

    engine = make_engine(url)
    upgrade(engine, "0003")
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO person (id, display_name, name_key, linkedin_url, source, fact_sources,"
            " created_at, updated_at) VALUES (7, 'Ana', 'ana', 'https://www.linkedin.com/in/ana',"
            " 'cli', '{}', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"))
        conn.execute(text("INSERT INTO person_email (person_id, email, source) "
                          "VALUES (7, 'ana@example.org', 'cli')"))
        conn.execute(text(
            "INSERT INTO interaction (id, at, utc_offset, date_only, channel, initiator, intent,"
            " intent_inferred, source, source_key, created_at) VALUES (3, 1700000000, 60, false,"
            " 1, 0, 0, false, 'ics', 'uid-1', CURRENT_TIMESTAMP)"))
        conn.execute(text("INSERT INTO interaction_person VALUES (3, 7)"))
        conn.execute(text("INSERT INTO setting (key, value) VALUES ('name', '\"Me\"')"))
        conn.execute(text("INSERT INTO setting (key, value) "
                          "VALUES ('web_session_secret', '\"s3cret\"')"))
    engine.dispose()


def test_upgrading_to_users_keeps_every_row_as_the_ledgers_own(tmp_path: Path) -> None:
    """0004 rebuilds tables on SQLite: no row may be lost to a cascade, every row goes to
    user 1, and identity keys become unique per user."""
    url = f"sqlite:///{tmp_path / 'v3.db'}"
    _ledger_at_0003(url)
    db = open_database(url)
    assert current_revision(db.engine) == HEAD
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []
        for table in ("person", "person_email", "interaction", "interaction_person", "setting"):
            owners = conn.execute(text(f"SELECT owner_id FROM {table}")).scalars().all()
            assert owners and set(owners) == {1}, table
        assert conn.execute(text("SELECT username FROM app_user")).scalars().all() == ["me"]
        # the web server's secret is the ledger's, not its user's (never in their exports)
        assert conn.execute(text("SELECT key FROM setting")).scalars().all() == ["name"]
        server = dict(conn.execute(text("SELECT key, value FROM server_setting")).all())
        assert set(server) == {"taxonomy_version", "web_session_secret"}
    db.close()
    from netfolio.network import Network

    net = Network(url)
    ledger = net.ledger(7)
    assert ledger.person.emails == ["ana@example.org"]
    assert [i.id for i in ledger.interactions] == [3]
    assert net.me().name == "Me"
    with pytest.raises(ValidationError, match=r"ana@example\.org"):
        net.add("Other Ana", emails=["ana@example.org"])
    net.close()
