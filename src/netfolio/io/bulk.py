"""Set-based writes for the import pipeline and the JSON ledger: the driver's ``executemany``.

The ORM's unit of work costs a hundred times more per row than the driver does, so bulk
paths write plain tuples through the DBAPI cursor of the session's own connection (the
same transaction as everything else in the session). Values are stored exactly as the
models store them: on SQLite dates and times as ISO text (times naive UTC, as
:class:`netfolio.core.models.UtcDateTime` keeps them) and JSON as text; on PostgreSQL as
the driver's own types.

Ids are given explicitly, so that child rows can point at their parents in the same batch:
on SQLite the next ids follow ``max(id)`` (the writer holds the database's write lock); on
PostgreSQL they are drawn from the table's sequence, so concurrent writers never collide.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from sqlalchemy.orm import Session

from netfolio.core.generation import wrote

#: Rows per executemany call: large enough to amortise, small enough to bound memory.
BATCH = 5_000


class BulkWriter:
    """Plain-tuple inserts, updates and deletes on the session's connection."""

    def __init__(self, db_session: Session) -> None:
        self.connection = db_session.connection()
        dialect = self.connection.dialect
        self.sqlite = dialect.name == "sqlite"
        self.mark = "?" if dialect.paramstyle == "qmark" else "%s"
        self.raw = self.connection.connection  # the DBAPI connection, in the same transaction
        self.cursor = self.raw.cursor()
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
        wrote(self.connection, sql)  # the ledger's generation moves at commit
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

    def _sql(self, sql: str) -> str:
        return sql if self.mark == "?" else sql.replace("%", "%%").replace("?", "%s")

    def many(self, sql: str, rows: Iterable[Sequence[Any]]) -> int:
        """``executemany`` in batches; returns the number of rows sent."""
        statement = self._sql(sql)
        wrote(self.connection, sql)
        done = 0
        iterator = iter(rows)
        while batch := list(itertools.islice(iterator, BATCH)):
            self.cursor.executemany(statement, batch)
            done += len(batch)
        return done

    def insert(self, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
        names = ", ".join(f'"{c}"' for c in columns)
        if self.copy:
            return self._copy_insert(table, names, rows)
        marks = ", ".join("?" * len(columns))
        return self.many(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', rows)

    def _copy_insert(self, table: str, names: str, rows: Iterable[Sequence[Any]]) -> int:
        """PostgreSQL: COPY each batch into a temporary table, then one INSERT ... SELECT
        (COPY is many times faster than row inserts, and PostgreSQL refuses COPY straight
        into a table under row-level security; the INSERT is checked by the policies)."""
        wrote(self.connection)
        staging = f"_bulk_{table}"
        self.cursor.execute(
            f'CREATE TEMPORARY TABLE IF NOT EXISTS "{staging}" ON COMMIT DROP AS '
            f'SELECT {names} FROM "{table}" WITH NO DATA'
        )
        done = 0
        iterator = iter(rows)
        while batch := list(itertools.islice(iterator, BATCH * 4)):
            with self.cursor.copy(f'COPY "{staging}" ({names}) FROM STDIN') as copy:
                for row in batch:
                    copy.write_row(row)
            self.cursor.execute(f'INSERT INTO "{table}" ({names}) SELECT {names} FROM "{staging}"')
            self.cursor.execute(f'TRUNCATE "{staging}"')
            done += len(batch)
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
