"""The goodwill ledger, ask budget, transactional index, ask-only ties and takers."""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np
import pytest

from netfolio.core.snapshot import Snapshot, day_number
from netfolio.measures import goodwill_balances, transactional_index

D = day_number(date(2024, 6, 30))


def ix(person: int, day: int, intent: str, initiator: str = "me") -> dict[str, Any]:
    return {
        "person": person,
        "day": day,
        "at": day * 86_400,
        "intent": intent,
        "initiator": initiator,
    }


def ledger() -> Snapshot:
    return Snapshot.from_records(
        people=[{"id": i} for i in range(1, 6)],
        interactions=[
            # 1: a friend: catch-ups, a give, one ask two months ago
            ix(1, D - 300, "catch_up"),
            ix(1, D - 200, "give"),
            ix(1, D - 100, "share", "them"),
            ix(1, D - 60, "ask"),
            # 2: contacted only to ask
            ix(2, D - 30, "ask"),
            ix(2, D - 10, "received", "them"),
            # 3: a taker: asks of me, little else
            ix(3, D - 90, "asked_of_me", "them"),
            ix(3, D - 50, "asked_of_me", "them"),
            ix(3, D - 20, "catch_up", "them"),
            ix(3, D - 5, "asked_of_me", "them"),
            # 4: after the as-of date: ignored
            ix(4, D + 1, "ask"),
        ],
        asks=[
            {"person": 5, "day": D - 10, "direction": "mine", "status": "open"},
            {"person": 3, "day": D - 5, "direction": "theirs", "status": "open"},
        ],
    )


def test_balances() -> None:
    g = goodwill_balances(ledger(), D)
    # 1: +1 +2 +1 -2 = 2; 2: -2 -1 = -3; 3: asked_of_me 0, catch_up +1 = 1
    assert list(g.deposits) == [4.0, 0.0, 1.0, 0.0, 0.0]
    assert list(g.withdrawals) == [2.0, 3.0, 0.0, 0.0, 0.0]
    assert list(g.balance) == [2.0, -3.0, 1.0, 0.0, 0.0]
    assert g.total == 0.0


def test_ask_budget() -> None:
    g = goodwill_balances(ledger(), D)
    assert list(g.last_ask_day) == [D - 60, D - 30, -1, -1, D - 10]  # 5: a recorded ask
    assert g.next_ask_day[0] == int(np.ceil(D - 60 + 6 * 365.2425 / 12))
    assert list(g.can_ask) == [False, False, True, True, False]  # 2: balance below zero too
    assert list(g.open_asks_mine) == [0, 0, 0, 0, 1]
    assert list(g.open_asks_theirs) == [0, 0, 1, 0, 0]
    later = goodwill_balances(ledger(), D + 130)
    assert later.can_ask[0] and not later.can_ask[1]


def test_ask_only_and_takers() -> None:
    g = goodwill_balances(ledger(), D)
    assert list(g.ask_only) == [False, True, False, False, False]
    assert list(g.inbound_asks) == [0, 0, 3, 0, 0]
    assert list(g.inbound_builds) == [1, 1, 1, 0, 0]  # their share; received; their catch-up
    assert list(g.taker) == [False, False, True, False, False]


def test_transactional_index() -> None:
    t = transactional_index(ledger(), D)
    # started by me in the last year: catch_up, give, ask (1), ask (2): 2 asks of 4
    assert (t.asks, t.outreach, t.builds) == (2, 4, 2)
    assert t.value == pytest.approx(0.5)
    assert t.builds_per_ask == 1.0
    assert t.cold_asks == 1  # the ask of person 2, with whom I had built nothing
    assert t.days[-1] == D and t.series[-1] == t.value
    # month-end by month-end: by the end of January only the catch-up (0 asks of 1)
    jan = list(t.days).index(day_number(date(2024, 1, 31)))
    assert t.series[jan] == 0.0
    assert np.all((t.series >= 0) & (t.series <= 1))


def test_empty_ledger() -> None:
    t = transactional_index(Snapshot.empty(), D)
    assert (t.value, t.asks, t.outreach, t.builds_per_ask) == (0.0, 0, 0, None)
    assert goodwill_balances(Snapshot.empty(), D).total == 0.0
