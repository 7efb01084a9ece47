"""Writing a demo network into an empty ledger, in one transaction (:func:`write`).

Rows go in through the ledger's one bulk writer (:class:`netfolio.core.bulk.BulkWriter`) on
a raw connection, with explicit ids. For speed the load sets aside what a row-by-row write
would keep up to date: on SQLite the tables' indexes (each made again from its own SQL at
the end), on PostgreSQL the foreign keys (each added back, which checks every row once).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from numpy.typing import NDArray

from netfolio.core.bulk import BulkWriter
from netfolio.core.generation import bump_raw
from netfolio.core.person_stats import refresh_after_bulk
from netfolio.demo.draw import generate
from netfolio.demo.rows import (
    ASK_COLUMNS,
    EMAIL_COLUMNS,
    INTERACTION_COLUMNS,
    INTRODUCTION_COLUMNS,
    PERSON_COLUMNS,
    PHONE_COLUMNS,
    DemoNetwork,
    Progress,
)
from netfolio.errors import ValidationError

if TYPE_CHECKING:
    from netfolio.core.db import Database

_SETTING_KEYS = ("name", "emails", "own_fields", "weekly_budget")
#: rows per batch (and per progress call)
_BATCH = 25_000
#: SQLite page cache while writing, in MiB
_SQLITE_CACHE_MIB = 64


def demo_tables() -> tuple[str, ...]:
    """The tables the demo fills, parents before children: each a private table of the
    user's (a model on :class:`netfolio.core.models.Owned`), named by its model."""
    from netfolio.core import models

    written = (
        models.Person, models.PersonEmail, models.PersonPhone, models.PersonField,
        models.PersonTag, models.Ask, models.Interaction, models.InteractionPerson,
        models.Introduction, models.Knows,
    )
    return tuple(str(m.__tablename__) for m in written)


def id_tables() -> tuple[str, ...]:
    """The demo's tables whose ids it gives (PostgreSQL's sequences are then moved past them):
    those with an ``id`` primary key."""
    from netfolio.core.models import Base

    tables = Base.metadata.tables
    return tuple(t for t in demo_tables() if [c.name for c in tables[t].primary_key] == ["id"])


def write(
    database: Database, demo: DemoNetwork, *, progress: Progress | None = None
) -> None:
    """Write ``demo`` into an empty ledger, in one transaction (all of it or nothing).

    ``progress(stage, done, total)`` is called after every batch; the stage is a table name.
    Raises ValidationError if the ledger already has people.
    """
    engine = database.engine
    raw = engine.raw_connection()
    writer = BulkWriter.on_dbapi(raw, dialect=engine.dialect.name,
                                 paramstyle=engine.dialect.paramstyle, batch=_BATCH)
    cur = writer.cursor
    try:
        if writer.sqlite:
            writer.big_cache(_SQLITE_CACHE_MIB)
            cur.execute("BEGIN IMMEDIATE")
        else:  # the rows' owner, and the user the row-level security policies apply to
            cur.execute("SELECT set_config('netfolio.user_id', %s, true)",
                        (str(database.user_id),))
        cur.execute("SELECT 1 FROM person LIMIT 1")
        if cur.fetchone() is not None:
            raise ValidationError(
                "this ledger already has people: the demo network is written only into an "
                "empty ledger (use a new --db)"
            )
        if writer.sqlite:
            _load_sqlite(writer, demo, progress)
        else:
            _load_postgresql(writer, demo, progress)
    except BaseException:
        if not writer.sqlite:
            raw.rollback()
        elif getattr(raw.driver_connection, "in_transaction", False):
            cur.execute("ROLLBACK")
        raise
    finally:
        writer.close()
        raw.close()


def _load_sqlite(writer: BulkWriter, demo: DemoNetwork, progress: Progress | None) -> None:
    """Bulk load: an index built once at the end is much faster than one kept up to date row
    by row. Each is recreated from its own SQL, in the same transaction."""
    tables = demo_tables()
    marks = ", ".join("?" * len(tables))
    indexes = writer.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
        f" AND tbl_name IN ({marks}) ORDER BY name", tables,
    )
    for name, _ in indexes:
        writer.execute(f'DROP INDEX "{name}"')
    _write_all(writer, demo, progress)
    for done, (_, sql) in enumerate(indexes, start=1):
        writer.execute(sql)
        if progress is not None:
            progress("index", done, len(indexes))
    refresh_after_bulk(writer.raw.driver_connection)
    bump_raw(writer.raw, postgres=False)  # a server over this ledger sees the new network
    writer.execute("COMMIT")


def _load_postgresql(writer: BulkWriter, demo: DemoNetwork, progress: Progress | None) -> None:
    """Bulk load: foreign keys are checked once per table at the end (adding one back
    validates every row) rather than by a trigger per row."""
    from netfolio.core.db import advance_sequence_sql

    tables = demo_tables()
    keys = writer.execute(
        "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid)"
        " FROM pg_constraint WHERE contype = 'f'"
        " AND conrelid::regclass::text = ANY(?) ORDER BY conname",
        (list(tables),),
    )
    if int(writer.execute("SELECT count(*) FROM app_user")[0][0]) > 1:
        # Other members' rows are there: adding a key back would check all of them.
        keys = []
    writer.execute("SAVEPOINT netfolio_demo")
    try:
        for table, name, _ in keys:
            writer.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    except Exception:  # not the tables' owner: load with the checks in place
        writer.execute("ROLLBACK TO SAVEPOINT netfolio_demo")
        keys = []
    # Ids are drawn past every id in use (other users' rows are invisible here).
    offsets = {}
    for table in id_tables():
        next_id = writer.execute(f"SELECT nextval(pg_get_serial_sequence('\"{table}\"', 'id'))")
        offsets[table] = int(next_id[0][0]) - 1
    _write_all(writer, demo.shifted(offsets) if any(offsets.values()) else demo, progress)
    for done, (table, name, definition) in enumerate(keys, start=1):
        writer.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
        if progress is not None:
            progress("foreign key", done, len(keys))
    # ids were given, so move each id sequence past them for the rows added later
    for table in id_tables():
        writer.execute(advance_sequence_sql(table))
    refresh_after_bulk(writer.raw.driver_connection)
    # Fresh statistics, or the first queries plan for empty tables (only the tables' owner
    # may: for anyone else PostgreSQL skips them with a warning).
    for table in tables:
        writer.execute(f'ANALYZE "{table}"')
    bump_raw(writer.raw, postgres=True)
    writer.raw.commit()


def _interaction_rows(columns: dict[str, NDArray[Any]]) -> Iterator[tuple[Any, ...]]:
    size = len(columns["id"])
    for lo in range(0, size, _BATCH):
        part = {k: v[lo : lo + _BATCH] for k, v in columns.items()}
        yield from zip(
            part["id"].tolist(), part["at"].tolist(), part["utc_offset"].tolist(),
            part["date_only"].tolist(), part["channel"].tolist(), part["initiator"].tolist(),
            part["intent"].tolist(), [a or None for a in part["ask_id"].tolist()],
            part["note"].tolist(), strict=True,
        )


def _write_all(w: BulkWriter, demo: DemoNetwork, progress: Progress | None) -> None:
    now = w.stamp(dt.datetime.now(dt.UTC).replace(microsecond=0))

    def insert(table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]], total: int,
               constants: dict[str, Any] | None = None) -> None:
        report = None if progress is None else lambda done: progress(table, done, total)
        w.insert(table, columns, rows, constants=constants, progress=report)
        if total == 0 and progress is not None:
            progress(table, 0, 0)

    source = {"source": "demo"}
    insert(
        "person", PERSON_COLUMNS, ((*row[:16], w.day(row[16])) for row in demo.people),
        len(demo.people),
        {"source": "demo", "fact_sources": "{}", "created_at": now, "updated_at": now},
    )
    insert("person_email", EMAIL_COLUMNS, demo.emails, len(demo.emails), source)
    insert("person_phone", PHONE_COLUMNS, demo.phones, len(demo.phones), source)
    insert(
        "person_field", ("person_id", "field"), demo.person_fields, len(demo.person_fields),
        {"inferred": False, "source": "demo"},
    )
    insert("person_tag", ("person_id", "tag"), demo.tags, len(demo.tags))
    insert(
        "ask", ASK_COLUMNS, ((*row[:5], w.day(row[5]), w.day(row[6])) for row in demo.asks),
        len(demo.asks), source,
    )
    insert(
        "interaction", INTERACTION_COLUMNS, _interaction_rows(demo.interactions),
        demo.interaction_count, {"intent_inferred": False, "source": "demo", "created_at": now},
    )
    part = demo.participants
    insert(
        "interaction_person", ("interaction_id", "person_id"),
        (
            row
            for lo in range(0, len(part), _BATCH)
            for row in zip(part[lo : lo + _BATCH, 0].tolist(),
                           part[lo : lo + _BATCH, 1].tolist(), strict=True)
        ),
        len(part),
    )
    insert(
        "introduction", INTRODUCTION_COLUMNS,
        ((i, a, b, w.day(on), note, iid) for i, a, b, on, note, iid in demo.introductions),
        len(demo.introductions),
    )
    insert(
        "knows", ("id", "a_id", "b_id", "source"), map(tuple, demo.knows.tolist()),
        len(demo.knows), {"created_at": now},
    )
    keys = ", ".join("?" * len(_SETTING_KEYS))
    w.execute(f'DELETE FROM "setting" WHERE "key" IN ({keys})', _SETTING_KEYS)
    insert(
        "setting", ("key", "value"),
        ((k, json.dumps(demo.me[k])) for k in _SETTING_KEYS), len(_SETTING_KEYS),
    )


def build(url: str, *, progress: Progress | None = None, **generate_kwargs: Any) -> DemoNetwork:
    """Open (creating) the ledger at ``url``, generate a demo network and write it there."""
    from netfolio.core.db import open_database

    database = open_database(url)
    try:
        demo = generate(**generate_kwargs)
        write(database, demo, progress=progress)
    finally:
        database.close()
    return demo
