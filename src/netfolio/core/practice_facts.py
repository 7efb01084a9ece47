"""The practice's pure inputs: the ledger facts it reads beyond the column snapshot
(birthdays, job changes, fulfilled asks, plan actions, tags and texts) as plain data.

Nothing here touches the database, so the read path (:mod:`netfolio.core.reader`, through
the DB-API) and the ORM path (:mod:`netfolio.core.plan_actions`) both fill these, and
:mod:`netfolio.practice` reads them without importing SQLAlchemy.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from netfolio.core.shapes import Plain, Ref

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


__all__ = [
    "ACTIONS",
    "ActionFact",
    "AskFact",
    "JobChangeFact",
    "LedgerFacts",
    "PlanActionInfo",
    "week_of",
]
