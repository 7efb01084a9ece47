"""Plan actions (done, skip, snooze per person and week) and the ledger facts the practice
reads beyond the column snapshot: birthdays, job changes, fulfilled asks, tags and texts.

The weekly plan is computed, never stored; what is stored is what you did with it, so the next
plans respect it. The fact records here are plain data (no ORM rows), loaded with one query per
table, so :mod:`netfolio.practice` stays pure.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, or_, select, text
from sqlalchemy.orm import Session

from netfolio.core.enums import AskDirection, AskStatus
from netfolio.core.models import Ask, JobChange, Person, PersonField, PersonTag, PlanAction
from netfolio.core.shapes import Plain, Ref
from netfolio.core.snapshot import Snapshot
from netfolio.errors import ValidationError

#: What can be done with a person in a week's plan.
ACTIONS: tuple[str, ...] = ("done", "skip", "snooze")


def week_of(day: dt.date) -> dt.date:
    """The Monday that starts the ISO week containing ``day``."""
    return day - dt.timedelta(days=day.weekday())


@dataclass(frozen=True)
class ActionFact:
    """A remembered plan action: ``action`` on ``person_id`` in the week starting ``week``."""

    person_id: int
    week: dt.date
    action: str
    on: dt.date
    until: dt.date | None = None
    interaction_id: int | None = None


@dataclass(frozen=True)
class PlanActionInfo(Plain):
    """A plan action as it was recorded, for display (``interaction_id``: the touch logged;
    ``person`` in JSON)."""

    person_id: int
    person_name: str
    week: dt.date
    action: str
    on: dt.date
    until: dt.date | None = None
    interaction_id: int | None = None
    intent: str | None = None
    channel: str | None = None
    json_hidden = ("person_id", "person_name")
    json_extra = ("person",)

    @property
    def person(self) -> Ref:
        return Ref(self.person_id, self.person_name)


@dataclass(frozen=True)
class JobChangeFact:
    """A new title or organisation seen on ``seen_on`` (an occasion to congratulate)."""

    person_id: int
    seen_on: dt.date
    old_title: str | None
    new_title: str | None
    old_organisation: str | None
    new_organisation: str | None


@dataclass(frozen=True)
class AskFact:
    """One of your asks, fulfilled on ``closed_on``: a thank-you is due."""

    ask_id: int
    person_id: int
    what: str
    opened_on: dt.date
    closed_on: dt.date


@dataclass
class LedgerFacts:
    """What the practice needs beyond the snapshot, by person id.

    ``birthdays`` maps to ``(year or None, month, day)``; ``tags``, ``notes`` and
    ``locations`` are filled only when texts are loaded (ask mode); ``given_names`` always.
    """

    birthdays: dict[int, tuple[int | None, int, int]] = field(default_factory=dict)
    job_changes: list[JobChangeFact] = field(default_factory=list)
    fulfilled_asks: list[AskFact] = field(default_factory=list)
    actions: list[ActionFact] = field(default_factory=list)
    tags: dict[int, tuple[str, ...]] = field(default_factory=dict)
    notes: dict[int, str] = field(default_factory=dict)
    locations: dict[int, str] = field(default_factory=dict)
    given_names: dict[int, str] = field(default_factory=dict)
    field_names: dict[str, str] = field(default_factory=dict)


def record_plan_action(
    *,
    db_session: Session,
    person: Person,
    week: dt.date,
    action: str,
    on: dt.date,
    until: dt.date | None = None,
    interaction_id: int | None = None,
) -> PlanAction:
    """Remember ``action`` (done, skip, snooze) for a person in the week containing ``week``.

    A snooze needs ``until`` after the week's start. The same action for the same person and
    week replaces the earlier one.
    """
    if action not in ACTIONS:
        raise ValidationError(f"{action!r} is not a plan action; choose one of: done, skip, snooze")
    monday = week_of(week)
    if action == "snooze":
        if until is None:
            raise ValidationError("snooze until a date: --until 2026-12-14")
        if until <= on:
            raise ValidationError(f"snooze until a day after today ({on.isoformat()})")
    elif until is not None:
        raise ValidationError("only a snooze takes a date to wait until")
    db_session.execute(
        delete(PlanAction).where(
            PlanAction.person_id == person.id, PlanAction.week == monday,
            PlanAction.action == action,
        )
    )
    row = PlanAction(person_id=person.id, week=monday, action=action, on=on, until=until,
                     interaction_id=interaction_id)
    db_session.add(row)
    db_session.flush()
    return row


def list_plan_actions(
    *, db_session: Session, first_week: dt.date | None = None, last_week: dt.date | None = None
) -> list[ActionFact]:
    """Plan actions in the weeks from ``first_week`` to ``last_week`` (Mondays, inclusive),
    plus every snooze still running at ``first_week``; oldest first."""
    stmt = select(PlanAction).order_by(PlanAction.week, PlanAction.id)
    if first_week is not None:
        stmt = stmt.where(
            or_(PlanAction.week >= week_of(first_week),
                (PlanAction.action == "snooze") & (PlanAction.until > week_of(first_week)))
        )
    if last_week is not None:
        stmt = stmt.where(PlanAction.week <= week_of(last_week))
    return [
        ActionFact(person_id=a.person_id, week=a.week, action=a.action, on=a.on, until=a.until,
                   interaction_id=a.interaction_id)
        for a in db_session.execute(stmt).scalars()
    ]


def load_ledger_facts(
    *,
    db_session: Session,
    first_week: dt.date | None = None,
    last_week: dt.date | None = None,
    since: dt.date | None = None,
    texts: bool = False,
    person_ids: Sequence[int] | None = None,
) -> LedgerFacts:
    """Birthdays, job changes, fulfilled asks of yours, plan actions (of those weeks), given
    names, tags and field names; with ``texts`` also notes and locations. One query each.

    ``since`` drops job changes and fulfilled asks older than that day; ``person_ids`` limits
    everything per person to those people. Given names are kept only where they are not the
    first word of the display name (the coach falls back to that word).
    """
    from netfolio.core.models import Field

    conn = db_session.connection()
    facts = LedgerFacts()
    ids = list(person_ids) if person_ids is not None else None

    def only(stmt: Any, column: Any) -> Any:
        return stmt if ids is None else stmt.where(column.in_(ids))

    birthdays = select(Person.id, Person.birthday_year, Person.birthday_month,
                       Person.birthday_day).where(Person.birthday_month.is_not(None),
                                                  Person.birthday_day.is_not(None))
    for pid, year, month, day in conn.execute(only(birthdays, Person.id)):
        facts.birthdays[pid] = (year, month, day)
    given = select(Person.id, Person.given_name).where(
        Person.given_name.is_not(None),
        ~Person.display_name.like(Person.given_name + " %"),
        Person.display_name != Person.given_name,
    )
    facts.given_names = {pid: name for pid, name in conn.execute(only(given, Person.id)) if name}
    changes = select(JobChange).order_by(JobChange.seen_on, JobChange.id)
    if since is not None:
        changes = changes.where(JobChange.seen_on >= since)
    facts.job_changes = [
        JobChangeFact(person_id=r.person_id, seen_on=r.seen_on, old_title=r.old_title,
                      new_title=r.new_title, old_organisation=r.old_organisation,
                      new_organisation=r.new_organisation)
        for r in conn.execute(only(changes, JobChange.person_id))
    ]
    fulfilled = (
        select(Ask.id, Ask.person_id, Ask.what, Ask.opened_on, Ask.closed_on)
        .where(Ask.direction == AskDirection.MINE, Ask.status == AskStatus.FULFILLED,
               Ask.closed_on.is_not(None))
        .order_by(Ask.closed_on, Ask.id)
    )
    if since is not None:
        fulfilled = fulfilled.where(Ask.closed_on >= since)
    facts.fulfilled_asks = [
        AskFact(ask_id=aid, person_id=pid, what=what, opened_on=opened, closed_on=closed)
        for aid, pid, what, opened, closed in conn.execute(only(fulfilled, Ask.person_id))
        if closed is not None
    ]
    facts.actions = list_plan_actions(db_session=db_session, first_week=first_week,
                                      last_week=last_week)
    tags: dict[int, list[str]] = {}
    for pid, tag in conn.execute(only(select(PersonTag.person_id, PersonTag.tag),
                                      PersonTag.person_id)):
        tags.setdefault(pid, []).append(tag)
    facts.tags = {pid: tuple(sorted(ts)) for pid, ts in tags.items()}
    facts.field_names = {slug: name for slug, name in conn.execute(select(Field.slug, Field.name))}
    if texts:
        stmt = select(Person.id, Person.notes, Person.location).where(
            or_(Person.notes.is_not(None), Person.location.is_not(None))
        )
        for pid, notes, location in conn.execute(only(stmt, Person.id)):
            if notes:
                facts.notes[pid] = notes
            if location:
                facts.locations[pid] = location
    return facts


_PERSON_ROWS = text("""
SELECT ip.person_id, i.at, i.utc_offset, i.channel, i.initiator, i.intent, i.id
FROM interaction_person ip JOIN interaction i ON i.id = ip.interaction_id
WHERE ip.interaction_id IN (SELECT interaction_id FROM interaction_person WHERE person_id = :pid)
""")


def load_person_snapshot(
    *, db_session: Session, person: Person, own_fields: Sequence[str] = ()
) -> Snapshot:
    """A snapshot of one person's ledger: the person, everyone who shared an interaction with
    them (so group sizes come out right), those interactions, and their asks.

    Tie strength and goodwill depend on a person's own history only, so for this person they
    equal what the whole snapshot gives, at a fraction of the cost (the coach reads one tie).
    """
    rows = db_session.execute(_PERSON_ROWS, {"pid": person.id}).all()
    others = sorted({r[0] for r in rows} - {person.id})
    fields = db_session.execute(
        select(PersonField.field).where(PersonField.person_id == person.id)
    ).scalars().all()
    me = {"id": person.id, "name": person.display_name, "organisation": person.organisation,
          "title": person.title, "fields": list(fields), "tier": person.tier_override,
          "closeness": person.closeness, "connected": person.connected_on}
    asks = db_session.execute(
        select(Ask.person_id, Ask.direction, Ask.status, Ask.opened_on)
        .where(Ask.person_id == person.id)
    ).all()
    return Snapshot.from_records(
        people=[me, *({"id": o} for o in others)],
        interactions=[
            {"person": pid, "at": at, "day": (at + offset * 60) // 86_400, "channel": ch,
             "initiator": ini, "intent": intent, "id": iid}
            for pid, at, offset, ch, ini, intent, iid in rows
        ],
        asks=[{"person": a[0], "direction": a[1], "status": a[2], "day": a[3]} for a in asks],
        own_fields=own_fields,
    )


__all__ = [
    "ACTIONS",
    "ActionFact",
    "AskFact",
    "JobChangeFact",
    "LedgerFacts",
    "PlanActionInfo",
    "list_plan_actions",
    "load_ledger_facts",
    "load_person_snapshot",
    "record_plan_action",
    "week_of",
]
