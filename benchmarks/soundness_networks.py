"""Networks with a known latent closeness, in several generator families (the ground truth
that tie strength and its baselines are checked against: bench_soundness).

Every tie has a closeness ``c`` in [0, 1] that sets its contact rate, ``RATE_YEARLY * 60 ** c``
contacts a year (from about one a year at 0 to weekly at 1); the truth is the closeness *now*.
The families differ in how contact happens, so that an estimator tuned to one generator does
not look good by learning it:

* ``poisson``: steady Poisson contact since the tie began (its LinkedIn connection day);
* ``bursty``: self-exciting bursts (several contacts around one event) and seasonal gaps
  (summer and the year's end are quiet for everyone);
* ``drift``: 20-50% of the ties change closeness once, at a random time; the truth is after;
* ``partial``: for most ties one of the three channels (LinkedIn, mail, calendar) is missing;
* ``group``: team meetings (3-7 people, a rate unrelated to closeness) mixed with one-to-one;
* ``dormant``: many ties strong once and silent for 18+ months, ties that are only your asks,
  takers (they ask you), never-contacted connections, and steady ties.

Every family also holds some never-contacted connections and (except ``dormant``, which has
many) a few dormant ties. Events carry their channel (``message``, ``email``, ``meeting``), who
started them and their intent; :mod:`benchmarks.soundness_files` writes them as export files.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

FAMILIES = ("poisson", "bursty", "drift", "partial", "group", "dormant")
#: Contacts a year at closeness 0; closeness 1 is 60 times that.
RATE_YEARLY = 0.8
RATE_RANGE = 60.0
YEAR = 365.2425
#: Days of history before the as-of day that ties can start in.
HISTORY_DAYS = int(8 * YEAR)
CHANNELS = ("message", "email", "meeting")


@dataclass
class Event:
    day: int  # days before the as-of day's end: 0 is the as-of day
    channel: str
    mine: bool  # started by me
    intent: str = "catch_up"  # catch_up, ask (mine), asked_of_me (theirs)
    group: tuple[int, ...] = ()  # the other people at a group meeting (besides this tie)


@dataclass
class Tie:
    index: int
    kind: str  # steady, drift, dormant, ask_only, taker, never
    truth: float
    start: int  # days before the as-of day the tie began (connection day)
    events: list[Event] = field(default_factory=list)

    @property
    def active(self) -> bool:
        return self.kind not in ("dormant", "never")

    @property
    def dormant(self) -> bool:
        return self.kind == "dormant"


def rate(c: float) -> float:
    """Contacts a year at closeness ``c``."""
    return RATE_YEARLY * RATE_RANGE**c


def network(family: str, n: int, seed: int) -> list[Tie]:
    """``n`` ties of the family, drawn from ``seed`` (the same seed gives the same network)."""
    rng = np.random.default_rng([FAMILIES.index(family), seed])
    shares = {"dormant": 0.25, "ask_only": 0.08, "taker": 0.08, "never": 0.12}
    if family != "dormant":
        shares = {"dormant": 0.05, "never": 0.10}
    drift_share = rng.uniform(0.2, 0.5) if family == "drift" else 0.0
    ties: list[Tie] = []
    kinds = rng.choice(
        [*shares, "steady"], size=n, p=[*shares.values(), 1.0 - sum(shares.values())]
    )
    for i, kind in enumerate(kinds):
        start = int(rng.integers(60, HISTORY_DAYS))
        c = float(rng.beta(1.3, 1.8))
        if kind == "steady" and rng.random() < drift_share:
            kind = "drift"
        tie = Tie(i, str(kind), c, start)
        if kind in ("steady", "drift"):
            _regular(tie, family, rng)
        elif kind == "dormant":
            _dormant(tie, rng)
        elif kind == "ask_only":
            tie.truth = 0.05
            for d in _poisson(rng, tie.start, 0, rng.uniform(0.7, 2.5)):
                tie.events.append(Event(d, str(rng.choice(["message", "email"])), True, "ask"))
        elif kind == "taker":
            tie.truth = 0.1
            for d in _poisson(rng, tie.start, 0, rng.uniform(1.0, 3.0)):
                tie.events.append(
                    Event(d, str(rng.choice(["message", "email"])), False, "asked_of_me")
                )
        else:
            tie.truth = 0.0
        ties.append(tie)
    if family == "group":
        _team_meetings(ties, rng)
    for t in ties:
        t.events.sort(key=lambda e: -e.day)
    return ties


def _poisson(rng: np.random.Generator, since: int, until: int, per_year: float) -> list[int]:
    """Days (before as-of) of a Poisson process between ``since`` and ``until`` days ago."""
    span = since - until
    if span <= 0:
        return []
    k = int(rng.poisson(per_year * span / YEAR))
    return sorted((until + rng.integers(0, span, size=k)).tolist(), reverse=True)


def _contact(tie: Tie, c: float, days: list[int], rng: np.random.Generator,
             missing: str | None = None) -> None:
    """Events on ``days`` for a regular tie of closeness ``c`` (deeper channels when closer)."""
    meet = 0.08 + 0.25 * c
    mail = rng.uniform(0.2, 0.8) * (1 - meet)
    p = np.array([1 - meet - mail, mail, meet])
    if missing is not None:
        p[CHANNELS.index(missing)] = 0.0
    p /= p.sum()
    theirs = 0.3 + 0.3 * c
    for d in days:
        channel = str(rng.choice(CHANNELS, p=p))
        mine = bool(rng.random() >= theirs)
        intent = "ask" if mine and rng.random() < 0.04 else "catch_up"
        tie.events.append(Event(int(d), channel, mine, intent))


def _regular(tie: Tie, family: str, rng: np.random.Generator) -> None:
    missing = str(rng.choice(CHANNELS)) if family == "partial" and rng.random() < 0.7 else None
    if tie.kind == "drift":
        before = float(rng.beta(1.3, 1.8))
        change = int(rng.integers(30, max(31, tie.start - 30)))
        days = _poisson(rng, tie.start, change, rate(before))
        days += _poisson(rng, change, 0, rate(tie.truth))
    elif family == "bursty":
        days = _bursts(rng, tie.start, rate(tie.truth))
    else:
        days = _poisson(rng, tie.start, 0, rate(tie.truth))
    _contact(tie, tie.truth, days, rng, missing)


def _bursts(rng: np.random.Generator, since: int, per_year: float) -> list[int]:
    """Self-exciting bursts (mean 3 contacts within about a week of one event), quiet seasons."""
    centres = _poisson(rng, since, 0, per_year / 3.0 * 1.3)
    days: list[int] = []
    for c in centres:
        k = 1 + int(rng.geometric(0.5))
        days += [int(c + x) for x in np.abs(rng.normal(0, 4, size=k)).astype(int)]
    out = []
    for d in days:
        doy = d % 365  # the calendar position, counted back from the as-of day
        if 160 <= doy < 215 or doy >= 345 or doy < 8:
            continue  # summer and the year's end: everyone is away
        if 0 <= d < since:
            out.append(d)
    return sorted(out, reverse=True)


def _dormant(tie: Tie, rng: np.random.Generator) -> None:
    """Strong once (closeness 0.45-1), then silent for 18 to 48 months: closeness now ~0."""
    before = float(rng.uniform(0.45, 1.0))
    stop = int(rng.integers(int(1.5 * YEAR), int(4 * YEAR)))
    tie.start = max(tie.start, stop + int(rng.integers(int(1.5 * YEAR), int(4 * YEAR))))
    tie.truth = 0.0
    days = _poisson(rng, tie.start, stop, rate(before))
    if len(days) < 4:  # strong once means some history
        days += sorted(rng.integers(stop, tie.start, size=4).tolist(), reverse=True)
    _contact(tie, before, days, rng)


def _team_meetings(ties: list[Tie], rng: np.random.Generator) -> None:
    """Team meetings: teams of 3-7 contacted ties meeting 4-30 times a year, whatever their
    closeness, each member attending four times in five."""
    pool = [t for t in ties if t.kind in ("steady", "drift")]
    order = rng.permutation(len(pool))
    i = 0
    while i < len(order):
        size = int(rng.integers(3, 8))
        team = [pool[j] for j in order[i : i + size]]
        i += size
        if len(team) < 3:
            break
        since = min(t.start for t in team)
        for d in _poisson(rng, since, 0, rng.uniform(4, 30)):
            there = [t for t in team if t.start > d and rng.random() < 0.8]
            if len(there) < 2:
                continue
            mine = bool(rng.random() < 0.5)
            for t in there:
                others = tuple(o.index for o in there if o is not t)
                t.events.append(Event(int(d), "meeting", mine, "catch_up", others))


def summary(ties: list[Tie]) -> str:
    kinds: dict[str, int] = {}
    for t in ties:
        kinds[t.kind] = kinds.get(t.kind, 0) + 1
    n = sum(len(t.events) for t in ties)
    return f"{len(ties)} ties, {n} contacts, " + ", ".join(f"{k} {v}" for k, v in kinds.items())


__all__ = ["FAMILIES", "Event", "Tie", "network", "rate", "summary"]
