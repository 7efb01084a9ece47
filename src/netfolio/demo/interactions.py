"""The interactions: drawn per tie (intent, initiator, channel, groups), the introductions, put
in time order with local times and notes, and the asks they carry."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from netfolio.core.enums import AskDirection, AskStatus, Channel, Initiator, Intent
from netfolio.core.taxonomy import taxonomy
from netfolio.demo.people import People
from netfolio.demo.rows import (
    ASK_ONLY,
    REGULAR,
    SECONDS_PER_DAY,
    TAKER,
    day_dates,
)
from netfolio.demo.ties import Ties
from netfolio.demo.vocabulary import (
    Vocabulary,
)

# storage codes, as plain ints for numpy
_CATCH_UP, _SHARE, _GIVE, _ASK, _RECEIVED, _ASKED_OF_ME = (
    Intent.CATCH_UP.code, Intent.SHARE.code, Intent.GIVE.code, Intent.ASK.code,
    Intent.RECEIVED.code, Intent.ASKED_OF_ME.code,
)
_INTENT_PHRASES = {
    _CATCH_UP: "catch_up", _SHARE: "share", _GIVE: "give", _ASK: "ask", _RECEIVED: "received",
    _ASKED_OF_ME: "asked_of_me",
}
# Asks each way per year a regular tie was active, at most (at least one): even a very close
# friend is asked a favour a few times a year, not once in every thirty contacts.
_ASKS_PER_YEAR = 1.0
# Channel mix by layer: in_person, call, video, message, email, event, social.
_CHANNELS = np.array(
    [
        [0.34, 0.18, 0.08, 0.32, 0.03, 0.04, 0.01],
        [0.25, 0.15, 0.10, 0.33, 0.07, 0.07, 0.03],
        [0.15, 0.10, 0.12, 0.30, 0.15, 0.12, 0.06],
        [0.08, 0.06, 0.10, 0.26, 0.25, 0.15, 0.10],
        [0.03, 0.03, 0.07, 0.20, 0.30, 0.20, 0.17],
    ]
)
# Asks, and asks of me, per interaction by layer (scaled per person); the rest of the mix
# (catch_up, share, give, received) by layer.
_P_ASK = np.array([0.03, 0.04, 0.05, 0.06, 0.08])
_P_ASKED_OF_ME = np.array([0.04, 0.05, 0.06, 0.06, 0.06])
_DEPOSITS = np.array(
    [
        [0.62, 0.12, 0.18, 0.08],
        [0.55, 0.17, 0.19, 0.09],
        [0.45, 0.25, 0.22, 0.08],
        [0.40, 0.30, 0.22, 0.08],
        [0.35, 0.33, 0.25, 0.07],
    ]
)
# Local hour of day of a contact.
_HOURS = np.array(
    [0.2, 0.1, 0.05, 0.05, 0.05, 0.1, 0.4, 1.5, 3.5, 6.5, 7.5, 7.5, 8.5, 7.5, 6.5, 6.5, 6.5,
     6.0, 6.5, 7.0, 6.0, 4.0, 2.0, 0.8]
)


@dataclass
class _Drawn:
    """Interactions before they are put in time order (one primary person each)."""

    person: NDArray[np.int64]
    day: NDArray[np.int64]
    channel: NDArray[np.int64]
    intent: NDArray[np.int64]
    initiator: NDArray[np.int64]
    extra: NDArray[np.int64]  # (index into these arrays, person index): more participants


def _categorical(rng: np.random.Generator, table: NDArray[np.float64], rows: NDArray[Any]) -> Any:
    """One draw per element of ``rows`` from the probabilities in ``table[rows]``."""
    cum = np.cumsum(table, axis=1)
    cum /= cum[:, -1:]
    u = rng.random(len(rows))
    out = np.zeros(len(rows), np.int64)
    for r in range(len(table)):
        at = rows == r
        out[at] = np.minimum(np.searchsorted(cum[r], u[at], side="right"), len(cum[r]) - 1)
    return out


def _weekday_shift(
    rng: np.random.Generator, day: NDArray[np.int64], work: NDArray[np.bool_]
) -> Any:
    """Move most work contacts that fell on a weekend to the Friday before."""
    weekday = (day + 3) % 7  # 1970-01-01 was a Thursday; 0 = Monday
    move = work & (weekday >= 5) & (rng.random(len(day)) < 0.7)
    return np.where(move, day - (weekday - 4), day)


def draw_interactions(
    rng: np.random.Generator, ties: Ties, people: People, first: int, today: int
) -> _Drawn:
    n = len(ties.layer)
    who = np.repeat(np.arange(n, dtype=np.int64), ties.count)
    lo = np.maximum(ties.start, first + 1)[who]
    hi = np.maximum(ties.end[who], lo + 1)
    day = lo + (rng.random(len(who)) * (hi - lo)).astype(np.int64)
    layer = np.minimum(ties.layer[who], 4).astype(np.int64)
    kind = ties.kind[who]
    day = _weekday_shift(rng, day, layer >= 2)
    day = np.clip(day, first + 1, today - 1)
    m = len(who)

    # intent: asks and asks-of-me by layer and by each person's habits, then the deposits
    ask_habit = rng.gamma(2.0, 0.5, n)
    asked_habit = rng.gamma(2.0, 0.5, n)
    p_ask = _P_ASK[layer] * ask_habit[who]
    p_asked = _P_ASKED_OF_ME[layer] * asked_habit[who]
    u = rng.random(m)
    deposit = np.array([_CATCH_UP, _SHARE, _GIVE,
                        _RECEIVED])[_categorical(rng, _DEPOSITS, layer)]
    intent = np.where(
        u < p_ask, _ASK, np.where(u < p_ask + p_asked, _ASKED_OF_ME, deposit)
    )
    _cap_asks(rng, ties, who, intent, first)
    intent[kind == ASK_ONLY] = _ASK
    intent[kind == TAKER] = _ASKED_OF_ME

    # who started it: both sides for close ties; some ties are one-sided
    p_me = np.where(
        ties.layer <= 1, rng.beta(5, 5, n), np.where(ties.layer == 2, rng.beta(6, 4, n),
                                                     rng.beta(7, 3, n))
    )
    p_me = np.where(rng.random(n) < 0.12, 0.97, p_me)
    v = rng.random(m)
    me_starts = np.select(
        [intent == _ASK, intent == _ASKED_OF_ME,
         intent == _GIVE, intent == _RECEIVED],
        [np.ones(m, bool), np.zeros(m, bool), v < 0.9, v < 0.15],
        default=v < p_me[who],
    )
    initiator = np.where(me_starts, Initiator.ME.code, Initiator.THEM.code)

    channel = _categorical(rng, _CHANNELS, layer)
    lean = (kind == ASK_ONLY) | (kind == TAKER)
    channel[lean] = np.array([Channel.MESSAGE.code, Channel.EMAIL.code, Channel.CALL.code])[
        rng.choice(3, int(lean.sum()), p=[0.5, 0.35, 0.15])
    ]

    # group interactions: 2-4 people from one organisation, or from one circle of friends
    friendly = (ties.kind == REGULAR) & (ties.layer <= 3)
    group = np.flatnonzero(
        friendly[who] & ((intent == _CATCH_UP) | (intent == _SHARE)) & (rng.random(m) < 0.03)
    )
    channel[group] = np.array([Channel.IN_PERSON.code, Channel.VIDEO.code, Channel.EVENT.code])[
        rng.choice(3, len(group), p=[0.6, 0.25, 0.15])
    ]
    extra = _group_members(rng, ties, people, friendly, group, who)
    return _Drawn(who, day, channel, intent, initiator, extra)


def _cap_asks(rng: np.random.Generator, ties: Ties, who: NDArray[np.int64],
              intent: NDArray[np.int64], first: int) -> None:
    """Keep at most ``_ASKS_PER_YEAR`` asks each way per active year of a tie; the rest become
    catch-ups (in place). Which asks are kept is random."""
    active_years = (ties.end - np.maximum(ties.start, first + 1)) / 365.25
    allowed = np.maximum(1, np.round(_ASKS_PER_YEAR * active_years)).astype(np.int64)
    for code in (_ASK, _ASKED_OF_ME):
        idx = np.flatnonzero(intent == code)
        if not len(idx):
            continue
        order = idx[np.lexsort((rng.random(len(idx)), who[idx]))]
        owner = who[order]
        starts = np.r_[0, np.flatnonzero(np.diff(owner)) + 1]
        rank = np.arange(len(order)) - np.repeat(starts, np.diff(np.r_[starts, len(order)]))
        intent[order[rank >= allowed[owner]]] = _CATCH_UP


def _group_members(
    rng: np.random.Generator,
    ties: Ties,
    people: People,
    friendly: NDArray[np.bool_],
    group: NDArray[np.int64],
    who: NDArray[np.int64],
) -> NDArray[np.int64]:
    """1-3 more people for each group interaction: colleagues, or else close friends.

    Returns (index of the interaction, person index) rows, without the person it is with.
    """
    friends = np.flatnonzero(friendly & (ties.layer <= 2))
    pool_org = np.where(friendly, people.org_id, -1)
    members = np.flatnonzero(pool_org >= 0)
    members = members[np.argsort(pool_org[members], kind="stable")]
    orgs, starts, sizes = np.unique(pool_org[members], return_index=True, return_counts=True)
    if not len(group) or not (len(members) or len(friends)):
        return np.zeros((0, 2), np.int64)
    g = np.repeat(group, rng.integers(1, 4, len(group)))
    p = who[g]
    pos = np.clip(np.searchsorted(orgs, pool_org[p]), 0, max(len(orgs) - 1, 0))
    has_org = (pool_org[p] >= 0) & (sizes[pos] > 1) if len(orgs) else np.zeros(len(g), bool)
    u = rng.random(len(g))
    colleague = members[starts[pos] + (u * sizes[pos]).astype(np.int64)] if len(orgs) else p
    friend = friends[(u * len(friends)).astype(np.int64)] if len(friends) else p
    other = np.where(has_org, colleague, friend)
    rows = np.unique(np.stack([g, other], axis=1)[other != p], axis=0)
    return rows.astype(np.int64)


def draw_introductions(
    rng: np.random.Generator, ties: Ties, people: People, first: int, today: int
) -> list[tuple[int, int, int]]:
    """You introduced A and B: pairs (a, b, day), added to the drawn interactions as gives."""
    n = len(ties.layer)
    ok = ties.kind == REGULAR
    givers = np.flatnonzero(ok & (ties.layer <= 3))
    takers = np.flatnonzero(ok & (ties.layer >= 1) & (ties.layer <= 4))
    if len(givers) < 1 or len(takers) < 2:
        return []
    wanted = max(1, round(n * 0.02))
    weights = 1.0 / (1 + ties.layer[givers].astype(float))
    a_pick = rng.choice(givers, wanted * 2, p=weights / weights.sum())
    b_pick = rng.choice(takers, wanted * 2)
    prefer_other = rng.random(wanted * 2) < 0.7
    pairs: list[tuple[int, int, int]] = []
    seen: set[tuple[int, int]] = set()
    for a, b, other in zip(a_pick.tolist(), b_pick.tolist(), prefer_other.tolist(), strict=True):
        key = (min(a, b), max(a, b))
        if a == b or key in seen:
            continue
        if other and people.fields[a][0] == people.fields[b][0]:
            continue
        lo = max(int(ties.start[a]), int(ties.start[b]), first + 1)
        hi = min(int(ties.end[a]), int(ties.end[b]), today)
        if hi - lo < 1:
            continue
        seen.add(key)
        pairs.append((a, b, lo + int(rng.integers(0, hi - lo))))
        if len(pairs) >= wanted:
            break
    return pairs


def _offsets(
    vocab: Vocabulary, city: NDArray[np.int64], day: NDArray[np.int64]
) -> NDArray[np.int64]:
    """The UTC offset in minutes in each city on each day (daylight saving by month)."""
    base = np.array([c.utc_offset for c in vocab.cities], np.int64)[city]
    rule = np.array([{"eu": 1, "us": 1, "au": 2}.get(c.dst, 0) for c in vocab.cities])[city]
    month = day.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64) % 12 + 1
    north = (month >= 4) & (month <= 10)
    summer = np.where(rule == 1, north, np.where(rule == 2, ~north, False))
    return base + 60 * summer


def assemble(
    rng: np.random.Generator,
    vocab: Vocabulary,
    people: People,
    drawn: _Drawn,
    intros: list[tuple[int, int, int]],
    today: int,
) -> tuple[dict[str, NDArray[Any]], NDArray[np.int64], list[tuple[int, int, int, int]]]:
    """Times, zones, order and ids; returns the columns, the participants and the intros."""
    k = len(intros)
    person = np.concatenate([drawn.person, np.array([a for a, _, _ in intros], np.int64)])
    day = np.concatenate([drawn.day, np.array([d for _, _, d in intros], np.int64)])
    channel = np.concatenate([drawn.channel, np.where(rng.random(k) < 0.7, Channel.EMAIL.code,
                                                      Channel.MESSAGE.code)])
    intent = np.concatenate([drawn.intent, np.full(k, _GIVE)])
    initiator = np.concatenate([drawn.initiator, np.full(k, Initiator.ME.code)])
    m = len(person)

    # local time of day, in the user's zone unless met in person elsewhere
    hour = rng.choice(24, m, p=_HOURS / _HOURS.sum())
    seconds = hour * 3600 + rng.integers(0, 3600, m)
    meeting = (channel == Channel.IN_PERSON.code) | (channel == Channel.EVENT.code)
    there = people.city[person]
    away = meeting & (there >= 0) & (there != people.home_city) & (rng.random(m) < 0.5)
    city = np.where(away, there, people.home_city)
    offset = _offsets(vocab, city, day)
    date_only = np.where(channel == Channel.EVENT.code, rng.random(m) < 0.35, rng.random(m) < 0.03)
    at = day * SECONDS_PER_DAY + seconds - offset * 60
    at = np.where(date_only, day * SECONDS_PER_DAY + 43_200, at)
    offset = np.where(date_only, 0, offset)
    at = np.where(at >= today * SECONDS_PER_DAY, at - SECONDS_PER_DAY, at)

    order = np.argsort(at, kind="stable")
    rank = np.empty(m, np.int64)
    rank[order] = np.arange(1, m + 1)

    # notes: a few written for the interaction, and one for each introduction
    note = np.full(m, None, dtype=object)
    noted = rng.random(m) < 0.07
    picks = rng.random(m)
    for code, key in _INTENT_PHRASES.items():
        at_code = np.flatnonzero(noted & (intent == code))
        phrases = np.array(vocab.phrases[key], dtype=object)
        note[at_code] = phrases[(picks[at_code] * len(phrases)).astype(np.int64)]
    base = len(drawn.person)
    for j, (a, b, _) in enumerate(intros):
        note[base + j] = f"Introduced {people.display[a]} to {people.display[b]}"

    pairs = [np.stack([rank[: len(drawn.person)], drawn.person + 1], axis=1)]
    if len(drawn.extra):
        ex = drawn.extra
        pairs.append(np.stack([rank[ex[:, 0]], ex[:, 1] + 1], axis=1))
    if k:
        idx = np.arange(base, m)
        pairs.append(np.stack([rank[idx], person[idx] + 1], axis=1))
        pairs.append(np.stack([rank[idx], np.array([b for _, b, _ in intros]) + 1], axis=1))
    participants = np.concatenate(pairs)
    participants = participants[np.lexsort((participants[:, 1], participants[:, 0]))]

    columns: dict[str, NDArray[Any]] = {
        "id": np.arange(1, m + 1, dtype=np.int64),
        "at": at[order].astype(np.int64),
        "utc_offset": offset[order].astype(np.int16),
        "date_only": date_only[order],
        "channel": channel[order].astype(np.int8),
        "initiator": initiator[order].astype(np.int8),
        "intent": intent[order].astype(np.int8),
        "ask_id": np.zeros(m, np.int64),
        "note": note[order],
        "person": person[order] + 1,  # the primary participant, for the asks below
    }
    intro_rows = [
        (j + 1, a + 1, b + 1, int(rank[base + j])) for j, (a, b, _) in enumerate(intros)
    ]
    return columns, participants, intro_rows


def draw_asks(
    rng: np.random.Generator,
    vocab: Vocabulary,
    people: People,
    columns: dict[str, NDArray[Any]],
    today: int,
) -> list[tuple[Any, ...]]:
    """An ask row for every ask and ask of me, with a status; links the interactions to them."""
    intent = columns["intent"]
    idx = np.flatnonzero((intent == _ASK) | (intent == _ASKED_OF_ME))
    columns["ask_id"][idx] = np.arange(1, len(idx) + 1)
    local = columns["at"][idx] + columns["utc_offset"][idx].astype(np.int64) * 60
    opened = local // SECONDS_PER_DAY
    age = today - opened
    u = rng.random(len(idx))
    recent = age < 45
    status = np.where(
        recent,
        np.where(u < 0.6, AskStatus.OPEN.code, np.where(u < 0.9, AskStatus.FULFILLED.code,
                                                         AskStatus.DECLINED.code)),
        np.select(
            [u < 0.07, u < 0.72, u < 0.9],
            [AskStatus.OPEN.code, AskStatus.FULFILLED.code, AskStatus.DECLINED.code],
            AskStatus.WITHDRAWN.code,
        ),
    )
    wait = np.minimum(rng.geometric(0.12, len(idx)), np.maximum(age - 1, 0))
    closed = np.where(status == AskStatus.OPEN.code, -1, opened + wait)
    mine = intent[idx] == _ASK
    what = np.full(len(idx), "", dtype=object)
    pick = rng.random(len(idx))
    for side, key in ((mine, "ask_mine"), (~mine, "ask_theirs")):
        phrases = np.array(vocab.phrases[key], dtype=object)
        what[side] = phrases[(pick[side] * len(phrases)).astype(np.int64)]
    # fill in a field, a city or an organisation where the phrase has a place for one
    field_names = {f.slug: f.name.lower() for f in taxonomy()}
    cities = [c.name for c in vocab.cities]
    context = rng.integers(0, 1 << 30, len(idx))
    person = columns["person"][idx]
    n = len(people.fields)
    for j in np.flatnonzero(["{" in t for t in what.tolist()]).tolist():
        c = int(context[j])
        what[j] = what[j].format(
            field=field_names[people.fields[c % n][0]],
            city=cities[c % len(cities)],
            org=people.organisation[person[j] - 1] or "their company",  # where they work
        )
    direction = np.where(mine, AskDirection.MINE.code, AskDirection.THEIRS.code)
    closed_on = [None if c < 0 else d
                 for c, d in zip(closed.tolist(), day_dates(np.maximum(closed, 0)), strict=True)]
    return list(
        zip(
            range(1, len(idx) + 1), person.tolist(), direction.tolist(),
            what.tolist(), status.tolist(), day_dates(opened), closed_on, strict=True,
        )
    )

