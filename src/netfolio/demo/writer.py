"""Writing a demo network into an empty ledger, in one transaction (:func:`write`)."""

from __future__ import annotations

import datetime as dt
import itertools
import json
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from numpy.typing import NDArray

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
_BATCH = 25_000
_TABLES = (
    "person", "person_email", "person_phone", "person_field", "person_tag", "ask",
    "interaction", "interaction_person", "introduction", "knows",
)
#: tables whose ids the demo gives (PostgreSQL's sequences must then be moved past them)
_ID_TABLES = (
    "person", "person_email", "person_phone", "ask", "interaction", "introduction", "knows",
)
#: SQLite page cache while writing, in KiB (negative: a size, not a page count)
_SQLITE_CACHE_KIB = 64 * 1024


class _Writer:
    """Bulk inserts through the DBAPI connection, in one transaction, with explicit ids.

    On SQLite, binding parameters is most of the cost: values that are the same on every row
    go into the statement as literals, and each statement inserts many rows. On PostgreSQL
    with psycopg, rows go through COPY into a temporary table and on with one INSERT ...
    SELECT (PostgreSQL refuses COPY into a table under row-level security; the INSERT is
    checked by the policies and takes the acting user as the rows' owner).
    """

    def __init__(self, raw: Any, dialect: str, paramstyle: str, progress: Progress | None) -> None:
        self.raw = raw
        self.sqlite = dialect == "sqlite"
        self.mark = "?" if paramstyle == "qmark" else "%s"
        self.progress = progress
        self.cursor = raw.cursor()
        self.copy = not self.sqlite and hasattr(self.cursor, "copy")  # psycopg 3
        now = dt.datetime.now(dt.UTC).replace(microsecond=0)
        self.now: Any = now
        if self.sqlite:  # as SQLAlchemy keeps a UTC datetime in SQLite
            self.now = now.replace(tzinfo=None).isoformat(" ", "microseconds")

    def day(self, value: dt.date | None) -> Any:
        if value is None or not self.sqlite:
            return value
        return value.isoformat()

    def insert(
        self,
        table: str,
        columns: Sequence[str],
        rows: Iterable[Sequence[Any]],
        total: int,
        constants: dict[str, Any] | None = None,
    ) -> None:
        """Insert ``rows`` (values for ``columns``); ``constants`` are the same on every row."""
        constants = constants or {}
        names = ", ".join(f'"{c}"' for c in (*columns, *constants))
        if self.sqlite:
            marks = ["?"] * len(columns) + [_literal(v) for v in constants.values()]
            values = "(" + ", ".join(marks) + ")"
        else:
            values = "(" + ", ".join([self.mark] * (len(columns) + len(constants))) + ")"
            extra = tuple(constants.values())
            if extra:
                rows = (tuple(row) + extra for row in rows)
        sql = f'INSERT INTO "{table}" ({names}) VALUES '
        per = max(1, 999 // max(len(columns), 1)) if self.sqlite else 1
        done = 0
        iterator = iter(rows)
        staging = f"_demo_{table}"
        if self.copy:
            self.cursor.execute(
                f'CREATE TEMPORARY TABLE IF NOT EXISTS "{staging}" ON COMMIT DROP AS '
                f'SELECT {names} FROM "{table}" WITH NO DATA'
            )
        while batch := list(itertools.islice(iterator, _BATCH)):
            if self.copy:
                with self.cursor.copy(f'COPY "{staging}" ({names}) FROM STDIN') as copy:
                    for row in batch:
                        copy.write_row(row)
                self.cursor.execute(
                    f'INSERT INTO "{table}" ({names}) SELECT {names} FROM "{staging}"'
                )
                self.cursor.execute(f'TRUNCATE "{staging}"')
                done += len(batch)
                if self.progress is not None:
                    self.progress(table, done, total)
                continue
            full = len(batch) // per * per if per > 1 else 0
            if full:
                flat = list(itertools.chain.from_iterable(batch[:full]))
                step = per * len(columns)
                self.cursor.executemany(
                    sql + ", ".join([values] * per),
                    [flat[i : i + step] for i in range(0, len(flat), step)],
                )
            if full < len(batch):
                self.cursor.executemany(sql + values, batch[full:])
            done += len(batch)
            if self.progress is not None:
                self.progress(table, done, total)
        if total == 0 and self.progress is not None:
            self.progress(table, 0, 0)


def _literal(value: Any) -> str:
    """An SQL literal for one of the writer's own constants (never user input)."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    return "'" + str(value).replace("'", "''") + "'"


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


def write(
    database: Database, demo: DemoNetwork, *, progress: Progress | None = None
) -> None:
    """Write ``demo`` into an empty ledger, in one transaction (all of it or nothing).

    ``progress(stage, done, total)`` is called after every batch; the stage is a table name.
    Raises ValidationError if the ledger already has people.
    """
    engine = database.engine
    raw = engine.raw_connection()
    writer = _Writer(raw, engine.dialect.name, engine.dialect.paramstyle, progress)
    cur = writer.cursor
    cache = None
    try:
        if writer.sqlite:
            cache = cur.execute("PRAGMA cache_size").fetchone()[0]
            cur.execute(f"PRAGMA cache_size=-{_SQLITE_CACHE_KIB}")
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
            # Bulk load: an index built once at the end is much faster than one kept up to
            # date row by row. Each is recreated from its own SQL, in the same transaction.
            marks = ", ".join("?" * len(_TABLES))
            indexes = cur.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
                f" AND tbl_name IN ({marks}) ORDER BY name", _TABLES,
            ).fetchall()
            for name, _ in indexes:
                cur.execute(f'DROP INDEX "{name}"')
            _write_all(writer, demo)
            for done, (_, sql) in enumerate(indexes, start=1):
                cur.execute(sql)
                if progress is not None:
                    progress("index", done, len(indexes))
            cur.execute("COMMIT")
        else:
            # Bulk load: foreign keys are checked once per table at the end (adding one back
            # validates every row) rather than by a trigger per row.
            cur.execute(
                "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid)"
                " FROM pg_constraint WHERE contype = 'f'"
                f" AND conrelid::regclass::text = ANY({writer.mark}) ORDER BY conname",
                (list(_TABLES),),
            )
            keys = cur.fetchall()
            cur.execute("SELECT count(*) FROM app_user")
            if int(cur.fetchone()[0]) > 1:
                # Other members' rows are there: adding a key back would check all of them.
                keys = []
            cur.execute("SAVEPOINT netfolio_demo")
            try:
                for table, name, _ in keys:
                    cur.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
            except Exception:  # not the tables' owner: load with the checks in place
                cur.execute("ROLLBACK TO SAVEPOINT netfolio_demo")
                keys = []
            # Ids are drawn past every id in use (other users' rows are invisible here).
            offsets = {}
            for table in _ID_TABLES:
                cur.execute(f"SELECT nextval(pg_get_serial_sequence('\"{table}\"', 'id'))")
                offsets[table] = int(cur.fetchone()[0]) - 1
            _write_all(writer, demo.shifted(offsets) if any(offsets.values()) else demo)
            for done, (table, name, definition) in enumerate(keys, start=1):
                cur.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
                if progress is not None:
                    progress("foreign key", done, len(keys))
            # ids were given, so move each id sequence past them for the rows added later
            from netfolio.core.db import advance_sequence_sql

            for table in _ID_TABLES:
                cur.execute(advance_sequence_sql(table))
            # Fresh statistics, or the first queries plan for empty tables (only the
            # tables' owner may: for anyone else PostgreSQL skips them with a warning).
            for table in _TABLES:
                cur.execute(f'ANALYZE "{table}"')
            raw.commit()
    except BaseException:
        if not writer.sqlite:
            raw.rollback()
        elif getattr(raw.driver_connection, "in_transaction", False):
            cur.execute("ROLLBACK")
        raise
    finally:
        if cache is not None:
            cur.execute(f"PRAGMA cache_size={int(cache)}")
        cur.close()
        raw.close()


def _write_all(w: _Writer, demo: DemoNetwork) -> None:
    source = {"source": "demo"}
    w.insert(
        "person",
        PERSON_COLUMNS,
        ((*row[:16], w.day(row[16])) for row in demo.people),
        len(demo.people),
        {"source": "demo", "fact_sources": "{}", "created_at": w.now, "updated_at": w.now},
    )
    w.insert("person_email", EMAIL_COLUMNS, demo.emails, len(demo.emails), source)
    w.insert("person_phone", PHONE_COLUMNS, demo.phones, len(demo.phones), source)
    w.insert(
        "person_field", ("person_id", "field"), demo.person_fields, len(demo.person_fields),
        {"inferred": False, "source": "demo"},
    )
    w.insert("person_tag", ("person_id", "tag"), demo.tags, len(demo.tags))
    w.insert(
        "ask", ASK_COLUMNS,
        ((*row[:5], w.day(row[5]), w.day(row[6])) for row in demo.asks),
        len(demo.asks), source,
    )
    w.insert(
        "interaction", INTERACTION_COLUMNS, _interaction_rows(demo.interactions),
        demo.interaction_count,
        {"intent_inferred": False, "source": "demo", "created_at": w.now},
    )
    part = demo.participants
    w.insert(
        "interaction_person", ("interaction_id", "person_id"),
        (
            row
            for lo in range(0, len(part), _BATCH)
            for row in zip(part[lo : lo + _BATCH, 0].tolist(),
                           part[lo : lo + _BATCH, 1].tolist(), strict=True)
        ),
        len(part),
    )
    w.insert(
        "introduction", INTRODUCTION_COLUMNS,
        ((i, a, b, w.day(on), note, iid) for i, a, b, on, note, iid in demo.introductions),
        len(demo.introductions),
    )
    w.insert(
        "knows", ("id", "a_id", "b_id", "source"), map(tuple, demo.knows.tolist()),
        len(demo.knows), {"created_at": w.now},
    )
    keys = ", ".join([w.mark] * len(_SETTING_KEYS))
    w.cursor.execute(f'DELETE FROM "setting" WHERE "key" IN ({keys})', _SETTING_KEYS)
    w.insert(
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
