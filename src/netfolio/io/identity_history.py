"""Merge and split as entries of the import history, undone like an import.

A merge or a split changes who is who, so it is recorded like an import run (``format``
``merge`` or ``split``) with one ``import_change`` of kind ``snapshot``: every row of every
table that refers to the people involved (the people themselves, their emails, phones,
links, tags, fields, interaction links, asks, introductions, knows edges, job changes,
proposals, plan actions, sharing rules...) as it was before, and the people it made.
``netfolio import undo`` (:func:`restore_snapshot`) deletes the rows those people have now
and puts the snapshot back, ids and all: exact.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Column, Table, delete, insert, or_, select
from sqlalchemy.orm import Session

from netfolio.core.models import DERIVED, Base, ImportChange, ImportRun, Person
from netfolio.core.people import merge_people, split_person
from netfolio.io.runs import SNAPSHOT


def _person_tables() -> list[tuple[Table, list[Column[Any]]]]:
    """Tables with rows that refer to a person, in dependency order, with those columns."""
    found: list[tuple[Table, list[Column[Any]]]] = []
    for table in Base.metadata.sorted_tables:
        if table.name in DERIVED:  # recomputed from the rows restored
            continue
        if table.name == "person":
            found.append((table, [table.c.id]))
            continue
        cols = [
            c for c in table.columns
            if any(fk.column.table.name == "person" and fk.column.name == "id"
                   for fk in c.foreign_keys)
        ]
        if cols:
            found.append((table, cols))
    return found


def _encode(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return {"$dt": value.isoformat()}
    if isinstance(value, dt.date):
        return {"$d": value.isoformat()}
    if isinstance(value, bytes | memoryview):
        return {"$b": base64.b64encode(bytes(value)).decode()}
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, dict) and len(value) == 1:
        ((key, text),) = value.items()
        if key == "$dt":
            return dt.datetime.fromisoformat(text)
        if key == "$d":
            return dt.date.fromisoformat(text)
        if key == "$b":
            return base64.b64decode(text)
    return value


def take_snapshot(db_session: Session, ids: Sequence[int]) -> dict[str, list[dict[str, Any]]]:
    """Every row that refers to the people ``ids``, by table."""
    conn = db_session.connection()
    snap: dict[str, list[dict[str, Any]]] = {}
    for table, cols in _person_tables():
        rows = conn.execute(select(table).where(or_(*(c.in_(ids) for c in cols)))).mappings()
        snap[table.name] = [{k: _encode(v) for k, v in row.items()} for row in rows]
    return snap


def restore_snapshot(db_session: Session, snap: dict[str, Any], ids: Sequence[int]) -> None:
    """Put the rows of the people ``ids`` back as in ``snap`` (deleting what they have now)."""
    db_session.flush()
    conn = db_session.connection()
    tables = _person_tables()
    for table, cols in reversed(tables):
        conn.execute(delete(table).where(or_(*(c.in_(ids) for c in cols))))
    for table, _ in tables:
        rows = [{k: _decode(v) for k, v in row.items()} for row in snap.get(table.name, [])]
        if rows:
            conn.execute(insert(table), rows)
    db_session.expire_all()


def _record(db_session: Session, kind: str, label: str, snap: dict[str, Any],
            people: list[int], counts: dict[str, Any]) -> int:
    now = dt.datetime.now(dt.UTC)
    run = ImportRun(format=kind, file_name=label[:1000],
                    file_sha256=hashlib.sha256(label.encode()).hexdigest(), files=[],
                    started_at=now, finished_at=now, counts=counts, undone=False)
    db_session.add(run)
    db_session.flush()
    db_session.add(ImportChange(run_id=run.id, kind=SNAPSHOT, old=snap,
                                new={"people": people}))
    db_session.flush()
    return run.id


@contextmanager
def recorded(db_session: Session, kind: str, label: str, ids: Sequence[int]) -> Iterator[None]:
    """Record what the block does to the people ``ids`` as a ``kind`` run (undoable)."""
    snap = take_snapshot(db_session, ids)
    yield
    _record(db_session, kind, label, snap, list(ids), {"merged" if kind == "merge" else kind: 1})


def merge_recorded(*, db_session: Session, keep: Person, other: Person) -> Person:
    """:func:`~netfolio.core.people.merge_people`, recorded in the history (undoable)."""
    ids = [keep.id, other.id]
    label = f"merged #{other.id} {other.display_name} into #{keep.id} {keep.display_name}"
    snap = take_snapshot(db_session, ids)
    kept = merge_people(db_session=db_session, keep=keep, other=other)
    _record(db_session, "merge", label, snap, ids, {"merged": 1})
    return kept


def split_recorded(
    *,
    db_session: Session,
    person: Person,
    name: str | None = None,
    emails: Sequence[str] = (),
    phones: Sequence[str] = (),
    linkedin: bool = False,
    interactions: Sequence[int] = (),
) -> Person:
    """:func:`~netfolio.core.people.split_person`, recorded in the history (undoable)."""
    snap = take_snapshot(db_session, [person.id])
    new = split_person(db_session=db_session, person=person, name=name, emails=emails,
                       phones=phones, linkedin=linkedin, interactions=interactions)
    label = f"split #{new.id} {new.display_name} from #{person.id} {person.display_name}"
    _record(db_session, "split", label, snap, [person.id, new.id], {"new": 1})
    return new


__all__ = ["SNAPSHOT", "merge_recorded", "recorded", "restore_snapshot", "split_recorded",
           "take_snapshot"]
