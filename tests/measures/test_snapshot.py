"""The snapshot contract: construction from records, validation, calendar helpers."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone

import numpy as np
import pytest

from netfolio.core.enums import Channel, Initiator, Intent
from netfolio.core.snapshot import Snapshot, day_number, day_to_date, week_start
from netfolio.errors import PersonNotFound, ValidationError


def test_from_records_sorts_and_codes() -> None:
    madrid = timezone(timedelta(hours=1))
    snap = Snapshot.from_records(
        people=[
            {"id": 7, "name": "Cy", "fields": ["arts"]},
            {
                "id": 2,
                "name": "Ana",
                "fields": ["software", "finance"],
                "tier": 15,
                "closeness": 4,
                "connected": date(2020, 5, 1),
            },
        ],
        interactions=[
            {
                "people": [2, 7],
                "at": datetime(2024, 5, 1, 23, 30, tzinfo=madrid),
                "channel": "video",
                "initiator": Initiator.THEM,
                "intent": "share",
                "id": 40,
            },
            {"person": 2, "at": date(2024, 1, 1), "intent": Intent.ASK.code},
        ],
        asks=[{"person": 7, "day": date(2024, 2, 1), "direction": "theirs"}],
        edges=[(2, 7), {"a": 7, "b": 2}],
        own_fields=["software"],
        field_slugs=["law"],
    )
    assert list(snap.person_id) == [2, 7] and snap.name == ("Ana", "Cy")
    assert list(snap.tier_override) == [15, 0] and list(snap.closeness) == [4, 0]
    assert snap.connected_day[0] == day_number(date(2020, 5, 1)) and snap.connected_day[1] == -1
    assert snap.field_slugs == ("law", "software", "finance", "arts")
    assert snap.fields_of(0) == ("software", "finance") and snap.fields_of(1) == ("arts",)
    assert list(snap.own_field_mask) == [False, True, False, False]
    assert list(snap.fields_per_person) == [2, 1]
    # rows sorted by time; the January ask first; the video call on its local day
    assert list(snap.ix_person) == [0, 0, 1]
    assert list(snap.ix_id) == [41, 40, 40]
    assert snap.ix_day[1] == day_number(date(2024, 5, 1))  # 22:30 UTC, but May 1 in Madrid
    assert snap.ix_at[1] == int(datetime(2024, 5, 1, 22, 30, tzinfo=UTC).timestamp())
    assert snap.ix_channel[1] == Channel.VIDEO.code and snap.ix_intent[0] == Intent.ASK.code
    assert list(snap.group_size) == [1, 2, 2]
    assert list(snap.ask_person) == [1] and list(snap.edge_a) == [0, 1]
    assert snap.row_of(7) == 1
    with pytest.raises(PersonNotFound):
        snap.row_of(3)


def test_arrays_are_read_only() -> None:
    snap = Snapshot.from_records(people=[{"id": 1}])
    with pytest.raises(ValueError):
        snap.person_id[0] = 5


@pytest.mark.parametrize(
    "change",
    [
        {"person_id": np.array([2, 1])},
        {"tier_override": np.array([0, 7], dtype=np.int16)},
        {"closeness": np.array([0, 9], dtype=np.int8)},
        {"ix_person": np.array([5])},
        {"ix_at": np.array([1, 2])},
        {"name": ("only one",)},
    ],
)
def test_validation(change: dict[str, object]) -> None:
    snap = Snapshot.from_records(
        people=[{"id": 1}, {"id": 2}], interactions=[{"person": 1, "at": 100}]
    )
    with pytest.raises(ValidationError):
        replace(snap, **change)


def test_records_with_unknown_people_or_words() -> None:
    with pytest.raises(PersonNotFound):
        Snapshot.from_records(people=[{"id": 1}], interactions=[{"person": 2, "at": 0}])
    with pytest.raises(ValidationError):
        Snapshot.from_records(
            people=[{"id": 1}], interactions=[{"person": 1, "at": 0, "channel": "pigeon"}]
        )


def test_group_size_with_sparse_ids() -> None:
    snap = Snapshot.from_records(
        people=[{"id": 1}, {"id": 2}],
        interactions=[{"people": [1, 2], "at": 5, "id": 10**12}, {"person": 1, "at": 9, "id": 3}],
    )
    assert list(snap.group_size) == [2, 2, 1]


def test_days() -> None:
    assert day_number(date(1970, 1, 2)) == 1 and day_number(19_000) == 19_000
    assert day_number(datetime(2024, 5, 1, 23, 59)) == day_number(date(2024, 5, 1))
    assert day_to_date(day_number(date(2024, 2, 29))) == date(2024, 2, 29)
    assert day_to_date(int(week_start(day_number(date(2024, 5, 5))))) == date(2024, 4, 29)
    with pytest.raises(ValidationError):
        day_number("2024-01-01")  # type: ignore[arg-type]
    assert Snapshot.empty().n_people == 0 and Snapshot.empty().n_rows == 0
