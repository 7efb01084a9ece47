"""Tie strength, 0-100 per person at a date, as a sum of explainable parts.

Only interactions on or before the as-of day count (the day itself included: the network "at
the end of" that day). Each behavioural part is a number in [0, 1] times its points
(:class:`~netfolio.measures.params.Params`):

* recency ``2 ** (-days_since_last / half_life)``, the half-life set by the person's tier;
* frequency ``1 - exp(-n / frequency_saturation)`` for the ``n`` interactions in the last year;
* reciprocity ``1 - exp(-u / reciprocity_saturation)``, ``u = min(started by me, started by
  them) + min(gave, received)``;
* depth ``1 - exp(-d / depth_saturation)``, ``d`` the channel weights summed (a group contact
  counts ``g ** -group_exponent``);
* duration ``1 - exp(-years(first..last contact) / duration_saturation_years)``.

Reciprocity, depth and duration are history, so they are multiplied by a retention factor
``2 ** (-days_since_last / (retention_multiple * half_life))``: a once-close tie fades instead
of keeping its history points forever. Where the user set a closeness rating (1-5), it takes
``closeness_blend`` of the score (``(c - 1) / 4`` of it) and the behavioural parts the rest;
the rating counts from the person's first contact or connection day (always, if neither is
known), so a person with a rating and no interactions has closeness points only.

The half-life depends on the tier, and the tier on strength rank. To break the circle the tier
used for the half-life is the person's tier override, else a *first-pass* tier: the same
formula with every person at ``first_pass_half_life_days``, placed by fixed thresholds. A
person's strength therefore depends on that person's own history only (nobody's score moves
because someone else's did), and because inner tiers have half-lives at least as long as outer
ones, strength is monotone: a new interaction never lowers it, more silence never raises it.

Everything is computed on arrays: the interaction rows are aggregated per person with
``np.bincount`` and ``np.maximum.at``, never a Python loop over rows or people.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
from numpy.typing import NDArray

from netfolio.core.enums import TIERS, Initiator, Intent
from netfolio.core.snapshot import AsOf, Snapshot, day_number, day_to_date
from netfolio.measures.params import DEFAULT_PARAMS, Params

#: The parts of a strength score, in the order they are added.
PARTS: tuple[str, ...] = (
    "recency",
    "frequency",
    "reciprocity",
    "depth",
    "duration",
    "closeness",
)

_DAYS_PER_YEAR = 365.2425
#: Cells (people x days) aggregated at once when strength is computed for many days.
_BLOCK_CELLS = 262_144
#: Depth units are counted in 1/1024ths, so that they add up exactly in any order.
_DEPTH_SCALE = 1024
#: Beyond 40 saturation constants, 1 - exp(-x) is exactly 1.0 in float64: tables stop there.
_SATURATED = 40.0
#: "No contact yet" while aggregating: below any real day, even one before 1970.
_NO_DAY = -(2**30)

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.signedinteger[Any]]


@dataclass(frozen=True, eq=False)
class TieStats:
    """Per-person aggregates of the interaction rows on or before some day(s).

    Arrays are ``(P,)`` for one day or ``(M, P)`` for M days: ``count`` interactions,
    ``count_window`` of them in the frequency window, ``last_day`` (-1 without contact in a
    strength result; a large negative number while aggregating many days),
    ``span_days`` from first to last contact, who started them, gives and help received, and
    ``depth_q`` the depth units in 1/1024ths.
    """

    count: IntArray
    count_window: IntArray
    last_day: IntArray
    span_days: IntArray
    started_by_me: IntArray
    started_by_them: IntArray
    gave: IntArray
    received: IntArray
    depth_q: IntArray

    @property
    def first_day(self) -> IntArray:
        """Day of first contact (-1 without contact)."""
        return np.where(self.count > 0, self.last_day - self.span_days, -1)

    @property
    def depth_units(self) -> FloatArray:
        """Channel weights summed over the interactions (group contacts count less)."""
        return self.depth_q / _DEPTH_SCALE


@dataclass(frozen=True, eq=False)
class StrengthResult:
    """Tie strength of every person at ``as_of`` (a day number), with its parts and inputs.

    ``score[i]`` equals the sum of ``parts[name][i]`` over :data:`PARTS` (to float rounding).
    ``basis_tier`` is the tier whose half-life was used (the user's tier where ``overridden``,
    else the first-pass tier; 0 beyond the 1,500 layer) and ``half_life`` that half-life in
    days; ``first_pass`` is the provisional score that placed the tier; ``stats`` the
    aggregates at ``as_of``. (The tier shown to the user comes from rank: see ``tier_status``.)
    """

    as_of: int
    score: FloatArray
    parts: dict[str, FloatArray]
    basis_tier: NDArray[np.int16]
    overridden: NDArray[np.bool_]
    half_life: FloatArray
    first_pass: FloatArray
    stats: TieStats

    @property
    def total(self) -> float:
        """Network value: the sum of every person's strength."""
        return float(self.score.sum())


def tie_strength(
    snapshot: Snapshot, as_of: AsOf, params: Params = DEFAULT_PARAMS
) -> StrengthResult:
    """Every person's tie strength (0-100) at the end of day ``as_of``, with its parts."""
    day = day_number(as_of)
    days = np.array([day], dtype=np.int64)
    tables = _Tables(params, _max_since(snapshot, day))
    ((_, stats2d),) = list(iter_tie_stats(snapshot, days, params, block_cells=None))
    stats = TieStats(**{k: v[0] for k, v in vars(stats2d).items()})
    stats.last_day[stats.count == 0] = -1
    people = _PersonInputs.of(snapshot)
    terms = _terms(stats, people, day, tables)
    first = _score(terms, _FIRST_PASS, tables)
    basis, idx = _basis(first, people.override, params)
    parts = _parts(terms, idx, tables)
    return StrengthResult(
        as_of=day,
        score=_sum_parts(parts),
        parts=parts,
        basis_tier=basis.astype(np.int16),
        overridden=people.override > 0,
        half_life=tables.halves[idx],
        first_pass=first,
        stats=stats,
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
    tables = _Tables(params, _max_since(snapshot, last))
    for cols, stats in iter_tie_stats(snapshot, d64, params, people=rows, begins=begins):
        n = stats.count.shape[1]  # only the people who have begun by the block's last day
        people = everyone.subset(rows[:n])
        terms = _terms(stats, people, d64[cols][:, None], tables)
        _, idx = _basis(_score(terms, _FIRST_PASS, tables), people.override, params)
        yield cols, rows[:n], _score(terms, idx, tables)


def explain(result: StrengthResult, row: int) -> list[tuple[str, float, str]]:
    """Why a person's strength is what it is: ``(part, points, detail)`` for every part.

    The points add up to ``result.score[row]``; the detail says what the part was built from.
    """
    s = result.stats
    n = int(s.count[row])
    last, span = int(s.last_day[row]), int(s.span_days[row])
    tier = int(result.basis_tier[row])
    layer = f"the {tier:,} layer" if tier else "beyond the 1,500 layer"
    tier_word = f"your tier: {layer}" if result.overridden[row] else f"first pass: {layer}"
    half = float(result.half_life[row])
    details = {
        "recency": (
            f"last contact {result.as_of - last} days ago ({day_to_date(last)}); "
            f"half-life {half:g} days ({tier_word})"
            if n
            else "no contact yet"
        ),
        "frequency": f"{_n(int(s.count_window[row]), 'interaction')} in the last year",
        "reciprocity": (
            f"{int(s.started_by_me[row])} started by you, {int(s.started_by_them[row])} by them; "
            f"{int(s.gave[row])} gives, {int(s.received[row])} received"
        ),
        "depth": f"{float(s.depth_units[row]):.1f} depth units over {_n(n, 'interaction')}",
        "duration": (
            f"{span / _DAYS_PER_YEAR:.1f} years from first contact "
            f"({day_to_date(last - span)}) to last"
            if n
            else "no contact yet"
        ),
        "closeness": (
            "closeness rating blended in"
            if result.parts["closeness"][row] > 0
            else "no closeness rating counted"
        ),
    }
    return [(p, float(result.parts[p][row]), details[p]) for p in PARTS]


def _n(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


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
    along the days, carrying totals from block to block. ``block_cells=None`` does it in one
    block. ``people`` (rows, in any order) limits the output to those people, who must
    include everyone with an interaction on or before the last day. With ``begins`` (for each
    of ``people``, non-decreasing, a day no later than their first contact), a block covers
    only the people who have begun by its last day: a prefix of ``people``.
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
    # rows are sorted by day: rows [0, upto[j]) count at column j, rows [0, gone[j]) have
    # left its frequency window
    upto = np.searchsorted(day, days, side="right")
    gone = np.searchsorted(day, days - params.frequency_window_days, side="right")
    # after any real day, yet far enough from _NO_DAY that last - first fits in int32
    first_day = np.full(p, 2**30 - 1, dtype=np.int32)
    np.minimum.at(first_day, person, day)

    width = m if block_cells is None else max(1, min(m, block_cells // max(p, 1)))
    carry = {k: np.zeros(p, dtype=np.int32) for k in ("count", "left", "me", "gv", "rc")}
    carry["dq"] = np.zeros(p, dtype=np.int64)  # depth in 1/1024ths could outgrow int32
    carry_last = np.full(p, _NO_DAY, dtype=np.int32)
    for b0 in range(0, m, width):
        b1 = min(m, b0 + width)
        bw = b1 - b0
        n = p if begins is None else int(np.searchsorted(begins, days[b1 - 1], side="right"))
        lo, hi, key = _block_keys(upto, b0, b1, person, n)
        count = _grid(key, None, None, n, bw, carry, "count")
        me = _grid(key, rows["me"][lo:hi], None, n, bw, carry, "me")
        gave = _grid(key, rows["gave"][lo:hi], None, n, bw, carry, "gv")
        received = _grid(key, rows["received"][lo:hi], None, n, bw, carry, "rc")
        depth_q = _grid(key, None, rows["depth_q"][lo:hi], n, bw, carry, "dq", np.int64)
        left = _grid(_block_keys(gone, b0, b1, person, n)[2], None, None, n, bw, carry, "left")

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
                count_window=count - left,
                last_day=last,
                span_days=np.maximum(last - first_day[:n], 0),
                started_by_me=me,
                started_by_them=count - me,
                gave=gave,
                received=received,
                depth_q=depth_q,
            ),
        )


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
    day = snapshot.ix_day
    keep: Any = slice(None)
    if len(day) and int(day.max()) > last:
        keep = day <= last
    order: Any = slice(None)
    if not snapshot.days_sorted:
        order = np.argsort(day[keep], kind="stable")
    group = snapshot.group_size[keep][order]
    sizes = np.arange(int(group.max()) + 1 if len(group) else 1, dtype=np.float64)
    dilution = np.ones_like(sizes)
    dilution[1:] = sizes[1:] ** -params.group_exponent
    # depth of one row in 1/1024ths, by (group size, channel): whole numbers add up exactly
    weight = np.asarray(params.channel_weights, dtype=np.float64)
    table = np.rint(dilution[:, None] * weight[None, :] * _DEPTH_SCALE).ravel()
    channels = len(weight)
    depth_q = table[group.astype(np.intp) * channels + snapshot.ix_channel[keep][order]]
    intent = snapshot.ix_intent[keep][order]
    return {
        "person": snapshot.ix_person[keep][order].astype(np.int64),
        "day": day[keep][order].astype(np.int32),
        "me": snapshot.ix_initiator[keep][order] == Initiator.ME.code,
        "gave": intent == Intent.GIVE.code,
        "received": intent == Intent.RECEIVED.code,
        "depth_q": depth_q,
    }


def _max_since(snapshot: Snapshot, last: int) -> int:
    """The most days any contact on or before ``last`` can be in the past."""
    if snapshot.n_rows == 0:
        return 0
    return max(0, last - int(snapshot.ix_day.min()))


# -- the formula ----------------------------------------------------------------------------

#: Row of the recency tables used by the first pass (rows 0..6 are TIERS and beyond).
_FIRST_PASS = len(TIERS) + 1


class _Tables:
    """Every transcendental in the formula, tabulated on the integers it is applied to.

    Recency and retention are looked up by (half-life row, days since last contact); the
    saturating parts by their integer inputs, clamped where 1 - exp(-x) reaches 1.0. Lookups
    are exact and several times faster than evaluating exp per cell.
    """

    def __init__(self, params: Params, max_since: int) -> None:
        halves = (
            *params.half_life_days,
            params.half_life_outer_days,
            params.first_pass_half_life_days,
        )
        self.halves = np.asarray(halves, dtype=np.float64)
        self.closeness_blend = params.closeness_blend
        # room for every possible "days since" plus the no-contact column, rounded up so that
        # the cached tables serve many as-of dates
        self.width = -(-(max_since + 2) // 4096) * 4096
        self.no_contact = self.width - 1
        self.recency, self.retention = _decay(
            params.weight_recency, halves, params.retention_multiple, self.width
        )
        self.frequency = _saturating(params.weight_frequency, params.frequency_saturation)
        self.reciprocity = _saturating(params.weight_reciprocity, params.reciprocity_saturation)
        self.depth = _saturating(params.weight_depth, params.depth_saturation * _DEPTH_SCALE)
        self.duration = _saturating(
            params.weight_duration, params.duration_saturation_years * _DAYS_PER_YEAR
        )


@lru_cache(maxsize=32)
def _decay(
    points: float, halves: tuple[float, ...], multiple: float, width: int
) -> tuple[FloatArray, FloatArray]:
    """Recency points and retention by (half-life row, days since), flattened row-major; the
    last column of each row (no contact yet) is 0."""
    since = np.arange(width, dtype=np.float64)[None, :]
    half = np.asarray(halves, dtype=np.float64)[:, None]
    recency = points * np.exp2(-since / half)
    retention = np.exp2(-since / (multiple * half))
    recency[:, -1] = retention[:, -1] = 0.0
    return _frozen(recency.ravel()), _frozen(retention.ravel())


@lru_cache(maxsize=32)
def _saturating(points: float, scale: float) -> FloatArray:
    """``points * (1 - exp(-n / scale))`` for n = 0, 1, ... until it is exactly ``points``."""
    n = np.arange(int(np.ceil(_SATURATED * scale)) + 1, dtype=np.float64)
    return _frozen(points * -np.expm1(-n / scale))


def _frozen(a: FloatArray) -> FloatArray:
    a.flags.writeable = False
    return a


def _lookup(table: FloatArray, n: IntArray) -> FloatArray:
    return table[np.minimum(n, len(table) - 1)]


@dataclass(frozen=True)
class _PersonInputs:
    """Per-person inputs besides the interactions: tier override, closeness, rating start."""

    override: IntArray
    closeness: FloatArray
    start: IntArray

    @classmethod
    def of(cls, snapshot: Snapshot) -> _PersonInputs:
        return cls(
            override=snapshot.tier_override.astype(np.int64),
            closeness=snapshot.closeness.astype(np.float64),
            start=_closeness_start(snapshot),
        )

    def subset(self, rows: IntArray) -> _PersonInputs:
        return _PersonInputs(self.override[rows], self.closeness[rows], self.start[rows])


@dataclass(frozen=True)
class _Terms:
    """The tier-independent pieces of the formula, elementwise over (P,) or (M, P) arrays.

    ``since`` indexes the recency tables (days since last contact, or the no-contact column);
    ``frequency``, ``reciprocity``, ``depth``, ``duration`` are points before the closeness
    blend (the last three before retention) and ``history`` their sum; ``keep`` is the share
    the behavioural parts keep after the blend; ``closeness`` the closeness points.
    """

    since: IntArray
    frequency: FloatArray
    reciprocity: FloatArray
    depth: FloatArray
    duration: FloatArray
    history: FloatArray
    keep: Any
    closeness: Any


def _terms(stats: TieStats, people: _PersonInputs, day: Any, tables: _Tables) -> _Terms:
    """Evaluate the tier-independent terms; ``day`` is a scalar or shaped (M, 1)."""
    since = np.where(stats.count > 0, day - stats.last_day, tables.no_contact)
    two_way = np.minimum(stats.started_by_me, stats.started_by_them)
    two_way += np.minimum(stats.gave, stats.received)
    reciprocity = _lookup(tables.reciprocity, two_way)
    depth = _lookup(tables.depth, stats.depth_q)
    duration = _lookup(tables.duration, stats.span_days)
    keep: Any = 1.0
    points: Any = 0.0
    if np.any(people.closeness > 0):
        closeness, start = people.closeness, people.start
        rated = (closeness > 0) & (start <= day)
        blend = np.where(rated, tables.closeness_blend, 0.0)
        keep = np.broadcast_to(1.0 - blend, since.shape)
        points = np.broadcast_to(blend * 25.0 * np.maximum(closeness - 1.0, 0.0), since.shape)
    return _Terms(
        since=since,
        frequency=_lookup(tables.frequency, stats.count_window),
        reciprocity=reciprocity,
        depth=depth,
        duration=duration,
        history=reciprocity + depth + duration,
        keep=keep,
        closeness=points,
    )


def _score(terms: _Terms, row: Any, tables: _Tables) -> FloatArray:
    """The score with the recency-table row(s) ``row`` (a scalar, or per cell)."""
    flat = terms.since + row * tables.width
    score = tables.recency[flat]
    score += terms.frequency
    score += tables.retention[flat] * terms.history
    if not isinstance(terms.keep, float):
        score *= terms.keep
        score += terms.closeness
    return score


def _basis(first_pass: FloatArray, override: IntArray, params: Params) -> tuple[IntArray, IntArray]:
    """The tier whose half-life applies (override, else placed by the first pass), and its
    row in the recency tables (0..5 for TIERS, 6 beyond)."""
    # how many thresholds the first pass falls short of = the tier's index
    idx = np.full(first_pass.shape, len(TIERS), dtype=np.intp)
    for threshold in params.first_pass_thresholds:
        idx -= first_pass >= threshold
    codes = np.asarray((*TIERS, 0), dtype=np.int64)
    if np.any(override > 0):
        idx = np.where(override > 0, np.searchsorted(codes[:-1], override), idx)
    return codes[idx], idx


def _parts(terms: _Terms, row: IntArray, tables: _Tables) -> dict[str, FloatArray]:
    """The six parts, each in points; they add up to :func:`_score` (to float rounding)."""
    flat = terms.since + row * tables.width
    retention = tables.retention[flat]
    keep = terms.keep
    return {
        "recency": keep * tables.recency[flat],
        "frequency": keep * terms.frequency,
        "reciprocity": keep * retention * terms.reciprocity,
        "depth": keep * retention * terms.depth,
        "duration": keep * retention * terms.duration,
        "closeness": terms.closeness + np.zeros(flat.shape),
    }


def _sum_parts(parts: dict[str, FloatArray]) -> FloatArray:
    """Add the parts in :data:`PARTS` order (the score is exactly this sum)."""
    total = np.zeros_like(parts[PARTS[0]])
    for name in PARTS:
        total = total + parts[name]
    return total


def _closeness_start(snapshot: Snapshot) -> IntArray:
    """The day a person's closeness rating starts to count: first contact or connection day.

    Where neither is known the rating counts at every date (a start before any real day).
    """
    p = snapshot.n_people
    first = np.full(p, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(first, snapshot.ix_person.astype(np.intp), snapshot.ix_day.astype(np.int64))
    conn = snapshot.connected_day.astype(np.int64)
    first = np.where(conn >= 0, np.minimum(first, conn), first)
    return np.where(first == np.iinfo(np.int64).max, _NO_DAY, first)


__all__ = [
    "PARTS",
    "StrengthResult",
    "TieStats",
    "explain",
    "iter_tie_stats",
    "strength_at_days",
    "tie_strength",
]
