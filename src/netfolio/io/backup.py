"""Backup and restore: SQLite's online backup of the file, or the JSON ledger (any database).

``backup(FILE)`` copies a SQLite ledger with SQLite's online backup API (consistent while the
web app is running, WAL included); a FILE ending in ``.json`` (and any PostgreSQL ledger)
gets the JSON ledger instead. A backup never overwrites a file.

``restore(FILE)`` goes into an empty ledger; with ``replace`` it replaces the ledger's
contents, after keeping a copy of the current SQLite file beside it
(``<file>.pre-restore-<time>.bak``). A SQLite backup is checked first: it must be a sound
SQLite file holding a netfolio ledger of a revision this netfolio knows; an older one is
upgraded after it is restored.
"""

from __future__ import annotations

import json
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import delete, func, select
from sqlalchemy.exc import DataError, IntegrityError
from sqlalchemy.orm import Session

from netfolio.config import sqlite_path
from netfolio.core.db import Database, backup_file, open_database
from netfolio.core.models import Ask, Field, ImportRun, Interaction, Person, Setting
from netfolio.core.owned import ledger_tables
from netfolio.core.planner_stats import analyze
from netfolio.core.shapes import Plain
from netfolio.errors import ImportError_, ValidationError
from netfolio.io.export import ExportInfo, export_ledger
from netfolio.io.export.ledger_json import INTERNAL_SETTINGS, is_ledger, read_ledger

SQLITE_MAGIC = b"SQLite format 3\x00"
#: The largest JSON ledger restored (it is read whole).
MAX_JSON_BYTES = 2 * 1024**3


@dataclass
class RestoreInfo(Plain):
    """What a restore did."""

    path: str
    format: str
    people: int
    replaced: bool
    #: the copy of the ledger kept before it was replaced, if any
    kept: str | None = None


def backup(database: Database, path: Path) -> ExportInfo:
    """Copy the ledger to ``path`` (see the module docstring)."""
    if path.exists():
        raise ValidationError(f"{path} exists already: a backup never overwrites, pick a new name")
    source = sqlite_path(database.url)
    if path.suffix.lower() == ".json" or source is None:
        if path.suffix.lower() != ".json":
            raise ValidationError(
                "this ledger is not a SQLite file: it is backed up as a JSON ledger; "
                "name a FILE ending in .json"
            )
        with database.session(write=False) as s:
            return export_ledger(db_session=s, format="json", path=path)
    if not path.parent.exists():
        raise ValidationError(f"the folder {path.parent} does not exist")
    tmp = path.with_name(f".{path.name}.part")  # one name: a killed backup's is replaced
    src = sqlite3.connect(source)
    try:
        tmp.unlink(missing_ok=True)
        dst = sqlite3.connect(tmp)
        try:
            with dst:
                src.backup(dst)
            people = dst.execute("SELECT count(*) FROM person").fetchone()[0]
        finally:
            dst.close()
        os.replace(tmp, path)
    except (sqlite3.Error, OSError) as exc:
        tmp.unlink(missing_ok=True)
        raise ValidationError(f"cannot write the backup {path}: {exc}") from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    finally:
        src.close()
    return ExportInfo("sqlite", str(path), path.stat().st_size, people=people)


def restore(database: Database, path: Path, *, replace: bool = False) -> RestoreInfo:
    """Restore ``path`` (a SQLite backup or a JSON ledger) into the ledger."""
    if not path.is_file():
        raise ValidationError(f"{path}: no such file")
    with path.open("rb") as f:
        head = f.read(len(SQLITE_MAGIC))
    if head == SQLITE_MAGIC:
        return _restore_sqlite(database, path, replace)
    if head.lstrip()[:1] == b"{":
        return _restore_json(database, path, replace)
    raise ValidationError(
        f"{path.name} is not a netfolio backup: neither a SQLite ledger nor a JSON ledger"
    )


def _count(s: Session) -> int:
    return s.execute(select(func.count(Person.id))).scalar_one()


def _is_empty(s: Session) -> bool:
    return all(
        s.execute(select(model.id).limit(1)).first() is None
        for model in (Person, Interaction, Ask)
    )


def _keep_copy(database: Database) -> str | None:
    path = sqlite_path(database.url)
    if path is None or not path.exists():
        return None
    return str(backup_file(path, "pre-restore"))


def _wipe(s: Session) -> None:
    """Delete the ledger's contents: every table of the ledger file, children first
    (:func:`netfolio.core.owned.ledger_tables`), and the import history, whose undo would
    refer to them; not the shipped fields or internal settings."""
    for table in reversed(ledger_tables()):
        if table.name == Setting.__tablename__:
            s.execute(delete(Setting).where(Setting.key.not_in(INTERNAL_SETTINGS)))
        else:
            s.execute(delete(table))
    s.execute(delete(ImportRun))
    s.execute(delete(Field).where(Field.custom.is_(True)))


def _restore_json(database: Database, path: Path, replace: bool) -> RestoreInfo:
    if path.stat().st_size > MAX_JSON_BYTES:
        raise ValidationError(f"{path.name} is larger than 2 GB")
    try:
        with path.open(encoding="utf-8") as f:
            data = json.load(f)
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:  # ValueError: JSON, and
        # integers past Python's 4,300-digit limit
        raise ImportError_(f"not a readable JSON ledger ({exc})", file=path.name) from None
    if not is_ledger(data):
        raise ImportError_("not a netfolio JSON ledger", file=path.name)
    kept = None
    with database.session() as s:
        if not _is_empty(s):
            if not replace:
                raise ValidationError(
                    f"the ledger holds {_count(s)} people: restore into an empty ledger "
                    "(--db NEW), or replace it with --replace"
                )
            kept = _keep_copy(database)
            _wipe(s)
        try:
            counts = read_ledger(db_session=s, data=data, name=path.name)
            s.flush()  # nothing is written on an error: the session rolls back
            analyze(s.connection().connection.dbapi_connection)
        except (KeyError, TypeError, ValueError, OverflowError, IntegrityError, DataError,
                sqlite3.IntegrityError, sqlite3.DataError) as exc:
            reason = getattr(exc, "orig", None) or exc
            raise ImportError_(f"not a sound netfolio JSON ledger: {type(exc).__name__}: "
                               f"{str(reason)[:200]}", file=path.name) from None
    return RestoreInfo(str(path), "json", counts["people"], replace and kept is not None, kept)


def check_sqlite_backup(path: Path) -> int:
    """Check that ``path`` is a sound netfolio ledger this netfolio can read; its people."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise ValidationError(f"{path.name}: cannot open it ({exc})") from None
    try:
        if con.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise ValidationError(f"{path.name} is damaged (SQLite's check failed)")
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if not {"alembic_version", "person", "interaction"} <= tables:
            raise ValidationError(f"{path.name} is a SQLite file but not a netfolio ledger")
        revision = con.execute("SELECT version_num FROM alembic_version").fetchone()
        cfg = Config()
        cfg.set_main_option("script_location", "netfolio:migrations")
        known = {r.revision for r in ScriptDirectory.from_config(cfg).walk_revisions()}
        if revision is None or revision[0] not in known:
            raise ValidationError(
                f"{path.name} was written by a newer netfolio (revision "
                f"{revision[0] if revision else '?'}): upgrade netfolio first"
            )
        people: int = con.execute("SELECT count(*) FROM person").fetchone()[0]
        return people
    except sqlite3.DatabaseError as exc:
        raise ValidationError(f"{path.name} is not a readable SQLite file ({exc})") from None
    finally:
        con.close()


def _restore_sqlite(database: Database, path: Path, replace: bool) -> RestoreInfo:
    people = check_sqlite_backup(path)
    target = sqlite_path(database.url)
    if target is None:
        raise ValidationError(
            "a SQLite backup restores into a SQLite ledger; this one is PostgreSQL: "
            "restore a JSON ledger (made with `netfolio backup FILE.json`)"
        )
    if target.resolve() == path.resolve():
        raise ValidationError("that is the ledger itself, not a backup of it")
    kept = None
    with database.session() as s:
        empty = _is_empty(s)
        if not empty and not replace:
            raise ValidationError(
                f"the ledger holds {_count(s)} people: restore into an empty ledger "
                "(--db NEW), or replace it with --replace"
            )
    if not empty:
        kept = _keep_copy(database)
    database.engine.dispose()
    src = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(target)
        try:
            with dst:
                src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    restored = open_database(database.url)  # upgrades a backup from an older netfolio
    try:
        with restored.session() as s:  # its commit refreshes any stale statistics
            analyze(s.connection().connection.dbapi_connection)
    finally:
        restored.close()
    return RestoreInfo(str(path), "sqlite", people, not empty, kept)


__all__ = ["RestoreInfo", "backup", "check_sqlite_backup", "restore"]
