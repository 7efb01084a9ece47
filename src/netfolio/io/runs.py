"""Import runs: their history, and undoing the last one from its change log.

Every import is a row of ``import_run`` with the files, the format, when, and what it did;
its ``import_change`` rows say exactly what changed, one ``kind`` each:

=====================  =====================================================================
``people_created``     people the run added (``new``: ``[first, last]`` id ranges)
``interactions_created``  interactions it added (id ranges; participants go with them)
``knows_created``      knows edges it added (id ranges)
``facts_changed``      facts of a person it changed: ``old`` and ``new`` values by column
``photo_set``          a photo it gave a person who had none
``email_added``        an email (``ref``) it added to a person already in the ledger
``phone_added``        a phone (``ref``, E.164) added likewise
``link_added``         a web address (``new``) added likewise
``tag_added``          a tag (``ref``) added likewise
``field_added``        a field (``ref``) it gave a person already in the ledger
``field_removed``      an inferred field it replaced after a job change (``old``: the row)
``snapshot``           a merge or a split (``format`` ``merge``/``split``): the rows of the
                       people involved as they were (``old``) and their ids (``new``)
=====================  =====================================================================

The job changes and possible duplicates a run found carry its ``run_id``. Undo removes what
the run added and puts back what it changed, where the value is still the one the run
wrote (a fact edited by hand since then is left as it is, and reported).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Table, and_, bindparam, delete, select, update
from sqlalchemy.orm import Session

from netfolio.core.models import (
    Ask,
    ImportChange,
    ImportRun,
    Interaction,
    InteractionPerson,
    Introduction,
    JobChange,
    Knows,
    Person,
    PersonEmail,
    PersonField,
    PersonLink,
    PersonPhone,
    PersonTag,
    PossibleDuplicate,
)
from netfolio.core.shapes import Plain
from netfolio.errors import ValidationError

PEOPLE_CREATED = "people_created"
INTERACTIONS_CREATED = "interactions_created"
KNOWS_CREATED = "knows_created"
FACTS_CHANGED = "facts_changed"
PHOTO_SET = "photo_set"
EMAIL_ADDED = "email_added"
PHONE_ADDED = "phone_added"
LINK_ADDED = "link_added"
TAG_ADDED = "tag_added"
FIELD_ADDED = "field_added"
FIELD_REMOVED = "field_removed"
#: a merge or split: every row of the people involved as it was (see identity_history)
SNAPSHOT = "snapshot"


@dataclass
class RunInfo(Plain):
    """One import run, as plain data."""

    id: int
    format: str
    file_name: str
    file_sha256: str
    started_at: str
    finished_at: str | None
    counts: dict[str, Any]
    undone: bool
    undone_at: str | None

    @classmethod
    def of(cls, run: ImportRun) -> RunInfo:
        return cls(
            id=run.id,
            format=run.format,
            file_name=run.file_name,
            file_sha256=run.file_sha256,
            started_at=run.started_at.isoformat(timespec="seconds"),
            finished_at=run.finished_at.isoformat(timespec="seconds") if run.finished_at else None,
            counts=dict(run.counts or {}),
            undone=run.undone,
            undone_at=run.undone_at.isoformat(timespec="seconds") if run.undone_at else None,
        )


@dataclass
class UndoReport(Plain):
    """What undoing a run did."""

    run: RunInfo
    people_removed: int = 0
    interactions_removed: int = 0
    knows_removed: int = 0
    people_restored: int = 0
    contact_points_removed: int = 0
    #: facts left as they are because they were changed again after the run
    conflicts: list[str] = field(default_factory=list)



def _table(model: Any) -> Table:
    table: Table = model.__table__
    return table


def import_history(*, db_session: Session, limit: int | None = None) -> list[RunInfo]:
    """Import runs, newest first."""
    stmt = select(ImportRun).order_by(ImportRun.id.desc())
    if limit is not None:
        stmt = stmt.limit(limit)
    return [RunInfo.of(r) for r in db_session.execute(stmt).scalars()]


def _expand_ranges(value: Any) -> list[tuple[int, int]]:
    return [(int(a), int(b)) for a, b in (value or [])]


def _in_ranges(column: Any, pairs: list[tuple[int, int]]) -> Any:
    from sqlalchemy import or_

    return or_(*(column.between(a, b) for a, b in pairs))


def _later_ledger_rows(
    db_session: Session, people: list[tuple[int, int]], interactions: list[tuple[int, int]]
) -> int:
    """Interactions, asks and introductions recorded since the run with people it created."""
    if not people:
        return 0
    mine = {i for a, b in interactions for i in range(a, b + 1)}
    count = 0
    for lo in range(0, len(people), 200):
        part = people[lo : lo + 200]
        linked = db_session.execute(
            select(InteractionPerson.interaction_id).where(
                _in_ranges(InteractionPerson.person_id, part)
            )
        ).scalars()
        count += sum(1 for i in linked if i not in mine)
        count += len(
            db_session.execute(select(Ask.id).where(_in_ranges(Ask.person_id, part))).all()
        )
        count += len(
            db_session.execute(
                select(Introduction.id).where(
                    _in_ranges(Introduction.a_id, part) | _in_ranges(Introduction.b_id, part)
                )
            ).all()
        )
    return count


def _typed(column: str, value: Any) -> Any:
    """A value from the change log (JSON) as the column holds it."""
    if value is None:
        return None
    if column == "connected_on":
        return dt.date.fromisoformat(value)
    if column == "updated_at":
        return dt.datetime.fromisoformat(value)
    return value


def undo_last_run(*, db_session: Session, force: bool = False) -> UndoReport:
    """Revert the newest import run not yet undone (see the module docstring).

    Refuses, unless ``force``, when interactions, asks or introductions were recorded since
    with people the run created (undoing would delete them too).
    """
    run = db_session.execute(
        select(ImportRun).where(ImportRun.undone.is_(False)).order_by(ImportRun.id.desc()).limit(1)
    ).scalar()
    if run is None:
        raise ValidationError("there is no import to undo (see `netfolio import history`)")
    report = UndoReport(run=RunInfo.of(run))
    rows = db_session.execute(
        select(
            ImportChange.kind,
            ImportChange.person_id,
            ImportChange.target_id,
            ImportChange.ref,
            ImportChange.old,
            ImportChange.new,
        )
        .where(ImportChange.run_id == run.id)
        .order_by(ImportChange.id)
    ).all()
    by_kind: dict[str, list[Any]] = {}
    for row in rows:
        by_kind.setdefault(row.kind, []).append(row)
    if SNAPSHOT in by_kind:  # a merge or a split: the people as they were
        from netfolio.io.identity_history import restore_snapshot

        for row in by_kind[SNAPSHOT]:
            restore_snapshot(db_session, row.old, row.new["people"])
            report.people_restored += len(row.new["people"])
        run.undone = True
        run.undone_at = dt.datetime.now(dt.UTC)
        db_session.flush()
        report.run = RunInfo.of(run)
        return report
    people = [p for r in by_kind.get(PEOPLE_CREATED, []) for p in _expand_ranges(r.new)]
    interactions = [p for r in by_kind.get(INTERACTIONS_CREATED, []) for p in _expand_ranges(r.new)]
    knows = [p for r in by_kind.get(KNOWS_CREATED, []) for p in _expand_ranges(r.new)]
    later = _later_ledger_rows(db_session, people, interactions)
    if later and not force:
        raise ValidationError(
            f"{later} interactions, asks or introductions were recorded since this import with "
            "people it added; undoing it would delete them too. Undo anyway with --force."
        )
    conn = db_session.connection()
    conn.execute(delete(JobChange).where(JobChange.run_id == run.id))
    conn.execute(delete(PossibleDuplicate).where(PossibleDuplicate.run_id == run.id))
    lo_hi = [{"lo": a, "hi": b} for a, b in interactions]
    if lo_hi:
        conn.execute(
            delete(_table(Interaction)).where(
                _table(Interaction).c.id.between(bindparam("lo"), bindparam("hi"))
            ),
            lo_hi,
        )
        report.interactions_removed = sum(b - a + 1 for a, b in interactions)
    if "interactions_removed" in by_kind:  # a sync removed them (calendar events deleted)
        from netfolio.io.sync.removals import restore_removed

        restore_removed(conn, by_kind["interactions_removed"])
    if knows:
        conn.execute(
            delete(_table(Knows)).where(
                _table(Knows).c.id.between(bindparam("lo"), bindparam("hi"))
            ),
            [{"lo": a, "hi": b} for a, b in knows],
        )
        report.knows_removed = sum(b - a + 1 for a, b in knows)
    _remove_added(conn, by_kind, report)
    _restore_facts(db_session, by_kind, report)
    if people:
        table = _table(Person)
        conn.execute(
            delete(table).where(table.c.id.between(bindparam("lo"), bindparam("hi"))),
            [{"lo": a, "hi": b} for a, b in people],
        )
        report.people_removed = sum(b - a + 1 for a, b in people)
    run.undone = True
    run.undone_at = dt.datetime.now(dt.UTC)
    db_session.flush()
    report.run = RunInfo.of(run)
    return report


def _remove_added(conn: Any, by_kind: dict[str, list[Any]], report: UndoReport) -> None:
    """Delete the emails, phones, links, tags and fields the run added; restore fields."""
    plans = (
        (EMAIL_ADDED, _table(PersonEmail), "email"),
        (PHONE_ADDED, _table(PersonPhone), "e164"),
        (TAG_ADDED, _table(PersonTag), "tag"),
        (FIELD_ADDED, _table(PersonField), "field"),
    )
    for kind, table, column in plans:
        items = [{"pid": r.person_id, "value": r.ref} for r in by_kind.get(kind, [])]
        if items:
            conn.execute(
                delete(table).where(
                    and_(
                        table.c.person_id == bindparam("pid"), table.c[column] == bindparam("value")
                    )
                ),
                items,
            )
            if kind != FIELD_ADDED:
                report.contact_points_removed += len(items)
    links = by_kind.get(LINK_ADDED, [])
    table = _table(PersonLink)
    for r in links:
        found = conn.execute(
            select(table.c.id)
            .where(table.c.person_id == r.person_id, table.c.url == r.new)
            .order_by(table.c.id.desc())
            .limit(1)
        ).scalar()
        if found is not None:
            conn.execute(delete(table).where(table.c.id == found))
            report.contact_points_removed += 1
    removed = by_kind.get(FIELD_REMOVED, [])
    if removed:
        table = _table(PersonField)
        alive = set(conn.execute(select(_table(Person).c.id)).scalars())
        conn.execute(
            table.insert(),
            [
                {
                    "person_id": r.person_id,
                    "field": r.ref,
                    "inferred": bool(r.old["inferred"]),
                    "source": r.old["source"],
                }
                for r in removed
                if r.person_id in alive
            ],
        )


def _restore_facts(db_session: Session, by_kind: dict[str, list[Any]], report: UndoReport) -> None:
    """Put back the facts the run changed, where they still hold the value it wrote."""
    changes = by_kind.get(FACTS_CHANGED, [])
    photos = [r.person_id for r in by_kind.get(PHOTO_SET, [])]
    conn = db_session.connection()
    table = _table(Person)
    if photos:
        conn.execute(
            update(table).where(table.c.id == bindparam("pid")).values(photo=None),
            [{"pid": p} for p in photos],
        )
    if not changes:
        return
    ids = [r.person_id for r in changes]
    columns = sorted({c for r in changes for c in (r.new or {})})
    current: dict[int, Any] = {}
    for lo in range(0, len(ids), 500):
        for row in conn.execute(
            select(table.c.id, *(table.c[c] for c in columns)).where(
                table.c.id.in_(ids[lo : lo + 500])
            )
        ):
            current[row[0]] = dict(zip(columns, row[1:], strict=True))
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for r in changes:
        now = current.get(r.person_id)
        if now is None:
            continue
        values: dict[str, Any] = {}
        for column, written in (r.new or {}).items():
            if column == "updated_at":
                continue
            if now[column] != _typed(column, written):
                if column != "fact_sources":  # bookkeeping: follows the facts it describes
                    report.conflicts.append(f"#{r.person_id} {column}: changed since the import")
                continue
            values[column] = _typed(column, r.old.get(column))
        values["updated_at"] = _typed("updated_at", r.old.get("updated_at"))
        groups.setdefault(tuple(sorted(values)), []).append({"pid": r.person_id, **values})
        report.people_restored += 1
    for cols, params in groups.items():
        del cols  # the keys of each parameter set are the columns SET
        conn.execute(update(table).where(table.c.id == bindparam("pid")), params)


__all__ = [
    "RunInfo",
    "UndoReport",
    "import_history",
    "undo_last_run",
]
