"""Set-based writes, the one bulk writer of the import pipeline, the JSON ledger and the demo.

The ORM's unit of work costs a hundred times more per row than the driver does, so bulk
paths write plain tuples through a DBAPI cursor: the session's own connection (the same
transaction as everything else in the session), or a raw connection the caller holds (the
demo's load). Values are stored exactly as the models store them: on SQLite dates and times
as ISO text (times naive UTC, as :class:`netfolio.core.models.UtcDateTime` keeps them) and
JSON as text; on PostgreSQL as the driver's own types.

Inserts on SQLite put many rows in each statement (binding parameters is most of the cost),
with the values that are the same on every row as literals; on PostgreSQL with psycopg 3
they go through COPY into a temporary table and on with one INSERT ... SELECT.

Ids are given explicitly, so that child rows can point at their parents in the same batch:
on SQLite the next ids follow ``max(id)`` (the writer holds the database's write lock); on
PostgreSQL they are drawn from the table's sequence, so concurrent writers never collide.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

from netfolio.core.generation import wrote

#: Rows per executemany call: large enough to amortise, small enough to bound memory.
BATCH = 5_000
#: Bound parameters per statement on SQLite (the limit of SQLite before 3.32).
SQLITE_PARAMETERS = 999


class BulkWriter:
    """Plain-tuple inserts, updates and deletes on one DBAPI connection.

    ``BulkWriter(db_session)`` writes on the session's connection; :meth:`on_dbapi` on a raw
    connection. ``batch`` is the rows sent per call (the demo's load sends more at once).
    """

    def __init__(self, db_session: Session, *, batch: int = BATCH) -> None:
        connection = db_session.connection()
        dialect = connection.dialect
        # the DBAPI connection, in the session's transaction
        self._setup(connection.connection, dialect.name, dialect.paramstyle, batch)
        #: the session's connection, whose commit moves the ledger's generation
        self.connection: Any = connection

    @classmethod
    def on_dbapi(
        cls, raw: Any, *, dialect: str, paramstyle: str, batch: int = BATCH
    ) -> BulkWriter:
        """A writer on a raw DBAPI connection (the caller begins and ends the transaction)."""
        writer = cls.__new__(cls)
        writer._setup(raw, dialect, paramstyle, batch)
        writer.connection = None  # the caller moves the generation (generation.bump_raw)
        return writer

    def _setup(self, raw: Any, dialect: str, paramstyle: str, batch: int) -> None:
        self.sqlite = dialect == "sqlite"
        self.mark = "?" if paramstyle == "qmark" else "%s"
        self.raw = raw
        self.cursor = raw.cursor()
        self.batch = batch
        #: psycopg 3 on PostgreSQL: rows go in through COPY (see :meth:`insert`)
        self.copy = not self.sqlite and hasattr(self.cursor, "copy")
        self._cache: int | None = None

    # -- values as the models store them -------------------------------------------------

    def day(self, value: dt.date | None) -> Any:
        if value is None or not self.sqlite:
            return value
        return value.isoformat()

    def stamp(self, value: dt.datetime | None) -> Any:
        if value is None:
            return None
        value = value.astimezone(dt.UTC)
        if not self.sqlite:
            return value
        return value.replace(tzinfo=None).isoformat(" ", "microseconds")

    def json(self, value: Any) -> Any:
        return None if value is None else json.dumps(value, ensure_ascii=False)

    def flag(self, value: bool) -> Any:
        return int(value) if self.sqlite else bool(value)

    # -- statements ----------------------------------------------------------------------

    def execute(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Run one statement (``?`` marks are translated); return its rows, if any."""
        self._wrote(sql)  # the ledger's generation moves at commit
        self.cursor.execute(self._sql(sql), tuple(params))
        if self.cursor.description is None:
            return []
        return [tuple(r) for r in self.cursor.fetchall()]

    def stream(self, sql: str, params: Sequence[Any] = ()) -> Iterator[tuple[Any, ...]]:
        """The rows of a query, fetched in batches on a cursor of their own."""
        cursor = self.raw.cursor()
        try:
            cursor.execute(self._sql(sql), tuple(params))
            while rows := cursor.fetchmany(BATCH):
                yield from rows
        finally:
            cursor.close()

    def _wrote(self, sql: str | None = None) -> None:
        if self.connection is not None:
            wrote(self.connection, sql)

    def _sql(self, sql: str) -> str:
        return sql if self.mark == "?" else sql.replace("%", "%%").replace("?", "%s")

    def many(
        self, sql: str, rows: Iterable[Sequence[Any]], *,
        progress: Callable[[int], None] | None = None,
    ) -> int:
        """``executemany`` in batches; returns the number of rows sent."""
        statement = self._sql(sql)
        self._wrote(sql)
        done = 0
        iterator = iter(rows)
        while batch := list(itertools.islice(iterator, self.batch)):
            self.cursor.executemany(statement, batch)
            done += len(batch)
            if progress is not None:
                progress(done)
        return done

    def insert(
        self,
        table: str,
        columns: Sequence[str],
        rows: Iterable[Sequence[Any]],
        *,
        constants: Mapping[str, Any] | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> int:
        """Insert ``rows`` (values for ``columns``); returns the number of rows.

        ``constants``: columns with the same value on every row (the writer's own values,
        never user input: on SQLite they go into the statement as literals).
        ``progress(done)`` is called after every batch."""
        constants = dict(constants or {})
        names = ", ".join(f'"{c}"' for c in (*columns, *constants))
        if constants and not self.sqlite:
            extra = tuple(constants.values())
            rows = (tuple(row) + extra for row in rows)
        if self.copy:
            return self._copy_insert(table, names, rows, progress)
        if not self.sqlite:
            marks = ", ".join([self.mark] * (len(columns) + len(constants)))
            return self.many(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', rows,
                             progress=progress)
        return self._sqlite_insert(table, names, len(columns), constants, rows, progress)

    def _sqlite_insert(
        self, table: str, names: str, width: int, constants: dict[str, Any],
        rows: Iterable[Sequence[Any]], progress: Callable[[int], None] | None,
    ) -> int:
        """SQLite: as many rows per statement as the parameter limit allows."""
        values = "(" + ", ".join(["?"] * width + [_literal(v) for v in constants.values()]) + ")"
        sql = f'INSERT INTO "{table}" ({names}) VALUES '
        per = max(1, SQLITE_PARAMETERS // max(width, 1))
        done = 0
        iterator = iter(rows)
        while batch := list(itertools.islice(iterator, self.batch)):
            full = len(batch) // per * per if per > 1 else 0
            if full:
                flat = list(itertools.chain.from_iterable(batch[:full]))
                step = per * width
                self.cursor.executemany(
                    sql + ", ".join([values] * per),
                    [flat[i : i + step] for i in range(0, len(flat), step)],
                )
            if full < len(batch):
                self.cursor.executemany(sql + values, batch[full:])
            done += len(batch)
            if progress is not None:
                progress(done)
        return done

    def _copy_insert(
        self, table: str, names: str, rows: Iterable[Sequence[Any]],
        progress: Callable[[int], None] | None,
    ) -> int:
        """PostgreSQL: COPY each batch into a temporary table, then one INSERT ... SELECT
        (COPY is many times faster than row inserts, and PostgreSQL refuses COPY straight
        into a table under row-level security; the INSERT is checked by the policies)."""
        self._wrote()
        staging = f"_bulk_{table}"
        self.cursor.execute(
            f'CREATE TEMPORARY TABLE IF NOT EXISTS "{staging}" ON COMMIT DROP AS '
            f'SELECT {names} FROM "{table}" WITH NO DATA'
        )
        done = 0
        iterator = iter(rows)
        while batch := list(itertools.islice(iterator, max(self.batch, BATCH * 4))):
            with self.cursor.copy(f'COPY "{staging}" ({names}) FROM STDIN') as copy:
                for row in batch:
                    copy.write_row(row)
            self.cursor.execute(f'INSERT INTO "{table}" ({names}) SELECT {names} FROM "{staging}"')
            self.cursor.execute(f'TRUNCATE "{staging}"')
            done += len(batch)
            if progress is not None:
                progress(done)
        return done

    def update(
        self, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]], key: str = "id"
    ) -> int:
        """``UPDATE table SET columns... WHERE key = ?``: each row is the values, then the key."""
        sets = ", ".join(f'"{c}" = ?' for c in columns)
        return self.many(f'UPDATE "{table}" SET {sets} WHERE "{key}" = ?', rows)

    def delete_ids(self, table: str, ids: Iterable[int], column: str = "id") -> int:
        return self.many(f'DELETE FROM "{table}" WHERE "{column}" = ?', ((i,) for i in ids))

    def new_ids(self, table: str, count: int) -> list[int]:
        """``count`` fresh primary keys for ``table``."""
        if count <= 0:
            return []
        if self.sqlite:
            top = self.execute(f'SELECT max(id) FROM "{table}"')[0][0] or 0
            return list(range(top + 1, top + 1 + count))
        rows = self.execute(
            f"SELECT nextval(pg_get_serial_sequence('{table}', 'id')) FROM generate_series(1, ?)",
            (count,),
        )
        return [r[0] for r in rows]

    def big_cache(self, mib: int = 16) -> None:
        """Let SQLite keep up to ``mib`` MiB of pages in memory while this writer works, so a
        bulk write does not spill pages mid-transaction (put back on :meth:`close`)."""
        if self.sqlite and self._cache is None:
            self._cache = self.execute("PRAGMA cache_size")[0][0]
            self.cursor.execute(f"PRAGMA cache_size=-{mib * 1024}")

    def close(self) -> None:
        if self._cache is not None:
            self.cursor.execute(f"PRAGMA cache_size={int(self._cache)}")
            self._cache = None
        self.cursor.close()


def _literal(value: Any) -> str:
    """An SQL literal for one of the writer's own constants (never user input)."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    return "'" + str(value).replace("'", "''") + "'"


def ranges(ids: Iterable[int]) -> list[list[int]]:
    """Consecutive runs of ids as ``[first, last]`` pairs (how the change log keeps them).

    >>> ranges([1, 2, 3, 7, 9, 10])
    [[1, 3], [7, 7], [9, 10]]
    """
    found: list[list[int]] = []
    for i in sorted(ids):
        if found and found[-1][1] + 1 == i:
            found[-1][1] = i
        else:
            found.append([i, i])
    return found


def expand(pairs: Iterable[Sequence[int]]) -> Iterable[int]:
    """The ids of :func:`ranges` pairs."""
    for first, last in pairs:
        yield from range(first, last + 1)


__all__ = ["BATCH", "BulkWriter", "expand", "ranges"]
