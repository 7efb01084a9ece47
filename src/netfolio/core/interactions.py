"""Interactions (the ledger's entries), introductions and knows edges."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from netfolio.core.enums import Channel, EdgeSource, Initiator, Intent
from netfolio.core.models import (
    Interaction,
    InteractionPerson,
    Introduction,
    Knows,
    Person,
)
from netfolio.errors import NotFoundError, ValidationError


def to_epoch(when: dt.datetime | dt.date) -> tuple[int, int, bool]:
    """``(epoch seconds UTC, UTC offset in minutes, date_only)`` for a moment or a day.

    A day alone is stored as noon UTC, so it stays the same calendar day in every zone.
    """
    if isinstance(when, dt.datetime):
        if when.tzinfo is None:
            raise ValidationError("a time needs a time zone")
        offset = when.utcoffset() or dt.timedelta(0)
        return int(when.timestamp()), int(offset.total_seconds() // 60), False
    noon = dt.datetime.combine(when, dt.time(12), tzinfo=dt.UTC)
    return int(noon.timestamp()), 0, True


def default_initiator(intent: Intent) -> Initiator:
    """They start what is theirs (asking of me); I start the rest unless told otherwise."""
    return Initiator.THEM if intent is Intent.ASKED_OF_ME else Initiator.ME


def log_interaction(
    *,
    db_session: Session,
    people: Sequence[Person],
    when: dt.datetime | dt.date,
    date_only: bool | None = None,
    channel: Channel | str = Channel.MESSAGE,
    intent: Intent | str = Intent.CATCH_UP,
    initiator: Initiator | str | None = None,
    note: str | None = None,
    intent_inferred: bool = False,
    source: str = "cli",
    source_key: str | None = None,
    ask_id: int | None = None,
) -> Interaction:
    """Record a dated contact with one or more people."""
    if not people:
        raise ValidationError("an interaction needs at least one person")
    if len({p.id for p in people}) != len(people):
        raise ValidationError("a person is named twice")
    channel = Channel.parse(channel) if isinstance(channel, str) else channel
    intent = Intent.parse(intent) if isinstance(intent, str) else intent
    initiator = (
        default_initiator(intent) if initiator is None
        else Initiator.parse(initiator) if isinstance(initiator, str) else initiator
    )
    at, offset, only_date = to_epoch(when)
    if date_only is not None and isinstance(when, dt.datetime) and date_only:
        only_date = True
    interaction = Interaction(
        at=at, utc_offset=offset, date_only=only_date, channel=channel, intent=intent,
        initiator=initiator, note=note or None, intent_inferred=intent_inferred,
        source=source, source_key=source_key, ask_id=ask_id,
    )
    db_session.add(interaction)
    db_session.flush()
    db_session.add_all(
        InteractionPerson(interaction_id=interaction.id, person_id=p.id) for p in people
    )
    db_session.flush()
    db_session.refresh(interaction)
    return interaction


def interactions_of(
    *, db_session: Session, person: Person, limit: int | None = None
) -> list[Interaction]:
    """A person's interactions, newest first."""
    stmt = (
        select(Interaction)
        .join(InteractionPerson)
        .where(InteractionPerson.person_id == person.id)
        .order_by(Interaction.at.desc(), Interaction.id.desc())
    )
    if limit is not None:
        stmt = stmt.limit(limit)
    return list(db_session.execute(stmt).scalars())


def delete_interaction(*, db_session: Session, interaction_id: int) -> Interaction:
    row = db_session.get(Interaction, interaction_id) if 0 < interaction_id < 2**63 else None
    if row is None:
        raise NotFoundError(f"there is no interaction #{interaction_id}")
    row.people  # noqa: B018 - load the participants before the row goes
    db_session.delete(row)
    db_session.flush()
    return row


def add_knows(
    *, db_session: Session, a: Person, b: Person, source: EdgeSource = EdgeSource.STATED,
    strength_hint: float | None = None,
) -> Knows:
    """Record that A knows B (once per pair and source)."""
    if a.id == b.id:
        raise ValidationError("a person cannot know themselves")
    lo, hi = sorted((a.id, b.id))
    edge = db_session.execute(
        select(Knows).where(Knows.a_id == lo, Knows.b_id == hi, Knows.source == source)
    ).scalar_one_or_none()
    if edge is None:
        edge = Knows(a_id=lo, b_id=hi, source=source, strength_hint=strength_hint)
        db_session.add(edge)
        db_session.flush()
    return edge


def knows_of(*, db_session: Session, person: Person) -> list[Person]:
    """The people this person is known to know."""
    rows = db_session.execute(
        select(Knows.a_id, Knows.b_id).where(or_(Knows.a_id == person.id, Knows.b_id == person.id))
    ).all()
    ids = {b if a == person.id else a for a, b in rows}
    if not ids:
        return []
    return list(
        db_session.execute(select(Person).where(Person.id.in_(ids)).order_by(Person.name_key))
        .scalars()
    )


def introduce(
    *,
    db_session: Session,
    a: Person,
    b: Person,
    when: dt.datetime | dt.date,
    note: str | None = None,
    channel: Channel | str = Channel.EMAIL,
    source: str = "cli",
) -> Introduction:
    """You introduced A and B: a give to both, and a knows edge A–B."""
    if a.id == b.id:
        raise ValidationError("introduce two different people")
    interaction = log_interaction(
        db_session=db_session, people=[a, b], when=when, channel=channel, intent=Intent.GIVE,
        initiator=Initiator.ME, note=note or f"Introduced {a.display_name} and {b.display_name}",
        source=source,
    )
    day = when.date() if isinstance(when, dt.datetime) else when
    intro = Introduction(a_id=a.id, b_id=b.id, on=day, note=note, interaction_id=interaction.id)
    db_session.add(intro)
    add_knows(db_session=db_session, a=a, b=b, source=EdgeSource.INTRODUCTION)
    db_session.flush()
    return intro
