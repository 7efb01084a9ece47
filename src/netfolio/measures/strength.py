"""Tie strength, 0-100 per person at a date: the tie's *current* contact rate, on a human scale.

Only interactions on or before the as-of day count (the day itself included: the network "at
the end of" that day). A person with no contact scores 0 (or their closeness points alone).

**Weighted contacts.** Each interaction row counts ``w = channel weight x g**-group_exponent x
intent weight``: a one-to-one message or email is 1, a meeting in person 2, a call or video
1.5 (``Params.channel_weights``); a meeting shared by ``g`` people is split among them (your
attention at a table of four is a quarter each); asks (yours or theirs) count
``withdrawal_weight`` (a withdrawal is not closeness). Every weight is positive, so a new
contact never lowers any sum below.

**Rates at several time scales** (Gamma-Poisson with forgetting). With ``t0`` the tie's start
(its first contact, or the connection day if earlier), ``T`` the as-of day and ``a``, ``b`` a
weak prior (``rate_prior_events`` at ``rate_prior_per_year``):

* the long-run rate ``r = (W + a) / (T - t0 + 1 + b)``, ``W`` the weighted contacts ever
  (less one unit when the tie's start is its first contact: that contact opened the tie);
* for each half-life ``h`` in ``rate_half_lives_days`` (two years, six months, two months) the
  decayed sum ``S_h = sum w * 2**(-(T - t) / h)``, its exposure ``E_h = h / ln 2 * (1 -
  2**(-(T - t0 + 1) / h))`` and the interval of rates it allows, ``(sqrt(S_h + a) -/+ z/2)**2
  / (E_h + b)`` (a variance-stabilised Poisson interval, ``z = rate_confidence_z``).

The estimate starts at the long-run rate and is moved, scale by scale from the longest, to the
nearest rate each shorter window allows (``clip``): a steady tie keeps the long-run rate, which
is the least noisy; a tie whose recent contact contradicts it (drift) follows the recent
window. Finally a silence of ``s`` days caps the rate at ``silence_evidence / s``: a rate under
which such a silence had a chance below ``exp(-silence_evidence)`` is ruled out.

**Score.** The rate (weighted contacts a year) is mapped onto 0-100 by its logarithm through
fixed anchors (``rate_anchors``): once in four years 0, yearly 25, quarterly 50, monthly 75,
weekly 100. The parts that add up to the score: ``rhythm`` (the long-run rate's points),
``recent`` (what the recent windows and the silence add or take away; negative when a tie
cooled) and ``closeness`` (the user's rating, ``closeness_blend`` of the score where set).

**Monotone.** ``W`` and every ``S_h`` grow with a contact; with silence ``S_h`` decays while the
exposures grow; every bound is increasing in the sums and decreasing in the exposures, and a
clip (a median of three) of such functions keeps that. So a new contact on or after the tie's
start never lowers strength and more silence never raises it. (A contact *before* the tie's
known start lengthens its history and can lower its long-run rate: the tie is older, and
thinner, than it looked.)

**State, one contact at a time** (for statistics kept at write time): per person the count,
``W``, the first and last contact day, and each ``S_h`` with the day it was last brought up to
date. A contact of weight ``w`` on day ``t >= u`` (the state's day) updates ``S_h <- S_h *
2**(-(t - u) / h) + w``; reading at ``T`` decays once more. Everything else (exposures,
bounds, score) is a closed form of that state and the connection day.

Those statistics are kept per person in the ledger (:mod:`netfolio.core.person_stats`); a
snapshot loaded from them answers today's strength without the interaction rows
(:func:`kept_state`, :func:`tie_stats_of_state`), equal to the full computation.

Everything is computed on arrays: the interaction rows are aggregated per person with
``np.bincount`` and ``np.maximum.at``, never a Python loop over rows or people.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from netfolio.core.enums import Initiator, Intent
from netfolio.core.person_stats import WEIGHT_SCALE, PersonState, decayed_at, row_weights_q
from netfolio.core.snapshot import AsOf, Snapshot, day_number, day_to_date
from netfolio.measures.params import DEFAULT_PARAMS, Params

#: The parts of a strength score, in the order they are added.
PARTS: tuple[str, ...] = ("rhythm", "recent", "closeness")

_DAYS_PER_YEAR = 365.2425
#: Cells (people x days) aggregated at once when strength is computed for many days.
_BLOCK_CELLS = 262_144
#: Weights are counted in 1/1024ths, so that they add up exactly in any order.
_WEIGHT_SCALE = WEIGHT_SCALE
#: "No contact yet" while aggregating: below any real day, even one before 1970.
_NO_DAY = -(2**30)

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.signedinteger[Any]]


@dataclass(frozen=True, eq=False)
class TieStats:
    """Per-person aggregates of the interaction rows on or before some day(s).

    Arrays are ``(P,)`` for one day or ``(M, P)`` for M days: ``count`` interactions,
    ``last_day`` (-1 without
    contact in a strength result; a large negative number while aggregating many days),
    ``span_days`` from first to last contact, who started them, gives and help received,
    ``weight_q`` the weighted contacts in 1/1024ths, and ``decayed`` the decayed weighted sums,
    one array per half-life of ``Params.rate_half_lives_days``.
    """

    count: IntArray
    last_day: IntArray
    span_days: IntArray
    started_by_me: IntArray
    started_by_them: IntArray
    gave: IntArray
    received: IntArray
    weight_q: IntArray
    decayed: tuple[FloatArray, ...] = field(default=())

    @property
    def first_day(self) -> IntArray:
        """Day of first contact (-1 without contact)."""
        return np.where(self.count > 0, self.last_day - self.span_days, -1)

    @property
    def weighted(self) -> FloatArray:
        """Weighted contacts (channel, group and intent weights summed)."""
        return self.weight_q / _WEIGHT_SCALE


@dataclass(frozen=True, eq=False)
class StrengthResult:
    """Tie strength of every person at ``as_of`` (a day number), with its parts and inputs.

    ``score[i]`` equals the sum of ``parts[name][i]`` over :data:`PARTS` (to float rounding).
    ``rate`` is the current rate (weighted contacts a year) the score maps, ``long_rate`` the
    rate over the tie's whole history, ``bounds`` the (low, high) rates each window of
    ``Params.rate_half_lives_days`` allows and ``silence_cap`` the highest rate the current
    silence allows (inf right after a contact); ``start_day`` is the tie's start (-1 without
    contact); ``stats`` the aggregates at ``as_of``.
    """

    as_of: int
    score: FloatArray
    parts: dict[str, FloatArray]
    rate: FloatArray
    long_rate: FloatArray
    bounds: tuple[tuple[FloatArray, FloatArray], ...]
    silence_cap: FloatArray
    start_day: IntArray
    stats: TieStats
    half_lives: tuple[float, ...]

    @property
    def total(self) -> float:
        """Network value: the sum of every person's strength."""
        return float(self.score.sum())


def tie_strength(
    snapshot: Snapshot, as_of: AsOf, params: Params = DEFAULT_PARAMS
) -> StrengthResult:
    """Every person's tie strength (0-100) at the end of day ``as_of``, with its parts."""
    day = day_number(as_of)
    state = kept_state(snapshot, day, params)
    if state is not None:
        stats = tie_stats_of_state(state, day)
    else:
        days = np.array([day], dtype=np.int64)
        ((_, stats2d),) = list(iter_tie_stats(snapshot, days, params, block_cells=None))
        fields = {k: v[0] for k, v in vars(stats2d).items() if k != "decayed"}
        stats = TieStats(**fields, decayed=tuple(d[0] for d in stats2d.decayed))
        stats.last_day[stats.count == 0] = -1
    people = _PersonInputs.of(snapshot)
    est = _estimate(stats, people, day, params)
    parts = _parts(est, people, day, params)
    return StrengthResult(
        as_of=day,
        score=_sum_parts(parts),
        parts=parts,
        rate=est.rate,
        long_rate=est.long_rate,
        bounds=est.bounds,
        silence_cap=est.silence_cap,
        start_day=np.where(stats.count > 0, est.start, -1),
        stats=stats,
        half_lives=tuple(params.rate_half_lives_days),
    )


def kept_state(snapshot: Snapshot, day: int, params: Params) -> PersonState | None:
    """The statistics kept per person if they answer for ``day`` and ``params`` (None: compute
    from the interaction rows, which a snapshot loaded from the statistics lacks: it raises)."""
    if snapshot.state is not None and not params.fits_kept_statistics:
        snapshot.require_rows("measures with other weights or half-lives")
    return snapshot.state_for(day)


def tie_stats_of_state(state: PersonState, day: int) -> TieStats:
    """:class:`TieStats` at ``day`` (on or after every contact) from the kept statistics."""
    cells = state.cells.reshape(len(state.last_day), len(Intent.__members__), 2)
    count = cells.sum(axis=(1, 2))
    me = cells[:, :, 1].sum(axis=1)
    contacted = count > 0
    return TieStats(
        count=count,
        last_day=np.where(contacted, state.last_day, -1),
        span_days=np.where(contacted, state.last_day - state.first_day, 0),
        started_by_me=me,
        started_by_them=count - me,
        gave=cells[:, Intent.GIVE.code].sum(axis=1),
        received=cells[:, Intent.RECEIVED.code].sum(axis=1),
        weight_q=state.weight_q,
        decayed=decayed_at(state, day),
    )


def strength_at_days(
    snapshot: Snapshot, days: NDArray[np.integer], params: Params = DEFAULT_PARAMS
) -> Iterator[tuple[slice, IntArray, FloatArray]]:
    """Strength at each of ``days`` (ascending), in blocks of columns, for the people it can be.

    Yields ``(columns, rows, scores)``: ``scores[j, i]`` is the strength of person ``rows[i]``
    at ``days[columns][j]``, equal to ``tie_strength(snapshot, that day).score[rows[i]]``.
    People not in ``rows`` (no contact and no closeness rating by the last day) are 0 at
    every day. The (people x days) matrix is never held whole, so a long series stays small.
    """
    snapshot.require_rows("strength over time")
    d64 = np.asarray(days, dtype=np.int64)
    if len(d64) == 0:
        return
    everyone = _PersonInputs.of(snapshot)
    last = int(d64[-1])
    first = np.full(snapshot.n_people, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(first, snapshot.ix_person.astype(np.intp), snapshot.ix_day.astype(np.int64))
    # the first day each person can score: first contact, or when a closeness rating counts
    rated = everyone.closeness > 0
    begins = np.minimum(first, np.where(rated, everyone.start, np.iinfo(np.int64).max))
    rows = np.flatnonzero(begins <= last)
    order = np.argsort(begins[rows], kind="stable")
    rows, begins = rows[order], begins[rows][order]
    for cols, stats in iter_tie_stats(snapshot, d64, params, people=rows, begins=begins):
        n = stats.count.shape[1]  # only the people who have begun by the block's last day
        people = everyone.subset(rows[:n])
        at = d64[cols][:, None]
        est = _estimate(stats, people, at, params)
        yield cols, rows[:n], _sum_parts(_parts(est, people, at, params))


def explain(result: StrengthResult, row: int) -> list[tuple[str, float, str]]:
    """Why a person's strength is what it is: ``(part, points, detail)`` for every part.

    The points add up to ``result.score[row]``; the detail says what the part was built from.
    """
    s = result.stats
    n = int(s.count[row])
    rhythm = "no contact yet"
    recent = "no contact yet"
    if n:
        start = int(result.start_day[row])
        years = (result.as_of - start + 1) / _DAYS_PER_YEAR
        long_rate = float(result.long_rate[row])
        rhythm = (
            f"{_n(n, 'contact')} ({float(s.weighted[row]):.1f} weighted) over {years:.1f} years "
            f"since {day_to_date(start)}: {long_rate:.1f} a year, {_cadence_words(long_rate)}"
        )
        rate = float(result.rate[row])
        silent = result.as_of - int(s.last_day[row])
        if abs(rate - long_rate) <= 1e-9 * max(1.0, long_rate):
            recent = (
                f"the last {_window_words(result.half_lives)} agree with that rhythm; "
                f"last contact {_n(silent, 'day')} ago"
            )
        else:
            why = [
                f"the last {_window_words((h,))} allow {float(lo[row]):.1f}-{float(hi[row]):.1f}"
                for h, (lo, hi) in zip(result.half_lives, result.bounds, strict=True)
                if not float(lo[row]) - 1e-9 <= long_rate <= float(hi[row]) + 1e-9
            ]
            cap = float(result.silence_cap[row])
            if cap < long_rate:
                why.append(f"{silent} days of silence allow at most {cap:.1f}")
            recent = (
                f"{'; '.join(why) or 'the recent windows disagree'}: now {rate:.1f} a year, "
                f"{_cadence_words(rate)}"
            )
    details = {
        "rhythm": rhythm,
        "recent": recent,
        "closeness": (
            "closeness rating blended in"
            if result.parts["closeness"][row] > 0
            else "no closeness rating counted"
        ),
    }
    return [(p, float(result.parts[p][row]), details[p]) for p in PARTS]


def _n(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _cadence_words(per_year: float) -> str:
    """A rate in words a person understands: "about monthly"."""
    if per_year <= 0:
        return "no contact"
    days = _DAYS_PER_YEAR / per_year
    for limit, words in ((10, "about weekly"), (21, "about every two weeks"),
                         (45, "about monthly"), (75, "about every two months"),
                         (135, "about quarterly"), (270, "about twice a year"),
                         (540, "about yearly")):
        if days <= limit:
            return words
    return f"about once in {days / _DAYS_PER_YEAR:.0f} years"


def _window_words(half_lives: tuple[float, ...]) -> str:
    words = []
    for h in half_lives:
        months = h / (_DAYS_PER_YEAR / 12)
        words.append(f"{months / 12:.0f} years" if months >= 18 else f"{months:.0f} months")
    return ", ".join(words)


# -- the aggregation ------------------------------------------------------------------------


def iter_tie_stats(
    snapshot: Snapshot,
    days: NDArray[np.int64],
    params: Params = DEFAULT_PARAMS,
    *,
    block_cells: int | None = _BLOCK_CELLS,
    people: IntArray | None = None,
    begins: IntArray | None = None,
) -> Iterator[tuple[slice, TieStats]]:
    """:class:`TieStats` of every person at each of ``days`` (ascending), in column blocks.

    One pass over the interaction rows: each row is binned at the first day it counts for,
    counted with ``np.bincount`` into a (block x people) grid, and the grid is accumulated
    along the days, carrying totals from block to block (decayed sums decay as they are
    carried). ``block_cells=None`` does it in one block. ``people`` (rows, in any order)
    limits the output to those people, who must include everyone with an interaction on or
    before the last day. With ``begins`` (for each of ``people``, non-decreasing, a day no
    later than their first contact), a block covers only the people who have begun by its
    last day: a prefix of ``people``.
    """
    p = snapshot.n_people if people is None else len(people)
    m = len(days)
    if m == 0:
        return
    rows = _rows_until(snapshot, int(days[-1]), params)
    person, day = rows["person"], rows["day"]
    if people is not None:
        position = np.full(snapshot.n_people, -1, dtype=np.int64)
        position[people] = np.arange(len(people))
        person = position[person]
    # rows are sorted by day: rows [0, upto[j]) count at column j
    upto = np.searchsorted(day, days, side="right")
    # after any real day, yet far enough from _NO_DAY that last - first fits in int32
    first_day = np.full(p, 2**30 - 1, dtype=np.int32)
    np.minimum.at(first_day, person, day)
    halves = np.asarray(params.rate_half_lives_days, dtype=np.float64)

    width = m if block_cells is None else max(1, min(m, block_cells // max(p, 1)))
    carry = {k: np.zeros(p, dtype=np.int32) for k in ("count", "me", "gv", "rc")}
    carry["wq"] = np.zeros(p, dtype=np.int64)  # weights in 1/1024ths could outgrow int32
    carry_last = np.full(p, _NO_DAY, dtype=np.int32)
    carry_decayed = np.zeros((len(halves), p), dtype=np.float64)
    carry_day = int(days[0])
    for b0 in range(0, m, width):
        b1 = min(m, b0 + width)
        bw = b1 - b0
        n = p if begins is None else int(np.searchsorted(begins, days[b1 - 1], side="right"))
        lo, hi, key = _block_keys(upto, b0, b1, person, n)
        count = _grid(key, None, None, n, bw, carry, "count")
        me = _grid(key, rows["me"][lo:hi], None, n, bw, carry, "me")
        gave = _grid(key, rows["gave"][lo:hi], None, n, bw, carry, "gv")
        received = _grid(key, rows["received"][lo:hi], None, n, bw, carry, "rc")
        weight_q = _grid(key, None, rows["weight_q"][lo:hi], n, bw, carry, "wq", np.int64)
        decayed = _decayed_grids(
            key, day[lo:hi], rows["weight_q"][lo:hi] / _WEIGHT_SCALE, days[b0:b1], n, halves,
            carry_decayed, carry_day,
        )
        carry_day = int(days[b1 - 1])

        flat = np.full(n * bw, _NO_DAY, dtype=np.int32)
        np.maximum.at(flat, key, day[lo:hi])
        last: IntArray = flat.reshape(bw, n)
        np.maximum(last[0], carry_last[:n], out=last[0])
        for j in range(1, bw):  # a loop over days, each step over all people
            np.maximum(last[j], last[j - 1], out=last[j])
        carry_last[:n] = last[-1]
        yield (
            slice(b0, b1),
            TieStats(
                count=count,
                last_day=last,
                span_days=np.maximum(last - first_day[:n], 0),
                started_by_me=me,
                started_by_them=count - me,
                gave=gave,
                received=received,
                weight_q=weight_q,
                decayed=decayed,
            ),
        )


def _decayed_grids(
    key: IntArray,
    row_day: IntArray,
    weight: FloatArray,
    block_days: NDArray[np.int64],
    p: int,
    halves: FloatArray,
    carry: FloatArray,
    carry_day: int,
) -> tuple[FloatArray, ...]:
    """Decayed weighted sums per (column, person) for each half-life, carried across blocks:
    ``S[j] = S[j-1] * 2**(-(d_j - d_{j-1}) / h) + (rows first counted at column j, each
    decayed from its day to d_j)``."""
    bw = len(block_days)
    column = key // max(p, 1)
    age = (block_days[column] - row_day).astype(np.float64)
    steps = np.diff(block_days, prepend=carry_day).astype(np.float64)
    out: list[FloatArray] = []
    for k, h in enumerate(halves):
        sums = np.bincount(key, weights=weight * np.exp2(-age / h), minlength=p * bw)
        g: FloatArray = sums.astype(np.float64, copy=False).reshape(bw, p)
        fade = np.exp2(-steps / h)
        g[0] += carry[k, :p] * fade[0]
        for j in range(1, bw):  # a loop over days, each step over all people
            g[j] += g[j - 1] * fade[j]
        carry[k, :p] = g[-1]
        out.append(g)
    return tuple(out)


def _grid(
    key: IntArray,
    sel: NDArray[np.bool_] | None,
    weights: FloatArray | None,
    p: int,
    width: int,
    carry: dict[str, IntArray],
    name: str,
    dtype: type = np.int32,
) -> IntArray:
    """Count (or sum integer weights of) rows per (person, column) for the first ``p`` people,
    accumulated along the columns, carrying the running total from block to block."""
    k = key if sel is None else key[sel]
    g: IntArray = (
        np.bincount(k, weights=weights, minlength=p * width).astype(dtype).reshape(width, p)
    )
    g[0] += carry[name][:p]
    for j in range(1, width):  # a loop over days, each step over all people
        g[j] += g[j - 1]
    carry[name][:p] = g[-1]  # people beyond p have no rows yet: their carry stays 0
    return g


def _block_keys(
    bounds: IntArray, b0: int, b1: int, person: IntArray, p: int
) -> tuple[int, int, IntArray]:
    """The rows first counted in columns [b0, b1) and their (column, person) cell keys."""
    lo = int(bounds[b0 - 1]) if b0 else 0
    hi = int(bounds[b1 - 1])
    per_column = np.diff(bounds[b0:b1], prepend=lo)
    column = np.repeat(np.arange(b1 - b0, dtype=np.int64), per_column)
    return lo, hi, column * p + person[lo:hi]


def _rows_until(snapshot: Snapshot, last: int, params: Params) -> dict[str, Any]:
    """The interaction rows on or before day ``last``, sorted by day, with per-row inputs."""
    snapshot.require_rows("tie strength on a past date")
    day = snapshot.ix_day
    keep: Any = slice(None)
    if len(day) and int(day.max()) > last:
        keep = day <= last
    order: Any = slice(None)
    if not snapshot.days_sorted:
        order = np.argsort(day[keep], kind="stable")
    intent = snapshot.ix_intent[keep][order]
    weight_q = row_weights_q(
        snapshot.group_size[keep][order], intent, snapshot.ix_channel[keep][order],
        channel_weights=params.channel_weights, group_exponent=params.group_exponent,
        withdrawal_weight=params.withdrawal_weight,
    )
    return {
        "person": snapshot.ix_person[keep][order].astype(np.int64),
        "day": day[keep][order].astype(np.int32),
        "me": snapshot.ix_initiator[keep][order] == Initiator.ME.code,
        "gave": intent == Intent.GIVE.code,
        "received": intent == Intent.RECEIVED.code,
        "weight_q": weight_q,
    }


# -- the estimate ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Estimate:
    """The rates behind a score, elementwise over (P,) or (M, P); rates per year."""

    contacted: NDArray[np.bool_]
    start: IntArray
    long_rate: FloatArray
    rate: FloatArray
    bounds: tuple[tuple[FloatArray, FloatArray], ...]
    silence_cap: FloatArray


def _estimate(stats: TieStats, people: _PersonInputs, day: Any, params: Params) -> _Estimate:
    """The long-run rate, moved into what each recent window and the silence allow."""
    contacted = stats.count > 0
    first = np.where(contacted, stats.last_day - stats.span_days, day)
    conn = people.connected
    start = np.where((conn >= 0) & (conn < first), conn, first)
    age = np.maximum(day - start + 1, 1).astype(np.float64)
    a = params.rate_prior_events
    b = a * _DAYS_PER_YEAR / params.rate_prior_per_year
    half_z = params.rate_confidence_z / 2.0
    # without an earlier connection day the first contact opens the tie: it counts as its
    # start, not as a contact of the rhythm (else one coffee would read as a close tie)
    opened = np.where((conn >= 0) & (conn < first), 0.0, 1.0)
    long_rate = (np.maximum(stats.weighted - opened, 0.0) + a) / (age + b)
    rate = long_rate
    bounds = []
    for h, s in zip(params.rate_half_lives_days, stats.decayed, strict=True):
        exposure = h / math.log(2.0) * -np.expm1(-age * (math.log(2.0) / h)) + b
        root = np.sqrt(s + a)
        lo = np.maximum(root - half_z, 0.0) ** 2 / exposure
        hi = (root + half_z) ** 2 / exposure
        rate = np.minimum(np.maximum(rate, lo), hi)
        bounds.append((lo * _DAYS_PER_YEAR, hi * _DAYS_PER_YEAR))
    silent = np.where(contacted, day - stats.last_day, 0) + 1
    cap = np.where(contacted, params.silence_evidence / silent, np.inf)
    rate = np.minimum(rate, cap)
    return _Estimate(
        contacted=contacted,
        start=start,
        long_rate=np.where(contacted, long_rate * _DAYS_PER_YEAR, 0.0),
        rate=np.where(contacted, rate * _DAYS_PER_YEAR, 0.0),
        bounds=tuple(bounds),
        silence_cap=cap * _DAYS_PER_YEAR,
    )


def rate_points(per_year: FloatArray | float, params: Params = DEFAULT_PARAMS) -> FloatArray:
    """A rate (weighted contacts a year) on the 0-100 scale: linear in its logarithm through
    ``params.rate_anchors`` (yearly 25, quarterly 50, monthly 75, weekly 100); 0 for none."""
    rates, points = zip(*params.rate_anchors, strict=True)
    x = np.log(np.maximum(np.asarray(per_year, dtype=np.float64), 1e-300))
    return np.interp(x, np.log(np.asarray(rates)), np.asarray(points, dtype=np.float64))


def _parts(
    est: _Estimate, people: _PersonInputs, day: Any, params: Params
) -> dict[str, FloatArray]:
    """The three parts, each in points; they add up to the score (to float rounding)."""
    shape = est.rate.shape
    rhythm = np.where(est.contacted, rate_points(est.long_rate, params), 0.0)
    now = np.where(est.contacted, rate_points(est.rate, params), 0.0)
    closeness = np.zeros(shape)
    keep: Any = 1.0
    if np.any(people.closeness > 0):
        rated = (people.closeness > 0) & (people.start <= day)
        blend = np.where(rated, params.closeness_blend, 0.0)
        keep = 1.0 - blend
        closeness = closeness + blend * 25.0 * np.maximum(people.closeness - 1.0, 0.0)
    return {"rhythm": keep * rhythm, "recent": keep * (now - rhythm), "closeness": closeness}


def _sum_parts(parts: dict[str, FloatArray]) -> FloatArray:
    """Add the parts in :data:`PARTS` order (the score is exactly this sum)."""
    total = np.zeros_like(parts[PARTS[0]])
    for name in PARTS:
        total = total + parts[name]
    return total


@dataclass(frozen=True)
class _PersonInputs:
    """Per-person inputs besides the interactions: closeness, rating start, connection day."""

    closeness: FloatArray
    start: IntArray
    connected: IntArray

    @classmethod
    def of(cls, snapshot: Snapshot) -> _PersonInputs:
        return cls(
            closeness=snapshot.closeness.astype(np.float64),
            start=_closeness_start(snapshot),
            connected=snapshot.connected_day.astype(np.int64),
        )

    def subset(self, rows: IntArray) -> _PersonInputs:
        return _PersonInputs(self.closeness[rows], self.start[rows], self.connected[rows])


def _closeness_start(snapshot: Snapshot) -> IntArray:
    """The day a person's closeness rating starts to count: first contact or connection day.

    Where neither is known the rating counts at every date (a start before any real day).
    """
    p = snapshot.n_people
    first = np.full(p, np.iinfo(np.int64).max, dtype=np.int64)
    if snapshot.state is not None:
        known = snapshot.state.first_day >= 0
        first[known] = snapshot.state.first_day[known]
    else:
        np.minimum.at(first, snapshot.ix_person.astype(np.intp),
                      snapshot.ix_day.astype(np.int64))
    conn = snapshot.connected_day.astype(np.int64)
    first = np.where(conn >= 0, np.minimum(first, conn), first)
    return np.where(first == np.iinfo(np.int64).max, _NO_DAY, first)


__all__ = [
    "PARTS",
    "StrengthResult",
    "TieStats",
    "explain",
    "iter_tie_stats",
    "kept_state",
    "rate_points",
    "strength_at_days",
    "tie_stats_of_state",
    "tie_strength",
]
