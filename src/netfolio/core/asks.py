"""Asks: requests for help in either direction, with their status."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from netfolio.core.enums import AskDirection, AskStatus, Channel, Initiator, Intent
from netfolio.core.interactions import log_interaction
from netfolio.core.models import Ask, Person
from netfolio.errors import NotFoundError, ValidationError


def record_ask(
    *,
    db_session: Session,
    person: Person,
    what: str,
    direction: AskDirection | str = AskDirection.MINE,
    when: dt.datetime | dt.date,
    channel: Channel | str = Channel.MESSAGE,
    source: str = "cli",
) -> Ask:
    """Record an ask (a withdrawal when it is mine) and the interaction that carried it."""
    if not what.strip():
        raise ValidationError("say what was asked")
    direction = AskDirection.parse(direction) if isinstance(direction, str) else direction
    day = when.date() if isinstance(when, dt.datetime) else when
    ask = Ask(person_id=person.id, direction=direction, what=what.strip(), opened_on=day,
              status=AskStatus.OPEN, source=source)
    db_session.add(ask)
    db_session.flush()
    mine = direction is AskDirection.MINE
    log_interaction(
        db_session=db_session, people=[person], when=when, channel=channel,
        intent=Intent.ASK if mine else Intent.ASKED_OF_ME,
        initiator=Initiator.ME if mine else Initiator.THEM, note=what.strip(),
        source=source, ask_id=ask.id,
    )
    return ask


def resolve_ask(
    *, db_session: Session, ask_id: int, status: AskStatus | str, on: dt.date
) -> Ask:
    """Close an ask as fulfilled, declined or withdrawn."""
    status = AskStatus.parse(status) if isinstance(status, str) else status
    if status is AskStatus.OPEN:
        raise ValidationError("resolve an ask as fulfilled, declined or withdrawn")
    ask = db_session.get(Ask, ask_id)
    if ask is None:
        raise NotFoundError(f"there is no ask #{ask_id}")
    ask.status, ask.closed_on = status, on
    db_session.flush()
    return ask


def asks_of(*, db_session: Session, person: Person) -> list[Ask]:
    return list(
        db_session.execute(
            select(Ask).where(Ask.person_id == person.id).order_by(Ask.opened_on.desc())
        ).scalars()
    )
