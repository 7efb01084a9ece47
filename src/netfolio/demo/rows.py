"""The demo network as plain rows: :class:`DemoNetwork`, its columns, the hidden layers and
kinds of tie it was drawn from, and the day numbers it counts in."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
from numpy.typing import NDArray

Progress = Callable[[str, int, int], None]

#: What each tuple in :attr:`DemoNetwork.people` holds, in order (the ``person`` columns).
PERSON_COLUMNS: tuple[str, ...] = (
    "id", "display_name", "given_name", "family_name", "name_key", "organisation", "title",
    "location", "linkedin_url", "birthday_year", "birthday_month", "birthday_day", "how_met",
    "notes", "tier_override", "closeness", "connected_on",
)
EMAIL_COLUMNS = ("id", "person_id", "email", "kind")
PHONE_COLUMNS = ("id", "person_id", "e164", "raw", "kind")
ASK_COLUMNS = ("id", "person_id", "direction", "what", "status", "opened_on", "closed_on")
INTRODUCTION_COLUMNS = ("id", "a_id", "b_id", "on", "note", "interaction_id")
#: The arrays in :attr:`DemoNetwork.interactions` (``ask_id`` 0 means none, ``note`` may be None).
INTERACTION_COLUMNS = (
    "id", "at", "utc_offset", "date_only", "channel", "initiator", "intent", "ask_id", "note",
)

#: Hidden layers, closest first: 0 very close (~5 per 300), 1 close, 2 the 50, 3 the 150,
#: 4 acquaintances, 5 not in any layer (ask-only ties, takers, connections never contacted).
LAYER_NAMES = ("very_close", "close", "fifty", "hundred_fifty", "acquaintance", "outside")
#: Hidden kinds of tie.
KIND_NAMES = ("regular", "dormant", "ask_only", "taker", "never_contacted")
REGULAR, DORMANT, ASK_ONLY, TAKER, NEVER = range(5)
SECONDS_PER_DAY = 86_400
EPOCH = dt.date(1970, 1, 1)


@dataclass(eq=False)
class DemoNetwork:
    """A generated network as plain rows, ready to write; see the ``*_COLUMNS`` constants.

    Person ids run from 1; ``layer[i]`` and ``kind[i]`` describe person ``i + 1`` (the hidden
    truth the interactions were drawn from: see :data:`LAYER_NAMES`, :data:`KIND_NAMES`).
    """

    today: dt.date
    years: int
    seed: int
    #: the user's settings: name, emails, own_fields, weekly_budget
    me: dict[str, Any]
    people: list[tuple[Any, ...]]
    emails: list[tuple[int, int, str, str]]
    phones: list[tuple[int, int, str, str, str]]
    #: (person_id, field slug); a person's first row is their primary field
    person_fields: list[tuple[int, str]]
    #: (person_id, tag)
    tags: list[tuple[int, str]]
    asks: list[tuple[Any, ...]]
    #: column arrays named by :data:`INTERACTION_COLUMNS`, in time order, ids from 1
    interactions: dict[str, NDArray[Any]]
    #: (interaction_id, person_id) rows
    participants: NDArray[np.int64]
    introductions: list[tuple[Any, ...]]
    #: (id, a_id, b_id, source code) rows with a_id < b_id
    knows: NDArray[np.int64]
    layer: NDArray[np.int8]
    kind: NDArray[np.int8]
    #: person ids worth showing in the tour, by what they show
    highlights: dict[str, int] = field(default_factory=dict)

    @property
    def interaction_count(self) -> int:
        return len(self.interactions["id"])

    def shifted(self, offsets: dict[str, int]) -> DemoNetwork:
        """The same network with every id of a table moved up by ``offsets[table]`` (the
        tables whose ids the demo gives), so that it can join a database other users share."""
        p, i, a = offsets["person"], offsets["interaction"], offsets["ask"]
        e, ph, x, k = (offsets["person_email"], offsets["person_phone"],
                       offsets["introduction"], offsets["knows"])
        interactions = dict(self.interactions)
        interactions["id"] = self.interactions["id"] + i
        asked = self.interactions["ask_id"]
        interactions["ask_id"] = np.where(asked > 0, asked + a, 0)
        return replace(
            self,
            people=[(row[0] + p, *row[1:]) for row in self.people],
            emails=[(r[0] + e, r[1] + p, *r[2:]) for r in self.emails],
            phones=[(r[0] + ph, r[1] + p, *r[2:]) for r in self.phones],
            person_fields=[(pid + p, slug) for pid, slug in self.person_fields],
            tags=[(pid + p, tag) for pid, tag in self.tags],
            asks=[(r[0] + a, r[1] + p, *r[2:]) for r in self.asks],
            interactions=interactions,
            participants=self.participants + np.array([i, p], dtype=np.int64),
            introductions=[(r[0] + x, r[1] + p, r[2] + p, r[3], r[4],
                            None if r[5] is None else r[5] + i) for r in self.introductions],
            knows=self.knows + np.array([k, p, p, 0], dtype=np.int64),
            highlights={name: pid + p for name, pid in self.highlights.items()},
        )

    def counts(self) -> dict[str, int]:
        """Rows per table, as :func:`write` puts them in the ledger."""
        return {
            "person": len(self.people),
            "person_email": len(self.emails),
            "person_phone": len(self.phones),
            "person_field": len(self.person_fields),
            "person_tag": len(self.tags),
            "ask": len(self.asks),
            "interaction": self.interaction_count,
            "interaction_person": len(self.participants),
            "introduction": len(self.introductions),
            "knows": len(self.knows),
        }



def day_date(day: int) -> dt.date:
    return dt.date.fromordinal(EPOCH.toordinal() + day)


def day_dates(days: NDArray[np.int64]) -> list[dt.date]:
    """Day numbers as dates, all at once."""
    dates: list[dt.date] = np.asarray(days, np.int64).astype("datetime64[D]").tolist()
    return dates
