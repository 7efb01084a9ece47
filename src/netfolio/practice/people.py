"""A person as the practice sees them: a plain reference, a reason, and the coach's facts.

Everything here is read from a :class:`~netfolio.core.snapshot.Snapshot`, a strength result and
the :class:`~netfolio.core.practice_facts.LedgerFacts`, for one row at a time (the plan and ask
mode only ever describe a handful of people).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from netfolio.core.practice_facts import LedgerFacts
from netfolio.core.shapes import Plain
from netfolio.core.snapshot import Snapshot, day_to_date
from netfolio.measures import StrengthResult
from netfolio.practice.coach import PersonFacts, TieFacts


@dataclass(frozen=True)
class Reason(Plain):
    """Why a person is suggested: a stable ``code``, one line for people, and the numbers."""

    code: str
    text: str
    facts: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class PersonRef(Plain):
    """Who, in plain data: id, name, organisation, title and field slugs."""

    id: int
    name: str
    organisation: str = ""
    title: str = ""
    fields: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return f"{self.name} ({self.organisation})" if self.organisation else self.name


def person_ref(snapshot: Snapshot, row: int) -> PersonRef:
    return PersonRef(
        id=int(snapshot.person_id[row]), name=snapshot.name[row],
        organisation=snapshot.organisation[row], title=snapshot.title[row],
        fields=snapshot.fields_of(row),
    )


def person_facts(snapshot: Snapshot, row: int, facts: LedgerFacts) -> PersonFacts:
    """What the coach may use about the person in ``row``."""
    pid = int(snapshot.person_id[row])
    return PersonFacts(
        name=snapshot.name[row],
        given_name=facts.given_names.get(pid),
        title=snapshot.title[row] or None,
        organisation=snapshot.organisation[row] or None,
        fields=tuple(facts.field_names.get(s, s) for s in snapshot.fields_of(row)),
        tags=facts.tags.get(pid, ()),
        notes=facts.notes.get(pid),
    )


def tie_facts(
    strength: StrengthResult, row: int, balance: float = 0.0, **occasion: Any
) -> TieFacts:
    """What the coach may use about the tie in ``row`` (``occasion``: TieFacts' extras)."""
    stats = strength.stats
    contacted = bool(stats.count[row] > 0)
    last = int(stats.last_day[row])
    return TieFacts(
        strength=float(strength.score[row]),
        contacted=contacted,
        days_since=strength.as_of - last if contacted else None,
        last_month=day_to_date(last).strftime("%B %Y") if contacted else None,
        balance=float(balance),
        **occasion,
    )


def jitter(person_id: NDArray[np.int64], salt: int) -> NDArray[np.float64]:
    """A reproducible number in [0, 1) per person and ``salt`` (a week, a need): the same
    inputs give the same order on every machine, and different weeks rotate equal scores."""
    with np.errstate(over="ignore"):
        x = person_id.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15) + np.uint64(
            (salt * 0xBF58476D1CE4E5B9) & 0xFFFFFFFFFFFFFFFF)
        x ^= x >> np.uint64(30)
        x *= np.uint64(0xBF58476D1CE4E5B9)
        x ^= x >> np.uint64(27)
        x *= np.uint64(0x94D049BB133111EB)
        x ^= x >> np.uint64(31)
    return (x >> np.uint64(11)).astype(np.float64) / float(1 << 53)


__all__ = ["PersonRef", "Reason", "jitter", "person_facts", "person_ref", "tie_facts"]
