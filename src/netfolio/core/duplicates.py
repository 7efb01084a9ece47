"""Possible duplicates: list them, merge a pair (keeping every fact), or dismiss it for good.

Imports propose pairs of people who may be one (a close name and organisation, an attendee
named like several people, two people sharing a key); ``netfolio duplicates`` reviews them.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from netfolio.core.models import Person, PossibleDuplicate
from netfolio.core.people import merge_people
from netfolio.errors import NotFoundError, ValidationError

STATUSES = ("open", "merged", "dismissed")


def list_duplicates(
    *, db_session: Session, status: str | None = "open"
) -> list[tuple[PossibleDuplicate, Person, Person]]:
    """Pairs with the given status (None: all), most alike first."""
    if status is not None and status not in STATUSES:
        raise ValidationError(f"status is one of: {', '.join(STATUSES)}")
    stmt = select(PossibleDuplicate).order_by(
        PossibleDuplicate.score.desc(), PossibleDuplicate.id
    )
    if status is not None:
        stmt = stmt.where(PossibleDuplicate.status == status)
    rows = db_session.execute(stmt).scalars().all()
    ids = sorted({x for d in rows for x in (d.a_id, d.b_id)})
    people: dict[int, Person] = {}
    for lo in range(0, len(ids), 500):
        people.update(
            (p.id, p) for p in db_session.execute(
                select(Person).where(Person.id.in_(ids[lo : lo + 500]))
            ).scalars()
        )
    return [(d, people[d.a_id], people[d.b_id]) for d in rows]


def get_duplicate(*, db_session: Session, duplicate_id: int) -> PossibleDuplicate:
    row = db_session.get(PossibleDuplicate, duplicate_id)
    if row is None:
        raise NotFoundError(f"there is no possible duplicate #{duplicate_id}")
    return row


def dismiss_duplicate(*, db_session: Session, duplicate_id: int) -> PossibleDuplicate:
    """Two different people: never propose this pair again."""
    row = get_duplicate(db_session=db_session, duplicate_id=duplicate_id)
    row.status = "dismissed"
    row.resolved_at = dt.datetime.now(dt.UTC)
    db_session.flush()
    return row


def merge_duplicate(
    *, db_session: Session, duplicate_id: int, keep_id: int | None = None
) -> Person:
    """Merge the pair into one person (``keep_id``, by default the one added first).

    Every fact is kept with its source (see :func:`netfolio.core.people.merge_people`);
    the other's job changes and other proposals move to the person kept.
    """
    row = get_duplicate(db_session=db_session, duplicate_id=duplicate_id)
    if row.status != "open":
        raise ValidationError(f"possible duplicate #{duplicate_id} is {row.status} already")
    if keep_id is None:
        keep_id = row.a_id
    if keep_id not in (row.a_id, row.b_id):
        raise ValidationError(f"#{keep_id} is not one of the pair #{row.a_id}, #{row.b_id}")
    other_id = row.b_id if keep_id == row.a_id else row.a_id
    keep, other = db_session.get_one(Person, keep_id), db_session.get_one(Person, other_id)
    row.status = "merged"
    row.resolved_at = dt.datetime.now(dt.UTC)
    db_session.flush()
    return merge_people(db_session=db_session, keep=keep, other=other)


__all__ = ["STATUSES", "dismiss_duplicate", "get_duplicate", "list_duplicates",
           "merge_duplicate"]
