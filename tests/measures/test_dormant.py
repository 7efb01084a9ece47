"""Dormant ties: once strong, silent past 8x their rhythm (and a year), ranked for value."""

from __future__ import annotations

from typing import Any

import pytest

from netfolio.core.snapshot import Snapshot
from netfolio.measures import dormant_ties, tie_strength

D = 20_000


def every(person: int, start: int, end: int, step: int, **kw: Any) -> list[dict[str, Any]]:
    return [
        {"person": person, "day": d, "at": d * 86_400, **kw} for d in range(start, end + 1, step)
    ]


def network(fields: dict[int, list[str]] | None = None) -> Snapshot:
    fields = fields or {}
    ix = every(1, D - 1000, D - 400, 14, channel="in_person")  # very close, silent 412 days
    ix += every(1, D - 1000, D - 400, 28, initiator="them")
    ix += every(2, D - 1500, D - 500, 60, channel="call")  # close, silent 540 days
    ix += every(2, D - 1470, D - 530, 120, initiator="them")
    ix += every(3, D - 700, D - 3, 14, channel="video")  # current
    ix += every(4, D - 2100, D - 300, 200, channel="in_person")  # slow rhythm: never strong
    ix += [{"person": 5, "day": D - 900, "at": 0, "channel": "email"}]  # never strong
    people = [{"id": i, "fields": fields.get(i, [])} for i in range(1, 6)]
    return Snapshot.from_records(people=people, interactions=ix)


def test_dormant_ties_and_their_reasons() -> None:
    snap = network()
    ties = dormant_ties(snap, D)
    assert sorted(t.person_id for t in ties) == [1, 2]  # 3 is current, 4 and 5 never strong
    s = tie_strength(snap, D)
    one = next(t for t in ties if t.person_id == 1)
    # its rate until the last contact, the contact that opened the tie aside
    rate = (float(s.stats.weighted[0]) - 1) / (588 + 1) * 365.2425  # D-1000 to D-412
    assert one.typical_interval_days == pytest.approx(365.2425 / rate)
    assert one.days_silent == 412 and one.last_day == D - 412
    assert one.silence_ratio == pytest.approx(412 / one.typical_interval_days)
    assert one.silence_ratio > 8
    assert one.strength < 60 and one.peak > 90 and one.peak_tier == 5
    assert one.reasons == ("high_past_peak", "silent_past_rhythm", "silent_past_cadence")
    two = next(t for t in ties if t.person_id == 2)
    assert two.days_silent == 540 and two.silence_ratio > 8
    c = 50.0
    # no field gap: only the peak term, weight 0.6 of the two
    assert two.value == pytest.approx(100 * 0.6 * max(0.0, 1 - ((two.peak - c) / 50) ** 2))
    assert ties == sorted(ties, key=lambda t: -t.value)


def test_a_silence_within_the_rhythm_is_not_dormancy() -> None:
    # strong, but silent only 300 days: under a year
    ix = every(1, D - 1000, D - 300, 14, channel="in_person")
    snap = Snapshot.from_records(people=[{"id": 1}], interactions=ix)
    assert dormant_ties(snap, D) == []
    assert [t.person_id for t in dormant_ties(snap, D + 100)] == [1]


def test_a_field_gap_raises_the_value() -> None:
    fields = {1: ["arts"], 2: ["software"], 3: ["software"], 4: ["software"], 5: ["arts"]}
    ties = dormant_ties(network(fields), D)
    one = next(t for t in ties if t.person_id == 1)
    assert one.field_gap > 0.5 and "field_under_target" in one.reasons
    plain = next(t for t in dormant_ties(network(), D) if t.person_id == 1)
    assert one.value > plain.value  # the only tie into an under-weight field gains


def test_the_cadence_in_a_reason_is_named_as_the_peak_tiers() -> None:
    from types import SimpleNamespace

    from netfolio.reports import _dormant_reason

    tie = SimpleNamespace(days_silent=940, peak_tier=50, cadence_days=182)
    assert _dormant_reason("silent_past_cadence", tie) == (
        "silent 940 days, where its peak tier (50) expects contact every 182 days")
