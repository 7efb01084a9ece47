"""Hypothesis strategies for small random networks, as plain records and snapshots."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from netfolio.core.enums import TIERS, Channel, Initiator, Intent
from netfolio.core.snapshot import Snapshot

DAY0 = 19_000  # 2022-01-08
SPAN = 1_500  # days of history in generated networks
FIELDS = ("software", "finance", "medicine", "arts", "law")


@st.composite
def interaction(draw: st.DrawFn, n_people: int, last_day: int = DAY0 + SPAN) -> dict[str, Any]:
    """One interaction with one to three of the people."""
    who = draw(st.lists(st.integers(1, n_people), min_size=1, max_size=3, unique=True))
    day = draw(st.integers(DAY0, last_day))
    return {
        "people": who,
        "day": day,
        "at": day * 86_400 + draw(st.integers(0, 86_399)),
        "channel": draw(st.sampled_from(list(Channel))),
        "initiator": draw(st.sampled_from(list(Initiator))),
        "intent": draw(st.sampled_from(list(Intent))),
    }


@st.composite
def network(
    draw: st.DrawFn, max_people: int = 6, max_interactions: int = 25, last_day: int = DAY0 + SPAN
) -> dict[str, Any]:
    """Records for ``Snapshot.from_records``: people with fields, closeness, tiers; contact."""
    n = draw(st.integers(1, max_people))
    people = [
        {
            "id": i,
            "fields": draw(st.lists(st.sampled_from(FIELDS), max_size=2, unique=True)),
            "closeness": draw(st.one_of(st.none(), st.integers(1, 5))),
            "tier": draw(st.one_of(st.none(), st.none(), st.sampled_from(TIERS))),
            "connected": draw(st.one_of(st.none(), st.integers(DAY0 - 400, last_day))),
        }
        for i in range(1, n + 1)
    ]
    interactions = draw(st.lists(interaction(n, last_day), max_size=max_interactions))
    own = draw(st.lists(st.sampled_from(FIELDS), max_size=2, unique=True))
    return {"people": people, "interactions": interactions, "own_fields": own}


def build(records: dict[str, Any]) -> Snapshot:
    return Snapshot.from_records(**records)
