"""The goodwill ledger: deposits and withdrawals per person, the ask budget, the transactional
index, ask-only ties and takers.

Every interaction on or before the as-of day carries goodwill by its intent
(``Params.intent_goodwill``): catch_up +1, share +1, give +2 (introductions are gives), ask -2,
received -1, asked_of_me 0. A person's balance is deposits minus withdrawals, whoever started
the contact. Recorded asks (the asks table) do not move the balance (their interaction does);
they count toward the ask budget and the open-ask counts.

The transactional index is the share of the outreach you started (every interaction with
initiator "me") in the last 12 months that was an ask.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from netfolio.core.enums import AskDirection, AskStatus, Initiator, Intent
from netfolio.core.snapshot import AsOf, Snapshot, day_number
from netfolio.measures.params import DEFAULT_PARAMS, Params
from netfolio.measures.value import DEPOSIT, value_days


@dataclass(frozen=True, eq=False)
class Goodwill:
    """Per-person goodwill at ``as_of`` (arrays of length P) and the total balance.

    ``withdrawals`` is positive (the amount taken). ``last_ask_day`` is your latest ask of the
    person (interaction or recorded ask; -1 none) and ``next_ask_day`` the first day the ask
    budget allows another (-1: any time). ``can_ask`` needs both the budget and a balance of
    at least 0. ``inbound_asks`` counts asked_of_me contacts; ``inbound_builds`` their deposits
    toward you (catch_up, share, give they started) plus help received. ``ask_only`` marks
    people you contacted only to ask; ``taker`` people whose contact with you is mostly asking.
    """

    as_of: int
    deposits: NDArray[np.float64]
    withdrawals: NDArray[np.float64]
    balance: NDArray[np.float64]
    asks_mine: NDArray[np.int32]
    last_ask_day: NDArray[np.int32]
    next_ask_day: NDArray[np.int32]
    can_ask: NDArray[np.bool_]
    open_asks_mine: NDArray[np.int32]
    open_asks_theirs: NDArray[np.int32]
    inbound_asks: NDArray[np.int32]
    inbound_builds: NDArray[np.int32]
    ask_only: NDArray[np.bool_]
    taker: NDArray[np.bool_]

    @property
    def total(self) -> float:
        """The network's goodwill balance: the sum over people."""
        return float(self.balance.sum())


@dataclass(frozen=True, eq=False)
class TransactionalIndex:
    """Asks / outreach you started in the window ending ``as_of`` (0 when no outreach).

    ``builds`` are your deposits in the window and ``cold_asks`` asks of people you had made no
    deposit with before that day. The series gives the index at ``days`` (month-ends), each over
    its own trailing window.
    """

    as_of: int
    window_days: int
    value: float
    asks: int
    outreach: int
    builds: int
    cold_asks: int
    days: NDArray[np.int32]
    series: NDArray[np.float64]

    @property
    def builds_per_ask(self) -> float | None:
        """Deposits per ask in the window (None without asks)."""
        return self.builds / self.asks if self.asks else None


def goodwill_balances(snapshot: Snapshot, as_of: AsOf, params: Params = DEFAULT_PARAMS) -> Goodwill:
    """Goodwill per person at the end of day ``as_of``, with the ask budget and flags."""
    day = day_number(as_of)
    p = snapshot.n_people
    n_intents = len(Intent.__members__)
    ask, asked_of_me = Intent.ASK.code, Intent.ASKED_OF_ME.code
    last_ask = np.full(p, -1, dtype=np.int64)
    state = snapshot.state_for(day)
    if state is not None:  # the counts kept per person
        counts = state.cells.reshape(p, n_intents, 2)
        last_ask = state.last_ask_day.copy()
    else:
        on = snapshot.ix_day <= day
        # one pass: interactions per person, intent and initiator -> counts[person, intent, me?]
        me_code = Initiator.ME.code
        cell = snapshot.ix_intent.astype(np.int64) * 2 + (snapshot.ix_initiator == me_code)
        key = snapshot.ix_person.astype(np.int64) * (2 * n_intents) + cell
        counts = np.bincount(key[on], minlength=p * 2 * n_intents).reshape(p, n_intents, 2)
        asks = on & (snapshot.ix_intent == ask)
        np.maximum.at(last_ask, snapshot.ix_person[asks], snapshot.ix_day[asks].astype(np.int64))
    by_intent = counts.sum(axis=2)
    weight = np.asarray(params.intent_goodwill, dtype=np.float64)
    deposits = by_intent @ np.maximum(weight, 0.0)
    withdrawals = by_intent @ np.maximum(-weight, 0.0)
    balance = deposits - withdrawals

    recorded = snapshot.ask_day <= day
    mine = snapshot.ask_direction == AskDirection.MINE.code
    yours = mine & recorded
    np.maximum.at(last_ask, snapshot.ask_person[yours], snapshot.ask_day[yours].astype(np.int64))
    next_ask = np.where(last_ask >= 0, np.ceil(last_ask + params.ask_budget_days), -1)
    next_ask = next_ask.astype(np.int32)
    open_ = (snapshot.ask_status == AskStatus.OPEN.code) & recorded

    def asks_count(mask: NDArray[np.bool_]) -> NDArray[np.int32]:
        return np.bincount(snapshot.ask_person[mask], minlength=p).astype(np.int32)

    deposit = np.asarray([i.is_deposit for i in Intent])
    inbound_asks = by_intent[:, asked_of_me]
    inbound_builds = counts[:, deposit, 0].sum(axis=1) + by_intent[:, Intent.RECEIVED.code]
    started = counts[:, :, 1].sum(axis=1)
    taker = (inbound_asks >= params.taker_min_asks) & (
        inbound_asks > params.taker_share * (inbound_asks + inbound_builds)
    )
    return Goodwill(
        as_of=day,
        deposits=deposits,
        withdrawals=withdrawals,
        balance=balance,
        asks_mine=by_intent[:, ask].astype(np.int32),
        last_ask_day=last_ask.astype(np.int32),
        next_ask_day=next_ask,
        can_ask=(balance >= 0) & ((next_ask < 0) | (day >= next_ask)),
        open_asks_mine=asks_count(open_ & mine),
        open_asks_theirs=asks_count(open_ & ~mine),
        inbound_asks=inbound_asks.astype(np.int32),
        inbound_builds=inbound_builds.astype(np.int32),
        ask_only=(started > 0) & (counts[:, ask, 1] == started),
        taker=taker,
    )


def transactional_index(
    snapshot: Snapshot, as_of: AsOf, params: Params = DEFAULT_PARAMS
) -> TransactionalIndex:
    """Asks / all outreach you started over the last ``frequency_window_days``, and a monthly
    series of the same ratio (vectorised with sorted days and ``searchsorted``)."""
    day = day_number(as_of)
    snapshot.require_rows("the transactional index")
    window = params.frequency_window_days
    me = snapshot.ix_initiator == Initiator.ME.code
    ask = me & (snapshot.ix_intent == Intent.ASK.code)
    build = me & DEPOSIT[snapshot.ix_intent]
    days = value_days(snapshot, day, params)

    def trailing(mask: NDArray[np.bool_]) -> NDArray[np.int64]:
        d = snapshot.ix_day[mask]
        if not snapshot.days_sorted:
            d = np.sort(d)
        return np.searchsorted(d, days, side="right") - np.searchsorted(d, days - window, "right")

    asks, outreach, builds = trailing(ask), trailing(me), trailing(build)
    with np.errstate(divide="ignore", invalid="ignore"):
        series = np.where(outreach > 0, asks / outreach, 0.0)
    # cold asks: asks of a person before (or without) any deposit you made with them
    first_build = np.full(snapshot.n_people, np.iinfo(np.int32).max, dtype=np.int32)
    np.minimum.at(first_build, snapshot.ix_person[build], snapshot.ix_day[build])
    in_window = ask & (snapshot.ix_day > day - window) & (snapshot.ix_day <= day)
    cold = snapshot.ix_day[in_window] <= first_build[snapshot.ix_person[in_window]]
    return TransactionalIndex(
        as_of=day,
        window_days=window,
        value=float(series[-1]),
        asks=int(asks[-1]),
        outreach=int(outreach[-1]),
        builds=int(builds[-1]),
        cold_asks=int(np.count_nonzero(cold)),
        days=days,
        series=series,
    )


__all__ = ["Goodwill", "TransactionalIndex", "goodwill_balances", "transactional_index"]
